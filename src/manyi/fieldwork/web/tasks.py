"""Worker tasks of the web survey: thin, they take ids, load, and call the service."""

from django.contrib.auth import get_user_model

from manyi.fieldwork.models import Survey
from manyi.fieldwork.web import services


def _load(survey_id: int, by_id: int):
    survey = (
        Survey.objects.select_related(
            "application__organisation", "campaign", "firm", "questionnaire"
        )
        .filter(pk=survey_id)
        .first()
    )
    return survey, get_user_model().objects.filter(pk=by_id).first()


def send(survey_id: int, *, mode: str, by: int) -> int:
    """The survey-send job's handler (``common.jobs.kinds``): invitations or reminders."""
    if mode == "invite":
        return deliver_invitations(survey_id, by)
    return deliver_reminders(survey_id, by)


def send_failed(survey_id: int, message: str, **params) -> None:
    """Every attempt was interrupted: the run is no longer shown as under way, so staff can
    press again (contacts already mailed are not mailed twice)."""
    services.forget_run(survey_id)


# Also the tasks queued before jobs existed, by these paths and arguments.
def deliver_invitations(survey_id: int, by_id: int) -> int:
    survey, by = _load(survey_id, by_id)
    if survey is None or by is None:
        services.forget_run(survey_id)
        return 0
    return services.deliver_invitations(survey=survey, by=by)


def deliver_reminders(survey_id: int, by_id: int) -> int:
    survey, by = _load(survey_id, by_id)
    if survey is None or by is None:
        services.forget_run(survey_id)
        return 0
    return services.deliver_reminders(survey=survey, by=by)
