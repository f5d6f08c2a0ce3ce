"""Reads of titles near or past the end of their validity, for their holders."""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.campaigns.selectors import CurrentState, current_campaign_state
from manyi.titles.models import Title, TitleStatus

# Reminders go out this many days before a title's last valid day, the earlier one first.
STAGES = (90, 30)
# How long an expired title stays on its holder's dashboard, inviting re-evaluation.
EXPIRED_SHOWN_DAYS = 365


def titles_ending_for(user, *, today=None) -> QuerySet[Title]:
    """The titles of the user's enterprises that end within the first reminder's days, or
    that ended within the last year; soonest first."""
    today = today or timezone.localdate()
    own = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
    if not own:
        return Title.objects.none()
    return (
        Title.objects.filter(organisation_id__in=own)
        .filter(
            Q(status=TitleStatus.VALID, valid_until__lte=today + timedelta(days=max(STAGES)))
            | Q(
                status=TitleStatus.EXPIRED,
                status_since__gte=today - timedelta(days=EXPIRED_SHOWN_DAYS),
            )
        )
        .order_by("valid_until", "number")
    )


def reevaluation_campaign(title_year: int, *, at=None):
    """The campaign a holder may apply to again (复评): the one accepting now, else the next
    published one, if it is of a later year than the title. Returns (campaign, is_open) or
    None."""
    state = current_campaign_state(at)
    if state is None:
        return None
    if state.state == CurrentState.OPEN and state.campaign.year > title_year:
        return state.campaign, True
    upcoming = state.campaign if state.state == CurrentState.UPCOMING else state.upcoming
    if upcoming is not None and upcoming.year > title_year:
        return upcoming, False
    return None
