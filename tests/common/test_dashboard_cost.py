"""The dashboard costs the same number of queries however much waits (issue 15): every count
on it is an aggregate, and the few lines a panel names come in one query. Guarded at two
sizes for programme staff, an agency and an enterprise."""

import itertools

import pytest

from manyi.accounts.roles import Role
from manyi.campaigns.models import FIRST_YEAR
from manyi.common.models import OutboxMessage
from manyi.common.services import log_activity
from manyi.fieldwork.models import SurveyStatus
from tests.applications.helpers import make_application, open_campaign
from tests.factories import OrganisationFactory
from tests.fieldwork.factories import make_survey
from tests.query_guard import assert_flat
from tests.supervision.factories_complaints import complain

pytestmark = pytest.mark.django_db

CATEGORIES = ("brand", "product", "service")
_serial = itertools.count(1)
_years = itertools.count(FIRST_YEAR)  # earlier campaigns, one a call, never this year's


def _programme(world, n):
    """What programme staff and agencies see waiting: new enterprises joining the agency,
    submitted applications, failed mail, log entries, complaints, measurement runs."""
    campaign = open_campaign(agencies=[world.agency, world.other_agency])
    for _ in range(n):
        i = next(_serial)
        enterprise = OrganisationFactory(
            name=f"看板{i:03d}有限公司", agency=world.agency, agency__confirmed=False
        )
        make_application(world, "brand", organisation=enterprise, campaign=campaign)
        make_application(
            world, "product", organisation=enterprise, campaign=campaign, status="submitted"
        )
        OutboxMessage.objects.create(
            to=f"m{i}@example.cn", subject=f"通知{i}", body_text=".", status="failed"
        )
        log_activity(actor=world.users[Role.COMMITTEE_STAFF], action="campaign.publish")
        complain(about=f"看板{i:03d}有限公司", ip=f"203.0.113.{i % 250}")


def _enterprise(world, n):
    """What an enterprise sees: its applications of earlier years, and their surveys."""
    for _ in range(n):
        year = next(_years)
        earlier = open_campaign(year=year, agencies=[world.agency])
        for category in CATEGORIES[:2]:
            make_application(world, category, campaign=earlier, status="accepted")
        make_survey(
            world,
            category=CATEGORIES[2],
            campaign=earlier,
            status=SurveyStatus.IN_FIELD,
            customers=6,
            sample=2,
            reserve=1,
            phone_base=13100000000 + year * 100,
        )


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN])
def test_the_staff_dashboard_costs_the_same_at_two_sizes(world, client_for, role):
    _programme(world, 1)
    assert_flat(client_for(role), "/dashboard/", grow=lambda: _programme(world, 6))


def test_the_agency_dashboard_costs_the_same_at_two_sizes(world, client_for):
    _programme(world, 1)
    assert_flat(client_for(Role.AGENCY_STAFF), "/dashboard/", grow=lambda: _programme(world, 6))


def test_the_enterprise_dashboard_costs_the_same_at_two_sizes(world, client_for):
    _enterprise(world, 1)
    assert_flat(client_for(Role.ENTERPRISE_USER), "/dashboard/", grow=lambda: _enterprise(world, 3))
