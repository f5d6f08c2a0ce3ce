"""Reads for the agency's side: its queue, what it has decided, its quota usage, its seal."""

from django.db.models import Count, QuerySet

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.applications.models import AgencySeal, Application
from manyi.applications.selectors import applications, for_list
from manyi.applications.states import AWAITING_AGENCY, COUNTS_AGAINST_QUOTA, Status

DECIDED = (Status.RECOMMENDED, Status.NOT_RECOMMENDED, Status.RETURNED)


def agency_queue(user) -> QuerySet[Application]:
    """What waits for the user's agencies, oldest first."""
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return (
        for_list(applications(user))
        .filter(agency_id__in=agencies, status__in=AWAITING_AGENCY)
        .order_by("submitted_at", "pk")
    )


def decided(user, *, limit: int = 10) -> QuerySet[Application]:
    """The latest opinions the user's agencies gave (the application list has them all)."""
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    return (
        applications(user)
        .filter(agency_id__in=agencies, status__in=DECIDED)
        .order_by("-decided_at", "-pk")[:limit]
    )


def quota_used(campaign, agency, category: str) -> int:
    """Places the agency has used in a category: the applications that count against a quota."""
    return Application.objects.filter(
        campaign=campaign, category=category, agency=agency, status__in=COUNTS_AGAINST_QUOTA
    ).count()


class QuotaState:
    NONE = "none"  # the agency has no places in the category
    FULL = "full"  # every place is used
    OPEN = "open"


def quota_state(quota: int, used: int) -> str:
    """Used up only when there were places and all are used; no places is said as such."""
    if quota <= 0:
        return QuotaState.NONE
    return QuotaState.FULL if used >= quota else QuotaState.OPEN


def quota_usage(user, campaign) -> list[dict]:
    """Every open category of the campaign for each of the user's agencies, with its places (0
    when it has none) and the places used (three queries, however many rows)."""
    from manyi.campaigns.selectors import campaign_categories, quotas_for_agency

    agencies = organisations_for(user, Role.AGENCY_STAFF)
    categories = list(campaign_categories(campaign, open_only=True))
    quotas = {(q.agency_id, q.category): q.quota for q in quotas_for_agency(user, campaign)}
    used = {
        (row["agency_id"], row["category"]): row["n"]
        for row in applications(user)
        .filter(campaign=campaign, status__in=COUNTS_AGAINST_QUOTA)
        .values("agency_id", "category")
        .annotate(n=Count("pk"))
    }
    rows = []
    for agency in agencies:
        for setting in categories:
            key = (agency.pk, setting.category)
            quota, n = quotas.get(key, 0), used.get(key, 0)
            rows.append(
                {
                    "agency": agency,
                    "category": setting.category,
                    "label": setting.get_category_display(),
                    "quota": quota,
                    "used": n,
                    "state": quota_state(quota, n),
                }
            )
    return rows


def seal_of(agency) -> AgencySeal | None:
    if agency is None:
        return None
    return AgencySeal.objects.filter(agency=agency).first()


def own_agency(user):
    """The agency the user works for (agency staff belong to one)."""
    agencies = organisations_for(user, Role.AGENCY_STAFF)
    return agencies[0] if agencies else None


def agency_choices(organisation, campaign, categories) -> list[dict]:
    """For the applicant's start buttons: per category, its agencies with their places there.

    One dict per category setting, in order: {"setting", "agencies": [{"agency", "quota",
    "confirmed"}], "with_places": [those with places], "elsewhere": [names of other agencies
    with places]}. Two queries in all.
    """
    from manyi.accounts.models import RECOMMENDING_AGENCY, Organisation
    from manyi.accounts.selectors import agency_memberships_of
    from manyi.campaigns.models import AgencyQuota

    # Only an agency that may recommend (recognised, not suspended, not disqualified: Art. 8,
    # 27) is offered.
    memberships = [m for m in agency_memberships_of(organisation) if m.agency.may_recommend]
    mine = {m.agency_id for m in memberships}
    quotas: dict[tuple[int, str], int] = {}
    elsewhere: dict[str, list[str]] = {}
    for q in (
        AgencyQuota.objects.filter(
            campaign=campaign,
            quota__gt=0,
            agency__in=Organisation.objects.filter(RECOMMENDING_AGENCY),
        )
        .select_related("agency")
        .order_by("agency__name")
    ):
        quotas[(q.agency_id, q.category)] = q.quota
        if q.agency_id not in mine:
            elsewhere.setdefault(q.category, []).append(q.agency.name)
    choices = []
    for setting in categories:
        rows = [
            {
                "agency": m.agency,
                "quota": quotas.get((m.agency_id, setting.category), 0),
                "confirmed": m.is_confirmed,
            }
            for m in memberships
        ]
        choices.append(
            {
                "setting": setting,
                "organisation": organisation,
                "agencies": rows,
                "with_places": [r for r in rows if r["quota"] > 0],
                "elsewhere": elsewhere.get(setting.category, []),
            }
        )
    return choices
