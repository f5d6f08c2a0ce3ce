"""Reads of spot checks, limited to what the user may see: the programme's three offices read
every check (the work department runs them, the committee and the administrator follow);
anyone else finds nothing (a 404)."""

from django.db.models import Count, Q
from django.http import Http404

from manyi.accounts.models import Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.supervision.access import reads_supervision
from manyi.supervision.models import (
    CheckResult,
    Revocation,
    SpotCheck,
    SpotCheckItem,
)
from manyi.supervision.spotchecks.frame import risk_words


def _readable(user):
    if not reads_supervision.test(user):
        return SpotCheck.objects.none()
    return SpotCheck.objects.all()


def spot_checks_for(user):
    """The checks the user may read, newest first, with their counts of items by result (the
    stored frames are never loaded: see `SpotCheckManager`); ``SpotCheckFilter`` narrows
    them."""
    return (
        _readable(user)
        .select_related("agency", "created_by")
        .annotate(
            n_items=Count("items"),
            n_pending=Count("items", filter=Q(items__result=CheckResult.PENDING)),
            n_rectify=Count(
                "items",
                filter=Q(items__result=CheckResult.RECTIFY, items__rectified_at__isnull=True),
            ),
            n_fail=Count("items", filter=Q(items__result=CheckResult.FAIL)),
        )
        .order_by("-created_at", "-pk")
    )


def year_options() -> list[int]:
    """The years named by some check, newest first, for the list's filter."""
    return list(
        SpotCheck.objects.filter(year__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def spot_check_for(user, pk) -> SpotCheck:
    try:
        return _readable(user).select_related("agency", "created_by", "drawn_by").get(pk=pk)
    except SpotCheck.DoesNotExist as exc:
        raise Http404 from exc


def items_of(spot_check) -> list[SpotCheckItem]:
    """The drawn items in draw order, each with `risk_words` and `evidence_count`."""
    items = list(
        spot_check.items.select_related("organisation", "title")
        .annotate(evidence_count=Count("evidence"))
        .order_by("position")
    )
    for item in items:
        item.risk_words = risk_words(item.risk)
    return items


def item_for(user, pk) -> SpotCheckItem:
    if not reads_supervision.test(user):
        raise Http404
    try:
        item = SpotCheckItem.objects.select_related(
            "spot_check", "organisation", "title", "recorded_by"
        ).get(pk=pk)
    except SpotCheckItem.DoesNotExist as exc:
        raise Http404 from exc
    item.risk_words = risk_words(item.risk)
    return item


def evidence_of(item):
    return item.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


def case_of(item) -> Revocation | None:
    """The revocation case opened from the item, if any (the newest)."""
    return item.revocations.order_by("-opened_at", "-pk").first()


def agencies():
    """The agencies a check may be narrowed to."""
    return Organisation.objects.filter(kind=OrgKind.AGENCY).order_by("name")


def organisation_emails(organisation) -> list[str]:
    """The addresses of the organisation's people: its enterprise users or agency staff."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation,
                role__in=(Role.ENTERPRISE_USER, Role.AGENCY_STAFF),
                is_active=True,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def rectifications_due(*, limit: int | None = None):
    """Items waiting for their rectification, the nearest deadline first."""
    qs = (
        SpotCheckItem.objects.filter(result=CheckResult.RECTIFY, rectified_at__isnull=True)
        .select_related("organisation", "spot_check")
        .defer("spot_check__frame")  # see SpotCheckManager
        .order_by("rectify_by", "pk")
    )
    return qs[:limit] if limit else qs
