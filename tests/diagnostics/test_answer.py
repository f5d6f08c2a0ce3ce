"""The enterprise's answer: its reply and an improvement plan whose actions each answer a
recommendation, then ticked off over time on the plan page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.diagnostics import services
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus
from manyi.selfmeasure import plans
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan
from tests.diagnostics.factories import agency_experts, answered, reported

pytestmark = pytest.mark.django_db

DUE = dt.date(2030, 6, 30)


def row(driver, description="落实措施", owner="质量部", due_on=DUE):
    return {"driver": driver, "description": description, "owner": owner, "due_on": due_on}


def answer(world, diagnosis, actions, reply="同意诊断意见"):
    return services.answer_diagnosis(
        diagnosis=diagnosis, by=world.users[Role.ENTERPRISE_USER], reply=reply, actions=actions
    )


def test_the_answer_makes_a_plan_and_closes_the_diagnosis(world):
    diagnosis = reported(world)
    plan = answer(world, diagnosis, [row("R1"), row("R2", owner="售后部"), row("R1", "培训")])

    assert plan.diagnosis == diagnosis
    assert plan.run is None
    assert plan.organisation == world.enterprise
    assert list(plan.actions.values_list("driver", flat=True).order_by("pk")) == ["R1", "R2", "R1"]
    assert set(plan.actions.values_list("baseline", flat=True)) == {None}
    diagnosis.refresh_from_db()
    assert diagnosis.status == DiagnosisStatus.ANSWERED
    assert diagnosis.reply == "同意诊断意见"
    assert ActivityLog.objects.get(action="improvement.plan_create").after == {
        "diagnosis": diagnosis.pk
    }
    assert ActivityLog.objects.filter(action="improvement.action_add").count() == 3
    assert ActivityLog.objects.get(action="diagnosis.answer").after == {
        "status": "answered",
        "plan": plan.pk,
        "actions": 3,
    }
    told = set(
        OutboxMessage.objects.filter(template="diagnostics/answered").values_list("to", flat=True)
    )
    leader, member = agency_experts(world)
    assert told == {world.users[Role.AGENCY_STAFF].email, leader.email, member.email}


def test_a_high_recommendation_without_an_action_is_refused(world):
    diagnosis = reported(world)
    with pytest.raises(ValidationError) as refused:
        answer(world, diagnosis, [row("R2")])

    assert "尚未对应：R1" in refused.value.message_dict["actions"][0]
    assert not ImprovementPlan.objects.exists()
    assert Diagnosis.objects.get().status == DiagnosisStatus.REPORTED


def test_an_action_naming_an_unknown_recommendation_is_refused(world):
    diagnosis = reported(world)
    with pytest.raises(ValidationError) as refused:
        answer(world, diagnosis, [row("R1"), row("R9")])

    assert refused.value.message_dict["actions"] == ["第 2 项措施：请选择所针对的改进建议"]
    assert not ImprovementPlan.objects.exists()
    assert not ImprovementAction.objects.exists()


def test_every_problem_is_named_by_row_and_nothing_is_kept(world):
    diagnosis = reported(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        answer(world, diagnosis, [row("R1", owner=""), row("R1", due_on=yesterday)], reply="")

    errors = refused.value.message_dict
    assert errors["reply"] == ["请填写对诊断报告的意见"]
    assert errors["actions"] == [
        "第 1 项措施：请填写负责部门或负责人",
        "第 2 项措施：完成期限不能早于今天",
    ]
    assert not ImprovementPlan.objects.exists()


def test_blank_rows_are_dropped_but_some_action_is_needed(world):
    diagnosis = reported(world)
    blank = {"driver": "R1", "description": "", "owner": "", "due_on": None}
    with pytest.raises(ValidationError) as refused:
        answer(world, diagnosis, [blank])
    assert "请至少制定一项改进措施" in refused.value.message_dict["actions"]


def test_only_the_enterprise_answers_and_only_once(world):
    diagnosis = reported(world)
    with pytest.raises(PermissionDenied):
        services.answer_diagnosis(
            diagnosis=diagnosis, by=world.outsider, reply="x", actions=[row("R1")]
        )
    answer(world, diagnosis, [row("R1")])
    with pytest.raises(ValidationError):
        answer(world, diagnosis, [row("R1")])
    assert ImprovementPlan.objects.count() == 1


def test_a_diagnosis_plan_takes_only_the_reports_recommendations(world):
    diagnosis = answered(world)
    plan = diagnosis.improvement_plan
    user = world.users[Role.ENTERPRISE_USER]
    with pytest.raises(ValidationError) as refused:
        plans.add_action(
            plan=plan, by=user, driver="QUALITY", description="x", owner="y", due_on=DUE
        )
    assert "driver" in refused.value.message_dict
    action = plans.add_action(
        plan=plan, by=user, driver="R2", description="x", owner="y", due_on=DUE
    )
    assert action.baseline is None


def test_the_only_action_on_a_high_recommendation_stays(world):
    diagnosis = answered(world)
    plan = diagnosis.improvement_plan
    user = world.users[Role.ENTERPRISE_USER]
    only_r1 = plan.actions.get(driver="R1")
    with pytest.raises(ValidationError) as refused:
        plans.delete_action(action=only_r1, by=user)
    assert "R1" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        plans.update_action(
            action=only_r1, by=user, driver="R2", description="x", owner="y", due_on=DUE
        )
    # A medium one may go; a second action on R1 frees the first.
    plans.delete_action(action=plan.actions.get(driver="R2"), by=user)
    plans.add_action(plan=plan, by=user, driver="R1", description="补充", owner="y", due_on=DUE)
    plans.delete_action(action=only_r1, by=user)
    assert list(plan.actions.values_list("description", flat=True)) == ["补充"]


def test_the_enterprise_ticks_an_action_off(world):
    diagnosis = answered(world)
    action = diagnosis.improvement_plan.actions.get(driver="R1")
    plans.complete_action(action=action, by=world.colleague, note="制度已发布")

    action.refresh_from_db()
    assert action.is_done
    assert action.done_note == "制度已发布"
