"""The figures of an agency's dashboard (本机构概况), each from one grouped query: its members,
its applications by state in a campaign, its pass rates per campaign, its members' training
hours. Nothing here loads the rows it counts."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from manyi.accounts.models import AgencyMembership
from manyi.accounts.selectors import UNANSWERED_INVITATION
from manyi.applications.models import Application
from manyi.applications.states import Status


@dataclass(frozen=True)
class PassRate:
    year: int
    title: str
    awarded: int
    not_awarded: int
    in_notice: int

    @property
    def decided(self) -> int:
        return self.awarded + self.not_awarded

    @property
    def rate(self) -> float | None:
        """Awarded ÷ finally decided (已授予 + 未授予); None before any final decision."""
        return self.awarded / self.decided if self.decided else None


def member_counts(agency) -> dict[str, int]:
    """Confirmed members, enterprises waiting for the agency's confirmation, invitations the
    enterprises have not answered."""
    return AgencyMembership.objects.filter(agency=agency).aggregate(
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        waiting=Count("pk", filter=Q(confirmed_at__isnull=True, invited_at__isnull=True)),
        invited=Count("pk", filter=UNANSWERED_INVITATION),
    )


def applications_by_state(agency, campaign) -> list[dict]:
    """The agency's applications of a campaign by state, in the order of the states (only
    those submitted at least once: drafts are the applicants' own)."""
    if campaign is None:
        return []
    counts = dict(
        Application.objects.filter(agency=agency, campaign=campaign, submitted_at__isnull=False)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    return [
        {"status": status, "label": Status(status).label, "count": counts[status]}
        for status in Status.values
        if counts.get(status)
    ]


def pass_rates(agency) -> list[PassRate]:
    """Per campaign (newest first): titles awarded, not awarded and still in public notice among
    the applications the agency recommended. The rate is awarded ÷ (awarded + not awarded);
    applications in 公示 are not decided yet, and those rejected at formal review, not
    recommended or withdrawn never reached a decision, so neither counts."""
    rows = (
        Application.objects.filter(agency=agency)
        .values("campaign__year", "campaign__title")
        .annotate(
            awarded=Count("pk", filter=Q(status=Status.AWARDED)),
            not_awarded=Count("pk", filter=Q(status=Status.NOT_AWARDED)),
            in_notice=Count("pk", filter=Q(status=Status.IN_NOTICE)),
            recommended=Count("pk", filter=Q(decided_at__isnull=False)),
        )
        .order_by("-campaign__year")
    )
    return [
        PassRate(
            year=row["campaign__year"],
            title=row["campaign__title"],
            awarded=row["awarded"],
            not_awarded=row["not_awarded"],
            in_notice=row["in_notice"],
        )
        for row in rows
        if row["recommended"]
    ]


def training_hours(member_ids, year: int) -> tuple[dict[int, Decimal], Decimal]:
    """Training hours passed this year by each member's employees, and their total
    (`training.selectors.hours_by_organisation`: one grouped query)."""
    from manyi.training.selectors import hours_by_organisation

    hours = hours_by_organisation(member_ids, year)
    return hours, sum(hours.values(), Decimal(0))
