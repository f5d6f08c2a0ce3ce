"""The only code that stores response data sets and measurement runs."""

import csv
import datetime as dt
import io
import logging
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.accounts.access import organisations_for
from manyi.accounts.roles import OrgKind
from manyi.common.files import private_path, remove_private, sha256_of, store_upload
from manyi.common.jobs import JobKind, confirm_claim, current_claim, enqueue
from manyi.common.services import log_activity
from manyi.surveys.access import MEASURERS, may_compute
from manyi.surveys.datasets import (
    DatasetRejected,
    check_table,
    read_dictionary,
    read_table,
)
from manyi.surveys.errors import model_error_message
from manyi.surveys.mapping import check_mapping, indicators_of
from manyi.surveys.models import MeasurementRun, ResponseDataset, RunStatus, Scope, Visibility
from manyi.surveys.run_result import indicator_data, report_figures
from manyi.surveys.sample import SAMPLE_FIELDS
from manyi.surveys.signals import run_finished

logger = logging.getLogger(__name__)


MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def _format_of(upload) -> str:
    head = upload.read(8)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0") or name.endswith((".xls", ".xlsm", ".xlsb")):
        raise DatasetRejected([_("不接受旧版 .xls 或含宏的文件，请另存为 .xlsx 或 CSV")])
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8")):
        raise DatasetRejected([_("文件不是数据表，请上传 CSV 或 .xlsx 文件")])
    return "csv"


def _owning_organisation(by):
    own = organisations_for(by, *MEASURERS)
    if not own:
        raise PermissionDenied(_("您无权上传调查数据"))
    return own[0]


def upload_dataset(
    *,
    by,
    upload,
    title: str,
    scope: str,
    industry: str,
    survey_year: int,
    scale_min: float = 1,
    scale_max: float = 10,
    group_column: str = "",
    dictionary_upload=None,
    sample: dict | None = None,
) -> ResponseDataset:
    """Check an uploaded response table and keep it.

    `sample` is the sample description (keys of SAMPLE_FIELDS: 调查方式, 调查期间, 联系人数,
    抽样分层), all optional. Side effects, in order: the file (and dictionary) stored under
    random names; the ResponseDataset row; an activity-log entry, which names the
    organisation's earlier data sets with the same file (same SHA-256; `selectors.same_data`
    shows them to the user). A file that fails any check is removed again and DatasetRejected
    lists every problem in Chinese.
    """
    organisation = _owning_organisation(by)
    if upload.size > MAX_UPLOAD_BYTES:
        raise DatasetRejected([_("文件超过 50 MB")])
    if scale_max <= scale_min:
        raise DatasetRejected([_("量表上限必须大于下限")])
    file_format = _format_of(upload)
    stored, digest, size = store_upload(upload, folder="datasets", suffix=f".{file_format}")
    dictionary_file = ""
    try:
        check = check_table(
            read_table(private_path(stored), file_format),
            scale_min=scale_min,
            scale_max=scale_max,
            group_column=group_column,
        )
        dictionary = {}
        if dictionary_upload is not None:
            dict_format = _format_of(dictionary_upload)
            dictionary_file, _digest, _size = store_upload(
                dictionary_upload, folder="datasets", suffix=f".{dict_format}"
            )
            dictionary = read_dictionary(
                private_path(dictionary_file), dict_format, columns=check.header
            )
        dataset = _record_dataset(
            by=by,
            organisation=organisation,
            action="dataset.upload",
            stored=stored,
            digest=digest,
            size=size,
            file_format=file_format,
            original_name=upload.name or "",
            check=check,
            title=title,
            scope=scope,
            industry=industry,
            survey_year=survey_year,
            scale_min=scale_min,
            scale_max=scale_max,
            group_column=group_column,
            dictionary=dictionary,
            sample=sample,
        )
    except BaseException:
        remove_private(stored)
        remove_private(dictionary_file)
        raise
    finally:
        # The dictionary is folded into the row; its file is not needed afterwards.
        if dictionary_file:
            remove_private(dictionary_file)
    return dataset


def store_survey_dataset(
    *,
    by,
    organisation,
    rows: list[list],
    columns: list[str],
    title: str,
    survey_year: int,
    scale_min: float,
    scale_max: float,
    dictionary: dict[str, str],
    group_column: str = "",
    scope: str = Scope.ENTERPRISE,
    industry: str = "",
    binary_columns=(),
    sample: dict | None = None,
) -> ResponseDataset:
    """Keep a table the system built (a closed survey's usable responses) as a data set, through
    the same checks as an upload: a run reads it exactly as it reads an uploaded file.

    Cells are numbers, text, or None (blank: the engine's missing value). `binary_columns`
    must hold yes/no answers (1/0) even when every answer is a yes; `sample` is the sample
    description (SAMPLE_FIELDS). Side effects, in order: the CSV stored under a random name;
    the ResponseDataset row; an activity-log entry ``dataset.from_survey``. A table that fails
    a check is removed again and DatasetRejected lists every problem.
    """
    if organisation not in organisations_for(by, *MEASURERS):
        raise PermissionDenied(_("您无权保存调查数据"))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    content = ContentFile(buffer.getvalue().encode("utf-8"), name="survey.csv")
    stored, digest, size = store_upload(content, folder="datasets", suffix=".csv")
    try:
        check = check_table(
            read_table(private_path(stored), "csv"),
            scale_min=scale_min,
            scale_max=scale_max,
            group_column=group_column,
            binary_columns=binary_columns,
        )
        return _record_dataset(
            by=by,
            organisation=organisation,
            action="dataset.from_survey",
            stored=stored,
            digest=digest,
            size=size,
            file_format="csv",
            original_name=f"{title}.csv",
            check=check,
            title=title,
            scope=scope,
            industry=industry,
            survey_year=survey_year,
            scale_min=scale_min,
            scale_max=scale_max,
            group_column=group_column,
            dictionary={k: v[:300] for k, v in dictionary.items() if k in check.header},
            sample=sample,
        )
    except BaseException:
        remove_private(stored)
        raise


def _record_dataset(
    *,
    by,
    organisation,
    action: str,
    stored: str,
    digest: str,
    size: int,
    file_format: str,
    original_name: str,
    check,
    title: str,
    scope: str,
    industry: str,
    survey_year: int,
    scale_min: float,
    scale_max: float,
    group_column: str,
    dictionary: dict,
    sample: dict | None = None,
) -> ResponseDataset:
    """The row and its log entry for a stored, checked file: one path for uploads and surveys.
    The entry names the organisation's earlier data sets with the same file (same SHA-256)."""
    sample = _checked_sample(sample, n_rows=check.n_rows)
    groups = sorted({g for g in check.columns[group_column] if g}) if group_column else []
    same_as = list(
        ResponseDataset.objects.filter(organisation=organisation, sha256=digest)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # An enterprise's own data is its own until it shares it (Art. 19).
    visibility = (
        Visibility.PRIVATE if organisation.kind == OrgKind.ENTERPRISE else Visibility.PROGRAMME
    )
    with transaction.atomic():
        dataset = ResponseDataset.objects.create(
            visibility=visibility,
            title=title,
            scope=scope,
            industry=industry,
            survey_year=survey_year,
            organisation=organisation,
            uploaded_by=by,
            file_path=stored,
            original_name=original_name[:200],
            file_format=file_format,
            sha256=digest,
            size_bytes=size,
            n_rows=check.n_rows,
            columns=check.header,
            numeric_columns=check.numeric,
            group_column=group_column,
            group_labels=groups[:500],
            dictionary=dictionary,
            scale_min=scale_min,
            scale_max=scale_max,
            binary_columns=check.binary,
            **sample,
        )
        log_activity(
            actor=by,
            action=action,
            obj=dataset,
            organisation=organisation,
            after={
                "sha256": digest,
                "rows": check.n_rows,
                "columns": len(check.header),
                **({"same_as": same_as} if same_as else {}),
            },
        )
    return dataset


def _checked_sample(sample: dict | None, *, n_rows: int) -> dict:
    """The sample description's fields, or DatasetRejected: a period that ends before it
    starts, or fewer people contacted than answered, would make the report say nonsense."""
    sample = {k: v for k, v in (sample or {}).items() if v not in (None, "")}
    unknown = set(sample) - set(SAMPLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown sample fields: {sorted(unknown)}")
    problems = []
    start, end = sample.get("period_start"), sample.get("period_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        problems.append(_("调查结束日期早于开始日期"))
    contacted = sample.get("contacted")
    if contacted is not None and contacted < n_rows:
        problems.append(
            _("联系（邀请）人数 %(contacted)d 少于样本量 %(n)d")
            % {"contacted": contacted, "n": n_rows}
        )
    if problems:
        raise DatasetRejected(problems)
    return {
        "channel": str(sample.get("channel", ""))[:100],
        "period_start": start,
        "period_end": end,
        "contacted": contacted,
        "strata": str(sample.get("strata", ""))[:200],
    }


def request_run(
    *,
    by,
    dataset: ResponseDataset,
    title: str,
    model_name: str,
    model_spec: dict,
    options: dict,
    seed: int,
    column_map: dict[str, str] | None = None,
    complaint_column: str = "",
) -> MeasurementRun:
    """Queue a measurement on a data set after checking the model and the mapping of its
    indicators to the data set's columns (`mapping.check_mapping`).

    `column_map` ({indicator: column}, from the mapping screen); None reads each indicator
    from the column of its own name. `complaint_column`: a yes/no column reported as the
    complaint rate. The stored model marks the indicators measured by yes/no columns as
    yes/no. Side effects: a MeasurementRun (queued), an activity-log entry, and after commit
    a worker task that computes it. Refused (ValidationError) → nothing stored.
    """
    if not may_compute(by, dataset):
        raise PermissionDenied
    try:
        if column_map is None:
            # Said the engine's way ("数据中缺少模型需要的变量：…") when columns are read by name.
            measurement.validate_model(model_spec, dataset.numeric_columns)
            column_map = {ind: ind for ind in indicators_of(model_spec)}
        model_spec = check_mapping(
            model_spec,
            dataset,
            column_map,
            complaint_column=complaint_column,
            preset=model_name in measurement.list_presets(),
        )
        model = measurement.load_model(model_spec)
    except measurement.ModelError as exc:
        raise ValidationError(model_error_message(exc)) from exc
    column_map = {ind: column_map[ind] for ind in model.indicators}
    with transaction.atomic():
        run = MeasurementRun.objects.create(
            dataset=dataset,
            title=title,
            model_name=model_name,
            model_spec=model_spec,
            model_hash=model.sha256(),
            data_hash=dataset.sha256,
            options=options,
            seed=seed,
            column_map=column_map,
            complaint_column=complaint_column,
            created_by=by,
        )
        renamed = {ind: col for ind, col in column_map.items() if ind != col}
        log_activity(
            actor=by,
            action="measurement.request",
            obj=run,
            organisation=dataset.organisation,
            after={
                "model": model_name,
                "options": options,
                "seed": seed,
                **({"column_map": renamed} if renamed else {}),
                **({"complaint_column": complaint_column} if complaint_column else {}),
            },
        )
        enqueue(JobKind.MEASUREMENT_RUN, run.pk)
    return run


def rerun(*, run: MeasurementRun, by) -> MeasurementRun:
    """The same data, model, mapping, settings and seed again: the numbers must come out the
    same."""
    new = request_run(
        by=by,
        dataset=run.dataset,
        title=run.title,
        model_name=run.model_name,
        model_spec=run.model_spec,
        options=run.options,
        seed=run.seed,
        column_map=dict(run.column_map) or None,
        complaint_column=run.complaint_column,
    )
    MeasurementRun.objects.filter(pk=new.pk).update(rerun_of=run)
    new.rerun_of = run
    return new


def execute_run(*, run: MeasurementRun) -> MeasurementRun:
    """Compute a queued run (worker). Claimed with its old status, so two workers never both run it.

    Under a job (``common.jobs``) a run left "running" by a killed attempt is taken up again:
    the job's claim, not the run's status, says which attempt may work, and ``_finish``
    commits only while the attempt still owns its job.

    The stored file is re-read and its hash checked: a run is computed from exactly the data
    it names, or not at all. Each indicator is read from the column the run maps to it. The
    result holds the engine's fit and, from the same data, the importance–performance map,
    the impact of 5 points, PLSpredict, the sample description and the complaint rate.
    """
    takes = (RunStatus.QUEUED, RunStatus.RUNNING) if current_claim() else (RunStatus.QUEUED,)
    claimed = MeasurementRun.objects.filter(pk=run.pk, status__in=takes).update(
        status=RunStatus.RUNNING
    )
    if not claimed:
        run.refresh_from_db()
        return run
    started = time.perf_counter()
    dataset = run.dataset
    try:
        if sha256_of(dataset.file_path) != run.data_hash:
            raise ValidationError(_("数据文件与上传时的指纹不一致，已停止计算"))
        check = check_table(
            read_table(private_path(dataset.file_path), dataset.file_format),
            scale_min=dataset.scale_min,
            scale_max=dataset.scale_max,
            group_column=dataset.group_column,
            binary_columns=dataset.binary_columns,
        )
        model = measurement.load_model(run.model_spec)
        data = indicator_data(check, model, run.column_map or {})
        groups = check.columns[dataset.group_column] if dataset.group_column else None
        fit_options = {
            k: run.options[k] for k in ("scheme", "scaling", "missing") if k in run.options
        }
        scale = {"scale_min": dataset.scale_min, "scale_max": dataset.scale_max}
        result = measurement.fit(data, model, groups=groups, **scale, **fit_options)
        boot = None
        if run.options.get("resamples"):
            boot = measurement.bootstrap(
                data,
                model,
                resamples=int(run.options["resamples"]),
                seed=run.seed,
                **scale,
                **fit_options,
            )
        payload = result.to_dict()
        payload |= report_figures(
            run, model=model, result=result, data=data, check=check, groups=groups
        )
    except measurement.ModelError as exc:
        return _finish(
            run,
            status=RunStatus.FAILED,
            error_code=exc.code,
            error_message=model_error_message(exc),
            started=started,
        )
    except (ValidationError, DatasetRejected) as exc:
        return _finish(
            run,
            status=RunStatus.FAILED,
            error_code="invalid_data",
            error_message="；".join(exc.messages),
            started=started,
        )
    return _finish(
        run,
        status=RunStatus.DONE,
        result=payload,
        bootstrap_result=boot.to_dict() if boot else None,
        engine_version=measurement.ENGINE_VERSION,
        started=started,
    )


def fail_run(*, run: MeasurementRun, message: str) -> MeasurementRun:
    """The run's job was interrupted on every attempt: the run fails with the message (the page
    shows it and offers to compute again). Nothing when the run is already finished."""
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    return _finish(
        run, status=RunStatus.FAILED, error_code="interrupted", error_message=message, started=None
    )


def _finish(run, *, status, started, **fields) -> MeasurementRun:
    with transaction.atomic():
        updated = MeasurementRun.objects.filter(
            pk=run.pk, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)
        ).update(
            status=status,
            finished_at=timezone.now(),
            seconds=None if started is None else time.perf_counter() - started,
            **fields,
        )
        if not updated:  # finished by another attempt meanwhile
            run.refresh_from_db()
            return run
        run.refresh_from_db()
        log_activity(
            actor="worker",
            action=f"measurement.{status}",
            obj=run,
            organisation=run.dataset.organisation,
            after={"error": run.error_code}
            if run.error_code
            else {"n": (run.result or {}).get("n")},
        )
        transaction.on_commit(lambda: run_finished.send(sender=MeasurementRun, run=run))
        confirm_claim()  # last: a stalled attempt whose job was requeued rolls all this back
    return run
