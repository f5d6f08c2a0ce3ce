"""Reads for complaints, already limited to what the user may see.

Programme staff read every complaint (the work department without the complainant's name,
contact or files: the templates ask `SEE_COMPLAINANT`); an expert reads only the complaints
given to them to investigate; another's is a 404. Also: matching what a complainant typed to a
title or a title holder, and who may investigate without a conflict.
"""

import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404

from manyi.accounts.access import has_role
from manyi.accounts.models import Membership, Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.reviews.experts.eligibility import employer_matches, names_applicant, normalise_name
from manyi.supervision.complaints.access import OPEN, READ
from manyi.supervision.models import Complaint, Revocation
from manyi.titles.models import Title

# A title number inside whatever was typed: "GZYH-2026-CP-0007", "gzyh－2026－cp－7 珠江家电".
NUMBER_IN_TEXT = re.compile(
    r"([A-Za-z]{2,8})\s*[-－—]\s*(\d{4})\s*[-－—]\s*([A-Za-z]{2})\s*[-－—]\s*(\d{1,6})"
)
SUGGESTIONS = 8


# ------------------------------------------------------------------------------------------
# What the complaint is about


def title_by_number(text: str) -> Title | None:
    """The title whose number appears in `text` (spaces, full-width dashes and a short
    sequence forgiven), or None."""
    found = NUMBER_IN_TEXT.search(text or "")
    if found is None:
        return None
    prefix, year, code, sequence = found.groups()
    number = f"{prefix.upper()}-{year}-{code.upper()}-{int(sequence):04d}"
    return Title.objects.select_related("organisation").filter(number=number).first()


def holders():
    """Organisations that hold or held a title: the only ones a complaint can be about."""
    return Organisation.objects.filter(pk__in=Title.objects.values("organisation_id"))


def holder_by_name(text: str) -> Organisation | None:
    """The title holder named `text`: by its exact name, else by the same core name
    ("广州珠江家电有限公司" = "广州 珠江家电（有限公司）"); None when none or several match."""
    text = (text or "").strip()
    if not text:
        return None
    exact = list(holders().filter(name=text)[:2])
    if len(exact) == 1:
        return exact[0]
    core = normalise_name(text)
    if len(core) < 2:
        return None
    same = [o for o in holders().filter(name__icontains=core) if normalise_name(o.name) == core]
    return same[0] if len(same) == 1 else None


def match_about(text: str) -> tuple[Title | None, Organisation | None]:
    """(title, organisation) for what a complainant typed: a title number gives both, a title
    holder's name gives the organisation; otherwise (None, None), for staff to match."""
    title = title_by_number(text)
    if title is not None:
        return title, title.organisation
    return None, holder_by_name(text)


def suggestions(complaint: Complaint) -> list[Title]:
    """Titles staff may mean when matching an unmatched complaint: those whose number,
    holder or subject shares a word with what was typed (a few, newest first)."""
    words = [w for w in re.split(r"[\s,，、;；/]+", complaint.about or "") if len(w) >= 2][:5]
    if not words:
        return []
    query = Q()
    for word in words:
        core = normalise_name(word) or word
        query |= (
            Q(number__icontains=word)
            | Q(organisation__name__icontains=core)
            | Q(subject__icontains=word)
        )
    return list(Title.objects.select_related("organisation").filter(query)[:SUGGESTIONS])


def title_of_number(number: str) -> Title | None:
    """The title of an exact number typed by staff (case and spaces forgiven)."""
    number = re.sub(r"\s+", "", number or "").upper()
    if not number:
        return None
    return Title.objects.select_related("organisation").filter(number=number).first()


# ------------------------------------------------------------------------------------------
# Staff reads


def _reads_all(user) -> bool:
    return has_role(user, *PROGRAMME_STAFF)


def complaints_for(user):
    """Programme staff: every complaint; an expert: those given to them to investigate.
    Open ones first, major ones first among them, newest first (``ComplaintFilter`` narrows
    them)."""
    qs = Complaint.objects.select_related("title", "organisation", "investigator")
    if not _reads_all(user):
        if not has_role(user, Role.EXPERT):
            return qs.none()
        qs = qs.filter(investigator=user)
    return qs.annotate(
        open_first=Case(
            When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("open_first", "-major", "-received_at", "-pk")


def complaint_for(user, pk) -> Complaint:
    try:
        complaint = Complaint.objects.select_related(
            "title__organisation",
            "organisation",
            "investigator",
            "triaged_by",
            "answered_by",
        ).get(pk=pk)
    except Complaint.DoesNotExist as exc:
        raise Http404 from exc
    if not READ.allows(user, complaint):
        raise Http404
    return complaint


def evidence_of(complaint: Complaint):
    return complaint.evidence.all()


def history(complaint: Complaint):
    """The activity log of the complaint, oldest first (staff read it on the complaint's page)."""
    from manyi.common.models import ActivityLog

    return ActivityLog.objects.filter(
        object_type=Complaint._meta.label_lower, object_id=str(complaint.pk)
    ).order_by("at", "pk")


def cases_of(complaint: Complaint) -> list[Revocation]:
    """Revocation cases opened from this complaint."""
    return list(complaint.revocations.select_related("title").order_by("opened_at", "pk"))


def case_in_progress(complaint: Complaint) -> Revocation | None:
    """The matched title's revocation case in progress that did not come from this complaint
    (a major complaint about such a title is noted there rather than opening a second one)."""
    from manyi.supervision.revocations.opening import open_case_of

    if complaint.title_id is None:
        return None
    case = open_case_of(complaint.title)
    if case is None or case.complaint_id == complaint.pk:
        return None
    return case


def open_complaints():
    """Complaints waiting for someone, major ones first (the dashboard)."""
    return (
        Complaint.objects.filter(status__in=OPEN)
        .select_related("title", "organisation")
        .order_by("-major", "received_at", "pk")
    )


# ------------------------------------------------------------------------------------------
# Investigators


def _sides(complaint: Complaint) -> tuple[list[int], list[str]]:
    """The organisations an investigator must have nothing to do with: the holder and the
    agencies that recommended its titles; and their names."""
    holder = complaint.organisation or (complaint.title.organisation if complaint.title else None)
    if holder is None:
        return [], []
    titles = Title.objects.filter(organisation=holder).select_related("application__agency")
    agencies = {t.application.agency for t in titles if t.application.agency_id}
    orgs = [holder, *sorted(agencies, key=lambda o: o.pk)]
    return [o.pk for o in orgs], [o.name for o in orgs]


def investigator_candidates(complaint: Complaint) -> list:
    """Who may investigate: committee staff, and experts in the pool, who are not members of
    the holder or of an agency that recommended it, have declared no conflict with it (any
    year, or its name among their former employers, clients and competitors), are not employed
    by it, and did not review the application that won the title. A complaint not matched to a
    holder can only be given to committee staff (no conflict can be checked)."""
    from django.contrib.auth import get_user_model

    from manyi.reviews.models import Assignment, Declaration

    User = get_user_model()
    staff = Q(memberships__is_active=True, memberships__role=Role.COMMITTEE_STAFF)
    org_ids, names = _sides(complaint)
    if not org_ids:
        return list(
            User.objects.filter(staff, is_active=True).distinct().order_by("full_name", "email")
        )
    experts = Q(
        memberships__is_active=True,
        memberships__role=Role.EXPERT,
        expert_profile__in_pool=True,
    )
    people = (
        User.objects.filter(staff | experts, is_active=True)
        .exclude(
            pk__in=Membership.objects.filter(organisation_id__in=org_ids, is_active=True).values(
                "user_id"
            )
        )
        .exclude(pk__in=Declaration.objects.filter(conflicts__in=org_ids).values("expert_id"))
        .distinct()
        .select_related("expert_profile")
        .order_by("full_name", "email")
    )
    reviewers = set()
    if complaint.title_id:
        reviewers = set(
            Assignment.objects.filter(application_id=complaint.title.application_id).values_list(
                "expert_id", flat=True
            )
        )
    declared: dict[int, str] = {}
    for expert_id, competitors in Declaration.objects.filter(
        expert_id__in=[p.pk for p in people]
    ).values_list("expert_id", "competitors"):
        declared[expert_id] = declared.get(expert_id, "") + "\n" + (competitors or "")
    found = []
    for person in people:
        profile = getattr(person, "expert_profile", None)
        employer = profile.employer if profile is not None else ""
        if person.pk in reviewers:
            continue
        if any(employer_matches(employer, name) for name in names):
            continue
        if any(names_applicant(declared.get(person.pk, ""), name) for name in names):
            continue
        found.append(person)
    return found


def candidate(complaint: Complaint, pk: str):
    """The chosen investigator if they are a candidate, else None (the service refuses)."""
    if not str(pk).isdecimal():
        return None
    return next((u for u in investigator_candidates(complaint) if u.pk == int(pk)), None)
