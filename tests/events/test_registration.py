"""Registration: places, the waiting list in order of arrival, moving up when a place frees,
the closing time, one live registration per email, the registrant's own page and its mail."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from manyi.common.models import ActivityLog, OutboxMessage
from manyi.events import selectors, tokens
from manyi.events.models import Registration, RegistrationStatus
from manyi.events.services import registration as registering
from tests.events.factories import make_event, person, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_places_fill_then_people_wait_in_order_of_arrival(world):
    event = make_event(world, capacity=2)

    first, _ = register(event)
    second, _ = register(event)
    third, _ = register(event)
    fourth, _ = register(event)

    assert [r.status for r in (first, second)] == [RegistrationStatus.CONFIRMED] * 2
    assert [r.status for r in (third, fourth)] == [RegistrationStatus.WAITLISTED] * 2
    assert selectors.waitlist_position(third) == 1
    assert selectors.waitlist_position(fourth) == 2
    assert selectors.waitlist_position(first) is None
    assert ActivityLog.objects.filter(action="event.register").count() == 2
    assert ActivityLog.objects.filter(action="event.waitlist").count() == 2


def test_each_registrant_is_mailed_their_own_page(world):
    event = make_event(world, capacity=1)
    _confirmed, token = register(event, email="first@example.cn")
    waiting, _token = register(event, email="second@example.cn")

    confirmed_mail = OutboxMessage.objects.get(to="first@example.cn")
    waiting_mail = OutboxMessage.objects.get(to="second@example.cn")

    assert confirmed_mail.subject.startswith("报名成功")
    assert f"/events/r/{token}/" in confirmed_mail.body_text
    assert "候补名单" in waiting_mail.subject
    assert "（第 1 位）" in waiting_mail.body_text
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_only_hashes_of_the_token_and_the_check_in_code_are_kept(world):
    event = make_event(world)
    registration, token = register(event)

    stored = Registration.objects.get(pk=registration.pk)
    assert token not in (stored.token_hash, stored.checkin_hash)
    assert stored.token_hash == Registration.hash_token(token)
    assert stored.checkin_hash == Registration.hash_token(tokens.checkin_code(token))
    assert tokens.checkin_code(token) != token
    assert selectors.registration_by_token(token) == registration


def test_cancelling_a_place_moves_the_first_waiting_person_up_and_mails_them(world):
    event = make_event(world, capacity=2)
    first, _ = register(event)
    register(event)
    third, _ = register(event, email="third@example.cn")
    fourth, _ = register(event)

    promoted = registering.cancel_registration(registration=first)

    assert promoted == [third]
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert first.cancelled_at is not None
    assert third.status == RegistrationStatus.CONFIRMED
    assert third.promoted_at is not None
    assert fourth.status == RegistrationStatus.WAITLISTED
    assert selectors.waitlist_position(fourth) == 1
    assert ActivityLog.objects.filter(action="event.unregister", object_id=str(first.pk)).exists()
    assert ActivityLog.objects.filter(action="event.promote", object_id=str(third.pk)).exists()
    mail = OutboxMessage.objects.get(to="third@example.cn", template="events/promoted")
    assert "候补转正" in mail.subject


def test_leaving_the_waiting_list_moves_nobody(world):
    event = make_event(world, capacity=1)
    register(event)
    waiting, _ = register(event)
    last, _ = register(event)

    assert registering.cancel_registration(registration=waiting) == []

    last.refresh_from_db()
    assert last.status == RegistrationStatus.WAITLISTED
    assert selectors.waitlist_position(last) == 1
    assert not ActivityLog.objects.filter(action="event.promote").exists()


def test_a_cancelled_registration_cannot_be_cancelled_again(world):
    event = make_event(world)
    registration, _ = register(event)
    registering.cancel_registration(registration=registration)

    with pytest.raises(ValidationError, match="该报名已经取消"):
        registering.cancel_registration(registration=registration)


def test_registration_closes_at_the_closing_time(world):
    event = make_event(world)

    with (
        time_machine.travel(event.registration_closes_at + dt.timedelta(minutes=1)),
        pytest.raises(ValidationError, match="报名已截止"),
    ):
        register(event)

    assert not Registration.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_draft_takes_no_registration(world):
    event = make_event(world, publish=False)

    with pytest.raises(ValidationError, match="未发布"):
        register(event)


def test_the_same_email_twice_is_refused_while_the_first_is_live(world):
    event = make_event(world)
    first, _ = register(event, email="same@example.cn")

    with pytest.raises(ValidationError) as refused:
        register(event, email="SAME@example.cn")
    assert "该邮箱已报名本活动" in refused.value.message_dict["email"][0]
    assert event.registrations.count() == 1

    registering.cancel_registration(registration=first)
    again, _ = register(event, email="same@example.cn")
    assert again.status == RegistrationStatus.CONFIRMED


def test_bad_details_are_all_listed_and_nothing_is_stored(world):
    event = make_event(world)

    with pytest.raises(ValidationError) as refused:
        registering.register(
            event=event, name="", organisation_name="", mobile="12345", email="not-an-address"
        )

    assert set(refused.value.message_dict) == {"name", "organisation_name", "mobile", "email"}
    assert not Registration.objects.exists()


def test_an_address_is_limited_per_hour(world, settings):
    event = make_event(world, capacity=500)
    for _ in range(registering.REGISTRATIONS_PER_HOUR):
        register(event, ip="10.9.9.9")

    with pytest.raises(ValidationError, match="每小时最多"):
        register(event, ip="10.9.9.9")
    register(event, ip="10.9.9.10")


def test_cancelling_is_refused_once_the_event_has_started(world):
    event = make_event(world)
    registration, _ = register(event)

    with (
        time_machine.travel(event.starts_at + dt.timedelta(minutes=5)),
        pytest.raises(ValidationError, match="不能再取消报名"),
    ):
        registering.cancel_registration(registration=registration)


def test_a_logged_in_person_is_linked_with_their_organisation(world):
    from manyi.accounts.roles import Role

    user = world.users[Role.ENTERPRISE_USER]
    event = make_event(world)

    registration, _ = registering.register(
        event=event, by=user, ip="10.0.0.2", **person(email=user.email)
    )

    assert registration.user == user
    assert registration.organisation == world.enterprise
    entry = ActivityLog.objects.get(action="event.register")
    assert entry.actor == user


def test_the_waiting_list_position_counts_only_those_ahead(world):
    event = make_event(world, capacity=1)
    register(event)
    waiting = [register(event)[0] for _ in range(3)]
    registering.cancel_registration(registration=waiting[0])

    assert [selectors.waitlist_position(r) for r in waiting[1:]] == [1, 2]
    assert timezone.now() < event.registration_closes_at
