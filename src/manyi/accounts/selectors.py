"""Reads, already scoped to the user. Another organisation's object is simply not found."""

from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.models import (
    RECOMMENDING_AGENCY,
    AgencyMembership,
    ExpertProfile,
    Invitation,
    Membership,
    Organisation,
    User,
)
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind, Role
from manyi.common.listing import count_per_row

# An agency's invitation the enterprise has not answered yet (`agencies.membership`): until the
# enterprise accepts, the agency neither counts it as a member nor sees the enterprise's page,
# and the enterprise cannot name the agency on an application.
UNANSWERED_INVITATION = Q(invited_at__isnull=False, confirmed_at__isnull=True)


def visible_organisations(user) -> QuerySet[Organisation]:
    """Programme staff see all; agency staff their agency and its members; others their own."""
    qs = Organisation.objects.all()
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    own = [o.pk for o in organisations_for(user, *Role.values)]
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    members = (
        AgencyMembership.objects.filter(agency_id__in=agencies)
        .exclude(UNANSWERED_INVITATION)
        .values("enterprise_id")
    )
    return qs.filter(Q(pk__in=own) | Q(pk__in=members))


def organisation_for(user, pk: int) -> Organisation:
    return get_object_or_404(visible_organisations(user), pk=pk)


def organisation_list(user) -> QuerySet[Organisation]:
    """The organisations list (`filters.OrganisationFilter` narrows it), with each one's number
    of people (``count_per_row``: counted for the page's rows only) and its agencies read for
    the whole page at once."""
    return (
        visible_organisations(user)
        .annotate(member_count=count_per_row(Membership.objects.all(), "organisation"))
        .prefetch_related(
            Prefetch(
                "agency_memberships",
                queryset=AgencyMembership.objects.select_related("agency").order_by("agency__name"),
            )
        )
        .order_by("kind", "name", "pk")
    )


# An agency's member list: the enterprises waiting for an answer first, then by name.
WAITING_FIRST = (F("confirmed_at").asc(nulls_first=True), "enterprise__name", "agency__name", "pk")


def agency_members(user, *, pending_only: bool = False) -> QuerySet[AgencyMembership]:
    """The memberships of the user's agencies (confirmed, and the enterprises' requests waiting
    for confirmation), by enterprise name. The agency's own invitations that the enterprise has
    not answered are not among them (`agencies.selectors.open_invitations`)."""
    agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
    qs = (
        AgencyMembership.objects.filter(agency_id__in=agencies, enterprise__kind=OrgKind.ENTERPRISE)
        .exclude(UNANSWERED_INVITATION)
        .select_related("enterprise", "agency")
    )
    if pending_only:
        qs = qs.filter(confirmed_at__isnull=True)
    return qs.order_by("enterprise__name", "agency__name")


def agency_memberships_of(organisation) -> QuerySet[AgencyMembership]:
    """An enterprise's agencies, confirmed or waiting for the agency's confirmation (not the
    invitations it has not answered: it has not agreed to those)."""
    return (
        organisation.agency_memberships.exclude(UNANSWERED_INVITATION)
        .select_related("agency")
        .order_by(F("confirmed_at").asc(nulls_last=True), "agency__name")
    )


def agency_named_by(value: str) -> Organisation | None:
    """The agency a form field names by its id if it may recommend, or None for anything else
    (an agency never recognised, suspended (Art. 8) or disqualified (Art. 27) recommends
    nothing)."""
    if not value.isdecimal() or len(value) > 9:
        return None
    return Organisation.objects.filter(RECOMMENDING_AGENCY, pk=int(value)).first()


def agencies_of(organisation) -> list[Organisation]:
    """The agencies the enterprise belongs to or asked to join that may recommend it, confirmed
    ones first: an agency that may not recommend (never recognised, suspended, disqualified) is
    left out, so no application starts with it."""
    return [m.agency for m in agency_memberships_of(organisation) if m.agency.may_recommend]


def confirmed_agencies(organisation) -> list[Organisation]:
    """The agencies that have confirmed the enterprise as a member: the ones that may recommend."""
    return [
        m.agency
        for m in organisation.agency_memberships.filter(confirmed_at__isnull=False)
        .select_related("agency")
        .order_by("agency__name")
    ]


def colleagues(organisation: Organisation) -> QuerySet[Membership]:
    return (
        organisation.memberships.filter(is_active=True)
        .select_related("user")
        .order_by("user__email")
    )


def open_invitations(user) -> QuerySet[Invitation]:
    """Invitations this user may see: programme staff see all, managers those of their organisations."""
    qs = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("organisation")
    if has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return qs
    managed = [m.organisation_id for m in user.memberships.filter(is_manager=True, is_active=True)]
    return qs.filter(organisation_id__in=managed)


def experts(user) -> QuerySet[User]:
    """The expert pool as the user may see it: programme staff all, agency staff their pool."""
    # A subquery rather than a join: an expert in two pools stays one row, without DISTINCT.
    pools = Membership.objects.filter(role=Role.EXPERT, is_active=True)
    if not has_role(user, *PROGRAMME_STAFF):
        agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
        pools = pools.filter(organisation_id__in=agencies)
    return (
        User.objects.filter(pk__in=pools.values("user_id"))
        .select_related("expert_profile")
        .order_by("full_name", "email", "pk")
    )


def expert_profile_of(user) -> ExpertProfile:
    """The user's expert profile, unsaved and empty if the expert has not filled it yet."""
    return ExpertProfile.objects.filter(user=user).first() or ExpertProfile(user=user)


def joinable_agencies(organisation) -> QuerySet[Organisation]:
    """The agencies that may recommend (`RECOMMENDING_AGENCY`) which the enterprise has not
    joined, asked to join or been invited by yet."""
    return (
        Organisation.objects.filter(RECOMMENDING_AGENCY)
        .exclude(member_enterprises__enterprise=organisation)
        .order_by("agency_scope", "name")
    )


def emails_of_role(role: str) -> list[str]:
    """The addresses of everyone active in `role` (e.g. committee staff to be told of an act)."""
    return sorted(
        set(
            Membership.objects.filter(
                role=role, is_active=True, user__is_active=True, organisation__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
