"""Reads of revocation cases and of the public notices.

Cases are the programme staff's (the three offices read them; anyone else gets a 404). The
public notices (Art. 24 and the 通报批评 of Art. 26) are read by everyone; what they list was
frozen when they were published, so a notice never changes afterwards.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.common.pdf import OFFICIAL_LANGUAGE
from manyi.supervision.access import reads_supervision
from manyi.supervision.models import (
    DisciplineNotice,
    DisciplineNoticeKind,
    Evidence,
    RecallStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
    Sanction,
)
from manyi.supervision.revocations.public import public_reason
from manyi.titles.models import Title


def _staff_only(user) -> None:
    if not reads_supervision.test(user):
        raise Http404


# ------------------------------------------------------------------------------------------
# Cases (staff)


def _cases() -> QuerySet[Revocation]:
    return Revocation.objects.select_related("title__organisation", "opened_by")


def cases_for(user) -> QuerySet[Revocation]:
    """Every case, newest first (``revocations.filters.RevocationFilter`` narrows them by
    status, reason, the year it was opened, or the title's number, holder and subject)."""
    _staff_only(user)
    return _cases().order_by("-opened_at", "-pk")


def case_years() -> list[int]:
    return sorted({d.year for d in Revocation.objects.dates("opened_at", "year")}, reverse=True)


def to_recall(user) -> QuerySet[Revocation]:
    """Revoked cases whose certificate or plaque is still to be returned, oldest decision
    first (the longest outstanding at the top)."""
    _staff_only(user)
    return (
        _cases()
        .filter(status=RevocationStatus.REVOKED)
        .filter(Q(certificate=RecallStatus.TO_RECALL) | Q(plaque=RecallStatus.TO_RECALL))
        .order_by("decided_at", "pk")
    )


def case_for(user, pk) -> Revocation:
    _staff_only(user)
    try:
        return Revocation.objects.select_related(
            "title__organisation",
            "title__application",
            "opened_by",
            "proposed_by",
            "decided_by",
            "spot_check_item__spot_check",
            "spot_check_item__organisation",
            "holder_survey",
            "revisit",
            "complaint",
            "violation",
        ).get(pk=pk)
    except Revocation.DoesNotExist as exc:
        raise Http404 from exc


def evidence_of(case: Revocation) -> QuerySet[Evidence]:
    return case.evidence.select_related("uploaded_by").order_by("uploaded_at", "pk")


def sanctions_of(case: Revocation) -> QuerySet[Sanction]:
    return case.sanctions.order_by("decided_on", "pk")


def criticism_of(case: Revocation) -> DisciplineNotice | None:
    return DisciplineNotice.objects.filter(revocation=case).first()


def ban_of(case: Revocation):
    """The ban registered for the holder's USCC on the day of a fraud decision, if any."""
    from manyi.campaigns.models import Ban

    uscc = case.title.organisation.uscc
    if case.reason != RevocationReason.FRAUD or not uscc or case.decided_at is None:
        return None
    # The ban's dates are Guangzhou's days: the decision's day there, not in UTC (between
    # midnight and 08:00 in Guangzhou the two differ).
    day = timezone.localdate(case.decided_at)
    return (
        Ban.objects.filter(uscc=uscc, lifted_at__isnull=True)
        .filter(decided_on__lte=day, ends_on__gt=day)
        .order_by("-ends_on")
        .first()
    )


def title_for_opening(user, number: str) -> Title:
    """The title a case is opened from, by its number (staff only); unknown: 404."""
    _staff_only(user)
    try:
        return Title.objects.select_related("organisation").get(number=(number or "").upper())
    except Title.DoesNotExist as exc:
        raise Http404 from exc


def cases_of_title(title) -> QuerySet[Revocation]:
    return Revocation.objects.filter(title=title).order_by("-opened_at", "-pk")


# Where a case came from: the field, its words, and the page that shows it (URL name, the
# source's attribute that is its argument).
ORIGINS = (
    ("spot_check_item", gettext_lazy("抽查"), ("supervision:spotcheck_item", "pk")),
    (
        "holder_survey",
        gettext_lazy("获证组织用户评价调查"),
        ("fieldwork:survey_detail", "survey_id"),
    ),
    ("revisit", gettext_lazy("回访确认"), ("supervision:revisit_detail", "pk")),
    ("complaint", gettext_lazy("投诉"), ("supervision:complaint_detail", "pk")),
    ("violation", gettext_lazy("违规记录"), ("supervision:violation_detail", "pk")),
)


def origin_of(case: Revocation) -> dict | None:
    """Where the case came from: {"kind", "text", "url"}, or None when staff opened it from
    the title."""
    for field, words, (name, attribute) in ORIGINS:
        source = getattr(case, field)
        if source is None:
            continue
        url = reverse(name, args=[getattr(source, attribute)])
        return {"kind": str(words), "text": str(source), "url": url}
    return None


# ------------------------------------------------------------------------------------------
# What the year's public notice lists (Art. 24)


def annual_entries(year: int, *, today: date) -> list[dict]:
    """The rows of `year`'s notice, as they would be frozen now, in Chinese (an official
    document): first each title whose revocation took effect that year (by then), by date and
    number; then each public sanction decided that year. Values are strings, so a published
    notice can be compared with what it would list today."""
    from manyi.titles.certificates.services import title_name

    revocations = (
        Revocation.objects.filter(
            status=RevocationStatus.REVOKED, effective_on__year=year, effective_on__lte=today
        )
        .select_related("title__organisation")
        .order_by("effective_on", "title__number")
    )
    sanctions = (
        Sanction.objects.filter(public=True, decided_on__year=year, decided_on__lte=today)
        .select_related("organisation", "person")
        .order_by("decided_on", "pk")
    )
    with translation.override(OFFICIAL_LANGUAGE):
        rows = [revocation_entry(case, title_name(case.title)) for case in revocations]
        rows += [
            {
                "section": "sanction",
                "kind": str(s.get_kind_display()),
                "subject": _sanction_subject(s),
                "reason": s.reason,
                "decided_on": s.decided_on.isoformat(),
            }
            for s in sanctions
        ]
    return rows


def revocation_entry(case: Revocation, name: str) -> dict:
    title = case.title
    return {
        "section": "revocation",
        "number": title.number,
        "organisation": title.organisation.name,
        "subject": title.subject,
        "title": _("%(year)s年度%(name)s") % {"year": title.year, "name": name},
        "reason": public_reason(case.reason),
        "effective_on": case.effective_on.isoformat() if case.effective_on else "",
    }


def _sanction_subject(sanction: Sanction) -> str:
    person = sanction.person.display_name if sanction.person_id else ""
    organisation = sanction.organisation.name if sanction.organisation_id else ""
    if person and organisation:
        return f"{person}（{organisation}）"
    return person or organisation


def annual_years(*, today: date) -> list[int]:
    """Years that have something a notice could list, newest first (this year always)."""
    years = {today.year}
    years |= {
        d.year
        for d in Revocation.objects.filter(
            status=RevocationStatus.REVOKED, effective_on__lte=today
        ).dates("effective_on", "year")
    }
    years |= {d.year for d in Sanction.objects.filter(public=True).dates("decided_on", "year")}
    return sorted((y for y in years if y <= today.year), reverse=True)


# ------------------------------------------------------------------------------------------
# Public notices


def published_notices() -> QuerySet[DisciplineNotice]:
    """Every published notice, newest year first (``NoticeFilter`` narrows them)."""
    return DisciplineNotice.objects.order_by("-year", "-published_at", "-pk")


def public_notices(filters: dict) -> QuerySet[DisciplineNotice]:
    """Every published notice, newest year first; `q` searches the title and the text."""
    qs = DisciplineNotice.objects.all()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("year"):
        qs = qs.filter(year=int(filters["year"]))
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return qs.order_by("-year", "-published_at", "-pk")


def notice_years() -> list[int]:
    return list(
        DisciplineNotice.objects.order_by("-year").values_list("year", flat=True).distinct()
    )


def superseded_ids() -> set[int]:
    """Annual notices replaced by a later version of the same year."""
    latest: dict[int, int] = {}
    every = DisciplineNotice.objects.filter(kind=DisciplineNoticeKind.ANNUAL).order_by(
        "published_at", "pk"
    )
    seen = list(every.values_list("pk", "year"))
    for pk, year in seen:
        latest[year] = pk
    return {pk for pk, _year in seen} - set(latest.values())


def public_notice(pk) -> DisciplineNotice:
    try:
        return DisciplineNotice.objects.select_related("revocation__title").get(pk=pk)
    except DisciplineNotice.DoesNotExist as exc:
        raise Http404 from exc


def versions_of(notice: DisciplineNotice) -> dict:
    """For an annual notice: the version it replaced and the one that replaced it, if any."""
    if notice.kind != DisciplineNoticeKind.ANNUAL:
        return {"replaces": None, "replaced_by": None}
    same_year = DisciplineNotice.objects.filter(
        kind=DisciplineNoticeKind.ANNUAL, year=notice.year
    ).exclude(pk=notice.pk)
    earlier = Q(published_at__lt=notice.published_at) | Q(
        published_at=notice.published_at, pk__lt=notice.pk
    )
    return {
        "replaces": same_year.filter(earlier).order_by("-published_at", "-pk").first(),
        "replaced_by": same_year.exclude(earlier).order_by("published_at", "pk").first(),
    }


def sections(notice: DisciplineNotice) -> tuple[list[dict], list[dict]]:
    """A notice's frozen rows: (revoked titles, sanctions), with dates read back."""
    return split_entries(notice.entries or ())


def split_entries(entries) -> tuple[list[dict], list[dict]]:
    """Rows as `annual_entries` makes them, split into (revoked titles, sanctions), with their
    dates as dates."""
    revocations, sanctions = [], []
    for row in entries:
        row = dict(row)
        for key in ("effective_on", "decided_on"):
            if row.get(key):
                row[key] = date.fromisoformat(row[key])
        (revocations if row.get("section") == "revocation" else sanctions).append(row)
    return revocations, sanctions
