"""Improvement plans: made from an own finished measurement, actions from its map, ticked off,
and the next measurement's verdict on the targeted drivers."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.selfmeasure import plans, progress, selectors
from manyi.selfmeasure.models import ImprovementAction
from manyi.selfmeasure.services import share_measurement
from manyi.surveys.models import MeasurementRun, RunStatus
from manyi.surveys.services import rerun
from tests.selfmeasure.factories import closed_survey, own_upload

pytestmark = pytest.mark.django_db

DUE = dt.date(2030, 6, 30)


@pytest.fixture
def run(world):
    return own_upload(world, seed=21)


@pytest.fixture
def plan(world, run):
    return plans.create_plan(run=run, by=world.users[Role.ENTERPRISE_USER])


def add(plan, by, driver="QUALITY", indicator="", **extra):
    fields = {"description": "缩短售后上门时间", "owner": "客户服务部", "due_on": DUE} | extra
    return plans.add_action(plan=plan, by=by, driver=driver, indicator=indicator, **fields)


def test_a_plan_answers_an_own_finished_measurement(world, run, plan):
    assert plan.organisation == world.enterprise
    assert plan.run == run
    assert plan.target_lv == "SAT"
    assert plan.title == f"改进计划：{run.title}"
    assert ActivityLog.objects.get(action="improvement.plan_create").after == {
        "run": run.pk,
        "target": "SAT",
    }


def test_a_shared_measurement_may_have_a_plan_too(world, run):
    user = world.users[Role.ENTERPRISE_USER]
    share_measurement(dataset=run.dataset, by=user)
    run.dataset.refresh_from_db()

    assert plans.create_plan(run=run, by=user, title="2026 改进").title == "2026 改进"


def test_no_plan_from_an_unfinished_or_another_organisations_run(world, run):
    user = world.users[Role.ENTERPRISE_USER]
    MeasurementRun.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="计算完成后"):
        plans.create_plan(run=run, by=user)
    programme = own_upload(world, user=world.users[Role.COMMITTEE_STAFF], seed=22)
    with pytest.raises(PermissionDenied):
        plans.create_plan(run=programme, by=world.users[Role.COMMITTEE_STAFF])
    MeasurementRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    run.refresh_from_db()
    with pytest.raises(PermissionDenied):
        plans.create_plan(run=run, by=world.outsider)


def test_proposals_put_the_concentrate_here_quadrant_first(run):
    found = progress.proposals(run)

    constructs = found["constructs"]
    assert {row["lv"] for row in constructs} == {"IMAGE", "QUALITY", "VALUE"}
    urgent = [row["urgent"] for row in constructs]
    assert urgent == sorted(urgent, reverse=True)
    indicators = found["indicators"]
    first_plain = next(
        (i for i, row in enumerate(indicators) if not row["urgent"]), len(indicators)
    )
    assert all(row["urgent"] for row in indicators[:first_plain])
    assert not any(row["urgent"] for row in indicators[first_plain:])
    by_quadrant = {row["quadrant"] for row in run.result["ipma"]["indicators"]}
    assert ("concentrate_here" in by_quadrant) == bool(first_plain)


def test_an_action_keeps_the_baseline_of_its_driver_or_indicator(world, run, plan):
    user = world.users[Role.ENTERPRISE_USER]

    whole = add(plan, user, driver="QUALITY")
    item = add(plan, user, driver="VALUE", indicator="value2")

    assert whole.baseline == pytest.approx(run.result["index"]["QUALITY"])
    performance = {r["indicator"]: r["performance"] for r in run.result["ipma"]["indicators"]}
    assert item.baseline == pytest.approx(performance["value2"])
    assert ActivityLog.objects.filter(action="improvement.action_add").count() == 2


def test_an_action_needs_a_driver_of_the_map_and_its_fields(world, plan):
    user = world.users[Role.ENTERPRISE_USER]
    with pytest.raises(ValidationError) as refused:
        plans.add_action(
            plan=plan, by=user, driver="EXPECT", description=" ", owner="", due_on=None
        )
    errors = refused.value.message_dict
    assert errors["driver"] == ["请选择本次测评的一个驱动因素"]
    assert errors["description"] == ["请填写改进措施"]
    assert errors["owner"] == ["请填写负责部门或负责人"]
    assert errors["due_on"] == ["请填写完成期限"]
    with pytest.raises(ValidationError, match="不属于所选的改进对象"):
        add(plan, user, driver="QUALITY", indicator="value1")
    assert not ImprovementAction.objects.exists()


def test_edit_tick_reopen_and_delete(world, run, plan):
    user = world.users[Role.ENTERPRISE_USER]
    action = add(plan, user)

    plans.update_action(
        action=action,
        by=user,
        driver="IMAGE",
        indicator="",
        description="品牌宣传",
        owner="市场部",
        due_on=DUE,
    )
    action.refresh_from_db()
    assert action.driver == "IMAGE"
    assert action.baseline == pytest.approx(run.result["index"]["IMAGE"])
    plans.complete_action(action=action, by=user, note="已在全部门店完成培训")
    action.refresh_from_db()
    assert action.is_done
    assert action.done_by == user
    assert action.done_note == "已在全部门店完成培训"
    with pytest.raises(ValidationError, match="已经完成"):
        plans.delete_action(action=action, by=user)
    with pytest.raises(ValidationError, match="已经完成"):
        plans.update_action(
            action=action, by=user, driver="IMAGE", description="x", owner="y", due_on=DUE
        )
    plans.reopen_action(action=action, by=user)
    action.refresh_from_db()
    assert not action.is_done
    assert action.done_note == ""
    plans.delete_action(action=action, by=user)
    assert not ImprovementAction.objects.exists()
    logged = set(ActivityLog.objects.values_list("action", flat=True))
    assert {
        "improvement.action_update",
        "improvement.action_done",
        "improvement.action_reopen",
        "improvement.action_delete",
    } <= logged


def test_another_enterprise_cannot_touch_a_plan(world, plan):
    action = add(plan, world.users[Role.ENTERPRISE_USER])
    with pytest.raises(PermissionDenied):
        add(plan, world.outsider)
    with pytest.raises(PermissionDenied):
        plans.complete_action(action=action, by=world.outsider)
    assert not selectors.plans(world.outsider).exists()
    assert not selectors.plans(world.users[Role.COMMITTEE_STAFF]).exists()


def test_an_open_action_past_its_date_is_overdue(world, plan):
    user = world.users[Role.ENTERPRISE_USER]
    today = timezone.localdate()
    late = add(plan, user, due_on=today - dt.timedelta(days=1))
    due_today = add(plan, user, driver="VALUE", due_on=today)

    assert plans.is_overdue(late)
    assert not plans.is_overdue(due_today)
    plans.complete_action(action=late, by=user)
    assert not plans.is_overdue(late)


def test_the_next_measurement_is_the_first_later_one_with_the_same_model_on_other_data(
    world, run, plan
):
    user = world.users[Role.ENTERPRISE_USER]
    assert selectors.next_run(plan) is None
    rerun(run=run, by=user)  # the same data again: not a new measurement
    own_upload(world, preset="ecsi", seed=23)  # another model
    assert selectors.next_run(plan) is None

    later = own_upload(world, seed=24, title="2027 自有数据")
    own_upload(world, seed=25, title="2028 自有数据")

    assert selectors.next_run(plan) == later


def test_the_change_is_judged_against_both_bootstraps(world):
    user = world.users[Role.ENTERPRISE_USER]
    before = closed_survey(world, n=80, seed=31)
    plan = plans.create_plan(run=before.run, by=user)
    add(plan, user, driver="QUALITY")
    add(plan, user, driver="IMAGE")
    after = closed_survey(world, n=80, seed=32, shift={"QUALITY": 2.0})

    assert selectors.next_run(plan) == after.run
    quality, image = progress.driver_changes(before.run, after.run, ["QUALITY", "IMAGE"])

    base = before.run.result["index"]["QUALITY"]
    now = after.run.result["index"]["QUALITY"]
    assert quality.baseline == pytest.approx(base)
    assert quality.current == pytest.approx(now)
    assert quality.change == pytest.approx(now - base)
    # Two points more on a 1–10 scale is about 22 index points: far beyond the sampling error.
    assert quality.change > 15
    lo1, hi1 = before.run.bootstrap_result["index"]["QUALITY"]["percentile"]
    lo2, hi2 = after.run.bootstrap_result["index"]["QUALITY"]["percentile"]
    z = progress.Z95
    expected = z * (((hi1 - lo1) / (2 * z)) ** 2 + ((hi2 - lo2) / (2 * z)) ** 2) ** 0.5
    assert quality.margin == pytest.approx(expected)
    assert quality.beyond_uncertainty is True
    assert image.margin > 0
    assert image.beyond_uncertainty == (abs(image.change) > image.margin)


def test_without_a_bootstrap_the_change_cannot_be_judged(world, run, plan):
    later = own_upload(world, seed=26)
    change = progress.driver_change(run, later, "QUALITY")

    assert change.change == pytest.approx(
        later.result["index"]["QUALITY"] - run.result["index"]["QUALITY"]
    )
    assert change.margin is None
    assert change.beyond_uncertainty is None
    assert progress.driver_change(run, None, "QUALITY").current is None
