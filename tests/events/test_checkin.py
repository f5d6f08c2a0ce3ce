"""Check-in: the organiser's staff check a confirmed person in once, from the list or from the
page the QR code opens; a wrong code is a 404, anyone else learns nothing (403 or 404), and
waiting or cancelled people cannot check in. Mobiles are masked on these pages."""

import re
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.events import tokens
from manyi.events.services import registration as registering
from tests.events.factories import make_event, register
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _scan_url(event, token):
    return f"/events/{event.pk}/checkin/{tokens.checkin_code(token)}/"


@pytest.fixture
def staff(world):
    return world.users[Role.AGENCY_STAFF]


def test_the_qr_code_opens_the_persons_page_and_the_button_checks_them_in(world, client, staff):
    event = make_event(world)
    registration, token = register(event, name="张三", mobile="13812345678")
    client.force_login(staff)

    page = client.get(_scan_url(event, token))
    html = page.content.decode()
    assert page.status_code == 200
    assert "张三" in html
    assert "138****5678" in html
    assert "13812345678" not in html
    assert 'data-action="check-in"' in html
    assert page["Referrer-Policy"] == "strict-origin"

    done = client.post(_scan_url(event, token))
    assert done.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == staff
    assert ActivityLog.objects.filter(action="event.check_in", actor=staff).count() == 1

    again = client.get(_scan_url(event, token)).content.decode()
    assert 'data-action="check-in"' not in again
    assert "已签到，签到时间" in again


def test_checking_in_twice_says_when_it_was_done(world, staff):
    event = make_event(world)
    registration, _ = register(event)
    registering.check_in(registration=registration, by=staff)

    with pytest.raises(ValidationError) as refused:
        registering.check_in(registration=registration, by=staff)

    assert re.search(r"已签到，签到时间：\d{4}年", refused.value.messages[0])
    assert ActivityLog.objects.filter(action="event.check_in").count() == 1


def test_waiting_and_cancelled_people_cannot_check_in(world, staff):
    event = make_event(world, capacity=1)
    confirmed, _ = register(event)
    waiting, _ = register(event)
    registering.cancel_registration(registration=waiting)
    still_waiting, _ = register(event)

    for registration in (waiting, still_waiting):
        registration.refresh_from_db()
        with pytest.raises(ValidationError, match="候补或已取消"):
            registering.check_in(registration=registration, by=staff)
    assert confirmed.checked_in_at is None


def test_a_wrong_code_or_another_events_code_is_a_404(world, client, staff):
    event = make_event(world)
    other = make_event(world, title="另一场")
    _, token = register(other)
    client.force_login(staff)

    assert client.get(f"/events/{event.pk}/checkin/not-a-code/").status_code == 404
    assert client.get(_scan_url(event, token)).status_code == 404
    # The registrant's own token is not the check-in code.
    assert client.get(f"/events/{other.pk}/checkin/{token}/").status_code == 404
    assert client.post(_scan_url(event, token)).status_code == 404


def test_people_who_are_not_the_organisers_staff_learn_nothing(world, client):
    event = make_event(world)
    registration, token = register(event, name="李四")
    url = _scan_url(event, token)

    assert client.get(url).status_code == 302  # anonymous: to log in
    for user, expected in (
        (world.users[Role.ENTERPRISE_USER], 403),
        (world.users[Role.EXPERT], 403),
        (world.other_agency_staff, 404),
        (world.users[Role.ASSOCIATION_ADMIN], 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected
        assert "李四" not in response.content.decode()
        assert client.post(url).status_code == expected
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_check_in_list_searches_counts_and_checks_in_a_row(world, client, staff):
    event = make_event(world, capacity=2)
    first, _ = register(event, name="王五", mobile="13900001111")
    register(event, name="赵六")
    waiting, _ = register(event, name="钱七")
    client.force_login(staff)

    page = client.get(f"/events/manage/{event.pk}/checkin/").content.decode()
    assert page.count('data-action="check-in"') == 2  # the waiting person has no button
    assert "139****1111" in page
    assert "13900001111" not in page

    found = client.get(f"/events/manage/{event.pk}/checkin/?q=王五").content.decode()
    assert "王五" in found
    assert "赵六" not in found

    response = client.post(
        f"/events/manage/{event.pk}/checkin/{first.pk}/",
        {"next": f"/events/manage/{event.pk}/checkin/?q=王五"},
    )
    assert unquote(response["Location"]) == f"/events/manage/{event.pk}/checkin/?q=王五"
    first.refresh_from_db()
    assert first.checked_in_at is not None
    after = client.get(f"/events/manage/{event.pk}/checkin/").content.decode()
    assert 'data-count="checked_in">1<' in after

    refused = client.post(f"/events/manage/{event.pk}/checkin/{waiting.pk}/", follow=True)
    assert "候补或已取消的报名不能签到" in refused.content.decode()


def test_another_agency_cannot_check_in_from_the_list(world, client):
    event = make_event(world)
    registration, _ = register(event)
    client.force_login(world.other_agency_staff)

    assert client.get(f"/events/manage/{event.pk}/checkin/").status_code == 404
    response = client.post(f"/events/manage/{event.pk}/checkin/{registration.pk}/")
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_check_in_list_costs_the_same_at_two_sizes(world, client, staff):
    event = make_event(world)
    register(event)
    client.force_login(staff)

    def grow():
        for _ in range(3):
            register(event)

    assert_flat(client, f"/events/manage/{event.pk}/checkin/", grow=grow)
