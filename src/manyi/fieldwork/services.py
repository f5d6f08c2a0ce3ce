"""The one door for a survey's status, and the key that hides a phone number."""

import hashlib
import hmac

from django.conf import settings
from django.db import transaction

from manyi.common.services import log_activity
from manyi.fieldwork.models import Survey, SurveyStatus
from manyi.fieldwork.states import MOVES


def phone_key(campaign_id: int, phone_normalized: str) -> str:
    """A keyed hash of a normalised phone within a campaign: equal phones give equal keys, and
    the number cannot be read back from fieldwork tables."""
    message = f"{campaign_id}:{phone_normalized}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def move_survey(
    *, survey: Survey, to: str, by, extra: dict | None = None, note: str = ""
) -> Survey:
    """Move a survey along `states.MOVES`, claimed with its old status so that two people
    pressing the same button move it once. Callers check their Action first.

    Side effects: the status (and `extra` fields) saved; one activity-log entry.
    """
    code = MOVES.get((survey.status, to))
    if code is None:
        raise ValueError(f"survey {survey.pk}: no move {survey.status} → {to}")
    fields = {"status": to, **(extra or {})}
    with transaction.atomic():
        moved = Survey.objects.filter(pk=survey.pk, status=survey.status).update(**fields)
        if not moved:
            from manyi.fieldwork.access import wrong_state

            survey.refresh_from_db()
            raise wrong_state(survey)
        before = survey.status
        for name, value in fields.items():
            setattr(survey, name, value)
        log_activity(
            actor=by,
            action=code,
            obj=survey,
            organisation=survey.application.organisation,
            before={"status": before},
            after={"status": to},
            note=note,
        )
    return survey


def start_fieldwork(*, survey: Survey, by) -> Survey:
    """Open the field once the sample is drawn: invitations may go out and calls begin."""
    from manyi.fieldwork.access import START_FIELDWORK

    START_FIELDWORK.require(by, survey)
    return move_survey(survey=survey, to=SurveyStatus.IN_FIELD, by=by)
