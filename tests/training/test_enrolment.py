"""Enrolment: own employees only, places counted under the class's lock, the closing time,
internal classes, withdrawing before the start, a new employee enrolled on the way."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training import enrolling, services
from manyi.training.models import Employee, Enrolment, TrainingClass
from tests.training.factories import enrolled, make_class, make_employee, started

pytestmark = pytest.mark.django_db


def test_an_enterprise_enrols_its_employees_and_each_is_logged(world):
    training_class = make_class(world)
    made = enrolled(world, training_class, names=("李明", "王芳"))

    assert [e.employee.name for e in made] == ["李明", "王芳"]
    assert Enrolment.objects.filter(training_class=training_class).count() == 2
    entries = ActivityLog.objects.filter(action="training.enrol")
    assert entries.count() == 2
    assert {e.organisation for e in entries} == {world.enterprise}


def test_the_capacity_is_never_exceeded_in_a_concurrency_like_sequence(world):
    """Both enterprises read the class with places left; the second to write is refused,
    because the places are counted again under the class's row lock, not from the page."""
    training_class = make_class(world, capacity=3)
    mine = [make_employee(world, n) for n in ("甲", "乙")]
    theirs = [make_employee(world, n, organisation=world.other_enterprise) for n in ("丙", "丁")]
    seen_by_mine = TrainingClass.objects.get(pk=training_class.pk)
    seen_by_theirs = TrainingClass.objects.get(pk=training_class.pk)

    enrolling.enrol(
        by=world.users[Role.ENTERPRISE_USER], training_class=seen_by_mine, employees=mine
    )
    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(by=world.outsider, training_class=seen_by_theirs, employees=theirs)
    assert caught.value.messages == ["名额不足：只剩 1 个名额，您选择了 2 人"]
    assert Enrolment.objects.count() == 2

    enrolling.enrol(by=world.outsider, training_class=seen_by_theirs, employees=theirs[:1])
    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(by=world.outsider, training_class=seen_by_theirs, employees=theirs[1:])
    assert caught.value.messages == ["名额已满"]
    assert Enrolment.objects.count() == 3


def test_no_enrolment_after_the_closing_time_or_once_closed(world):
    staff = world.users[Role.AGENCY_STAFF]
    training_class = make_class(world)
    employee = make_employee(world)
    TrainingClass.objects.filter(pk=training_class.pk).update(
        enrol_closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    training_class.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(
            by=world.users[Role.ENTERPRISE_USER],
            training_class=training_class,
            employees=[employee],
        )
    assert caught.value.messages == ["报名时间已过"]

    other = make_class(world)
    services.close_enrolment(by=staff, training_class=other)
    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(
            by=world.users[Role.ENTERPRISE_USER], training_class=other, employees=[employee]
        )
    assert caught.value.messages == ["该培训班不在报名中"]
    assert not Enrolment.objects.exists()


def test_an_internal_class_takes_only_the_organisers_people(world):
    internal = make_class(world, by=world.users[Role.ENTERPRISE_USER], organiser=world.enterprise)
    outsider_employee = make_employee(world, "赵强", organisation=world.other_enterprise)
    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(by=world.outsider, training_class=internal, employees=[outsider_employee])
    assert caught.value.messages == ["这是其他单位的内部培训，只接受该单位的职工报名"]

    enrolled(world, internal, names=("李明",))
    assert Enrolment.objects.get().employee.organisation == world.enterprise


def test_only_own_employees_in_post_and_not_twice(world):
    training_class = make_class(world)
    user = world.users[Role.ENTERPRISE_USER]
    theirs = make_employee(world, "赵强", organisation=world.other_enterprise)
    mine = make_employee(world, "李明")
    gone = make_employee(world, "钱多")
    Employee.objects.filter(pk=gone.pk).update(is_active=False)
    gone.refresh_from_db()
    enrolling.enrol(by=user, training_class=training_class, employees=[mine])

    with pytest.raises(ValidationError) as caught:
        enrolling.enrol(by=user, training_class=training_class, employees=[theirs, gone, mine])
    assert caught.value.messages == [
        "赵强 不是本单位的职工",
        "钱多 已离职，不能报名",
        "李明 已经报名了这个培训班",
    ]
    assert Enrolment.objects.count() == 1


def test_agency_staff_do_not_enrol(world):
    training_class = make_class(world)
    employee = make_employee(world)
    with pytest.raises(ValidationError):
        enrolling.enrol(
            by=world.users[Role.AGENCY_STAFF], training_class=training_class, employees=[employee]
        )
    assert not Enrolment.objects.exists()


def test_withdrawing_before_the_start_only(world):
    training_class = make_class(world)
    first, second = enrolled(world, training_class)
    with pytest.raises(PermissionDenied):
        enrolling.withdraw(by=world.outsider, enrolment=first)

    enrolling.withdraw(by=world.users[Role.ENTERPRISE_USER], enrolment=first)
    assert list(Enrolment.objects.values_list("employee__name", flat=True)) == ["王芳"]
    entry = ActivityLog.objects.get(action="training.unenrol")
    assert entry.before["name"] == "李明"

    started(training_class)
    second.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        enrolling.withdraw(by=world.users[Role.ENTERPRISE_USER], enrolment=second)
    assert caught.value.messages == ["培训班已经开始，不能再取消报名"]
    assert Enrolment.objects.count() == 1


def test_a_new_employee_enrolled_on_the_way_is_not_kept_when_the_class_is_full(world):
    user = world.users[Role.ENTERPRISE_USER]
    training_class = make_class(world, capacity=1)
    enrolment = enrolling.enrol_new_employee(
        by=user,
        training_class=training_class,
        organisation=world.enterprise,
        name="孙丽",
        department="客服部",
        mobile="13800138001",
    )
    assert enrolment.employee.name == "孙丽"
    assert ActivityLog.objects.filter(action="training.employee_create").count() == 1

    with pytest.raises(ValidationError) as caught:
        enrolling.enrol_new_employee(
            by=user, training_class=training_class, organisation=world.enterprise, name="周杰"
        )
    assert caught.value.messages == ["名额已满"]
    assert not Employee.objects.filter(name="周杰").exists()
    assert ActivityLog.objects.filter(action="training.employee_create").count() == 1
