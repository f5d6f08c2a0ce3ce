"""The organisers' pages: their list (scoped, filtered, paginated), creating and editing
through the form, the moves, the host search, and the dashboard panel."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.events import dashboard
from manyi.events.models import Event, EventStatus
from tests.events.factories import make_event, register
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def staff(world, client):
    client.force_login(world.users[Role.AGENCY_STAFF])
    return client


def _form(**overrides):
    starts = timezone.now() + dt.timedelta(days=20)
    data = {
        "organiser": "",
        "kind": "exchange",
        "title": "冬季交流会",
        "summary": "交流做法。",
        "formats": ["talk", "qa"],
        "agenda": "",
        "host": "",
        "starts_at": _moment(starts),
        "ends_at": _moment(starts + dt.timedelta(hours=2)),
        "place": "协会会议室",
        "capacity": "20",
        "registration_closes_at": _moment(starts - dt.timedelta(days=1)),
        "planned_activity": "",
    }
    data.update(overrides)
    return data


def test_the_list_shows_only_the_organisations_events(world, staff):
    mine = make_event(world, title="本机构的活动")
    make_event(world, title="别人的活动", organiser=world.other_agency, by=world.other_agency_staff)

    page = staff.get("/events/manage/").content.decode()

    assert "本机构的活动" in page
    assert "别人的活动" not in page
    assert f'data-event="{mine.pk}"' in page
    assert "新建活动" in page


def test_the_list_filters_by_status_and_searches(world, staff):
    make_event(world, title="已发布的")
    make_event(world, title="还是草稿", publish=False)

    drafts = staff.get("/events/manage/?status=draft").content.decode()
    assert "还是草稿" in drafts
    assert "已发布的" not in drafts
    found = staff.get(f"/events/manage/?q={quote('发布')}").content.decode()
    assert "已发布的" in found
    assert "还是草稿" not in found


def test_the_list_costs_the_same_at_two_sizes(world, staff):
    make_event(world)

    def grow():
        for _ in range(3):
            register(make_event(world))

    assert_flat(staff, "/events/manage/", grow=grow)


def test_creating_through_the_form_makes_a_draft(world, staff):
    response = staff.post("/events/manage/new/", _form(organiser=world.agency.pk))

    event = Event.objects.get()
    assert response["Location"] == f"/events/manage/{event.pk}/"
    assert event.status == EventStatus.DRAFT
    assert event.organiser == world.agency
    assert event.formats == ["talk", "qa"]


def test_the_form_shows_the_services_refusals_by_field(world, staff):
    response = staff.post("/events/manage/new/", _form(organiser=world.agency.pk, kind="benchmark"))

    assert response.status_code == 200
    assert "标杆学习现场研修须有承办（标杆）企业" in response.content.decode()
    assert not Event.objects.exists()


def test_an_enterprise_found_by_search_can_be_chosen_as_host(world, staff):
    options = staff.get(f"/events/manage/hosts/?host_q={quote('珠江')}").content.decode()
    assert f'value="{world.enterprise.pk}"' in options
    assert world.other_enterprise.name not in options

    staff.post(
        "/events/manage/new/",
        _form(organiser=world.agency.pk, kind="benchmark", host=world.enterprise.pk),
    )
    assert Event.objects.get().host == world.enterprise


def test_editing_below_the_confirmed_count_is_refused_on_the_form(world, staff):
    event = make_event(world, capacity=2)
    register(event)
    register(event)
    page = staff.get(f"/events/manage/{event.pk}/edit/").content.decode()
    assert 'value="2"' in page

    response = staff.post(
        f"/events/manage/{event.pk}/edit/",
        _form(
            capacity="1",
            starts_at=_moment(event.starts_at),
            ends_at=_moment(event.ends_at),
            registration_closes_at=_moment(event.registration_closes_at),
        ),
    )

    assert response.status_code == 200
    assert "已有 2 人报名成功" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 2


def test_publish_cancel_and_the_buttons_shown(world, staff):
    event = make_event(world, publish=False)
    page = staff.get(f"/events/manage/{event.pk}/").content.decode()
    assert 'data-action="publish"' in page
    assert 'data-action="held"' not in page

    staff.post(f"/events/manage/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    page = staff.get(f"/events/manage/{event.pk}/").content.decode()
    assert 'data-action="publish"' not in page

    refused = staff.post(f"/events/manage/{event.pk}/cancel/", {"reason": ""}, follow=True)
    assert "请填写取消原因" in refused.content.decode()
    staff.post(f"/events/manage/{event.pk}/cancel/", {"reason": "场地冲突"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    page = staff.get(f"/events/manage/{event.pk}/").content.decode()
    assert 'data-action="cancel"' not in page
    assert f"/events/manage/{event.pk}/materials/" not in page


def test_an_edit_of_a_held_event_is_turned_away_with_a_reason(world, staff):
    event = make_event(world)
    Event.objects.filter(pk=event.pk).update(status=EventStatus.HELD)

    response = staff.get(f"/events/manage/{event.pk}/edit/", follow=True)

    assert "已举办或已取消的活动不能再修改" in response.content.decode()


def test_another_organisations_event_is_a_404_on_every_page(world, client):
    event = make_event(world)
    client.force_login(world.other_agency_staff)
    for url in ("", "edit/", "checkin/", "export/"):
        assert client.get(f"/events/manage/{event.pk}/{url}").status_code == 404
    for url in ("publish/", "cancel/", "held/", "materials/", "shares/"):
        assert client.post(f"/events/manage/{event.pk}/{url}").status_code == 404


def test_the_dashboard_counts_upcoming_events_with_registrations(world):
    event = make_event(world, title="冬季交流会", capacity=2)
    for _ in range(3):
        register(event)
    make_event(world, publish=False)

    (panel,) = dashboard.panels(world.users[Role.AGENCY_STAFF])

    assert panel["title"] == "即将举办的活动"
    assert panel["count"] == 1
    assert "冬季交流会" in panel["items"][0]
    assert "报名 2/2，候补 1" in panel["items"][0]
    assert dashboard.panels(world.users[Role.ENTERPRISE_USER]) == []
    (other,) = dashboard.panels(world.other_agency_staff)
    assert other["count"] == 0
