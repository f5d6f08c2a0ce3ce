"""Reads of diagnoses, scoped to the user.

Programme staff read every diagnosis; an enterprise's users its own; an agency's staff those
asked of their agency; an expert those whose group they are in. Anyone else's is a 404.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.models import Membership, Organisation, User
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind, Role
from manyi.accounts.selectors import confirmed_agencies
from manyi.common.models import ActivityLog
from manyi.diagnostics.access import MIN_GROUP, agency_ids, enterprise_ids
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus, DiagnosticExpert


def diagnoses_for(user) -> QuerySet[Diagnosis]:
    """Every diagnosis the user may read (see the module's docstring)."""
    qs = Diagnosis.objects.select_related("enterprise", "agency")
    if has_role(user, *PROGRAMME_STAFF):
        return qs
    scope = Q(enterprise_id__in=enterprise_ids(user)) | Q(agency_id__in=agency_ids(user))
    if has_role(user, Role.EXPERT):
        scope |= Q(pk__in=DiagnosticExpert.objects.filter(expert=user).values("diagnosis_id"))
    return qs.filter(scope)


def diagnosis_for(user, pk: int) -> Diagnosis:
    return get_object_or_404(diagnoses_for(user).select_related("requested_by"), pk=pk)


def diagnosis_list(user) -> QuerySet[Diagnosis]:
    """The user's diagnoses, newest first, each with its group's size and leader (filtered by
    `diagnostics.filters.DiagnosisFilter`)."""
    return diagnoses_for(user).prefetch_related("group__expert").order_by("-requested_at", "-pk")


def agencies_in_list(user) -> QuerySet[Organisation]:
    """The agencies the user's diagnoses were asked of (the list's agency filter)."""
    ids = diagnoses_for(user).order_by().values("agency_id")
    return Organisation.objects.filter(pk__in=ids).order_by("name")


def agencies_to_ask(organisation) -> list[Organisation]:
    """The agencies the enterprise may ask for a diagnosis: those that confirmed it as a member
    and are in good standing (recognised, not suspended, not disqualified)."""
    return [a for a in confirmed_agencies(organisation) if a.may_recommend]


def enterprises_of(user) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=enterprise_ids(user), kind=OrgKind.ENTERPRISE).order_by(
            "name"
        )
    )


# ------------------------------------------------------------------------------------------
# The diagnostic group's candidates


@dataclass
class Candidate:
    expert: User
    # "agency": the agency's own pool; "committee": the user committee's, opened when the
    # agency has fewer than MIN_GROUP experts free of conflict.
    pool: str
    conflict: str = ""

    @property
    def profile(self):
        return getattr(self.expert, "expert_profile", None)


def committee() -> Organisation | None:
    return Organisation.objects.filter(kind=OrgKind.COMMITTEE, is_active=True).first()


def _pool(organisation_ids) -> QuerySet[User]:
    """Active experts of these organisations who have not been removed from the pool."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.EXPERT,
            memberships__is_active=True,
            memberships__organisation_id__in=organisation_ids,
        )
        .exclude(expert_profile__in_pool=False)
        .select_related("expert_profile")
        .distinct()
        .order_by("full_name", "email")
    )


def conflict_of(expert: User, enterprise: Organisation) -> str:
    """Why the expert may not diagnose the enterprise ("" when there is no conflict): the
    expert works for it."""
    profile = getattr(expert, "expert_profile", None)
    employer = (profile.employer if profile else "").strip()
    names = {enterprise.name.strip(), (enterprise.short_name or "").strip()} - {""}
    if employer and employer in names:
        return _("工作单位为被诊断企业，应当回避")
    return ""


def candidates(diagnosis: Diagnosis) -> tuple[list[Candidate], bool]:
    """The experts the agency may put in the group, its own first, and whether the committee's
    pool was opened because the agency has fewer than MIN_GROUP experts free of conflict.
    Experts with a conflict are listed with the reason (and refused by the service)."""
    enterprise = diagnosis.enterprise
    own = [Candidate(e, "agency", conflict_of(e, enterprise)) for e in _pool([diagnosis.agency_id])]
    free = sum(1 for c in own if not c.conflict)
    if free >= MIN_GROUP:
        return own, False
    pool = committee()
    seen = {c.expert.pk for c in own}
    extra = [
        Candidate(e, "committee", conflict_of(e, enterprise))
        for e in (_pool([pool.pk]) if pool else [])
        if e.pk not in seen
    ]
    return own + extra, True


def group_choices(diagnosis: Diagnosis) -> tuple[list[Candidate], bool]:
    """The group page's rows: current members no longer among the candidates first (say, their
    pool changed: keeping them stays a choice the agency sees), then the candidates."""
    found, opened = candidates(diagnosis)
    listed = {c.expert.pk for c in found}
    kept = [
        Candidate(m.expert, "group", conflict_of(m.expert, diagnosis.enterprise))
        for m in diagnosis.group.select_related("expert", "expert__expert_profile")
        if m.expert_id not in listed
    ]
    return kept + found, opened


# ------------------------------------------------------------------------------------------
# Who is told


def _emails(memberships) -> list[str]:
    return sorted(
        set(
            memberships.filter(
                is_active=True, user__is_active=True, organisation__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def agency_staff_emails(agency) -> list[str]:
    return _emails(Membership.objects.filter(organisation=agency, role=Role.AGENCY_STAFF))


def enterprise_emails(enterprise) -> list[str]:
    return _emails(Membership.objects.filter(organisation=enterprise, role=Role.ENTERPRISE_USER))


def group_emails(diagnosis) -> list[str]:
    return sorted(
        {m.expert.email for m in diagnosis.group.select_related("expert") if m.expert.is_active}
    )


# ------------------------------------------------------------------------------------------
# Counts for the dashboard


def waiting_for_agency(user) -> QuerySet[Diagnosis]:
    """Requests to the user's agencies not yet accepted or declined."""
    return Diagnosis.objects.filter(
        agency_id__in=agency_ids(user), status=DiagnosisStatus.REQUESTED
    ).select_related("enterprise")


def reports_to_write(user) -> QuerySet[Diagnosis]:
    """Scheduled diagnoses whose group the user leads (the report is not submitted yet)."""
    led = DiagnosticExpert.objects.filter(expert=user, is_leader=True).values("diagnosis_id")
    return Diagnosis.objects.filter(pk__in=led, status=DiagnosisStatus.SCHEDULED).select_related(
        "enterprise"
    )


def reports_to_answer(user) -> QuerySet[Diagnosis]:
    """Submitted reports the user's enterprise has not answered yet."""
    return Diagnosis.objects.filter(
        enterprise_id__in=enterprise_ids(user), status=DiagnosisStatus.REPORTED
    ).select_related("agency")


def history(diagnosis) -> list:
    """What happened to the diagnosis, oldest first, from the activity log (downloads left
    out): each entry's time, act and person."""
    return list(
        ActivityLog.objects.filter(
            object_type=Diagnosis._meta.label_lower,
            object_id=str(diagnosis.pk),
            action__startswith="diagnosis.",
        )
        .exclude(action="diagnosis.report_pdf")
        .select_related("actor")
        .order_by("at", "pk")
    )
