"""A campaign world: time stands at 15 October 2026, inside the 2026 campaign's window."""

import pytest

from manyi.accounts.roles import Role
from manyi.campaigns.models import CampaignStatus
from tests.campaigns.world import NOW, make_campaign


@pytest.fixture(autouse=True)
def _october_2026(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def manager(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def campaign(manager):
    return make_campaign(manager)


@pytest.fixture
def draft(manager):
    return make_campaign(manager, year=2027, status=CampaignStatus.DRAFT)
