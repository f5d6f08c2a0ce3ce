"""Reads for the staff's invitations panel: how far the web survey has come."""

from django.db.models import Count, Q

from manyi.fieldwork.access import SEND_INVITATIONS
from manyi.fieldwork.models import Channel, ContactStatus, SampledContact, SurveyStatus
from manyi.fieldwork.web.services import remindable, run_of

# The panel is drawn once the survey is in the field (before that no link can go out).
SHOWN = (SurveyStatus.IN_FIELD, SurveyStatus.CLOSED, SurveyStatus.RELEASED)


def invitation_figures(survey) -> dict:
    """Contacts with an e-mail, to invite, invited, reminded, opened, completed on the web,
    and due a reminder (two queries)."""
    has_email = ~Q(email="")
    figures = SampledContact.objects.filter(survey=survey, is_reserve=False).aggregate(
        with_email=Count("pk", filter=has_email),
        to_invite=Count("pk", filter=has_email & Q(status=ContactStatus.PENDING)),
        invited=Count("pk", filter=Q(invited_at__isnull=False)),
        reminded=Count("pk", filter=Q(reminders__gt=0)),
        opened=Count("pk", filter=Q(draft_started_at__isnull=False)),
        completed=Count("pk", filter=Q(response__channel=Channel.WEB)),
    )
    figures["to_remind"] = (
        remindable(survey).count() if survey.status == SurveyStatus.IN_FIELD else 0
    )
    return figures


def invitation_panel(survey, user) -> dict:
    """What `fieldwork/sections/invitations.html` draws for this person."""
    return {
        "survey": survey,
        "figures": invitation_figures(survey),
        "run": run_of(survey),
        "can_invite": SEND_INVITATIONS.allows(user, survey),
    }
