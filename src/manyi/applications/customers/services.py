"""The customer list (附件3) of an application: upload, import (all or nothing), export.

An upload is stored and queued; the worker checks it with ``customers.rows.check_customer_list``
and then either rejects it (errors kept row by row, file removed) or inserts every customer and
makes the list current in one transaction. The previous list stays current until then: a new
list replaces the old one only after it has been accepted as valid. How progress is shown while
the worker runs is explained in ``customers.progress``.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.customers.progress import (
    PROGRESS_CHECKED,
    PROGRESS_DONE,
    PROGRESS_STARTED,
    progress_note_path,
    write_progress_note,
)
from manyi.applications.customers.rows import CheckResult, RowError, check_customer_list, paused_gc
from manyi.applications.customers.selectors import customer_list_workbook, minimum_customers
from manyi.applications.models import Application, Customer, CustomerList, CustomerListStatus
from manyi.common.files import private_path, remove_private, stored_upload
from manyi.common.jobs import JobKind, confirm_claim, enqueue
from manyi.common.services import hold_message, log_activity

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
BATCH_SIZE = 5000
FOLDER = "customer-lists"
# The worker acts on the upload, not on anyone's behalf: its log entries carry this label.
WORKER = "系统（用户名单检查）"


# --------------------------------------------------------------------------------------------
# Upload


def upload_customer_list(*, application: Application, by, upload) -> CustomerList:
    """Keep an uploaded 附件3 and queue its import; the current list is not touched yet.

    Only the applicant's users, while the application is editable. Side effects, in order:
    the file stored under a random name in MEDIA_ROOT/customer-lists/; the CustomerList
    (checking, not current); an activity-log entry; its import job (``common.jobs``), handed
    to the worker after commit. A file over 20 MB is refused before anything is stored.
    """
    access.UPLOAD_CUSTOMER_LIST.require(by, application)
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件超过 %(mb)d MB，请删去无关的工作表和图片后再上传")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    with (
        stored_upload(upload, folder=FOLDER, suffix=".xlsx") as (stored, digest, size),
        transaction.atomic(),
    ):
        customer_list = CustomerList.objects.create(
            application=application,
            status=CustomerListStatus.CHECKING,
            is_current=False,
            file_path=stored,
            original_name=os.path.basename(upload.name or "customers.xlsx")[:200],
            sha256=digest,
            uploaded_by=by,
        )
        log_activity(
            actor=by,
            action="customer_list.upload",
            obj=customer_list,
            organisation=application.organisation,
            after={"file": customer_list.original_name, "sha256": digest, "bytes": size},
        )
        _enqueue(customer_list.pk)
    return customer_list


def _enqueue(list_id: int) -> None:
    enqueue(JobKind.CUSTOMER_IMPORT, list_id)


# --------------------------------------------------------------------------------------------
# Import (worker)


def run_import(*, customer_list: CustomerList, pause_between_batches: float = 0) -> CustomerList:
    """Check the stored file and import it whole, or reject it whole (worker).

    Runs again from the start after a killed attempt (the job sweeper requeues it): the
    insert's transaction was rolled back, so the list is still "checking"; its progress starts
    again from the beginning and a note left by the dead attempt is removed. Two attempts on
    one list may both read the file, but only one gets past the locked status check that
    guards the insert, and the insert commits only if the attempt still owns its job
    (``confirm_claim``). ``pause_between_batches`` (seconds) exists for the crash test only.

    Side effects when the file has errors, in order: the list rejected with its errors
    (``{row, column, message}``, capped as the checker caps them), an activity-log entry,
    mail to the applicant's users; then the stored file is removed.
    Side effects when it is valid, in order: committed progress; in ONE transaction every
    customer row (inserted 5 000 per batch, many rows per statement), the previous current list no longer current, this
    one accepted and current with the checker's warnings (``errors`` holding them with
    ``"level": "warning"``: a repeated 序号, a merged range filled down), an activity-log
    entry, mail to the applicant's users; then the progress note is removed. The stored file
    of an accepted list is kept.

    Memory: a worker that imported a large list keeps much of what it allocated; django-q
    replaces a worker whose peak passes ``Q_CLUSTER["max_rss"]`` after its task (settings).
    """
    note = progress_note_path(customer_list)
    if customer_list.status != CustomerListStatus.CHECKING:
        if note is not None:
            note.unlink(missing_ok=True)  # an attempt killed after its commit left it
        return customer_list
    application = customer_list.application
    if note is not None:
        note.unlink(missing_ok=True)
    CustomerList.objects.filter(pk=customer_list.pk, status=CustomerListStatus.CHECKING).update(
        progress=PROGRESS_STARTED
    )
    with translation.override(settings.LANGUAGE_CODE):
        try:
            result = check_customer_list(
                private_path(customer_list.file_path),
                min_rows=minimum_customers(application),
                max_rows=MAX_ROWS,
            )
        except Exception:
            logger.exception("customer list %s could not be checked", customer_list.pk)
            result = CheckResult(errors=[RowError(None, None, _("系统未能读取该文件，请重新上传"))])
        if not result.ok:
            return _reject(customer_list, result.errors)
        try:
            return _accept(customer_list, result, note=note, pause=pause_between_batches)
        except Exception:
            # Nothing of the insert survives the rollback; say so rather than hang in "checking".
            logger.exception("customer list %s could not be stored", customer_list.pk)
            message = _("保存用户名单时出错，未导入任何用户，请重新上传")
            return _reject(customer_list, [RowError(None, None, message)])
        finally:
            if note is not None:
                note.unlink(missing_ok=True)


def _reject(customer_list: CustomerList, errors: list[RowError]) -> CustomerList:
    stored = customer_list.file_path
    with transaction.atomic():
        rejected = CustomerList.objects.filter(
            pk=customer_list.pk, status=CustomerListStatus.CHECKING
        ).update(
            status=CustomerListStatus.REJECTED,
            errors=[{"row": e.row, "column": e.column, "message": e.message} for e in errors],
            file_path="",
            finished_at=timezone.now(),
        )
        customer_list.refresh_from_db()
        if not rejected:  # another worker finished it first
            return customer_list
        log_activity(
            actor=WORKER,
            action="customer_list.reject",
            obj=customer_list,
            organisation=customer_list.application.organisation,
            after={"errors": len(errors), "file": customer_list.original_name},
        )
        _mail_applicant(customer_list, "rejected")
    # A rejected upload leaves no file behind.
    remove_private(stored)
    return customer_list


def _accept(
    customer_list: CustomerList, result: CheckResult, *, note: Path | None, pause: float = 0
) -> CustomerList:
    application = customer_list.application
    rows = result.rows
    total = len(rows)
    CustomerList.objects.filter(pk=customer_list.pk, status=CustomerListStatus.CHECKING).update(
        progress=PROGRESS_CHECKED
    )
    with transaction.atomic():
        # One import at a time per application (PostgreSQL; SQLite serialises writers anyway).
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        locked = CustomerList.objects.select_for_update().get(pk=customer_list.pk)
        if locked.status != CustomerListStatus.CHECKING:
            return locked
        with paused_gc():
            _insert_customers(customer_list.pk, rows, note=note, pause=pause)
        # Uploads are numbered in order: a list accepted late never displaces a newer one.
        newer = CustomerList.objects.filter(
            application=application, status=CustomerListStatus.ACCEPTED, pk__gt=customer_list.pk
        ).exists()
        replaced = []
        if not newer:
            replaced = list(
                CustomerList.objects.filter(application=application, is_current=True).values_list(
                    "pk", flat=True
                )
            )
            CustomerList.objects.filter(pk__in=replaced).update(is_current=False)
        CustomerList.objects.filter(pk=customer_list.pk).update(
            status=CustomerListStatus.ACCEPTED,
            is_current=not newer,
            row_count=total,
            company_name=(result.company_name or "")[:200],
            errors=[
                {"row": w.row, "column": w.column, "message": w.message, "level": "warning"}
                for w in result.warnings
            ],
            progress=PROGRESS_DONE,
            finished_at=timezone.now(),
        )
        customer_list.refresh_from_db()
        log_activity(
            actor=WORKER,
            action="customer_list.accept",
            obj=customer_list,
            organisation=application.organisation,
            before={"current": replaced},
            after={
                "rows": total,
                "current": customer_list.is_current,
                "warnings": len(result.warnings),
            },
        )
        _mail_applicant(customer_list, "accepted")
        confirm_claim()  # last: a stalled attempt whose job was requeued rolls all this back
    return customer_list


def fail_import(*, customer_list: CustomerList, message: str) -> CustomerList:
    """The import was interrupted on every attempt (its job failed): reject the list with the
    message, so the applicant is not left watching a frozen bar. Side effects as a rejection
    (``_reject``: the list rejected, a log entry, mail, the file removed) and the note removed;
    nothing when the list is no longer checking."""
    note = progress_note_path(customer_list)
    rejected = _reject(customer_list, [RowError(None, None, message)])
    if note is not None:
        note.unlink(missing_ok=True)
    return rejected


# The columns written by the import, in the order of the parameters below.
_INSERT_FIELDS = (
    "customer_list",
    "row",
    "seq",
    "name",
    "address",
    "department",
    "contact",
    "phone",
    "phone_normalized",
    "email",
)


# Rows per INSERT statement: one statement with many VALUES groups costs SQLite far less than
# as many one-row statements (0.26 s against 0.45 s per 100 000 rows). At most 100 rows, fewer
# when the database's parameter limit asks (SQLite's historical 999 gives 99 rows of 10).
ROWS_PER_STATEMENT = 100


def _insert_sql(rows: int = 1) -> str:
    quote = connection.ops.quote_name
    meta = Customer._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _INSERT_FIELDS)
    group = "(" + ", ".join(["%s"] * len(_INSERT_FIELDS)) + ")"
    values = ", ".join([group] * rows)
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {values}"  # noqa: S608 - names from the model, values as parameters


def _statement_rows() -> int:
    limit = connection.features.max_query_params
    if limit is None:
        return ROWS_PER_STATEMENT
    return max(1, min(ROWS_PER_STATEMENT, limit // len(_INSERT_FIELDS)))


def _parameters(list_id: int, rows: list) -> list:
    """The values of ``rows`` in _INSERT_FIELDS order, flattened for a multi-row INSERT."""
    values: list = []
    extend = values.extend
    for r in rows:
        extend(
            (
                list_id,
                r.row,
                r.seq,
                r.name,
                r.address,
                r.department,
                r.contact,
                r.phone,
                r.phone_normalized,
                r.email,
            )
        )
    return values


def _insert_customers(list_id: int, rows: list, *, note: Path | None, pause: float = 0) -> None:
    """Insert the checked rows, 5 000 per round trip, writing progress between batches.

    Parameterised multi-row INSERTs (ROWS_PER_STATEMENT rows each) run with executemany, not
    ``bulk_create``: the rows are already validated and bounded by the checker (the same
    lengths as the model's fields), and the ORM's per-value SQL compilation took 5.3 s per
    100 000 rows on SQLite against 0.3 s for this (benchmarks/customer_import.py). Still
    inside the caller's transaction.
    """
    total = len(rows)
    batch = BATCH_SIZE
    per_statement = min(_statement_rows(), batch)
    full_sql = _insert_sql(per_statement)
    with connection.cursor() as cursor:
        for start in range(0, total, batch):
            end = min(start + batch, total)
            whole = start + (end - start) // per_statement * per_statement
            if whole > start:
                cursor.executemany(
                    full_sql,
                    (
                        _parameters(list_id, rows[i : i + per_statement])
                        for i in range(start, whole, per_statement)
                    ),
                )
            if end > whole:
                cursor.execute(_insert_sql(end - whole), _parameters(list_id, rows[whole:end]))
            share = (PROGRESS_DONE - 1 - PROGRESS_CHECKED) * end // total
            write_progress_note(note, PROGRESS_CHECKED + share)
            if pause:
                time.sleep(pause)


# --------------------------------------------------------------------------------------------
# Mail and export


def _mail_applicant(customer_list: CustomerList, outcome: str) -> None:
    """One message per active user of the applicant, sent by the worker after commit."""
    application = customer_list.application
    context = {
        "site_url": settings.SITE_URL,
        "application": application,
        "customer_list": customer_list,
        "error_count": len(customer_list.errors),
        "url": reverse("applications:customers", args=[application.pk]),
    }
    prefix = f"applications/customers/email_{outcome}"
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{prefix}_subject.txt", context)
        body = render_to_string(f"{prefix}_body.txt", context)
    memberships = application.organisation.memberships.filter(
        role=Role.ENTERPRISE_USER, is_active=True
    ).select_related("user")
    for membership in memberships:
        hold_message(
            to=membership.user.email,
            subject=subject,
            body_text=body,
            template=f"customer_list_{outcome}",
        )


def export_customer_list(*, customer_list: CustomerList, by) -> bytes:
    """The list as Excel for this reader, masked unless they may see full numbers.

    Side effects: an activity-log entry ("customer_list.export") saying whether it was masked.
    """
    application = customer_list.application
    masked = not access.SEE_FULL_PHONES.allows(by, application)
    data = customer_list_workbook(customer_list, masked=masked)
    log_activity(
        actor=by,
        action="customer_list.export",
        obj=customer_list,
        organisation=application.organisation,
        after={"rows": customer_list.row_count, "masked": masked},
    )
    return data
