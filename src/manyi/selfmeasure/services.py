"""The only code that changes an enterprise's own surveys and shares its measurements.

- `create_own_survey`: a survey with a published questionnaire and one collection link.
- `close_own_survey`: its usable responses become a private data set and a measurement run.
- `reopen_own_survey`: collect again; the next close makes a new data set and run.
- `exclude_response` / `restore_response`: the enterprise's judgement of a flagged response.
- `share_measurement` / `unshare_measurement`: the one door that moves a data set between
  private and shared.

The measurement engine (numpy, scipy) and the measurement services are imported inside the
functions that use them, so loading the URL configuration stays light.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.common.files import remove_private
from manyi.common.services import log_activity
from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus
from manyi.fieldwork.questions import questions_of
from manyi.selfmeasure.access import (
    CLOSE_SURVEY,
    EXCLUDE_RESPONSE,
    REOPEN_SURVEY,
    RESTORE_RESPONSE,
    SHARE,
    UNSHARE,
)
from manyi.selfmeasure.models import OwnResponse, OwnSurvey, OwnSurveyStatus
from manyi.surveys.models import ResponseDataset, Visibility

# Fewer usable responses than this give no index worth reading (as for the programme's surveys).
MIN_RESPONSES = 30
MAX_TARGET = 100_000
# An own survey runs at most a year: a link printed on a receipt should not live for ever.
MAX_DAYS = 366
# The settings of an own survey's measurement: the platform's defaults with a modest bootstrap
# (enough for the intervals an improvement plan compares, quick on the worker).
RUN_OPTIONS = {"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 200}
COMPLAINT_COLUMN = "complaint"
CHANNEL = "企业自主网上调查（链接和二维码）"


def _enterprise_of(by):
    own = organisations_for(by, Role.ENTERPRISE_USER)
    if not own:
        raise PermissionDenied(_("只有企业用户可以发起自主调查"))
    return own[0]


def _check_dates(opens_on: dt.date, closes_on: dt.date, *, today: dt.date) -> list[str]:
    problems = []
    if closes_on < opens_on:
        problems.append(_("截止日期不能早于开始日期"))
    if closes_on < today:
        problems.append(_("截止日期不能早于今天"))
    if (closes_on - opens_on).days > MAX_DAYS:
        problems.append(_("一次自主调查最长一年"))
    return problems


def create_own_survey(
    *,
    by,
    title: str,
    questionnaire: Questionnaire,
    opens_on: dt.date,
    closes_on: dt.date,
    target_responses: int,
) -> OwnSurvey:
    """Start an own survey of the user's enterprise with a published questionnaire.

    Refused (ValidationError, nothing stored): no title, a questionnaire that is not
    published, dates out of order or past, a target below the minimum sample. Side effects:
    the OwnSurvey (open, with a fresh unguessable link token); an activity-log entry.
    """
    organisation = _enterprise_of(by)
    problems = []
    title = (title or "").strip()
    if not title:
        problems.append(_("请填写调查名称"))
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        problems.append(_("只能使用已发布的问卷"))
    problems += _check_dates(opens_on, closes_on, today=timezone.localdate())
    if not MIN_RESPONSES <= target_responses <= MAX_TARGET:
        problems.append(
            _("目标样本量应在 %(min)d 到 %(max)d 之间") % {"min": MIN_RESPONSES, "max": MAX_TARGET}
        )
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        survey = OwnSurvey.objects.create(
            organisation=organisation,
            title=title[:200],
            questionnaire=questionnaire,
            token=secrets.token_urlsafe(32),
            opens_on=opens_on,
            closes_on=closes_on,
            target_responses=target_responses,
            created_by=by,
        )
        log_activity(
            actor=by,
            action="ownsurvey.create",
            obj=survey,
            organisation=organisation,
            after={
                "questionnaire": f"{questionnaire} ({questionnaire.category})",
                "opens_on": opens_on,
                "closes_on": closes_on,
                "target": target_responses,
            },
        )
    return survey


# ------------------------------------------------------------------------------------------
# Closing


@dataclass
class _Answered:
    """An own response as `fieldwork.results.table.survey_table` reads a response."""

    answers: dict
    complaint: bool | None
    channel: str = "web"


def usable_responses(survey: OwnSurvey) -> list[OwnResponse]:
    """The responses that count: not excluded (a screened-out respondent is excluded on
    arrival), in the order they arrived."""
    return list(survey.responses.filter(excluded=False).order_by("submitted_at", "pk"))


def closing_table(survey: OwnSurvey, model, responses: list[OwnResponse]):
    """The data table of `responses` (`fieldwork.results.table.survey_table`): one column per
    model indicator (the questionnaire's wording in the dictionary), plus the yes/no complaint
    column when anyone answered it. Returns (columns, rows, dictionary, scale_min, scale_max,
    has_complaint)."""
    from manyi.fieldwork.results.table import CHANNEL_COLUMN, survey_table

    questions = questions_of(survey.questionnaire)
    table = survey_table(
        questions,
        list(model.indicators),
        [_Answered(r.answers, r.complaint) for r in responses],
    )
    # Every row of an own survey came through the web link: the channel column says nothing.
    keep = [i for i, name in enumerate(table.columns) if name != CHANNEL_COLUMN]
    columns = [table.columns[i] for i in keep]
    rows = [[row[i] for i in keep] for row in table.rows]
    dictionary = {k: v for k, v in table.dictionary.items() if k in columns}
    if COMPLAINT_COLUMN not in columns:
        columns.append(COMPLAINT_COLUMN)
        for row, response in zip(rows, responses, strict=True):
            row.append(None if response.complaint is None else int(response.complaint))
        dictionary[COMPLAINT_COLUMN] = "是否投诉过：1 是，0 否"
    at = columns.index(COMPLAINT_COLUMN)
    has_complaint = any(row[at] is not None for row in rows)
    if not has_complaint:
        # The questionnaire asks no complaint question: no rate to report.
        columns.pop(at)
        for row in rows:
            row.pop(at)
        dictionary.pop(COMPLAINT_COLUMN, None)
    return columns, rows, dictionary, table.scale_min, table.scale_max, has_complaint


def _check_engine_accepts(columns, rows, model, scale_min, scale_max) -> None:
    """Fit once without the bootstrap (a fraction of a second): data the engine refuses (an
    indicator nobody could answer, no variation) stops the closing before anything changes."""
    from manyi import measurement
    from manyi.surveys.errors import model_error_message

    data = {
        name: [float("nan") if row[i] is None else float(row[i]) for row in rows]
        for i, name in enumerate(columns)
        if name in model.indicators
    }
    try:
        measurement.fit(
            data,
            model,
            scale_min=scale_min,
            scale_max=scale_max,
            **{k: RUN_OPTIONS[k] for k in ("scheme", "scaling", "missing")},
        )
    except measurement.ModelError as exc:
        raise ValidationError(
            _("调查数据无法计算指数：%(reason)s") % {"reason": model_error_message(exc)}
        ) from exc


def close_own_survey(*, survey: OwnSurvey, by) -> OwnSurvey:
    """End the collection and measure the enterprise's index from its usable responses.

    Refused with fewer than MIN_RESPONSES usable responses or data the engine cannot fit.
    Side effects, in one transaction, in order: the table stored as a private ResponseDataset
    (logged ``dataset.from_survey``); a MeasurementRun queued with the questionnaire's model
    and a bootstrap of 200 (logged ``measurement.request``; computed by the worker after
    commit); the survey CLOSED with its data set and run (logged ``ownsurvey.close``).
    Refused → nothing changed, no file left behind.
    """
    from manyi import measurement
    from manyi.surveys import services as measuring
    from manyi.surveys.datasets import DatasetRejected

    CLOSE_SURVEY.require(by, survey)
    questionnaire = survey.questionnaire
    model = measurement.load_preset(questionnaire.model_name)
    dataset = None
    try:
        with transaction.atomic():
            # Lock the row before reading the responses: one arriving now waits, then finds
            # the survey closed.
            locked = OwnSurvey.objects.select_for_update().get(pk=survey.pk)
            if locked.status != OwnSurveyStatus.OPEN:
                raise ValidationError(_("本次调查已由同事结束"))
            responses = usable_responses(survey)
            if len(responses) < MIN_RESPONSES:
                raise ValidationError(
                    _("有效回答只有 %(n)d 份，至少需要 %(min)d 份才能计算满意度指数")
                    % {"n": len(responses), "min": MIN_RESPONSES}
                )
            columns, rows, dictionary, low, high, has_complaint = closing_table(
                survey, model, responses
            )
            _check_engine_accepts(columns, rows, model, low, high)
            today = timezone.localdate()
            dataset = measuring.store_survey_dataset(
                by=by,
                organisation=survey.organisation,
                rows=rows,
                columns=columns,
                title=survey.title,
                survey_year=survey.opens_on.year,
                scale_min=low,
                scale_max=high,
                dictionary=dictionary,
                binary_columns=(COMPLAINT_COLUMN,) if has_complaint else (),
                sample={
                    "channel": CHANNEL,
                    "period_start": survey.opens_on,
                    "period_end": max(survey.opens_on, min(today, survey.closes_on)),
                },
            )
            run = measuring.request_run(
                by=by,
                dataset=dataset,
                title=survey.title,
                model_name=questionnaire.model_name,
                model_spec=model.to_dict(),
                options=dict(RUN_OPTIONS),
                # Kept with the run, so the same numbers come out when it is run again.
                seed=secrets.randbelow(2**31),
                complaint_column=COMPLAINT_COLUMN if has_complaint else "",
            )
            now = timezone.now()
            OwnSurvey.objects.filter(pk=survey.pk).update(
                status=OwnSurveyStatus.CLOSED,
                closed_by=by,
                closed_at=now,
                dataset=dataset,
                run=run,
            )
            log_activity(
                actor=by,
                action="ownsurvey.close",
                obj=survey,
                organisation=survey.organisation,
                after={"responses": len(responses), "dataset": dataset.pk, "run": run.pk},
            )
    except DatasetRejected as exc:
        raise ValidationError(exc.messages) from exc
    except BaseException:
        if dataset is not None:
            remove_private(dataset.file_path)
        raise
    survey.refresh_from_db()
    return survey


def reopen_own_survey(*, survey: OwnSurvey, by, closes_on: dt.date | None = None) -> OwnSurvey:
    """Collect again through the same link (its earlier data set and run stay as they are; the
    next close makes new ones).

    `closes_on`: a new closing date, needed when the old one has passed. Side effects: the
    survey OPEN again (with the new date); an activity-log entry.
    """
    REOPEN_SURVEY.require(by, survey)
    today = timezone.localdate()
    closes_on = closes_on or survey.closes_on
    problems = _check_dates(survey.opens_on, closes_on, today=today)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        moved = OwnSurvey.objects.filter(pk=survey.pk, status=OwnSurveyStatus.CLOSED).update(
            status=OwnSurveyStatus.OPEN, closes_on=closes_on
        )
        if not moved:
            raise ValidationError(_("本次调查已由同事重新开放"))
        log_activity(
            actor=by,
            action="ownsurvey.reopen",
            obj=survey,
            organisation=survey.organisation,
            before={"closes_on": survey.closes_on},
            after={"closes_on": closes_on},
        )
    survey.refresh_from_db()
    return survey


def _judge_response(*, response: OwnResponse, by, excluded: bool, action: str) -> OwnResponse:
    with transaction.atomic():
        moved = OwnResponse.objects.filter(pk=response.pk, excluded=not excluded).update(
            excluded=excluded
        )
        if not moved:
            raise ValidationError(_("该回答已由同事处理"))
        log_activity(
            actor=by,
            action=action,
            obj=response,
            organisation=response.survey.organisation,
            after={"flags": response.flags},
        )
    response.excluded = excluded
    return response


def exclude_response(*, response: OwnResponse, by) -> OwnResponse:
    """Leave a flagged response out of the data set. Side effects: the response excluded; an
    activity-log entry."""
    EXCLUDE_RESPONSE.require(by, response)
    return _judge_response(response=response, by=by, excluded=True, action="ownsurvey.exclude")


def restore_response(*, response: OwnResponse, by) -> OwnResponse:
    """Count an excluded response again. Side effects: the response restored; a log entry."""
    RESTORE_RESPONSE.require(by, response)
    return _judge_response(response=response, by=by, excluded=False, action="ownsurvey.restore")


# ------------------------------------------------------------------------------------------
# Sharing


def _move_visibility(*, dataset, by, old: str, new: str, action: str):
    with transaction.atomic():
        moved = ResponseDataset.objects.filter(pk=dataset.pk, visibility=old).update(
            visibility=new, shared_at=timezone.now() if new == Visibility.SHARED else None
        )
        if not moved:
            raise ValidationError(_("该测评的共享状态已由同事改变"))
        log_activity(
            actor=by,
            action=action,
            obj=dataset,
            organisation=dataset.organisation,
            before={"visibility": old},
            after={"visibility": new},
        )
    dataset.refresh_from_db()
    return dataset


def share_measurement(*, dataset: ResponseDataset, by) -> ResponseDataset:
    """Show an own data set and its measurements to programme staff and to the agencies the
    enterprise is a confirmed member of (`surveys.selectors`). Side effects: the data set
    SHARED with the time; an activity-log entry ``dataset.share``."""
    SHARE.require(by, dataset)
    return _move_visibility(
        dataset=dataset,
        by=by,
        old=Visibility.PRIVATE,
        new=Visibility.SHARED,
        action="dataset.share",
    )


def unshare_measurement(*, dataset: ResponseDataset, by) -> ResponseDataset:
    """Make a shared data set private again: from now on only the enterprise sees it. Side
    effects: the data set PRIVATE; an activity-log entry ``dataset.unshare``."""
    UNSHARE.require(by, dataset)
    return _move_visibility(
        dataset=dataset,
        by=by,
        old=Visibility.SHARED,
        new=Visibility.PRIVATE,
        action="dataset.unshare",
    )
