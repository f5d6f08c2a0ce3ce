"""Reads of the expert pool's part of the review, scoped to the user: an expert sees only their
own assignments and declarations (another's is a 404)."""

from django.db.models import QuerySet
from django.http import Http404

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.campaigns.models import PUBLIC_STATUSES, Campaign, CampaignStatus
from manyi.reviews.access import is_expert, reads_reviews
from manyi.reviews.models import Assignment, Declaration

# Campaigns whose review may still need the expert: the dashboard reminds of these.
REVIEWING = (CampaignStatus.PUBLISHED, CampaignStatus.CLOSED)
SEARCH_LIMIT = 30


def assignments_of(user) -> QuerySet[Assignment]:
    """The expert's own assignments, newest first, with what the list shows."""
    if not is_expert.test(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(expert=user)
        .select_related("application__organisation", "application__campaign", "sheet")
        .order_by("-created_at", "-pk")
    )


def assignment_for(user, pk) -> Assignment:
    """One of the expert's own assignments; anyone else's is a 404."""
    try:
        return assignments_of(user).select_related("application__agency").get(pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def assignment_for_staff(user, pk) -> Assignment:
    """Any assignment, for the programme staff who read reviews; else a 404."""
    if not reads_reviews.test(user):
        raise Http404
    try:
        return Assignment.objects.select_related(
            "application__organisation", "application__campaign", "expert"
        ).get(pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


def campaign_for_declaration(user, year) -> Campaign:
    """A public campaign by its year (a draft is a 404)."""
    if not is_expert.test(user):
        raise Http404
    try:
        return Campaign.objects.get(year=year, status__in=PUBLIC_STATUSES)
    except Campaign.DoesNotExist as exc:
        raise Http404 from exc


def declaration_of(user, campaign) -> Declaration | None:
    return (
        Declaration.objects.filter(expert=user, campaign=campaign)
        .prefetch_related("conflicts")
        .first()
    )


def campaigns_awaiting_declaration(user) -> list[Campaign]:
    """Published or closed campaigns for which the expert has not signed, newest first."""
    if not is_expert.test(user):
        return []
    return list(
        Campaign.objects.filter(status__in=REVIEWING)
        .exclude(declarations__expert=user)
        .order_by("-year")
    )


def enterprises_named(query: str) -> QuerySet[Organisation]:
    """Enterprises whose name or short name contains `query` (at most SEARCH_LIMIT)."""
    from django.db.models import Q

    query = (query or "").strip()[:100]
    if not query:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        Q(name__icontains=query) | Q(short_name__icontains=query),
        kind=OrgKind.ENTERPRISE,
        is_active=True,
    ).order_by("name")[:SEARCH_LIMIT]


def enterprises_by_id(ids) -> QuerySet[Organisation]:
    clean = [int(i) for i in ids if str(i).isdecimal() and len(str(i)) <= 9]
    return Organisation.objects.filter(kind=OrgKind.ENTERPRISE, pk__in=clean).order_by("name")


def experts_by_id(ids) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=list(ids))}


def declared_expert_ids(campaign) -> set[int]:
    if campaign is None:
        return set()
    return set(Declaration.objects.filter(campaign=campaign).values_list("expert_id", flat=True))
