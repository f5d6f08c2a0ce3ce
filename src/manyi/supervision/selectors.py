"""Reads shared by the supervision packages, already limited to what the user may see."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from manyi.supervision.access import is_committee_staff, reads_supervision
from manyi.supervision.models import (
    CheckResult,
    Complaint,
    ComplaintStatus,
    Evidence,
    Revisit,
    RevisitStatus,
    Revocation,
    RevocationStatus,
    SpotCheck,
    SpotCheckItem,
    SpotCheckStatus,
)
from manyi.titles.models import Title, TitleStatus


def overview(user) -> dict:
    """The counts on the supervision hub: what is waiting for someone."""
    if not reads_supervision.test(user):
        raise Http404
    return {
        "spot_checks_open": SpotCheck.objects.exclude(status=SpotCheckStatus.CLOSED).count(),
        "items_to_rectify": SpotCheckItem.objects.filter(
            result=CheckResult.RECTIFY, rectified_at__isnull=True
        ).count(),
        "revisits_ahead": Revisit.objects.filter(
            status__in=(RevisitStatus.PLANNED, RevisitStatus.NOTIFIED)
        ).count(),
        "complaints_open": Complaint.objects.filter(
            status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING)
        ).count(),
        "revocations_open": Revocation.objects.filter(status=RevocationStatus.OPENED).count(),
        "revocations_proposed": Revocation.objects.filter(status=RevocationStatus.PROPOSED).count(),
        "to_recall": Revocation.objects.filter(status=RevocationStatus.REVOKED)
        .exclude(certificate="recalled", plaque="recalled")
        .exclude(certificate="none", plaque="none")
        .count(),
    }


def evidence_for(user, pk) -> Evidence:
    """An evidence file the user may download: programme staff (a complaint's files only
    committee staff and the administrator: the work department reads complaints without the
    complainant's files); an expert of the revisit it belongs to. Anyone else: 404."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("revisit", "complaint", "spot_check_item"), pk=pk
    )
    if evidence.complaint_id is not None:
        if is_committee_staff.test(user):
            return evidence
        raise Http404
    if reads_supervision.test(user):
        return evidence
    if (
        evidence.revisit_id is not None
        and evidence.revisit.experts.filter(expert_id=user.pk).exists()
    ):
        return evidence
    raise Http404


# ------------------------------------------------------------------------------------------
# Picking titles, the same when launching holder surveys and planning revisits: each page
# passes the titles it may act on (``supervision.filters.TitlePickFilter`` narrows them).


def titles_by_id(ids) -> list[Title]:
    """The ticked titles (ids that are not numbers are dropped); the services check each."""
    clean = [int(i) for i in ids if str(i).isdecimal() and len(str(i)) <= 9]
    return list(
        Title.objects.filter(pk__in=clean)
        .select_related("organisation", "application")
        .order_by("number")
    )


def title_years() -> list[int]:
    """The years of the valid titles, newest first, for the year filter."""
    return list(
        Title.objects.filter(status=TitleStatus.VALID)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
