"""Reads for notices and objections.

Public: the notices (公示 and 公告) and their entries, which name only what is published
(organisation, subject, recommending agency, title numbers). Staff: objections, scoped — an
expert sees only the objections given to them to investigate; another's is a 404.
"""

from django.db.models import Q
from django.http import Http404

from manyi.accounts.access import has_role
from manyi.accounts.models import Membership
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.reviews.models import Assignment, Declaration
from manyi.titles.access import is_investigator
from manyi.titles.models import (
    Decision,
    NoticeKind,
    Objection,
    ObjectionStatus,
    PublicNotice,
    Title,
)


def public_notices():
    """Every notice, newest year first, 公示 before its 公告 within a category."""
    return PublicNotice.objects.select_related("campaign").order_by(
        "-campaign__year", "category", "-kind", "pk"
    )


def public_notice(pk) -> PublicNotice:
    try:
        return PublicNotice.objects.select_related("campaign").get(pk=pk)
    except PublicNotice.DoesNotExist as exc:
        raise Http404 from exc


def notice_entries(notice: PublicNotice) -> list[dict]:
    """What a notice lists: for a 公示 the proposals still standing, for a 公告 the titles.

    Each entry: organisation, subject, recommending agency, benchmark, and the title's number
    for a 公告. Nothing else of the application is read.
    """
    from manyi.titles.services import title_subject

    if notice.kind == NoticeKind.ANNOUNCEMENT:
        titles = (
            Title.objects.filter(announcement=notice)
            .select_related("organisation", "application__agency")
            .order_by("number")
        )
        return [
            {
                "application_id": t.application_id,
                "organisation": t.organisation.name,
                "subject": t.subject,
                "agency": t.application.agency.name if t.application.agency_id else "",
                "benchmark": t.benchmark,
                "number": t.number,
                "valid_until": t.valid_until,
            }
            for t in titles
        ]
    decisions = (
        Decision.objects.filter(notice=notice, withdrawn_at__isnull=True)
        .select_related("application__organisation", "application__agency")
        .order_by("application__number", "pk")
    )
    return [
        {
            "application_id": d.application_id,
            "organisation": d.application.organisation.name,
            "subject": title_subject(d.application),
            "agency": d.application.agency.name if d.application.agency_id else "",
            "benchmark": d.benchmark,
            "number": "",
        }
        for d in decisions
    ]


# ------------------------------------------------------------------------------------------
# Objections (staff)


def _reads_all_objections(user) -> bool:
    return has_role(user, *PROGRAMME_STAFF)


def objections_for(user, *, status: str = ""):
    """Programme staff: every objection; an expert: those given to them to investigate
    (`filters.ObjectionFilter` narrows the list)."""
    qs = Objection.objects.select_related(
        "notice__campaign", "application__organisation", "investigator"
    )
    if not _reads_all_objections(user):
        if not has_role(user, Role.EXPERT):
            return qs.none()
        qs = qs.filter(investigator=user)
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-pk")


def objection_for(user, pk) -> Objection:
    try:
        objection = Objection.objects.select_related(
            "notice__campaign",
            "application__organisation",
            "application__agency",
            "application__campaign",
            "investigator",
            "decided_by",
        ).get(pk=pk)
    except Objection.DoesNotExist as exc:
        raise Http404 from exc
    if _reads_all_objections(user) or is_investigator.test(user, objection):
        return objection
    raise Http404


def investigator_candidates(objection: Objection) -> list:
    """Committee staff and experts who may investigate: not members of the applicant or its
    recommending agency, no declared conflict with it (any year's declaration, or its name
    among their declared competitors), not employed by it, and not one of its reviewers."""
    from django.contrib.auth import get_user_model

    application = objection.application
    sides = [application.organisation_id]
    if application.agency_id:
        sides.append(application.agency_id)
    names = [application.organisation.name]
    if application.agency_id:
        names.append(application.agency.name)
    members_of_sides = Membership.objects.filter(organisation_id__in=sides).values("user_id")
    declared = Declaration.objects.filter(conflicts__in=sides).values("expert_id")
    reviewers = Assignment.objects.filter(application=application).values("expert_id")
    competitor = Q()
    employer = Q()
    for name in names:
        competitor |= Q(declarations__competitors__contains=name)
        employer |= Q(expert_profile__employer=name)
    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=(Role.COMMITTEE_STAFF, Role.EXPERT),
        )
        .exclude(pk__in=members_of_sides)
        .exclude(pk__in=declared)
        .exclude(pk__in=reviewers)
        .exclude(competitor)
        .exclude(employer)
        .distinct()
        .order_by("full_name", "email")
    )
    return list(people)


def candidate(objection: Objection, pk: str):
    """The chosen investigator if they are a candidate, else None (the service refuses)."""
    if not str(pk).isdecimal():
        return None
    return next((u for u in investigator_candidates(objection) if u.pk == int(pk)), None)
