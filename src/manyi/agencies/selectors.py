"""Reads of agencies, their requests for recognition and their members, scoped to the user.

Programme staff read every request and every agency; an agency's staff read their own agency
only; another agency's page is simply not found. The public reads the directory of agencies
that may recommend.
"""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from manyi.accounts.access import has_role
from manyi.accounts.models import RECOMMENDING_AGENCY, AgencyMembership, Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind
from manyi.accounts.selectors import UNANSWERED_INVITATION
from manyi.accounts.uscc import normalise_uscc
from manyi.agencies.access import agency_ids, enterprise_ids
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.agencies.standing import with_standing
from manyi.applications.states import AWAITING_AGENCY, Status

# What an agency's recognition history is made of (its own entries and supervision's).
HISTORY_ACTIONS = (
    "agency_request.recognise",
    "agency.suspend",
    "agency.reinstate",
    "agency.update",
    "sanction.agency_disqualify",
    "sanction.agency_reinstate",
)
# The states of an application that still relies on its agency: waiting for the recommendation
# (submitted, or returned to the applicant for changes), or recommended and not finally decided
# (formal review, evaluation, 公示). Drafts do not: submission checks the membership anyway.
DEPENDENT_STATES = (
    Status.SUBMITTED,
    Status.RETURNED,
    Status.RECOMMENDED,
    Status.DEFICIENT,
    Status.COMPLETED,
    Status.ACCEPTED,
    Status.IN_NOTICE,
)
# The shortest search that lists registered enterprises to invite: the list is no directory.
MIN_SEARCH = 2


def _text(value) -> str:
    return (value or "").strip()[:100]


# ------------------------------------------------------------------------------------------
# Requests for recognition


def requests_for(user) -> QuerySet[AgencyRequest]:
    """The queue for programme staff (nobody else), newest first (filtered by
    `agencies.filters.RequestFilter`)."""
    if not has_role(user, *PROGRAMME_STAFF):
        return AgencyRequest.objects.none()
    return AgencyRequest.objects.select_related("organisation", "decided_by").order_by(
        "-submitted_at", "-pk"
    )


def request_for(user, pk: int) -> AgencyRequest:
    return get_object_or_404(requests_for(user), pk=pk)


def waiting_requests() -> QuerySet[AgencyRequest]:
    return AgencyRequest.objects.filter(status=RequestStatus.SUBMITTED).order_by("submitted_at")


def existing_agency_named(name: str) -> Organisation | None:
    """The agency already registered under this name, if any (a request may not duplicate it)."""
    name = (name or "").strip()
    if not name:
        return None
    return Organisation.objects.filter(kind=OrgKind.AGENCY, name=name).first()


def find_request(token: str) -> AgencyRequest | None:
    """The request a follow link belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        AgencyRequest.objects.filter(follow_token_hash=AgencyRequest.hash_token(token))
        .select_related("organisation")
        .first()
    )


# ------------------------------------------------------------------------------------------
# Agencies


def agencies_for(user) -> QuerySet[Organisation]:
    """Programme staff see every agency; an agency's staff their own; anyone else none."""
    qs = with_standing(Organisation.objects.filter(kind=OrgKind.AGENCY))
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    return qs.filter(pk__in=agency_ids(user))


def own_agencies(user) -> QuerySet[Organisation]:
    """The agencies the user works for (as agency staff), with their standing, by name."""
    return with_standing(
        Organisation.objects.filter(kind=OrgKind.AGENCY, pk__in=agency_ids(user))
    ).order_by("name")


def agency_for(user, pk: int) -> Organisation:
    return get_object_or_404(agencies_for(user), pk=pk)


def agency_list(user) -> QuerySet:
    """The agencies with their standing, confirmed members and waiting requests to join,
    counted in the same query (filtered by `agencies.filters.AgencyFilter`)."""
    return (
        agencies_for(user)
        .annotate(
            member_count=Count(
                "member_enterprises", filter=Q(member_enterprises__confirmed_at__isnull=False)
            ),
            pending_count=Count(
                "member_enterprises",
                filter=Q(
                    member_enterprises__confirmed_at__isnull=True,
                    member_enterprises__invited_at__isnull=True,
                ),
            ),
        )
        .order_by("agency_scope", "name", "pk")
    )


def directory() -> QuerySet[Organisation]:
    """The public directory: the agencies that may recommend, by kind and name (filtered by
    `agencies.filters.DirectoryFilter`), and only the columns the page shows."""
    return (
        Organisation.objects.filter(RECOMMENDING_AGENCY)
        .only(
            "name",
            "agency_scope",
            "agency_scope_detail",
            "district",
            "responsible_department",
            "address",
            "phone",
        )
        .order_by("agency_scope", "name", "pk")
    )


def recognition_history(agency: Organisation):
    """The log entries of the agency's recognition, suspensions, reinstatements and
    disqualifications, newest first."""
    from manyi.common.models import ActivityLog

    return ActivityLog.objects.filter(organisation=agency, action__in=HISTORY_ACTIONS).order_by(
        "-at", "-pk"
    )


def request_of(agency: Organisation) -> AgencyRequest | None:
    """The request that made the agency recognised, if it came through the public form."""
    return agency.agency_requests.order_by("-decided_at").first()


def waiting_for_recommendation(agency: Organisation) -> int:
    """How many submitted applications wait for this agency's recommendation."""
    from manyi.applications.models import Application

    return Application.objects.filter(agency=agency, status__in=AWAITING_AGENCY).count()


# ------------------------------------------------------------------------------------------
# Members and invitations


def members_of(agency: Organisation) -> QuerySet[AgencyMembership]:
    """The confirmed members, by name."""
    return (
        agency.member_enterprises.filter(confirmed_at__isnull=False)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


def invitations_of(agency: Organisation) -> QuerySet[AgencyMembership]:
    """The agency's invitations the enterprises have not answered, newest first."""
    return (
        agency.member_enterprises.filter(UNANSWERED_INVITATION)
        .select_related("enterprise", "invited_by")
        .order_by("-invited_at")
    )


def invitations_sent(user) -> QuerySet[AgencyMembership]:
    """The unanswered invitations of every agency the user works for."""
    return (
        AgencyMembership.objects.filter(UNANSWERED_INVITATION, agency_id__in=agency_ids(user))
        .select_related("enterprise", "agency")
        .order_by("-invited_at")
    )


def invitations_received(organisation: Organisation) -> QuerySet[AgencyMembership]:
    """The invitations an enterprise has not answered yet."""
    return (
        organisation.agency_memberships.filter(UNANSWERED_INVITATION)
        .select_related("agency", "invited_by")
        .order_by("-invited_at")
    )


def invitable_enterprises(agency: Organisation, q: str) -> QuerySet[Organisation]:
    """Registered enterprises matching a name or a 统一社会信用代码 (its start), which are not
    linked to the agency yet. Nothing for a search shorter than two characters."""
    q = _text(q)
    if len(q) < MIN_SEARCH:
        return Organisation.objects.none()
    code = normalise_uscc(q)
    return (
        Organisation.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True)
        .filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(uscc__startswith=code))
        .exclude(agency_memberships__agency=agency)
        .only("name", "uscc", "district", "industry")
        .order_by("name", "pk")
    )


def enterprise_named_by(value: str) -> Organisation | None:
    """The active enterprise a form names by its id, or None."""
    value = (value or "").strip()
    # ASCII digits, short enough for the database's integer ("²" passes str.isdigit()).
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        return None
    return Organisation.objects.filter(
        kind=OrgKind.ENTERPRISE, is_active=True, pk=int(value)
    ).first()


def membership_for_enterprise(user, pk: int) -> AgencyMembership:
    """A membership (or invitation) of one of the user's enterprises; else a 404."""
    return get_object_or_404(
        AgencyMembership.objects.select_related("agency", "enterprise"),
        pk=pk,
        enterprise_id__in=enterprise_ids(user),
    )


def membership_for_agency(user, pk: int) -> AgencyMembership:
    """A membership (or invitation) of one of the user's agencies; else a 404."""
    return get_object_or_404(
        AgencyMembership.objects.select_related("agency", "enterprise"),
        pk=pk,
        agency_id__in=agency_ids(user),
    )


def _dependent(agency_id) -> QuerySet:
    """Applications that rely on the agency (see `dependent_applications`)."""
    from manyi.applications.models import Application
    from manyi.campaigns.models import CampaignStatus

    return Application.objects.filter(
        agency_id=agency_id,
        status__in=DEPENDENT_STATES,
        campaign__status__in=(CampaignStatus.PUBLISHED, CampaignStatus.CLOSED),
    )


def dependent_applications(membership: AgencyMembership) -> QuerySet:
    """The enterprise's applications that the agency recommended or is to recommend and that
    are still in progress in a campaign not yet archived: submitted or returned to the
    applicant (waiting for the agency), or recommended and not yet finally decided (up to and
    including 公示). While one exists the membership may not end."""
    return _dependent(membership.agency_id).filter(organisation_id=membership.enterprise_id)


def dependent_enterprise_ids(agency: Organisation, enterprise_ids_: list[int]) -> set[int]:
    """Of these enterprises, those with an application that depends on the agency (one query,
    for a page of members)."""
    return set(
        _dependent(agency.pk)
        .filter(organisation_id__in=enterprise_ids_)
        .values_list("organisation_id", flat=True)
    )


def emails_in(organisation: Organisation, role: str) -> list[str]:
    """The addresses of the organisation's active people in a role (to tell them of an act)."""
    return sorted(
        set(
            organisation.memberships.filter(
                role=role, is_active=True, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )
