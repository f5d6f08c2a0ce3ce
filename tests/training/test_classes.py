"""Scheduling, editing and the moves of a class: who may, what is refused, what is logged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.programme.models import ActivityKind, AnnualPlan, PlannedActivity, PlanStatus
from manyi.training import services
from manyi.training.models import ClassStatus, TrainingClass
from tests.training.factories import class_data, enrolled, make_class, started

pytestmark = pytest.mark.django_db


def test_agency_staff_schedule_a_class_for_their_agency(world):
    training_class = make_class(world)

    assert training_class.organiser == world.agency
    assert training_class.status == ClassStatus.OPEN
    assert training_class.is_internal is False
    entry = ActivityLog.objects.get(action="training.class_create")
    assert entry.organisation == world.agency
    assert entry.after["title"] == "用户满意理论培训班"


def test_an_enterprise_class_is_internal(world):
    training_class = make_class(
        world, by=world.users[Role.ENTERPRISE_USER], organiser=world.enterprise
    )
    assert training_class.is_internal is True


def test_offices_schedule_for_their_office(world):
    training_class = make_class(
        world, by=world.users[Role.COMMITTEE_STAFF], organiser=world.committee
    )
    assert training_class.organiser == world.committee


@pytest.mark.parametrize(
    ("role", "organiser"),
    [
        (Role.AGENCY_STAFF, "other_agency"),
        (Role.WORKDEPT_STAFF, "workdept"),
        (Role.ENTERPRISE_USER, "other_enterprise"),
        (Role.EXPERT, "committee"),
    ],
)
def test_nobody_schedules_for_an_organisation_they_do_not_organise_for(world, role, organiser):
    with pytest.raises(PermissionDenied):
        make_class(world, by=world.users[role], organiser=getattr(world, organiser))
    assert not TrainingClass.objects.exists()


def test_every_problem_is_listed_and_nothing_is_stored(world):
    past = timezone.now() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        make_class(
            world,
            title=" ",
            topic="cooking",
            starts_at=past,
            ends_at=past - dt.timedelta(hours=1),
            hours=Decimal("0"),
            capacity=0,
            pass_score=Decimal("101"),
        )
    errors = caught.value.message_dict
    assert errors["title"] == ["请填写班名"]
    assert errors["topic"] == ["请从第十八条的培训内容中选择"]
    assert errors["starts_at"] == ["开始时间应晚于现在"]
    assert errors["ends_at"] == ["结束时间应晚于开始时间"]
    assert errors["hours"] == ["学时应在 0.5 到 200 之间"]
    assert "名额应在 1 到" in errors["capacity"][0]
    assert errors["pass_score"] == ["合格分数应在 0 到 100 之间"]
    assert not TrainingClass.objects.exists()


def test_enrolment_may_not_close_after_the_start(world):
    data = class_data()
    with pytest.raises(ValidationError) as caught:
        make_class(world, enrol_closes_at=data["starts_at"] + dt.timedelta(minutes=1))
    assert caught.value.message_dict["enrol_closes_at"] == ["报名截止时间不能晚于开始时间"]


def test_only_a_published_plans_training_activity_may_be_named(world):
    plan = AnnualPlan.objects.create(
        year=2026,
        theme="以用户为中心",
        summary="计划",
        created_by=world.users[Role.ASSOCIATION_ADMIN],
    )
    activity = PlannedActivity.objects.create(
        plan=plan,
        kind=ActivityKind.TRAINING,
        title="用户满意知识培训",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 12, 1),
    )
    with pytest.raises(ValidationError) as caught:
        make_class(world, planned_activity=activity)
    assert "已发布的年度计划" in caught.value.message_dict["planned_activity"][0]

    AnnualPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.PUBLISHED)
    assert make_class(world, planned_activity=activity).planned_activity == activity


def test_editing_logs_what_changed_and_keeps_capacity_above_enrolments(world):
    training_class = make_class(world, capacity=5)
    enrolled(world, training_class, names=("甲", "乙", "丙"))
    data = class_data(starts_at=training_class.starts_at, ends_at=training_class.ends_at)

    with pytest.raises(ValidationError) as caught:
        services.update_class(
            by=world.users[Role.AGENCY_STAFF],
            training_class=training_class,
            **data | {"capacity": 2},
        )
    assert caught.value.message_dict["capacity"] == ["已有 3 人报名，名额不能少于已报名人数"]

    services.update_class(
        by=world.users[Role.AGENCY_STAFF],
        training_class=training_class,
        **data | {"capacity": 40, "place": "新地点"},
    )
    training_class.refresh_from_db()
    assert training_class.capacity == 40
    entry = ActivityLog.objects.get(action="training.class_update")
    assert entry.before == {"capacity": 5, "place": "天河区质量技术协会三楼会议室"}
    assert entry.after == {"capacity": 40, "place": "新地点"}


def test_another_agency_may_not_edit(world):
    training_class = make_class(world)
    with pytest.raises(PermissionDenied):
        services.update_class(
            by=world.other_agency_staff, training_class=training_class, **class_data()
        )


def test_close_and_reopen_enrolment(world):
    staff = world.users[Role.AGENCY_STAFF]
    training_class = make_class(world)

    services.close_enrolment(by=staff, training_class=training_class)
    assert TrainingClass.objects.get().status == ClassStatus.CLOSED
    services.reopen_enrolment(by=staff, training_class=training_class)
    assert TrainingClass.objects.get().status == ClassStatus.OPEN
    assert [e.action for e in ActivityLog.objects.order_by("pk")][-2:] == [
        "training.class_close",
        "training.class_reopen",
    ]


def test_a_second_press_from_a_stale_page_is_told_politely(world):
    staff = world.users[Role.AGENCY_STAFF]
    training_class = make_class(world)
    stale = TrainingClass.objects.get(pk=training_class.pk)
    services.close_enrolment(by=staff, training_class=training_class)

    with pytest.raises(ValidationError) as caught:
        services.cancel_class(by=staff, training_class=stale, reason="场地问题")
    assert "刚被其他同事修改为“报名截止”" in caught.value.messages[0]
    assert TrainingClass.objects.get().status == ClassStatus.CLOSED


def test_a_class_is_marked_held_only_once_it_has_started(world):
    staff = world.users[Role.AGENCY_STAFF]
    training_class = make_class(world)
    with pytest.raises(ValidationError) as caught:
        services.mark_held(by=staff, training_class=training_class)
    assert caught.value.messages == ["培训班开始后才能登记出勤和成绩、办理结课"]

    services.mark_held(by=staff, training_class=started(training_class))
    assert TrainingClass.objects.get().status == ClassStatus.HELD
    with pytest.raises(ValidationError):
        services.update_class(by=staff, training_class=training_class, **class_data())


def test_cancelling_needs_a_reason_and_mails_the_enrolled_organisations(world):
    staff = world.users[Role.AGENCY_STAFF]
    training_class = make_class(world)
    enrolled(world, training_class, names=("李明", "王芳"))
    enrolled(world, training_class, names=("赵强",), organisation=world.other_enterprise)

    with pytest.raises(ValidationError):
        services.cancel_class(by=staff, training_class=training_class, reason=" ")
    assert TrainingClass.objects.get().status == ClassStatus.OPEN

    with pytest.raises(PermissionDenied):
        services.cancel_class(
            by=world.users[Role.ENTERPRISE_USER], training_class=training_class, reason="x"
        )

    services.cancel_class(by=staff, training_class=training_class, reason="授课老师临时出差")
    training_class.refresh_from_db()
    assert training_class.status == ClassStatus.CANCELLED
    assert training_class.cancel_reason == "授课老师临时出差"
    recipients = sorted(OutboxMessage.objects.values_list("to", flat=True))
    # Every enterprise user of both organisations (the world's enterprise has two).
    expected = sorted(
        [world.users[Role.ENTERPRISE_USER].email, world.colleague.email, world.outsider.email]
    )
    assert recipients == expected
    message = OutboxMessage.objects.get(to=world.outsider.email)
    assert "培训班取消通知：用户满意理论培训班" in message.subject
    assert "授课老师临时出差" in message.body_text
    assert "赵强" in message.body_text
    assert "李明" not in message.body_text
    assert ActivityLog.objects.get(action="training.class_cancel").note == "授课老师临时出差"
