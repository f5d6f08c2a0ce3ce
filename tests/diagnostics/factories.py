"""Diagnoses at each stage, made through the services as people would (world.enterprise asks
world.agency; world.agency has two experts of its own unless told otherwise)."""

import datetime as dt

from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.diagnostics import services
from manyi.diagnostics.models import Diagnosis
from tests.conftest import give_totp
from tests.factories import ExpertProfileFactory, MembershipFactory

REPORT = {
    "summary": "企业已建立顾客满意度测评制度，但投诉处理闭环不完整。",
    "findings": ["投诉处理没有时限要求", "售后回访记录不全"],
    "recommendations": [("建立投诉处理 48 小时闭环制度", "high"), ("完善售后回访台账", "medium")],
}


def confirm_membership(world, enterprise=None, agency=None) -> None:
    """The agency confirms the enterprise as a member (the world leaves it pending)."""
    AgencyMembership.objects.filter(
        enterprise=enterprise or world.enterprise, agency=agency or world.agency
    ).update(confirmed_at=timezone.now())


def make_expert(organisation, *, name: str, employer: str = "某研究院"):
    membership = MembershipFactory(organisation=organisation, role=Role.EXPERT)
    user = membership.user
    user.full_name = name
    user.save(update_fields=["full_name"])
    ExpertProfileFactory(user=user, employer=employer)
    give_totp(user)
    return user


def agency_experts(world, n: int = 2) -> list:
    """Experts of world.agency's own pool (cached on the world)."""
    found = getattr(world, "_agency_experts", None)
    if found is None:
        found = [make_expert(world.agency, name=f"机构专家{i}") for i in range(1, n + 1)]
        world._agency_experts = found
    return found


def requested(world, *, needs="希望诊断投诉处理和售后服务") -> Diagnosis:
    confirm_membership(world)
    return services.request_diagnosis(
        enterprise=world.enterprise,
        agency=world.agency,
        by=world.users[Role.ENTERPRISE_USER],
        needs=needs,
        preferred_dates="12月上旬",
        contact_name="梁经理",
        contact_mobile="13800138000",
    )


def accepted(world) -> Diagnosis:
    diagnosis = requested(world)
    return services.accept_diagnosis(diagnosis=diagnosis, by=world.users[Role.AGENCY_STAFF])


def grouped(world) -> Diagnosis:
    diagnosis = accepted(world)
    leader, member = agency_experts(world)
    services.set_group(
        diagnosis=diagnosis,
        experts=[leader, member],
        leader=leader,
        by=world.users[Role.AGENCY_STAFF],
    )
    return diagnosis


def scheduled(world, *, days_ahead: int = 7) -> Diagnosis:
    diagnosis = grouped(world)
    return services.schedule_visit(
        diagnosis=diagnosis,
        by=world.users[Role.AGENCY_STAFF],
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
        place="番禺区示范路 8 号",
    )


def visited(world) -> Diagnosis:
    """Scheduled, and the visit day has come (the time is moved back, as time would)."""
    diagnosis = scheduled(world)
    past = timezone.now() - dt.timedelta(hours=2)
    Diagnosis.objects.filter(pk=diagnosis.pk).update(visit_starts_at=past)
    diagnosis.visit_starts_at = past
    return diagnosis


def leader_of(world):
    return agency_experts(world)[0]


def reported(world, report=None) -> Diagnosis:
    report = report or REPORT
    diagnosis = visited(world)
    leader = leader_of(world)
    services.save_report(diagnosis=diagnosis, by=leader, **report)
    services.submit_report(diagnosis=diagnosis, by=leader)
    return Diagnosis.objects.get(pk=diagnosis.pk)


def answered(world) -> Diagnosis:
    diagnosis = reported(world)
    services.answer_diagnosis(
        diagnosis=diagnosis,
        by=world.users[Role.ENTERPRISE_USER],
        reply="感谢专家组，已制定改进计划",
        actions=[
            {
                "driver": "R1",
                "description": "制定投诉处理制度",
                "owner": "客户服务部",
                "due_on": timezone.localdate() + dt.timedelta(days=30),
            },
            {
                "driver": "R2",
                "description": "建立回访台账",
                "owner": "售后部",
                "due_on": timezone.localdate() + dt.timedelta(days=60),
            },
        ],
    )
    return Diagnosis.objects.get(pk=diagnosis.pk)
