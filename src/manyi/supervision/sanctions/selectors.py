"""Reads of violations and sanctions, already limited to what the user may see.

Programme staff read every violation and sanction; nobody else reads them here (another
role gets an empty list, an object by its id is a 404). The candidates the forms offer (agencies,
experts, titles, people) are read here too.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from manyi.accounts.models import RECOMMENDING_AGENCY, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import normalise_uscc
from manyi.applications.models import Application
from manyi.applications.states import COUNTS_AGAINST_QUOTA, Status
from manyi.supervision.access import is_committee_staff, reads_supervision
from manyi.supervision.models import Sanction, SanctionKind, Violation
from manyi.titles.models import Title, TitleStatus

# Organisations a violation may be recorded against: those that take part in the programme.
VIOLATORS = (OrgKind.ENTERPRISE, OrgKind.AGENCY)
# How many names a search for an organisation says back when it is not precise enough.
MATCHES_SHOWN = 5


# ------------------------------------------------------------------------------------------
# Violations


def violations(user) -> QuerySet[Violation]:
    """Violations, newest found first (``sanctions.filters.ViolationFilter`` narrows them by
    kind, the year found, an organisation, or its name, USCC or the title's number)."""
    if not reads_supervision.test(user):
        return Violation.objects.none()
    return (
        Violation.objects.select_related("organisation", "title")
        .annotate(evidence_count=Count("evidence", distinct=True))
        .order_by("-found_on", "-pk")
    )


def violation_for(user, pk) -> Violation:
    try:
        return (
            violations(user)
            .select_related("recorded_by", "organisation")
            .prefetch_related("evidence", "revocations")
            .get(pk=pk)
        )
    except Violation.DoesNotExist as exc:
        raise Http404 from exc


def violation_years() -> list[int]:
    return sorted({d.year for d in Violation.objects.dates("found_on", "year")}, reverse=True)


def organisation_filter(user, value) -> Organisation | None:
    """The organisation a list is filtered by (?organisation=<id>), or None."""
    if not reads_supervision.test(user) or not str(value or "").isdecimal() or len(str(value)) > 9:
        return None
    return Organisation.objects.filter(pk=int(value), kind__in=VIOLATORS).first()


def organisations_matching(text: str) -> list[Organisation]:
    """The organisations a form's text names: its exact USCC or exact name (one), else those
    whose name or short name contains it (a few, for the person to be more precise)."""
    text = (text or "").strip()
    if not text:
        return []
    qs = Organisation.objects.filter(kind__in=VIOLATORS)
    exact = qs.filter(Q(uscc=normalise_uscc(text)) | Q(name=text)).order_by("pk")[:2]
    if len(exact) == 1:
        return list(exact)
    return list(
        qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text)).order_by("name")[
            : MATCHES_SHOWN + 1
        ]
    )


def title_numbered(number: str) -> Title | None:
    number = (number or "").strip().upper()
    return (
        Title.objects.filter(number=number).select_related("organisation").first()
        if number
        else None
    )


def valid_titles_of(organisation) -> QuerySet[Title]:
    return Title.objects.filter(organisation=organisation, status=TitleStatus.VALID).order_by(
        "-year", "number"
    )


# ------------------------------------------------------------------------------------------
# Sanctions


def sanctions(user) -> QuerySet[Sanction]:
    """Sanctions, newest decision first (``sanctions.filters.SanctionFilter`` narrows them by
    kind and year, or the organisation's name, the person's name or e-mail, or the reason)."""
    if not reads_supervision.test(user):
        return Sanction.objects.none()
    return Sanction.objects.select_related("organisation", "person", "revocation__title").order_by(
        "-decided_on", "-pk"
    )


def sanction_for(user, pk) -> Sanction:
    try:
        return sanctions(user).select_related("decided_by").get(pk=pk)
    except Sanction.DoesNotExist as exc:
        raise Http404 from exc


def sanction_years() -> list[int]:
    return sorted({d.year for d in Sanction.objects.dates("decided_on", "year")}, reverse=True)


def reinstatement_of(sanction: Sanction):
    """The activity-log entry of the reinstatement that ended a disqualification, if any."""
    from manyi.common.models import ActivityLog

    if sanction.kind != SanctionKind.AGENCY_DISQUALIFIED:
        return None
    return (
        ActivityLog.objects.filter(
            action="sanction.agency_reinstate",
            object_type=Sanction._meta.label_lower,
            object_id=str(sanction.pk),
        )
        .order_by("-pk")
        .first()
    )


def disqualifiable_agencies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrgKind.AGENCY, is_active=True, disqualified_on__isnull=True
    ).order_by("name")


def experts_in_pool():
    """People with an active expert membership, not yet removed from the pool."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__role=Role.EXPERT, memberships__is_active=True)
        .exclude(expert_profile__in_pool=False)
        .distinct()
        .order_by("full_name", "email")
    )


def person_with_email(email: str):
    email = (email or "").strip().lower()
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


def active_duties(person) -> dict:
    """What a removed expert (or a disabled account) still has to do, for staff to replace:
    active review assignments of applications being evaluated, and revisits ahead."""
    from manyi.reviews.models import Assignment, AssignmentStatus
    from manyi.supervision.models import RevisitExpert, RevisitStatus

    assignments = (
        Assignment.objects.filter(
            expert=person, status=AssignmentStatus.ACTIVE, application__status=Status.ACCEPTED
        )
        .select_related("application__organisation", "application__campaign", "sheet")
        .order_by("application__campaign__year", "application__number")
    )
    revisits = (
        RevisitExpert.objects.filter(
            expert=person,
            revisit__status__in=(RevisitStatus.PLANNED, RevisitStatus.NOTIFIED),
        )
        .select_related("revisit__title__organisation")
        .order_by("revisit__visit_on")
    )
    return {"assignments": list(assignments), "revisits": list(revisits)}


# ------------------------------------------------------------------------------------------
# Reassignment of a disqualified agency's pending applications


def pending_reassignment(user) -> QuerySet[Application]:
    """Submitted applications waiting for an agency that was disqualified: committee staff
    and the administrator hand each to another agency. Oldest submission first
    (``sanctions.filters.ReassignFilter`` narrows them)."""
    if not is_committee_staff.test(user):
        return Application.objects.none()
    return (
        Application.objects.filter(status=Status.SUBMITTED, agency__disqualified_on__isnull=False)
        .select_related("organisation", "agency", "campaign")
        .order_by("submitted_at", "pk")
    )


def pending_count_of(agency) -> int:
    """How many submitted applications a disqualified agency left waiting (read by every
    programme office on the sanction's page)."""
    return Application.objects.filter(status=Status.SUBMITTED, agency=agency).count()


def application_to_reassign(user, pk) -> Application:
    """A submitted application committee staff may look at for reassignment; else a 404."""
    if not is_committee_staff.test(user):
        raise Http404
    try:
        return Application.objects.select_related("organisation", "agency", "campaign").get(
            pk=pk, submitted_at__isnull=False
        )
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def reassignment_choices(application) -> list[dict]:
    """The agencies an application may go to (see `reassignment_choices_for`)."""
    return reassignment_choices_for([application])[application.pk]


def reassignment_choices_for(applications) -> dict[int, list[dict]]:
    """For each application (by id), the agencies it may go to: those that may recommend
    (`RECOMMENDING_AGENCY`: recognised, not suspended, not disqualified), not its present
    agency, with places in its category of its campaign. Each row {"agency",
    "quota", "used", "member"}, the applicant's own agencies first, then by name. Three
    queries, however many applications and agencies."""
    from manyi.accounts.models import AgencyMembership
    from manyi.campaigns.models import AgencyQuota

    applications = list(applications)
    if not applications:
        return {}
    campaigns = {a.campaign_id for a in applications}
    categories = {a.category for a in applications}
    quotas = list(
        AgencyQuota.objects.filter(
            campaign_id__in=campaigns,
            category__in=categories,
            quota__gt=0,
            agency__in=Organisation.objects.filter(RECOMMENDING_AGENCY),
        )
        .select_related("agency")
        .order_by("agency__name")
    )
    agency_ids = {q.agency_id for q in quotas}
    used = {
        (row[0], row[1], row[2]): row[3]
        for row in Application.objects.filter(
            campaign_id__in=campaigns,
            category__in=categories,
            agency_id__in=agency_ids,
            status__in=COUNTS_AGAINST_QUOTA,
        )
        .values("campaign_id", "category", "agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("campaign_id", "category", "agency_id", "n")
    }
    members = set(
        AgencyMembership.objects.filter(
            enterprise_id__in={a.organisation_id for a in applications},
            agency_id__in=agency_ids,
        ).values_list("enterprise_id", "agency_id")
    )
    found = {}
    for application in applications:
        rows = [
            {
                "agency": q.agency,
                "quota": q.quota,
                "used": used.get((q.campaign_id, q.category, q.agency_id), 0),
                "member": (application.organisation_id, q.agency_id) in members,
            }
            for q in quotas
            if q.campaign_id == application.campaign_id
            and q.category == application.category
            and q.agency_id != application.agency_id
        ]
        found[application.pk] = sorted(rows, key=lambda r: (not r["member"], r["agency"].name))
    return found


def agency_by_id(value) -> Organisation | None:
    """The agency a form names by its id, or None; whether it may take the application, the
    service says."""
    if not str(value or "").isdecimal() or len(str(value)) > 9:
        return None
    return Organisation.objects.filter(pk=int(value), kind=OrgKind.AGENCY).first()
