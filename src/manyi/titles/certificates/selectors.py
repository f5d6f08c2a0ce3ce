"""Reads of titles: the public register and verification (public fields only), a title as the
applicant's users and programme staff see it (another organisation's is a 404), the
association and its seal."""

import re

from django.db.models import Q, QuerySet
from django.http import Http404

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.models import Organisation
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind, Role
from manyi.campaigns.categories import Category
from manyi.titles.models import Title, TitleStatus

# GZYH-2026-CP-0007: anything else is not a number, and is not looked up.
NUMBER_PATTERN = re.compile(r"^[A-Z]{2,8}-\d{4}-[A-Z]{2}-\d{4,6}$")
QUERY_MAX = 100


def _public_titles() -> QuerySet[Title]:
    """Titles with their public fields, and (`revocation_reason`) why a revoked one was
    revoked, in the words the public is told."""
    # Supervision builds on titles; the reason's words are its own, read when a page asks.
    from manyi.supervision.revocations.public import with_revocation_reason

    return with_revocation_reason(Title.objects.select_related("organisation"))


def is_well_formed(number: str) -> bool:
    return bool(NUMBER_PATTERN.match(number or ""))


def public_title(number: str) -> Title:
    """The title of `number` for the verification page and the API; 404 when the number is
    malformed or unknown."""
    number = (number or "").strip().upper()
    if not is_well_formed(number):
        raise Http404
    try:
        return _public_titles().get(number=number)
    except Title.DoesNotExist as exc:
        raise Http404 from exc


def clean_filters(params) -> dict:
    """The register's filters from a query (GET or API): unknown values are dropped."""
    year = (params.get("year") or "").strip()
    category = params.get("category") or ""
    status = params.get("status") or ""
    return {
        "year": year if year.isdecimal() and len(year) == 4 else "",
        "category": category if category in Category.values else "",
        "status": status if status in TitleStatus.values else "",
        "q": (params.get("q") or "").strip()[:QUERY_MAX],
    }


def register(filters: dict) -> QuerySet[Title]:
    """The public register: titles by year, category and status; `q` searches the
    organisation's name, the subject and the number."""
    qs = _public_titles()
    if filters.get("year"):
        qs = qs.filter(year=int(filters["year"]))
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(
            Q(organisation__name__icontains=q)
            | Q(subject__icontains=q)
            | Q(number__icontains=q.upper())
        )
    return qs.order_by("-year", "category", "number")


def public_register() -> QuerySet[Title]:
    """The public register's rows, newest year first (`filters.RegisterFilter` narrows them)."""
    return _public_titles().order_by("-year", "category", "number")


def register_years() -> list[int]:
    return list(Title.objects.order_by("-year").values_list("year", flat=True).distinct())


def title_for(user, number: str) -> Title:
    """A title as programme staff or the applicant's own users see it; anyone else, and an
    unknown number, get a 404."""
    qs = Title.objects.select_related(
        "organisation", "application__campaign", "application__organisation", "announcement"
    )
    if not has_role(user, *PROGRAMME_STAFF):
        own = [o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)]
        qs = qs.filter(organisation_id__in=own)
    try:
        return qs.get(number=number)
    except Title.DoesNotExist as exc:
        raise Http404 from exc


def title_of_application(application) -> Title | None:
    return Title.objects.filter(application=application).first()


def association() -> Organisation | None:
    """The association (广州市质量协会) that issues the certificates."""
    return Organisation.objects.filter(kind=OrgKind.ASSOCIATION).order_by("pk").first()
