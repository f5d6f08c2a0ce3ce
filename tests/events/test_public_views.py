"""The public pages: the list (to come first, then past; by kind; by name), an event's page
(English where written, places left, the registration form), registering through it, the
registrant's own page (status, position, QR code, cancel)."""

import datetime as dt

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import OutboxMessage
from manyi.events.models import EventKind, EventStatus, Registration, RegistrationStatus
from manyi.events.services import organising
from tests.events.factories import fields_of, make_event, person, register
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db


def _post(client, event, **overrides):
    return client.post(f"/events/{event.pk}/", person(**overrides))


def test_the_list_shows_events_to_come_soonest_first_then_past_ones(world, client):
    now = timezone.now()
    later = make_event(world, title="下月交流会", starts_at=now + dt.timedelta(days=30))
    sooner = make_event(world, title="下周交流会", starts_at=now + dt.timedelta(days=7))
    past = make_event(world, title="去年大会", starts_at=now + dt.timedelta(days=2))
    old = make_event(world, title="前年大会", starts_at=now + dt.timedelta(days=3))
    draft = make_event(world, title="草稿活动", publish=False)
    from manyi.events.models import Event

    Event.objects.filter(pk=past.pk).update(
        starts_at=now - dt.timedelta(days=300), ends_at=now - dt.timedelta(days=300)
    )
    Event.objects.filter(pk=old.pk).update(
        starts_at=now - dt.timedelta(days=700), ends_at=now - dt.timedelta(days=700)
    )

    page = client.get("/events/").content.decode()

    order = [page.index(f'data-event="{e.pk}"') for e in (sooner, later, past, old)]
    assert order == sorted(order)
    assert draft.title not in page


def test_the_list_filters_by_kind_and_searches_by_name(world, client):
    make_event(world, title="经验交流会甲")
    make_event(world, title="推进大会乙", kind=EventKind.CONFERENCE)

    by_kind = client.get("/events/?kind=conference").content.decode()
    assert "推进大会乙" in by_kind
    assert "经验交流会甲" not in by_kind
    searched = client.get("/events/?q=交流").content.decode()
    assert "经验交流会甲" in searched
    assert "推进大会乙" not in searched


def test_the_list_is_paginated_by_fifty(world, client):
    event = make_event(world)
    from manyi.events.models import Event

    Event.objects.bulk_create(
        [
            Event(
                **{
                    **fields_of(event),
                    "organiser": world.agency,
                    "created_by": event.created_by,
                    "status": EventStatus.PUBLISHED,
                    "title": f"活动{i}",
                }
            )
            for i in range(55)
        ]
    )
    first = client.get("/events/").content.decode()
    assert first.count("data-event=") == 50
    assert "第 1 / 2 页" in first
    assert client.get("/events/?page=2").content.decode().count("data-event=") == 6


def test_the_list_costs_the_same_at_two_sizes(world, client):
    make_event(world)

    def grow():
        for _ in range(3):
            register(make_event(world))

    assert_flat(client, "/events/", grow=grow)


def test_a_draft_has_no_public_page(world, client):
    event = make_event(world, publish=False)
    assert client.get(f"/events/{event.pk}/").status_code == 404


def test_the_page_shows_formats_host_agenda_and_places_left(world, client):
    event = make_event(
        world,
        kind=EventKind.BENCHMARK,
        host=world.enterprise,
        formats=["site_visit", "qa"],
        capacity=3,
    )
    register(event)

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert "企业现场参观交流、答疑研讨" in page
    assert world.enterprise.name in page
    assert "14:30 交流" in page
    assert "尚余 2 个名额" in page
    assert "提交报名" in page


def test_english_title_and_summary_when_written_and_the_interface_is_english(world, client):
    event = make_event(world, title_en="Exchange meeting", summary_en="Members share practice.")
    plain = make_event(world, title="无英文的活动")

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/events/{event.pk}/").content.decode()
    assert "Exchange meeting" in english
    assert "Members share practice." in english
    assert "无英文的活动" in client.get(f"/events/{plain.pk}/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "用户满意经验交流会" in client.get(f"/events/{event.pk}/").content.decode()


def test_registering_through_the_page_leads_to_the_registrants_own_page(world, client):
    event = make_event(world, capacity=1)

    response = _post(client, event, name="甲")

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/events/r/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page["Referrer-Policy"] == "strict-origin"
    assert "报名成功" in html
    assert "data-qr" in html
    assert registration.status == RegistrationStatus.CONFIRMED


def test_when_full_the_page_says_waiting_list_and_the_position(world, client):
    event = make_event(world, capacity=1)
    register(event)

    detail = client.get(f"/events/{event.pk}/").content.decode()
    assert "名额已满" in detail
    assert "报名候补" in detail
    response = _post(client, event)
    page = client.get(response["Location"]).content.decode()
    assert "候补第 1 位" in page
    assert "data-qr" not in page


def test_a_bad_form_is_shown_again_and_a_duplicate_is_explained(world, client):
    event = make_event(world)
    register(event, email="dup@example.cn")

    bad = client.post(f"/events/{event.pk}/", {"name": ""})
    assert bad.status_code == 200
    dup = _post(client, event, email="dup@example.cn")
    assert dup.status_code == 200
    assert "该邮箱已报名本活动" in dup.content.decode()
    assert event.registrations.count() == 1


def test_after_the_closing_time_the_page_takes_no_registration(world, client):
    import time_machine

    event = make_event(world)
    with time_machine.travel(event.registration_closes_at + dt.timedelta(seconds=1)):
        page = client.get(f"/events/{event.pk}/").content.decode()
        assert "报名已截止" in page
        assert "提交报名" not in page
        _post(client, event)
    assert not Registration.objects.exists()


def test_a_logged_in_person_finds_the_form_filled_in(world, client):
    user = world.users[Role.ENTERPRISE_USER]
    user.mobile = "13700001234"
    user.save()
    event = make_event(world)
    client.force_login(user)

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert f'value="{user.email}"' in page
    assert f'value="{world.enterprise.name}"' in page
    assert 'value="13700001234"' in page


def test_cancelling_from_the_own_page_gives_the_place_to_the_first_waiting(world, client):
    event = make_event(world, capacity=1)
    first, token = register(event)
    waiting, waiting_token = register(event, email="next@example.cn")

    page = client.get(f"/events/r/{token}/").content.decode()
    assert 'data-action="cancel-registration"' in page
    client.post(f"/events/r/{token}/cancel/")

    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert OutboxMessage.objects.filter(to="next@example.cn", template="events/promoted").exists()
    mine = client.get(f"/events/r/{token}/").content.decode()
    assert "已取消" in mine
    assert 'data-action="cancel-registration"' not in mine
    assert "data-qr" in client.get(f"/events/r/{waiting_token}/").content.decode()


def test_an_unknown_token_is_a_404(client):
    assert client.get("/events/r/nothing-here/").status_code == 404
    assert client.post("/events/r/nothing-here/cancel/").status_code == 404


def test_a_cancelled_event_says_so_to_its_registrants(world, client):
    event = make_event(world)
    _, token = register(event)
    organising.cancel_event(event=event, by=world.users[Role.AGENCY_STAFF], reason="台风")

    assert "本活动已取消" in client.get(f"/events/{event.pk}/").content.decode()
    page = client.get(f"/events/r/{token}/").content.decode()
    assert "本活动已取消" in page
    assert 'data-action="cancel-registration"' not in page


def test_materials_and_shares_appear_on_the_public_page(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.events.services import after_event
    from tests.events.test_after_event import PDF

    event = make_event(world)
    staff = world.users[Role.AGENCY_STAFF]
    material = after_event.add_material(
        event=event, by=staff, title="大会议程", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    after_event.add_share(
        event=event, by=staff, organisation=world.enterprise, speaker="梁经理", title="响应时限"
    )

    page = client.get(f"/events/{event.pk}/").content.decode()

    assert f"/events/materials/{material.pk}/" in page
    assert "响应时限" in page
    assert "梁经理" in page
