"""Closing an applicant's fieldwork (its data set and measurement) and releasing its result.

The measurement engine (numpy, scipy) and the measurement services are imported inside the
functions that use them, so loading the URL configuration stays light.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.common.files import remove_private
from manyi.common.services import queue_email
from manyi.fieldwork.access import CLOSE, RELEASE
from manyi.fieldwork.models import (
    USABLE_QC,
    Channel,
    ContactStatus,
    QcStatus,
    SampledContact,
    Survey,
    SurveyStatus,
)
from manyi.fieldwork.questions import questions_of
from manyi.fieldwork.results.summary import closing_summary
from manyi.fieldwork.results.table import (
    CHANNEL_COLUMN,
    COMPLAINT_COLUMN,
    SurveyTable,
    engine_columns,
    survey_table,
)
from manyi.fieldwork.services import move_survey
from manyi.surveys.access import MEASURERS

# Fewer usable responses than this give no index worth judging an applicant on.
MIN_USABLE = 30
# The settings the measurement page offers by default (surveys.forms.RunForm).
RUN_OPTIONS = {"scheme": "path", "scaling": "standardized", "missing": "mean", "resamples": 1000}


def usable_responses(survey: Survey) -> list:
    """Responses that count: screened in, and clean or approved by the firm's manager."""
    return list(
        survey.responses.filter(screening_passed=True, qc_status__in=USABLE_QC)
        .select_related("contact")
        .order_by("submitted_at", "pk")
    )


def _check_engine_accepts(table: SurveyTable, model, indicators: list[str]) -> None:
    """Fit once without the bootstrap (a fraction of a second): data the engine refuses (an
    indicator nobody could answer, no variation) stops the closing before anything changes,
    rather than leaving a closed survey with a failed run."""
    from manyi import measurement
    from manyi.surveys.errors import model_error_message

    try:
        measurement.fit(
            engine_columns(table, indicators),
            model,
            scale_min=table.scale_min,
            scale_max=table.scale_max,
            groups=[row[-1] for row in table.rows],
            **{k: RUN_OPTIONS[k] for k in ("scheme", "scaling", "missing")},
        )
    except measurement.ModelError as exc:
        raise ValidationError(
            _("调查数据无法计算指数：%(reason)s") % {"reason": model_error_message(exc)}
        ) from exc


def _closing_table(survey, questionnaire, model, indicators):
    """The checks that refuse closing, then the data table of the usable responses."""
    flagged = survey.responses.filter(qc_status=QcStatus.FLAGGED).count()
    if flagged:
        raise ValidationError(
            ngettext(
                "还有 %(n)d 份回答待调查机构复核，复核完成后才能结束调查",
                "还有 %(n)d 份回答待调查机构复核，复核完成后才能结束调查",
                flagged,
            )
            % {"n": flagged}
        )
    usable = usable_responses(survey)
    if len(usable) < MIN_USABLE:
        raise ValidationError(
            _("有效回答只有 %(n)d 份，至少需要 %(min)d 份才能计算满意度指数")
            % {"n": len(usable), "min": MIN_USABLE}
        )
    table = survey_table(questions_of(questionnaire), indicators, usable)
    _check_engine_accepts(table, model, indicators)
    return table, usable


def sample_of(survey: Survey, usable: list) -> dict:
    """The data set's sample description from the survey: the channels the usable responses
    came through, the field period, the contacts attempted (released, and called or invited:
    the base of the response rate) and the strata of the draw. In Chinese, like the data
    dictionary stored beside it."""
    from manyi.fieldwork.sampling.design import strata_labels

    contacted = (
        survey.contacts.exclude(status=ContactStatus.RESERVE)
        .filter(~Q(status=ContactStatus.PENDING) | Q(attempts__gt=0) | Q(invited_at__isnull=False))
        .count()
    )
    used = {r.channel for r in usable}
    with translation.override("zh-hans"):
        labels = strata_labels()
        strata = [str(labels[s]) for s in survey.strata if s in labels]
        return {
            "channel": "、".join(str(c.label) for c in Channel if c.value in used),
            "period_start": survey.field_opens,
            "period_end": survey.field_closes,
            "contacted": contacted or None,
            "strata": _("按%(names)s分层") % {"names": "、".join(strata)}
            if strata
            else _("不分层"),
        }


def close_fieldwork(*, survey: Survey, by) -> Survey:
    """End the fieldwork and measure the applicant's index from its usable responses.

    Refused while responses still await the firm's review, or with too few usable responses
    for the model. Side effects, in one transaction, in order: the data table stored as a
    ResponseDataset (logged ``dataset.from_survey``); a MeasurementRun queued with the
    questionnaire's model and the survey's seed (logged ``measurement.request``; the worker
    computes it after commit); every contact's web link ended and its saved draft and e-mail
    address erased; the survey CLOSED with its data set, run and summary (logged
    ``survey.closed``). Refused → nothing changed, no file left behind.
    """
    from manyi import measurement
    from manyi.surveys import services as measuring
    from manyi.surveys.datasets import DatasetRejected

    CLOSE.require(by, survey)
    questionnaire = survey.questionnaire
    model = measurement.load_preset(questionnaire.model_name)
    indicators = list(model.indicators)
    application = survey.application
    dataset = None
    try:
        with transaction.atomic():
            # Lock the survey before reading its responses: a response under way (which holds
            # the row with a shared lock) finishes first, and none can arrive afterwards.
            Survey.objects.select_for_update().filter(pk=survey.pk).first()
            table, usable = _closing_table(survey, questionnaire, model, indicators)
            dataset = measuring.store_survey_dataset(
                by=by,
                organisation=organisations_for(by, *MEASURERS)[0],
                rows=table.rows,
                columns=table.columns,
                title=_("第三方调查：%(org)s（%(category)s，%(year)d 年度）")
                % {
                    "org": application.organisation.name,
                    "category": application.get_category_display(),
                    "year": survey.campaign.year,
                },
                survey_year=survey.campaign.year,
                scale_min=table.scale_min,
                scale_max=table.scale_max,
                dictionary=table.dictionary,
                group_column=CHANNEL_COLUMN,
                binary_columns=[COMPLAINT_COLUMN],
                sample=sample_of(survey, usable),
            )
            run = measuring.request_run(
                by=by,
                dataset=dataset,
                title=dataset.title,
                model_name=questionnaire.model_name,
                model_spec=model.to_dict(),
                options=dict(RUN_OPTIONS),
                # The draw's seed: the same survey gives the same interval when run again.
                seed=survey.seed if survey.seed is not None else survey.pk,
                complaint_column=COMPLAINT_COLUMN,
            )
            summary = closing_summary(survey=survey, usable=usable)
            # After closing, fieldwork keeps no contact detail: links stop working, drafts and
            # e-mail addresses go. Responses never held a phone (the number stays in the
            # applicant's own customer list; contacts keep only a keyed hash of it).
            SampledContact.objects.filter(survey=survey).update(
                token_hash=None,
                token_expires_at=None,
                draft_answers={},
                draft_started_at=None,
                email="",
            )
            move_survey(
                survey=survey,
                to=SurveyStatus.CLOSED,
                by=by,
                extra={
                    "dataset": dataset,
                    "run": run,
                    "closed_by": by,
                    "closed_at": timezone.now(),
                    "summary": summary,
                },
            )
    except DatasetRejected as exc:
        raise ValidationError(exc.messages) from exc
    except BaseException:
        if dataset is not None:
            remove_private(dataset.file_path)
        raise
    return survey


def release_result(*, survey: Survey, by) -> Survey:
    """Release a closed survey's result to the applicant once its measurement is done.

    Side effects, in one transaction: the survey RELEASED (logged ``survey.released``); one
    e-mail to each of the applicant's users saying the result is on the application page (no
    figures in the mail).
    """
    RELEASE.require(by, survey)
    application = survey.application
    with transaction.atomic():
        move_survey(
            survey=survey,
            to=SurveyStatus.RELEASED,
            by=by,
            extra={"released_by": by, "released_at": timezone.now()},
        )
        context = {
            "application": application,
            "url": reverse("applications:detail", args=[application.pk]),
        }
        for membership in application.organisation.memberships.filter(
            role=Role.ENTERPRISE_USER, is_active=True
        ).select_related("user"):
            queue_email(to=membership.user.email, template="fieldwork_result", context=context)
    return survey
