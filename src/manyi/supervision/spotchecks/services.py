"""Spot checks (抽查, Art. 21): the work department checks agencies and the organisations that
take part, by a seeded draw that anyone can redo.

- `plan_spot_check`: the population (agencies, participating organisations, title holders),
  its filters (year, category, agency), the number to draw, weighted by risk or not.
- `draw_spot_check`: once; the seed (from `secrets` unless given), the frame with each
  member's risk and weight, its hash and size, and the drawn items are stored, so
  `check_draw` redoes the draw and shows it gives the same list.
- `record_item`: findings, evidence, a result (pass, rectify by a date, fail); the
  organisation is told of a rectification or a failure.
- `confirm_rectified`, `remind_rectifications` (daily): the rectification and its deadline.
- `propose_revocation`: a failed title holder's title goes to a revocation case
  (`revocations.opening.open_revocation`, the one door).
- `close_spot_check`: when every item has a result.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.selectors import emails_of_role
from manyi.campaigns.categories import Category
from manyi.common.files import remove_private
from manyi.common.punctuation import labelled, local_date
from manyi.common.services import log_activity, queue_email
from manyi.supervision.evidence import attach_evidence
from manyi.supervision.models import (
    CheckResult,
    Population,
    RevocationReason,
    SpotCheck,
    SpotCheckItem,
    SpotCheckStatus,
)
from manyi.supervision.revocations.opening import open_revocation
from manyi.supervision.spotchecks import selectors
from manyi.supervision.spotchecks.access import (
    CLOSE,
    CONFIRM_RECTIFIED,
    DRAW,
    PLAN,
    PROPOSE_REVOCATION,
    RECORD,
    already_drawn,
    check_not_open,
    item_settled,
    items_pending,
    not_to_rectify,
)
from manyi.supervision.spotchecks.draw import draw, population_hash
from manyi.supervision.spotchecks.frame import frame_of

# A seed fits a signed 64-bit column and survives JSON and JavaScript unchanged.
SEED_LIMIT = 2**53
# More than a department can visit in a year; a typo (5000 for 50) is refused.
MAX_SIZE = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_FILES = 10
TEXT_MAX = 10000
# The organisation and the work department are reminded this many days before the deadline.
REMIND_DAYS_BEFORE = 3
RESULTS = (CheckResult.PASS, CheckResult.RECTIFY, CheckResult.FAIL)
TOLD_RESULTS = (CheckResult.RECTIFY, CheckResult.FAIL)


# ------------------------------------------------------------------------------------------
# Plan and draw


def plan_spot_check(
    *,
    by,
    name: str,
    population: str,
    size: int,
    year: int | None = None,
    category: str = "",
    agency=None,
    weighted: bool = False,
    purpose: str = "",
) -> SpotCheck:
    """Plan a check of `population`, narrowed by `year` (the campaign's, or the title's for
    title holders), `category` and `agency` (blank: all), drawing `size` members.

    Refused (ValidationError naming the field, nothing stored) for anyone but the work
    department (or the administrator standing in), without a name, for an unknown population
    or category, a size below 1 or above MAX_SIZE, a year outside 2000–2100, or an
    organisation that is not an agency. Side effects: the SpotCheck (已计划), an activity-log
    entry "spotcheck.create".
    """
    PLAN.require(by, None)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写抽查名称")
    if population not in Population.values:
        errors["population"] = _("请选择抽查对象")
    if category and category not in Category.values:
        errors["category"] = _("请选择申报类别")
    if not isinstance(size, int) or not 1 <= size <= MAX_SIZE:
        errors["size"] = _("抽取数量须在 1 至 %(n)d 之间") % {"n": MAX_SIZE}
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        errors["year"] = _("请填写 %(a)d 至 %(b)d 之间的年度") % {"a": FIRST_YEAR, "b": LAST_YEAR}
    if agency is not None and (
        not isinstance(agency, Organisation) or agency.kind != OrgKind.AGENCY
    ):
        errors["agency"] = _("请选择推进机构")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        spot_check = SpotCheck.objects.create(
            name=name[:200],
            population=population,
            year=year,
            category=category or "",
            agency=agency,
            size=size,
            weighted=bool(weighted),
            purpose=(purpose or "").strip()[:TEXT_MAX],
            created_by=by,
        )
        log_activity(
            actor=by,
            action="spotcheck.create",
            obj=spot_check,
            after={
                "name": spot_check.name,
                "population": population,
                "year": year,
                "category": spot_check.category,
                "agency": agency.pk if agency else None,
                "size": size,
                "weighted": spot_check.weighted,
            },
        )
    return spot_check


def draw_spot_check(*, spot_check: SpotCheck, by, seed: int | None = None) -> SpotCheck:
    """Draw the check's members, once.

    The frame is read now (`frame.frame_of`); the seed comes from `secrets` unless given.
    Refused (nothing stored) for anyone but the work department, when the check was already
    drawn (also by someone a moment earlier), or when the population is empty. When the size
    is at least the population, everyone is drawn (one per organisation). Side effects, in one
    transaction: the check becomes 已抽取 with its seed, frame, population hash and size; one
    SpotCheckItem per drawn member (position, weight, risk); an activity-log entry
    "spotcheck.draw" (seed, hash, population size, drawn organisations).
    """
    DRAW.require(by, spot_check)
    if seed is None:
        seed = secrets.randbelow(SEED_LIMIT)
    with transaction.atomic():
        locked = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
        if locked.status != SpotCheckStatus.PLANNED:
            raise already_drawn()
        members = frame_of(locked)
        if not members:
            raise ValidationError(_("抽查范围内没有符合条件的对象，未抽取。请调整筛选条件"))
        frame = [m.as_json() for m in members]
        picks = draw(
            [m.organisation for m in members], [m.weight for m in members], seed, locked.size
        )
        now = timezone.now()
        locked.seed = seed
        locked.frame = frame
        locked.population_hash = population_hash(frame)
        locked.population_size = len(frame)
        locked.status = SpotCheckStatus.DRAWN
        locked.drawn_by = by
        locked.drawn_at = now
        locked.save(
            update_fields=[
                "seed",
                "frame",
                "population_hash",
                "population_size",
                "status",
                "drawn_by",
                "drawn_at",
            ]
        )
        SpotCheckItem.objects.bulk_create(
            SpotCheckItem(
                spot_check=locked,
                position=position,
                organisation_id=members[index].organisation,
                title_id=members[index].title,
                weight=members[index].weight,
                risk=members[index].risk,
            )
            for position, index in enumerate(picks, start=1)
        )
        log_activity(
            actor=by,
            action="spotcheck.draw",
            obj=locked,
            after={
                "seed": seed,
                "population_hash": locked.population_hash,
                "population_size": locked.population_size,
                "weighted": locked.weighted,
                "drawn": [members[i].organisation for i in picks],
            },
        )
    return locked


def check_draw(spot_check: SpotCheck) -> bool:
    """Redo the draw from the stored seed and frame: True when the frame still has its hash
    and the same members come out at the same positions as the stored items."""
    if spot_check.status == SpotCheckStatus.PLANNED or spot_check.seed is None:
        return False
    frame = spot_check.frame or []
    try:
        if population_hash(frame) != spot_check.population_hash:
            return False
        picks = draw(
            [m["organisation"] for m in frame],
            [m["weight"] for m in frame],
            spot_check.seed,
            spot_check.size,
        )
    except (KeyError, TypeError, ValueError):
        return False
    redone = [
        (position, frame[i]["organisation"], frame[i]["title"])
        for position, i in enumerate(picks, start=1)
    ]
    stored = list(
        spot_check.items.order_by("position").values_list("position", "organisation_id", "title_id")
    )
    return redone == stored


def organisations_in_frame(spot_check: SpotCheck) -> int:
    """How many organisations the stored frame holds (a title holder may have several)."""
    return len({m.get("organisation") for m in spot_check.frame or []})


# ------------------------------------------------------------------------------------------
# Recording


def record_item(
    *,
    item: SpotCheckItem,
    by,
    result: str,
    findings: str,
    rectify_by=None,
    uploads=(),
) -> SpotCheckItem:
    """Record the findings and result of one drawn organisation, with evidence files.

    `result` is pass, rectify or fail; a rectification needs `rectify_by`, a date after
    today (ignored for the other results). Recording again while the check is open replaces
    findings and result and adds the new files.

    Refused (ValidationError, nothing stored, no file left) for anyone but the work
    department, when the check is not drawn or already closed, when the item's rectification
    was confirmed or a revocation was opened from it, without findings or result, without a
    future deadline for a rectification, with more than MAX_FILES files, or with a file that
    is not a genuine PDF, JPEG or PNG. Side effects, in one transaction: the item's findings,
    result, deadline (a changed deadline is reminded again), recorder and time; each file
    stored and attached (`attach_evidence`, logged "supervision.evidence"); an activity-log
    entry "spotcheck.record" (before and after); for rectify or fail, mail to the
    organisation's people.
    """
    from manyi.applications.evidence import check_evidence_file

    RECORD.require(by, item)
    findings = (findings or "").strip()
    uploads = [u for u in uploads or () if u]
    errors = {}
    if result not in RESULTS:
        errors["result"] = _("请选择检查结论")
    if not findings:
        errors["findings"] = _("请填写检查发现")
    elif len(findings) > TEXT_MAX:
        errors["findings"] = _("检查发现请不超过 %(n)d 字") % {"n": TEXT_MAX}
    if result == CheckResult.RECTIFY:
        if rectify_by is None:
            errors["rectify_by"] = _("限期整改须填写整改期限")
        elif rectify_by <= timezone.localdate():
            errors["rectify_by"] = _("整改期限须晚于今天")
    if len(uploads) > MAX_FILES:
        errors["evidence"] = _("每次最多上传 %(n)d 个文件") % {"n": MAX_FILES}
    if errors:
        raise ValidationError(errors)
    for upload in uploads:
        try:
            check_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError(
                {"evidence": [labelled(upload.name, m) for m in exc.messages]}
            ) from exc
    if result != CheckResult.RECTIFY:
        rectify_by = None
    stored = []
    try:
        with transaction.atomic():
            locked = (
                # Only the item's row: its title is a nullable join (PostgreSQL refuses to lock
                # the nullable side of an outer join).
                SpotCheckItem.objects.select_for_update(of=("self",))
                .select_related("spot_check", "organisation", "title")
                .defer("spot_check__frame")
                .get(pk=item.pk)
            )
            if locked.spot_check.status != SpotCheckStatus.DRAWN:
                raise check_not_open()
            if locked.rectified_at is not None or locked.revocations.exists():
                raise item_settled()
            before = _item_state(locked)
            if locked.rectify_by != rectify_by:
                locked.reminded_at = None
            locked.findings = findings
            locked.result = result
            locked.rectify_by = rectify_by
            locked.recorded_by = by
            locked.recorded_at = timezone.now()
            locked.save(
                update_fields=[
                    "findings",
                    "result",
                    "rectify_by",
                    "reminded_at",
                    "recorded_by",
                    "recorded_at",
                ]
            )
            for upload in uploads:
                stored.append(attach_evidence(owner=locked, upload=upload, by=by).path)
            log_activity(
                actor=by,
                action="spotcheck.record",
                obj=locked,
                organisation=locked.organisation,
                before=before,
                after={**_item_state(locked), "evidence": len(uploads)},
            )
            if result in TOLD_RESULTS:
                _tell_organisation(locked, "supervision/spotcheck_result")
    except BaseException:
        # A file already stored for an earlier upload of this call goes with the rollback.
        for path in stored:
            remove_private(path)
        raise
    return locked


def _item_state(item: SpotCheckItem) -> dict:
    return {"result": item.result, "findings": item.findings, "rectify_by": item.rectify_by}


def confirm_rectified(*, item: SpotCheckItem, by, note: str) -> SpotCheckItem:
    """Record that the organisation has rectified what the check found.

    Refused for anyone but the work department, when the result is not 限期整改 or the
    rectification was already confirmed, or without a note. Side effects, in one transaction:
    the item's rectification time and note; an activity-log entry "spotcheck.rectified"; mail
    to the organisation's people.
    """
    CONFIRM_RECTIFIED.require(by, item)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写整改情况")})
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("整改情况请不超过 %(n)d 字") % {"n": TEXT_MAX}})
    with transaction.atomic():
        locked = (
            SpotCheckItem.objects.select_for_update()
            .select_related("spot_check", "organisation")
            .defer("spot_check__frame")
            .get(pk=item.pk)
        )
        if locked.result != CheckResult.RECTIFY or locked.rectified_at is not None:
            raise not_to_rectify()
        locked.rectified_at = timezone.now()
        locked.rectification_note = note
        locked.save(update_fields=["rectified_at", "rectification_note"])
        log_activity(
            actor=by,
            action="spotcheck.rectified",
            obj=locked,
            organisation=locked.organisation,
            after={"rectified_at": locked.rectified_at, "note": note},
        )
        _tell_organisation(locked, "supervision/spotcheck_rectified")
    return locked


def propose_revocation(*, item: SpotCheckItem, by, facts: str = ""):
    """Open a revocation case for the title of a title holder that failed the check
    (建议撤销称号), through `revocations.opening.open_revocation`.

    `facts` defaults to the check's name and findings. Refused for anyone but the work
    department, when the result is not 不合格, when the item has no valid title, or when the
    title already has a case in progress. Side effects: those of `open_revocation` (the case
    with this item as its origin, "revocation.open", mail to committee staff); the item's
    result is then fixed.
    """
    PROPOSE_REVOCATION.require(by, item)
    facts = (facts or "").strip() or default_facts(item)
    return open_revocation(
        title=item.title,
        reason=RevocationReason.FAILED_SPOT_CHECK,
        facts=facts,
        by=by,
        spot_check_item=item,
    )


def default_facts(item: SpotCheckItem) -> str:
    """The facts a revocation starts from: which check, when, and what it found."""
    recorded = item.recorded_at or timezone.now()
    return _("%(check)s（%(date)s）检查结论为不合格。检查发现：%(findings)s") % {
        "check": item.spot_check.name,
        "date": local_date(timezone.localtime(recorded)),
        "findings": item.findings,
    }


# ------------------------------------------------------------------------------------------
# Closing


def close_spot_check(*, spot_check: SpotCheck, by) -> SpotCheck:
    """Close a drawn check whose every item has a result.

    Refused for anyone but the work department, before the draw, a second time, or while an
    item has no result. Rectifications still open are followed after closing. Side effects, in
    one transaction: the check becomes 已完成 with its time; an activity-log entry
    "spotcheck.close" with the count of each result.
    """
    CLOSE.require(by, spot_check)
    with transaction.atomic():
        locked = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
        if locked.status != SpotCheckStatus.DRAWN:
            raise ValidationError(_("该抽查尚未抽取或已完成"))
        if locked.items.filter(result=CheckResult.PENDING).exists():
            raise items_pending()
        locked.status = SpotCheckStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        counts = {result: locked.items.filter(result=result).count() for result in RESULTS}
        log_activity(actor=by, action="spotcheck.close", obj=locked, after={"results": counts})
    return locked


# ------------------------------------------------------------------------------------------
# Reminders


def remind_rectifications(*, today=None) -> int:
    """Remind the organisation and the work department of a rectification deadline: once
    REMIND_DAYS_BEFORE days before it (or at once when set closer), and once when it has
    passed. Returns the number of items reminded.

    Side effects per item, in its own transaction: the item's `reminded_at`; an activity-log
    entry "spotcheck.remind" by the system; mail to the organisation's people and to every
    work-department staff member.
    """
    today = today or timezone.localdate()
    done = 0
    for item in selectors.rectifications_due().filter(rectify_by__isnull=False):
        reminded_on = timezone.localdate(item.reminded_at) if item.reminded_at else None
        overdue = item.rectify_by < today
        if overdue:
            due = reminded_on is None or reminded_on <= item.rectify_by
        else:
            due = reminded_on is None and (item.rectify_by - today).days <= REMIND_DAYS_BEFORE
        if due and _remind(item, overdue=overdue, today=today):
            done += 1
    return done


def _remind(item: SpotCheckItem, *, overdue: bool, today) -> bool:
    with transaction.atomic():
        locked = (
            SpotCheckItem.objects.select_for_update()
            .select_related("spot_check", "organisation")
            .defer("spot_check__frame")
            .filter(pk=item.pk, reminded_at=item.reminded_at, rectified_at__isnull=True)
            .first()
        )
        if locked is None:  # confirmed or reminded by another run a moment ago
            return False
        locked.reminded_at = timezone.now()
        locked.save(update_fields=["reminded_at"])
        log_activity(
            actor=_("系统"),
            action="spotcheck.remind",
            obj=locked,
            organisation=locked.organisation,
            after={"rectify_by": locked.rectify_by, "overdue": overdue},
        )
        context = {"days_left": (locked.rectify_by - today).days, "overdue": overdue}
        _tell_organisation(locked, "supervision/spotcheck_reminder", context)
        context = {**_context(locked), **context, "staff": True}
        for email in emails_of_role(Role.WORKDEPT_STAFF):
            queue_email(to=email, template="supervision/spotcheck_reminder", context=context)
    return True


# ------------------------------------------------------------------------------------------
# Mail


def _context(item: SpotCheckItem) -> dict:
    return {
        "item": item,
        "spot_check": item.spot_check,
        "organisation": item.organisation,
        "result": item.get_result_display(),
        "path": reverse("supervision:spotcheck_item", args=[item.pk]),
    }


def _tell_organisation(item: SpotCheckItem, template: str, extra: dict | None = None) -> None:
    context = {**_context(item), **(extra or {}), "staff": False}
    for email in selectors.organisation_emails(item.organisation):
        queue_email(to=email, template=template, context=context)
