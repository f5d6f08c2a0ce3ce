"""The dashboard panels: what waits for the agency, the leader and the enterprise."""

import pytest

from manyi.accounts.roles import Role
from manyi.diagnostics.dashboard import panels
from tests.diagnostics.factories import leader_of, reported, requested, scheduled

pytestmark = pytest.mark.django_db


def titled(user) -> dict:
    return {p["title"]: p for p in panels(user)}


def test_nothing_waits_nothing_is_shown(world):
    for role in (Role.AGENCY_STAFF, Role.EXPERT, Role.ENTERPRISE_USER):
        assert panels(world.users[role]) == []


def test_the_agency_sees_requests_to_accept(world):
    requested(world)
    found = titled(world.users[Role.AGENCY_STAFF])["待受理的诊断申请"]
    assert found["count"] == 1
    assert "珠江家电有限公司" in found["items"][0]
    assert panels(world.other_agency_staff) == []


def test_the_leader_sees_reports_to_write(world):
    scheduled(world)
    assert titled(leader_of(world))["待撰写的诊断报告"]["count"] == 1
    assert panels(world.users[Role.EXPERT]) == []


def test_the_enterprise_sees_reports_to_answer(world, client_for):
    reported(world)
    found = titled(world.users[Role.ENTERPRISE_USER])["待答复的诊断报告"]
    assert found["count"] == 1
    assert "天河区质量技术协会" in found["items"][0]
    html = client_for(Role.ENTERPRISE_USER).get("/dashboard/").content.decode()
    assert "待答复的诊断报告" in html
    assert panels(world.outsider) == []
