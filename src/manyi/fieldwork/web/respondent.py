"""What a respondent does through the link: open the questionnaire, save as they go, submit.

The link's state (`links.state_of`) is checked by the caller before each of these; they guard
the contact's state again in their own writes, so an autosave that arrives after the
questionnaire was submitted changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.fieldwork.models import Channel, Response, SampledContact
from manyi.fieldwork.questions import questions_of, read_answers
from manyi.fieldwork.responses import check_answers, record_response
from manyi.fieldwork.states import OPEN_CONTACT


def _open(contact):
    return SampledContact.objects.filter(pk=contact.pk, status__in=OPEN_CONTACT)


def open_questionnaire(*, contact: SampledContact) -> None:
    """The respondent opened the page: the time is kept as the start of answering.

    Side effects: `draft_started_at` set, the first time only.
    """
    if contact.draft_started_at is not None:
        return
    now = timezone.now()
    if _open(contact).filter(draft_started_at__isnull=True).update(draft_started_at=now):
        contact.draft_started_at = now


def save_draft(*, contact: SampledContact, data) -> dict:
    """Keep the answers given so far (the whole form is posted each time, so it replaces the
    draft; an answer that is not one of the choices is left out). Returns the draft.

    Side effects: `draft_answers` saved, `draft_started_at` set if it was not.
    """
    questions = questions_of(contact.survey.questionnaire)
    answers, _errors = read_answers(questions, data, partial=True, form_fields=True)
    now = timezone.now()
    _open(contact).update(draft_answers=answers, draft_started_at=Coalesce("draft_started_at", now))
    contact.draft_answers = answers
    contact.draft_started_at = contact.draft_started_at or now
    return answers


def submit_questionnaire(*, contact: SampledContact, data) -> Response:
    """Store the respondent's complete questionnaire (through `responses.record_response`).

    Side effects, in order: when answers are missing or invalid, the draft saved and a
    ValidationError (a dict by question code) raised; otherwise those of `record_response`
    (the response, the contact completed, a log entry). Raises `responses.AlreadyAnswered`
    when the contact's questionnaire is already stored.
    """
    try:
        answers = check_answers(contact.survey, data, form_fields=True)
    except ValidationError:
        save_draft(contact=contact, data=data)
        raise
    return record_response(
        contact=contact,
        answers=answers,
        channel=Channel.WEB,
        started_at=contact.draft_started_at,
        actor_label=_("网上问卷受访者"),
    )
