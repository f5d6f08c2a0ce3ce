"""The auditors' lists (activity log, outbox) with the list toolkit: filters, search and sort in
the URL, bad values ignored, the export narrowed like the page, a page's cost flat in its rows."""

import io

import pytest
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.common.services import log_activity
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999&object_type=nope&date_after=2026-13-45&sort=password"


def _log(world, n, *, action="demo.touch", org=None, note=""):
    actor = world.users[Role.ENTERPRISE_USER]
    for i in range(n):
        about = org or world.enterprise
        log_activity(actor=actor, action=action, obj=about, organisation=about, note=f"{note}{i}")


def test_the_log_filters_searches_sorts_and_exports_what_is_shown(world, client_for):
    _log(world, 3, action="organisation.update", note="普通")
    _log(world, 2, action="campaign.publish", org=world.other_enterprise, note="特别")
    log_activity(actor=world.users[Role.COMMITTEE_STAFF], action="system.tick")
    client = client_for(Role.COMMITTEE_STAFF)
    assert client.get("/staff/activity/").context["listing"].total == 6
    by_action = client.get("/staff/activity/?action=campaign")
    assert by_action.context["listing"].total == 2
    found = client.get("/staff/activity/", {"q": "特别1"})
    assert [e.note for e in found.context["page"]] == ["特别1"]
    by_org = client.get("/staff/activity/", {"organisation": world.other_enterprise.name})
    assert by_org.context["listing"].total == 2
    typed = client.get("/staff/activity/?object_type=accounts.organisation")
    assert typed.context["listing"].total == 5
    oldest_first = client.get("/staff/activity/?sort=at")
    stamps = [e.at for e in oldest_first.context["page"]]
    assert stamps == sorted(stamps)

    export = client.get("/staff/activity/export/?action=campaign&q=特别")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 3  # the header and the two entries
    logged = ActivityLog.objects.filter(action="activity_log.export").latest("pk")
    assert "campaign" in logged.note


def test_the_log_says_when_nothing_matches_the_filter(world, client_for):
    page = client_for(Role.COMMITTEE_STAFF).get("/staff/activity/?q=没有这种记录")
    assert "没有符合筛选条件的记录" in page.content.decode()


def test_the_outbox_filters_by_status_and_searches_recipient_or_subject(world, client_for):
    OutboxMessage.objects.create(to="a@example.cn", subject="审核结果", body_text=".")
    OutboxMessage.objects.create(
        to="b@example.cn", subject="退回修改", body_text=".", status="failed"
    )
    client = client_for(Role.COMMITTEE_STAFF)
    failed = client.get("/staff/outbox/?status=failed")
    assert [m.subject for m in failed.context["page"]] == ["退回修改"]
    assert [m.to for m in client.get("/staff/outbox/?q=a@example").context["page"]] == [
        "a@example.cn"
    ]
    assert [m.to for m in client.get("/staff/outbox/?q=审核").context["page"]] == ["a@example.cn"]
    empty = client.get("/staff/outbox/?q=无此邮件").content.decode()
    assert "没有符合筛选条件的邮件" in empty


@pytest.mark.parametrize("url", ["/staff/activity/", "/staff/activity/export/", "/staff/outbox/"])
def test_bad_values_are_ignored(world, client_for, url):
    _log(world, 1)
    assert client_for(Role.COMMITTEE_STAFF).get(f"{url}?{BAD}").status_code == 200


def test_the_log_costs_the_same_at_two_sizes(world, client_for):
    _log(world, 2)
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        "/staff/activity/?sort=-at",
        grow=lambda: _log(world, 30, org=world.other_enterprise),
    )


def test_the_outbox_costs_the_same_at_two_sizes(world, client_for):
    def add(n):
        OutboxMessage.objects.bulk_create(
            OutboxMessage(to=f"x{i}@example.cn", subject=f"通知{i}", body_text=".")
            for i in range(n)
        )

    add(2)
    assert_flat(client_for(Role.COMMITTEE_STAFF), "/staff/outbox/", grow=lambda: add(60))
