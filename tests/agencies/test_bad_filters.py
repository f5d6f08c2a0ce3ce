"""Malformed filters and form values are ignored, never a 500."""

import pytest

from manyi.accounts.roles import Role
from manyi.agencies.selectors import enterprise_named_by


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc"])
def test_dashboard_campaign_that_is_not_a_year_is_ignored(client_for, value):
    response = client_for(Role.AGENCY_STAFF).get("/agencies/mine/", {"campaign": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc", ""])
def test_enterprise_named_by_something_not_an_id_is_none(db, value):
    assert enterprise_named_by(value) is None


def test_enterprise_named_by_its_id(world):
    assert enterprise_named_by(str(world.enterprise.pk)) == world.enterprise
