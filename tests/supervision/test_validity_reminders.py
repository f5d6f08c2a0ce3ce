"""Validity: the holder is reminded 90 and 30 days before the title ends (once each, late if the
worker was down, never for a revoked or expired title) and invited to re-evaluation (复评) in a
later campaign; the dashboard says what ends soon; an expired title shows as expired."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision.models import ExpiryReminder
from manyi.supervision.validity import tasks
from manyi.supervision.validity.panels import panels
from manyi.supervision.validity.services import due_stage, remind_expiring_titles
from manyi.titles.models import Title, TitleStatus
from tests.applications.helpers import open_campaign
from tests.reviews.factories import granted_title
from tests.titles.decision_helpers import past_campaign

pytestmark = pytest.mark.django_db


_categories = itertools.cycle(["product", "brand", "service", "enterprise", "engineering"])


def ending_in(world, days: int, *, organisation=None, campaign=None) -> Title:
    """A valid title of the world's enterprise (unless given) whose last valid day is `days`
    from today (each in another category: one application per category and campaign)."""
    title = granted_title(
        world,
        next(_categories),
        organisation=organisation or world.enterprise,
        campaign=campaign or past_campaign(),
    )
    until = timezone.localdate() + timedelta(days=days)
    Title.objects.filter(pk=title.pk).update(
        valid_from=until - timedelta(days=3 * 365), valid_until=until
    )
    title.refresh_from_db()
    return title


def reminders(title) -> list[int]:
    return sorted(ExpiryReminder.objects.filter(title=title).values_list("days", flat=True))


def holder_emails(world) -> set[str]:
    return {world.users[Role.ENTERPRISE_USER].email, world.colleague.email}


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [(120, None), (91, None), (90, 90), (31, 90), (30, 30), (1, 30), (0, 30), (-1, None)],
)
def test_the_stage_due(days_left, stage):
    assert due_stage(days_left) == stage


def test_90_days_before_the_holder_is_reminded_once(world):
    title = ending_in(world, 90)
    before = OutboxMessage.objects.count()
    assert remind_expiring_titles() == 1
    assert reminders(title) == [90]
    sent = list(OutboxMessage.objects.order_by("pk")[before:])
    assert {m.to for m in sent} == holder_emails(world)
    assert sent[0].subject == f"【满意】称号将于 90 天后到期（证书编号 {title.number}）"
    entry = ActivityLog.objects.get(action="title.expiry_reminder")
    assert entry.object_id == str(title.pk)
    assert entry.after["days"] == 90
    assert entry.after["recipients"] == 2
    # The same day again, and the next day: nothing more.
    assert remind_expiring_titles() == 0
    assert remind_expiring_titles(today=timezone.localdate() + timedelta(days=1)) == 0
    assert OutboxMessage.objects.count() == before + 2


def test_across_the_whole_period_exactly_two_reminders_go_out(world, time_machine):
    title = ending_in(world, 100)
    start = timezone.now()
    sent_on = {}
    for day in range(0, 101):
        time_machine.move_to(start + timedelta(days=day))
        if tasks.remind_expiring_titles():
            sent_on[day] = reminders(title)
    assert sent_on == {10: [90], 70: [30, 90]}


def test_a_worker_that_was_down_catches_up_with_the_stage_due(world):
    late_first = ending_in(world, 85)
    late_second = ending_in(world, 25)
    assert remind_expiring_titles() == 2
    assert reminders(late_first) == [90]
    # Found 25 days ahead with nothing sent: the 30-day reminder only, never the 90-day one.
    assert reminders(late_second) == [30]
    for day in range(1, 61):
        remind_expiring_titles(today=timezone.localdate() + timedelta(days=day))
    assert reminders(late_second) == [30]
    assert reminders(late_first) == [30, 90]  # its 30-day one on time, 55 days later


def test_no_reminder_for_revoked_expired_or_distant_titles(world):
    revoked = ending_in(world, 30)
    expired = ending_in(world, 30)
    distant = ending_in(world, 91)
    Title.objects.filter(pk=revoked.pk).update(status=TitleStatus.REVOKED)
    Title.objects.filter(pk=expired.pk).update(status=TitleStatus.EXPIRED)
    ended_yesterday = ending_in(world, -1)  # not yet marked expired by its own task
    assert remind_expiring_titles() == 0
    for title in (revoked, expired, distant, ended_yesterday):
        assert reminders(title) == []
    assert not OutboxMessage.objects.filter(template="supervision/expiry_reminder").exists()


def test_the_reminder_names_the_open_campaign(world):
    title = ending_in(world, 30, campaign=past_campaign(years_ago=3))
    campaign = open_campaign()
    remind_expiring_titles()
    message = OutboxMessage.objects.filter(template="supervision/expiry_reminder").first()
    assert f"欢迎参加{campaign.year}年度申报活动申请复评" in message.body_text
    assert "截止时间" in message.body_text
    assert reverse("campaigns:list") in message.body_text
    assert title.number in message.body_text


def test_without_a_later_campaign_the_holder_is_told_to_watch_for_one(world):
    ending_in(world, 30)
    remind_expiring_titles()
    message = OutboxMessage.objects.filter(template="supervision/expiry_reminder").first()
    assert "请留意广州市质量协会发布的申报通知" in message.body_text


def test_the_task_is_on_the_timetable():
    from importlib import import_module

    from manyi.supervision.schedules import SCHEDULES

    [entry] = [s for s in SCHEDULES if s["name"] == "supervision.remind_expiring_titles"]
    module, name = entry["func"].rsplit(".", 1)
    assert getattr(import_module(module), name) is tasks.remind_expiring_titles
    assert entry["schedule_type"] == "D"


# ------------------------------------------------------------------------------------------
# The holder's dashboard


def test_the_holder_sees_what_ends_soon_and_what_has_ended(world):
    soon = ending_in(world, 40)
    ended = ending_in(world, -20)
    Title.objects.filter(pk=ended.pk).update(
        status=TitleStatus.EXPIRED, status_since=timezone.localdate() - timedelta(days=19)
    )
    far = ending_in(world, 200)
    open_campaign()
    [found] = panels(world.users[Role.ENTERPRISE_USER])
    text = " ".join(found["items"])
    assert found["count"] == 1
    assert found["url"] == reverse("campaigns:list")
    assert f"{soon.number} {soon.subject}：有效期至" in text
    assert "还有 40 天" in text
    assert f"{ended.number} {ended.subject}：已过期" in text
    assert far.number not in text
    assert "可申请复评" in text


def test_others_see_no_validity_panel(world):
    ending_in(world, 40)
    assert panels(world.outsider) == []
    assert panels(world.users[Role.COMMITTEE_STAFF]) == []
    assert panels(world.users[Role.ENTERPRISE_USER])


def test_the_dashboard_page_shows_the_panel(world, client_for):
    title = ending_in(world, 40)
    html = client_for(Role.ENTERPRISE_USER).get(reverse("dashboard")).content.decode()
    assert "称号有效期" in html
    assert title.number in html


# ------------------------------------------------------------------------------------------
# Expiry on the verification page, end to end


def test_an_expired_title_shows_as_expired_on_the_verification_page(world, client, time_machine):
    from manyi.titles.certificates.tasks import expire_titles

    title = granted_title(world, organisation=world.enterprise)
    url = reverse("titles:verify", args=[title.number])
    assert 'data-verify-result="valid"' in client.get(url).content.decode()

    time_machine.move_to(timezone.now() + (title.valid_until - timezone.localdate()))
    assert expire_titles() == 0  # its last valid day
    assert 'data-verify-result="valid"' in client.get(url).content.decode()

    time_machine.move_to(timezone.now() + timedelta(days=1))
    assert expire_titles() == 1
    html = client.get(url).content.decode()
    assert 'data-verify-result="expired"' in html
    assert "已过期" in html
    assert "称号已失效" in html
    title.refresh_from_db()
    assert title.status_since == title.valid_until + timedelta(days=1)
    # Past its end, no reminder is sent for it.
    assert remind_expiring_titles() == 0
