"""The events' lists (common.listing): the public list, the organisers' events and the
registrations at the door filter, search and sort through the URL and ignore bad values. Their
query-count guards are with each page's tests (test_public_views, test_manage_views,
test_checkin)."""

import datetime as dt

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.events.filters import ManageEventFilter
from manyi.events.models import EventKind
from manyi.events.services import registration as registering
from tests.events.factories import make_event, register

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "kind=<script>&checked=x&organiser=١٢&sort=password&q=" + "长" * 300,
    "starts_after=2026-13-45&starts_before=x&sort=-nope&page=99999999999999999999",
)


@pytest.fixture
def staff(world, client_for):
    return client_for(Role.AGENCY_STAFF)


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
def test_bad_values_are_ignored_not_a_500(world, client, staff, query):
    event = make_event(world)
    register(event)
    for url in ("/events/manage/", f"/events/manage/{event.pk}/checkin/"):
        assert staff.get(f"{url}?{query}").status_code == 200
    client.logout()
    assert client.get(f"/events/?{query}").status_code == 200


def test_the_public_list_filters_by_kind_and_shows_no_draft(world, client):
    make_event(world, title="交流会")
    make_event(world, title="推进大会", kind=EventKind.CONFERENCE)
    make_event(world, title="草稿活动", publish=False)
    conference = client.get("/events/", {"kind": EventKind.CONFERENCE})
    assert [e.title for e in conference.context["page"]] == ["推进大会"]
    assert client.get("/events/", {"q": "草稿"}).context["listing"].total == 0
    assert "没有符合筛选条件的活动" in client.get("/events/?q=草稿").content.decode()


def test_the_organisers_list_filters_by_date_and_sorts(world, staff):
    later = timezone.now() + dt.timedelta(days=40)
    make_event(world, title="下月的会", starts_at=later)
    make_event(world, title="本月的会")
    after = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    # The range's first box (its suffix is the toolkit's widget's: "_after").
    since = f"starts_{ManageEventFilter.base_filters['starts'].field.widget.suffixes[0]}"
    found = staff.get("/events/manage/", {since: after})
    assert [e.title for e in found.context["page"]] == ["下月的会"]
    soonest = staff.get("/events/manage/?sort=starts").context["page"]
    assert [e.title for e in soonest] == ["本月的会", "下月的会"]
    # One organisation: no organiser select.
    assert "organiser" not in found.context["listing"].filters.form.fields


def test_the_organisers_list_shows_only_their_own_events(world, staff):
    make_event(world, title="本机构的会")
    make_event(
        world,
        title="别家的会",
        organiser=world.other_agency,
        by=world.other_agency_staff,
    )
    page = staff.get("/events/manage/", {"q": "的会"})
    assert [e.title for e in page.context["page"]] == ["本机构的会"]


def test_the_door_list_filters_by_check_in_and_sorts(world, staff):
    event = make_event(world)
    first, _token = register(event, name="张三")
    register(event, name="李四")
    registering.check_in(registration=first, by=world.users[Role.AGENCY_STAFF])
    url = f"/events/manage/{event.pk}/checkin/"
    waiting = staff.get(url, {"checked": "no"})
    assert [r.name for r in waiting.context["page"]] == ["李四"]
    done = staff.get(url, {"checked": "yes"})
    assert [r.name for r in done.context["page"]] == ["张三"]
    by_name = staff.get(f"{url}?sort=-name").context["page"]
    assert [r.name for r in by_name] == sorted(["张三", "李四"], reverse=True)
    found = staff.get(url, {"q": "李"})
    assert [r.name for r in found.context["page"]] == ["李四"]
