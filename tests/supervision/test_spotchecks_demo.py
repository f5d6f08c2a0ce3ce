"""The demo's spot check: drawn, with findings, made once."""

import pytest

from manyi.accounts.roles import Role
from manyi.common.demo_report import DemoReport
from manyi.supervision.models import CheckResult, SpotCheck
from manyi.supervision.spotchecks.demo import INSPECTOR, load_spot_check_demo
from manyi.supervision.spotchecks.services import check_draw
from tests.factories import MembershipFactory, UserFactory
from tests.supervision.factories_spotchecks import titles

pytestmark = pytest.mark.django_db


def test_the_demo_check_is_drawn_recorded_and_made_once(world):
    MembershipFactory(
        user=UserFactory(email=INSPECTOR), organisation=world.workdept, role=Role.WORKDEPT_STAFF
    )
    titles(world, 4)
    report = DemoReport()
    check = load_spot_check_demo(report)
    assert check_draw(check) is True
    results = list(check.items.order_by("position").values_list("result", flat=True))
    assert results == [CheckResult.PASS, CheckResult.RECTIFY, CheckResult.PENDING]
    assert check.items.get(position=1).evidence.count() == 1
    assert "/supervision/spot-checks/" in report.lines[0]
    assert load_spot_check_demo(DemoReport()) == check
    assert SpotCheck.objects.count() == 1


def test_without_titles_there_is_no_demo_check(world):
    MembershipFactory(
        user=UserFactory(email=INSPECTOR), organisation=world.workdept, role=Role.WORKDEPT_STAFF
    )
    assert load_spot_check_demo() is None
    assert not SpotCheck.objects.exists()
