"""Reads for the agency's side: its queue, what it has decided, its quota usage, its seal."""

from django.db.models import Count, QuerySet

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.applications.models import AgencySeal, Application
from manyi.applications.selectors import applications
from manyi.applications.states import AWAITING_AGENCY, COUNTS_AGAINST_QUOTA, Status

DECIDED = (Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.RETURNED)


def agency_queue(user) -> QuerySet[Application]:
    """What waits for the user's agencies, oldest first."""
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return (
        applications(user)
        .filter(agency_id__in=agencies, status__in=AWAITING_AGENCY)
        .order_by("submitted_at")
    )


def decided(user, *, limit: int = 100) -> QuerySet[Application]:
    return applications(user).filter(status__in=DECIDED).order_by("-decided_at")[:limit]


def quota_used(campaign, agency, category: str) -> int:
    """Places the agency has used in a category: the applications that count against a quota."""
    return Application.objects.filter(
        campaign=campaign, category=category, agency=agency, status__in=COUNTS_AGAINST_QUOTA
    ).count()


def quota_usage(user, campaign) -> list[dict]:
    """Each quota of the user's agencies in the campaign, with the places used (one query)."""
    from manyi.campaigns.selectors import quotas_for_agency

    used = {
        (row["agency_id"], row["category"]): row["n"]
        for row in applications(user)
        .filter(campaign=campaign, status__in=COUNTS_AGAINST_QUOTA)
        .values("agency_id", "category")
        .annotate(n=Count("pk"))
    }
    return [
        {"quota": q, "used": used.get((q.agency_id, q.category), 0)}
        for q in quotas_for_agency(user, campaign)
    ]


def seal_of(agency) -> AgencySeal | None:
    if agency is None:
        return None
    return AgencySeal.objects.filter(agency=agency).first()


def own_agency(user):
    """The agency the user works for (agency staff belong to one)."""
    agencies = organisations_for(user, Role.AGENCY_STAFF)
    return agencies[0] if agencies else None
