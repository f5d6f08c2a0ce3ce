"""Organising: who creates events for which organisation, the checks of the fields, the
moves (publish, cancel with mail to every registrant, mark held), and editing: never below
the confirmed places, and a larger capacity moves the waiting list up."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.events.models import EventFormat, EventKind, EventStatus, RegistrationStatus
from manyi.events.services import organising
from tests.events.factories import fields, fields_of, make_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_an_event_starts_as_a_draft_of_the_organisers_organisation(world):
    staff = world.users[Role.AGENCY_STAFF]

    event = organising.create_event(by=staff, organiser=world.agency, **fields())

    assert event.status == EventStatus.DRAFT
    assert event.organiser == world.agency
    assert event.created_by == staff
    entry = ActivityLog.objects.get(action="event.create")
    assert entry.organisation == world.agency
    assert entry.after["capacity"] == 30


@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE_USER, Role.EXPERT, Role.WORKDEPT_STAFF, Role.SURVEYOR]
)
def test_people_who_organise_nothing_cannot_create(world, role):
    with pytest.raises(PermissionDenied):
        organising.create_event(by=world.users[role], organiser=world.agency, **fields())


def test_staff_create_only_for_their_own_organisation(world):
    with pytest.raises(PermissionDenied):
        organising.create_event(
            by=world.users[Role.AGENCY_STAFF], organiser=world.other_agency, **fields()
        )
    event = organising.create_event(
        by=world.users[Role.COMMITTEE_STAFF], organiser=world.committee, **fields()
    )
    assert event.organiser == world.committee


def test_every_problem_is_listed_by_field(world):
    starts = fields()["starts_at"]
    with pytest.raises(ValidationError) as refused:
        organising.create_event(
            by=world.users[Role.AGENCY_STAFF],
            organiser=world.agency,
            **fields(
                kind=EventKind.BENCHMARK,
                title=" ",
                formats=[],
                ends_at=starts - dt.timedelta(hours=1),
                registration_closes_at=starts + dt.timedelta(hours=1),
                capacity=0,
            ),
        )
    errors = refused.value.message_dict
    assert set(errors) == {
        "title",
        "formats",
        "host",
        "ends_at",
        "registration_closes_at",
        "capacity",
    }
    assert "标杆学习现场研修须有承办（标杆）企业" in errors["host"]


def test_a_benchmark_visit_is_hosted_by_a_registered_enterprise(world):
    staff = world.users[Role.AGENCY_STAFF]
    with pytest.raises(ValidationError) as refused:
        organising.create_event(
            by=staff,
            organiser=world.agency,
            **fields(kind=EventKind.BENCHMARK, host=world.other_agency),
        )
    assert "承办单位应为平台上登记的企业" in refused.value.message_dict["host"]

    event = organising.create_event(
        by=staff,
        organiser=world.agency,
        **fields(
            kind=EventKind.BENCHMARK,
            host=world.enterprise,
            formats=[EventFormat.SITE_VISIT, EventFormat.TALK, EventFormat.GROUP, EventFormat.QA],
        ),
    )
    assert event.host == world.enterprise
    assert event.formats == ["talk", "site_visit", "group", "qa"]


def test_unknown_formats_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        organising.create_event(
            by=world.users[Role.AGENCY_STAFF],
            organiser=world.agency,
            **fields(formats=["talk", "karaoke"]),
        )
    assert "formats" in refused.value.message_dict


def test_the_capacity_cannot_fall_below_the_confirmed_places(world):
    event = make_event(world, capacity=3)
    for _ in range(3):
        register(event)

    with pytest.raises(ValidationError) as refused:
        organising.update_event(
            event=event, by=world.users[Role.AGENCY_STAFF], **fields_of(event, capacity=2)
        )

    assert "已有 3 人报名成功，名额不能少于 3" in refused.value.message_dict["capacity"][0]
    event.refresh_from_db()
    assert event.capacity == 3
    assert not ActivityLog.objects.filter(action="event.update").exists()


def test_a_larger_capacity_moves_the_waiting_list_up(world):
    event = make_event(world, capacity=1)
    register(event)
    waiting = [register(event)[0] for _ in range(3)]

    organising.update_event(
        event=event, by=world.users[Role.AGENCY_STAFF], **fields_of(event, capacity=3)
    )

    statuses = [w.__class__.objects.get(pk=w.pk).status for w in waiting]
    assert statuses == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    entry = ActivityLog.objects.get(action="event.update")
    assert entry.before == {"capacity": 1}
    assert entry.after == {"capacity": 3}
    assert ActivityLog.objects.filter(action="event.promote").count() == 2


def test_another_organisations_staff_cannot_edit(world):
    event = make_event(world)
    with pytest.raises(PermissionDenied):
        organising.update_event(
            event=event, by=world.other_agency_staff, **fields_of(event, title="改")
        )


def test_cancelling_mails_every_live_registrant_with_the_reason(world):
    event = make_event(world, capacity=1)
    confirmed, _ = register(event, email="a@example.cn")
    waiting, _ = register(event, email="b@example.cn")
    gone, _ = register(event, email="c@example.cn")
    from manyi.events.services.registration import cancel_registration

    cancel_registration(registration=gone)
    OutboxMessage.objects.all().delete()

    organising.cancel_event(event=event, by=world.users[Role.AGENCY_STAFF], reason="场地维修")

    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    mails = OutboxMessage.objects.filter(template="events/event_cancelled")
    assert sorted(m.to for m in mails) == ["a@example.cn", "b@example.cn"]
    assert all("场地维修" in m.body_text for m in mails)
    assert ActivityLog.objects.get(action="event.cancel").note == "场地维修"


def test_cancelling_needs_a_reason(world):
    event = make_event(world)
    with pytest.raises(ValidationError):
        organising.cancel_event(event=event, by=world.users[Role.AGENCY_STAFF], reason=" ")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_an_event_is_marked_held_once_it_has_started_and_is_then_fixed(world):
    event = make_event(world)
    staff = world.users[Role.AGENCY_STAFF]

    with pytest.raises(ValidationError, match="活动开始后"):
        organising.mark_event_held(event=event, by=staff)

    with time_machine.travel(event.starts_at + dt.timedelta(hours=1)):
        organising.mark_event_held(event=event, by=staff)
    event.refresh_from_db()
    assert event.status == EventStatus.HELD

    with pytest.raises(ValidationError, match="不能再修改"):
        organising.update_event(event=event, by=staff, **fields_of(event, title="改名"))
    with pytest.raises(ValidationError):
        organising.cancel_event(event=event, by=staff, reason="晚了")


def test_publishing_twice_is_refused_politely(world):
    event = make_event(world)
    with pytest.raises(ValidationError, match="只有草稿"):
        organising.publish_event(event=event, by=world.users[Role.AGENCY_STAFF])


def test_a_planned_activity_must_be_of_a_published_plan_and_the_same_kind(world):
    from manyi.programme.models import AnnualPlan, PlannedActivity, PlanStatus

    admin = world.users[Role.ASSOCIATION_ADMIN]
    plan = AnnualPlan.objects.create(
        year=2026, theme="主题", summary="概要", status=PlanStatus.PUBLISHED, created_by=admin
    )
    exchange = PlannedActivity.objects.create(
        plan=plan, kind="exchange", title="经验交流", starts_on="2026-12-01", ends_on="2026-12-31"
    )
    training = PlannedActivity.objects.create(
        plan=plan, kind="training", title="培训", starts_on="2026-12-01", ends_on="2026-12-31"
    )
    staff = world.users[Role.AGENCY_STAFF]

    with pytest.raises(ValidationError) as refused:
        organising.create_event(
            by=staff, organiser=world.agency, **fields(planned_activity=training)
        )
    assert "planned_activity" in refused.value.message_dict
    with pytest.raises(ValidationError, match="类型不一致"):
        organising.create_event(
            by=staff,
            organiser=world.agency,
            **fields(kind=EventKind.CONFERENCE, planned_activity=exchange),
        )
    event = organising.create_event(
        by=staff, organiser=world.agency, **fields(planned_activity=exchange)
    )
    assert exchange.events.get() == event
