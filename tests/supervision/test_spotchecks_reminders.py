"""The daily reminder of rectification deadlines: three days before, once when overdue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision import schedules
from manyi.supervision.spotchecks import tasks
from manyi.supervision.spotchecks.services import confirm_rectified, record_item
from tests.reviews.factories import granted_title
from tests.supervision.factories_spotchecks import drawn_check, staff
from tests.titles.decision_helpers import past_campaign

pytestmark = pytest.mark.django_db

TEMPLATE = "supervision/spotcheck_reminder"


@pytest.fixture
def item(world):
    """An item of world.enterprise (two enterprise users) to rectify within 10 days."""
    title = granted_title(world, "product", organisation=world.enterprise, campaign=past_campaign())
    item = drawn_check(world, titles=[title]).items.get()
    return record_item(
        item=item,
        by=staff(world),
        result="rectify",
        findings="宣传册未标明获评年份。",
        rectify_by=timezone.localdate() + timedelta(days=10),
    )


def at(time_machine, days):
    time_machine.move_to(timezone.now() + timedelta(days=days), tick=False)


def test_the_reminder_is_sent_three_days_before_the_deadline_and_once(world, item, time_machine):
    start = timezone.now()
    assert tasks.remind_rectification() == 0
    time_machine.move_to(start + timedelta(days=6), tick=False)
    assert tasks.remind_rectification() == 0
    time_machine.move_to(start + timedelta(days=7), tick=False)
    assert tasks.remind_rectification() == 1
    mails = OutboxMessage.objects.filter(template=TEMPLATE)
    assert set(mails.values_list("to", flat=True)) == {
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
        world.users[Role.WORKDEPT_STAFF].email,
    }
    assert all("整改期限将至" in m.subject for m in mails)
    organisation_mail = mails.get(to=world.colleague.email)
    assert "还有 3 天到期" in organisation_mail.body_text
    entry = ActivityLog.objects.get(action="spotcheck.remind")
    assert entry.actor is None
    assert entry.after["overdue"] is False
    item.refresh_from_db()
    assert item.reminded_at is not None
    assert tasks.remind_rectification() == 0
    time_machine.move_to(start + timedelta(days=9), tick=False)
    assert tasks.remind_rectification() == 0
    assert mails.count() == 3


def test_an_overdue_rectification_is_reminded_once(world, item, time_machine):
    start = timezone.now()
    time_machine.move_to(start + timedelta(days=7), tick=False)
    tasks.remind_rectification()
    time_machine.move_to(start + timedelta(days=11), tick=False)
    assert tasks.remind_rectification() == 1
    overdue = OutboxMessage.objects.filter(template=TEMPLATE, subject__contains="整改已逾期")
    assert overdue.count() == 3
    assert "期限已过" in overdue.get(to=world.users[Role.WORKDEPT_STAFF].email).body_text
    time_machine.move_to(start + timedelta(days=12), tick=False)
    assert tasks.remind_rectification() == 0
    assert ActivityLog.objects.filter(action="spotcheck.remind").count() == 2


def test_a_deadline_missed_without_the_early_reminder_is_still_reminded_as_overdue(
    item, time_machine
):
    at(time_machine, 15)
    assert tasks.remind_rectification() == 1
    assert OutboxMessage.objects.filter(subject__contains="整改已逾期").exists()


def test_a_confirmed_rectification_is_not_reminded(world, item, time_machine):
    confirm_rectified(item=item, by=staff(world), note="已整改完毕")
    at(time_machine, 8)
    assert tasks.remind_rectification() == 0
    at(time_machine, 20)
    assert tasks.remind_rectification() == 0
    assert not OutboxMessage.objects.filter(template=TEMPLATE).exists()


def test_a_close_deadline_is_reminded_at_once(world):
    item = drawn_check(world, titles=1).items.get()
    record_item(
        item=item,
        by=staff(world),
        result="rectify",
        findings="资料不全",
        rectify_by=timezone.localdate() + timedelta(days=2),
    )
    assert tasks.remind_rectification() == 1
    # The holder made by the factory has no people: only the work department is told.
    assert list(OutboxMessage.objects.filter(template=TEMPLATE).values_list("to", flat=True)) == [
        world.users[Role.WORKDEPT_STAFF].email
    ]


def test_the_reminder_is_on_the_daily_timetable():
    entry = next(s for s in schedules.SCHEDULES if s["name"] == "supervision.remind_rectification")
    assert entry["func"] == "manyi.supervision.spotchecks.tasks.remind_rectification"
    assert entry["schedule_type"] == "D"
