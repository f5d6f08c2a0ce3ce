"""Attendance and scores: all rows checked first, one wrong row saves nothing; every change
logged; re-editable after the class is held; only the organiser's people, once started."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training import services
from manyi.training.models import Enrolment
from manyi.training.results import Result, record_results
from tests.training.factories import enrolled, make_class, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    training_class = make_class(world)
    people = enrolled(world, training_class, names=("李明", "王芳", "赵强"))
    return started(training_class), people


def _record(world, training_class, rows):
    return record_results(
        by=world.users[Role.AGENCY_STAFF], training_class=training_class, rows=rows
    )


def test_attendance_and_scores_are_saved_and_each_change_logged(world, held):
    training_class, (li, wang, zhao) = held
    changed = _record(
        world,
        training_class,
        [
            Result(li.pk, True, Decimal("85.5")),
            Result(wang.pk, True, Decimal("52")),
            Result(zhao.pk, False, None),
        ],
    )

    assert changed == 3
    li.refresh_from_db()
    assert li.attended is True
    assert li.score == Decimal("85.5")
    assert li.scored_by == world.users[Role.AGENCY_STAFF]
    assert li.passed is True
    wang.refresh_from_db()
    assert wang.passed is False
    assert ActivityLog.objects.filter(action="training.attendance").count() == 3
    assert ActivityLog.objects.filter(action="training.score").count() == 2
    entry = ActivityLog.objects.get(action="training.score", object_id=str(li.pk))
    assert entry.before == {"name": "李明", "score": None}
    assert entry.after == {"name": "李明", "score": "85.5"}


def test_one_wrong_row_saves_nothing(world, held):
    training_class, (li, wang, zhao) = held
    with pytest.raises(ValidationError) as caught:
        _record(
            world,
            training_class,
            [
                Result(li.pk, True, Decimal("90")),
                Result(wang.pk, True, Decimal("101")),
                Result(zhao.pk, False, Decimal("70")),
            ],
        )
    errors = caught.value.message_dict
    assert errors[f"score-{wang.pk}"] == ["王芳：成绩应在 0 到 100 之间"]
    assert errors[f"score-{zhao.pk}"] == ["赵强：未出勤的学员不能登记成绩"]
    assert set(Enrolment.objects.values_list("attended", flat=True)) == {None}
    assert set(Enrolment.objects.values_list("score", flat=True)) == {None}
    assert not ActivityLog.objects.filter(action__in=["training.attendance", "training.score"])


def test_a_score_has_at_most_one_decimal_and_no_negative(world, held):
    training_class, (li, wang, _zhao) = held
    with pytest.raises(ValidationError) as caught:
        _record(
            world,
            training_class,
            [Result(li.pk, True, Decimal("80.25")), Result(wang.pk, True, Decimal("-1"))],
        )
    assert caught.value.message_dict[f"score-{li.pk}"] == ["李明：成绩最多保留一位小数"]
    assert caught.value.message_dict[f"score-{wang.pk}"] == ["王芳：成绩应在 0 到 100 之间"]


def test_a_row_of_another_class_is_refused(world, held):
    training_class, (li, _wang, _zhao) = held
    other = make_class(world, title="另一个班")
    stranger = enrolled(world, other, names=("外人",))[0]
    with pytest.raises(ValidationError) as caught:
        _record(world, training_class, [Result(stranger.pk, True, Decimal("90"))])
    assert caught.value.message_dict["__all__"] == ["有学员不属于本培训班，请刷新后重试"]
    stranger.refresh_from_db()
    assert stranger.attended is None


def test_scores_are_re_editable_after_the_class_is_held(world, held):
    training_class, (li, _wang, _zhao) = held
    _record(world, training_class, [Result(li.pk, True, Decimal("58"))])
    services.mark_held(by=world.users[Role.AGENCY_STAFF], training_class=training_class)

    changed = _record(world, training_class, [Result(li.pk, True, Decimal("62"))])
    assert changed == 1
    li.refresh_from_db()
    assert li.score == Decimal("62")
    scores = ActivityLog.objects.filter(action="training.score").order_by("pk")
    assert [e.after["score"] for e in scores] == ["58", "62"]
    # Nothing changed: nothing logged.
    assert _record(world, training_class, [Result(li.pk, True, Decimal("62.0"))]) == 0
    assert ActivityLog.objects.filter(action="training.score").count() == 2


def test_only_the_organiser_once_the_class_has_started(world):
    training_class = make_class(world)
    li = enrolled(world, training_class, names=("李明",))[0]
    with pytest.raises(ValidationError) as caught:
        _record(world, training_class, [Result(li.pk, True, Decimal("90"))])
    assert caught.value.messages == ["培训班开始后才能登记出勤和成绩、办理结课"]

    started(training_class)
    for someone in (world.other_agency_staff, world.users[Role.ENTERPRISE_USER]):
        with pytest.raises(PermissionDenied):
            record_results(
                by=someone,
                training_class=training_class,
                rows=[Result(li.pk, True, Decimal("90"))],
            )
    li.refresh_from_db()
    assert li.score is None
