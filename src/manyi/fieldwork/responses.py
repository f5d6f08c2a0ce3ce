"""The one door through which a completed questionnaire is stored (web, telephone, API).

`record_response` checks the answers against the survey's questionnaire, stores exactly one
response per sampled contact (a database constraint: of two submissions at the same moment,
one is stored and the other is told it was already received), runs the quality checks and
closes the contact.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.fieldwork import quality
from manyi.fieldwork.models import (
    ContactStatus,
    QcStatus,
    Response,
    SampledContact,
    Survey,
    SurveyStatus,
)
from manyi.fieldwork.questions import (
    complaint_of,
    questions_of,
    read_answers,
    screening_passed,
    suggestion_of,
)


class SurveyNotInField(ValidationError):
    """The fieldwork is not (or no longer) under way."""

    def __init__(self):
        super().__init__(_("本次调查已结束或尚未开始，问卷不能再提交"), code="not_in_field")


class AlreadyAnswered(ValidationError):
    """This contact's questionnaire is already stored."""

    def __init__(self):
        super().__init__(_("该问卷已经提交过，感谢您的参与"), code="already_answered")


def check_answers(survey, data, *, form_fields: bool) -> dict:
    """The answers of a complete questionnaire, or ValidationError listing every problem."""
    questions = questions_of(survey.questionnaire)
    answers, errors = read_answers(questions, data, form_fields=form_fields)
    if errors:
        raise ValidationError(errors)
    return answers


def _hold_open_survey(survey) -> None:
    """Refuse unless the survey is in the field, and hold it there until this response commits.

    On PostgreSQL a shared row lock: responses do not wait for each other, but closing the
    fieldwork (which locks the row for update before reading the responses) waits for every
    response under way, so none is stored after the data set was built. SQLite runs one write
    transaction at a time (IMMEDIATE), which gives the same order.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT status FROM fieldwork_survey WHERE id = %s FOR SHARE", [survey.pk]
            )
            row = cursor.fetchone()
        status = row[0] if row else None
    else:
        status = Survey.objects.filter(pk=survey.pk).values_list("status", flat=True).first()
    if status != SurveyStatus.IN_FIELD:
        raise SurveyNotInField()


def record_response(
    *,
    contact: SampledContact,
    answers: dict,
    channel: str,
    started_at,
    submitted_at=None,
    by=None,
    actor_label: str = "",
    external_id: str = "",
) -> Response:
    """Store one complete questionnaire for `contact`. `answers` come from `check_answers`.

    Side effects, in order: the Response (with its quality flags); the contact marked
    completed (or not eligible, when screening failed) and its saved draft cleared; one
    activity-log entry. Raises AlreadyAnswered when the contact already has a response, and
    SurveyNotInField when the survey is not in the field.
    """
    survey = contact.survey
    questionnaire = survey.questionnaire
    questions = questions_of(questionnaire)
    submitted_at = submitted_at or timezone.now()
    started_at = min(started_at or submitted_at, submitted_at)
    seconds = int((submitted_at - started_at).total_seconds())
    passed = screening_passed(questions, answers)
    scored = quality.scores(questions, answers)
    fingerprint = quality.fingerprint(scored)
    complaint, complaint_text = complaint_of(questions, answers)
    try:
        with transaction.atomic():
            _hold_open_survey(survey)
            # The duplicate check asks the index, not every earlier answer (flat cost).
            same = bool(fingerprint) and (
                Response.objects.filter(survey=survey, fingerprint=fingerprint).order_by().exists()
            )
            flags = quality.check(
                questions=questions,
                answers=answers,
                seconds=seconds,
                min_seconds=questionnaire.min_seconds,
                screening_passed=passed,
                other_answers=[scored] if same else (),
            )
            response = Response.objects.create(
                survey=survey,
                contact=contact,
                questionnaire=questionnaire,
                channel=channel,
                answers=answers,
                screening_passed=passed,
                complaint=complaint,
                complaint_text=complaint_text,
                suggestion=suggestion_of(questions, answers),
                started_at=started_at,
                submitted_at=submitted_at,
                duration_seconds=seconds,
                interviewer=by if getattr(by, "is_authenticated", False) else None,
                external_id=external_id,
                fingerprint=fingerprint,
                qc_flags=flags,
                qc_status=QcStatus.FLAGGED if flags else QcStatus.CLEAN,
            )
            SampledContact.objects.filter(pk=contact.pk).update(
                status=ContactStatus.COMPLETED if passed else ContactStatus.INELIGIBLE,
                draft_answers={},
                callback_at=None,
            )
            log_activity(
                actor=by if by is not None else actor_label,
                action="response.record",
                obj=response,
                organisation=survey.application.organisation,
                after={"channel": channel, "flags": flags, "seconds": seconds},
            )
    except IntegrityError as exc:
        if Response.objects.filter(contact=contact).exists():
            raise AlreadyAnswered() from exc
        raise
    contact.status = ContactStatus.COMPLETED if passed else ContactStatus.INELIGIBLE
    return response
