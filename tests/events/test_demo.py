"""The demo's events: a full exchange meeting with two people waiting, a benchmark visit
hosted by the demo enterprise, last year's conference held with check-ins, a PDF and practice
shares. Loading twice changes nothing."""

import pytest

from manyi.accounts import demo as accounts_demo
from manyi.common.demo_report import DemoReport
from manyi.events import demo, selectors
from manyi.events.models import Event, EventStatus, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_three_events_and_is_idempotent():
    accounts_demo.load_people()
    report = DemoReport()

    demo.load_demo(report)
    demo.load_demo(DemoReport())

    events = {e.title: e for e in Event.objects.all()}
    assert set(events) == {demo.EXCHANGE, demo.BENCHMARK, demo.CONFERENCE}
    exchange = events[demo.EXCHANGE]
    statuses = list(exchange.registrations.values_list("status", flat=True))
    assert statuses.count(RegistrationStatus.CONFIRMED) == exchange.capacity == 4
    assert statuses.count(RegistrationStatus.WAITLISTED) == 2
    assert exchange.organiser.name == demo.AGENCY

    benchmark = events[demo.BENCHMARK]
    assert benchmark.host.name == demo.HOST
    assert set(benchmark.formats) == {"site_visit", "talk", "group", "qa"}
    assert benchmark.registrations.filter(user__email=demo.ENTERPRISE_USER).exists()

    conference = events[demo.CONFERENCE]
    assert conference.status == EventStatus.HELD
    assert conference.starts_at.year == exchange.starts_at.year - 1 or (
        conference.starts_at < exchange.starts_at
    )
    assert conference.registrations.filter(checked_in_at__isnull=False).count() == 6
    material = conference.materials.get()
    assert material.content_type == "application/pdf"
    assert conference.shares.count() == 3
    assert conference.shares.filter(organisation__isnull=True).count() == 1

    public = list(selectors.public_events())
    assert public[-1] == conference
    assert any(f"/events/{exchange.pk}/" in line for line in report.lines)
