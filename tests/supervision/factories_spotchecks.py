"""Makers of spot checks for the tests: plans and draws go through the services people use."""

import itertools

from manyi.accounts.roles import Role
from manyi.supervision.spotchecks.services import draw_spot_check, plan_spot_check
from tests.reviews.factories import granted_title
from tests.titles.decision_helpers import past_campaign

_complaints = itertools.count(1)


def staff(world):
    return world.users[Role.WORKDEPT_STAFF]


def planned_check(world, *, population="title_holders", size=2, weighted=False, **filters):
    return plan_spot_check(
        by=staff(world),
        name=filters.pop("name", "2026年第一批抽查"),
        population=population,
        size=size,
        weighted=weighted,
        purpose="核查称号使用和用户满意工程推进情况。",
        **filters,
    )


def titles(world, n, *, category="product", campaign=None):
    """`n` valid titles of `n` new enterprises (agency: world.agency), of an earlier campaign
    unless given, so they never meet the current campaign's applications."""
    campaign = campaign or past_campaign()
    return [granted_title(world, category, campaign=campaign) for _ in range(n)]


def drawn_check(world, *, titles=2, size=None, seed=20260401, weighted=False, **filters):
    """A drawn check of title holders over `titles` new titles (made here)."""
    made = globals()["titles"](world, titles) if isinstance(titles, int) else titles
    check = planned_check(
        world, size=size or len(made), weighted=weighted, year=made[0].year, **filters
    )
    return draw_spot_check(spot_check=check, by=staff(world), seed=seed)


def complain(*, title=None, organisation=None, status="received"):
    """A complaint about a title or an organisation, as staff would have matched it."""
    from manyi.supervision.models import Complaint

    n = next(_complaints)
    return Complaint.objects.create(
        about=title.number if title else organisation.name,
        title=title,
        organisation=organisation,
        facts="售后服务承诺未兑现。",
        name="王女士",
        contact="13900000000",
        token_hash=f"{n:064d}",
        status=status,
    )


def violate(world, organisation, title=None):
    from django.utils import timezone

    from manyi.supervision.models import Violation, ViolationKind

    return Violation.objects.create(
        organisation=organisation,
        title=title,
        kind=ViolationKind.NO_YEAR,
        description="宣传未标明年份",
        found_on=timezone.localdate(),
        recorded_by=world.users[Role.ASSOCIATION_ADMIN],
    )
