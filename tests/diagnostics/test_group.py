"""The diagnostic group (its pool, its leader, conflicts) and scheduling the visit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.diagnostics import selectors, services
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus, DiagnosticExpert
from tests.diagnostics.factories import accepted, agency_experts, grouped, make_expert, scheduled

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.AGENCY_STAFF]


def test_the_agency_forms_a_group_of_its_own_experts_with_a_leader(world):
    diagnosis = accepted(world)
    leader, member = agency_experts(world)

    changed = services.set_group(
        diagnosis=diagnosis, experts=[leader, member], leader=member, by=staff(world)
    )

    assert changed is True
    group = {m.expert: m.is_leader for m in DiagnosticExpert.objects.all()}
    assert group == {leader: False, member: True}
    added = ActivityLog.objects.filter(action="diagnosis.expert_add").order_by("pk")
    assert [e.after["expert"] for e in added] == [leader.pk, member.pk]
    assert [e.after["leader"] for e in added] == [False, True]
    # Nobody is mailed before the visit is scheduled.
    assert not OutboxMessage.objects.filter(template="diagnostics/scheduled").exists()


def test_a_group_needs_two_experts_and_a_leader_among_them(world):
    diagnosis = accepted(world)
    leader, member = agency_experts(world)
    with pytest.raises(ValidationError) as refused:
        services.set_group(diagnosis=diagnosis, experts=[leader], leader=member, by=staff(world))

    assert set(refused.value.message_dict) == {"experts", "leader"}
    assert not DiagnosticExpert.objects.exists()


def test_an_expert_working_for_the_enterprise_is_refused(world):
    diagnosis = accepted(world)
    leader, _member = agency_experts(world)
    insider = make_expert(world.agency, name="内部专家", employer="珠江家电有限公司")

    candidates, opened = selectors.candidates(diagnosis)
    conflicts = {c.expert: c.conflict for c in candidates}
    assert "回避" in conflicts[insider]
    assert opened is False
    with pytest.raises(ValidationError) as refused:
        services.set_group(
            diagnosis=diagnosis, experts=[leader, insider], leader=leader, by=staff(world)
        )
    assert "内部专家" in refused.value.message_dict["experts"][0]
    assert not DiagnosticExpert.objects.exists()


def test_the_committee_pool_opens_only_when_the_agency_has_too_few(world):
    diagnosis = accepted(world)
    committee_expert = world.users[Role.EXPERT]
    own = make_expert(world.agency, name="唯一的机构专家")

    candidates, opened = selectors.candidates(diagnosis)
    assert opened is True
    assert {c.expert: c.pool for c in candidates} == {own: "agency", committee_expert: "committee"}
    services.set_group(
        diagnosis=diagnosis, experts=[own, committee_expert], leader=own, by=staff(world)
    )
    assert DiagnosticExpert.objects.count() == 2


def test_with_enough_own_experts_the_committee_pool_stays_closed(world):
    diagnosis = accepted(world)
    leader, _member = agency_experts(world)
    with pytest.raises(ValidationError) as refused:
        services.set_group(
            diagnosis=diagnosis,
            experts=[leader, world.users[Role.EXPERT]],
            leader=leader,
            by=staff(world),
        )
    assert "不在本机构可选派的专家范围内" in refused.value.message_dict["experts"][0]


def test_another_agencys_expert_is_never_a_candidate(world):
    diagnosis = accepted(world)
    leader, _member = agency_experts(world)
    stranger = make_expert(world.other_agency, name="外机构专家")
    with pytest.raises(ValidationError):
        services.set_group(
            diagnosis=diagnosis, experts=[leader, stranger], leader=leader, by=staff(world)
        )


def test_changing_the_leader_and_a_member_is_logged(world):
    diagnosis = grouped(world)
    leader, member = agency_experts(world)
    third = make_expert(world.agency, name="第三位专家")

    services.set_group(diagnosis=diagnosis, experts=[member, third], leader=member, by=staff(world))

    assert {m.expert: m.is_leader for m in DiagnosticExpert.objects.all()} == {
        member: True,
        third: False,
    }
    removed = ActivityLog.objects.filter(action="diagnosis.expert_remove").order_by("pk")
    assert removed[0].before["expert"] == leader.pk
    assert removed[1].after["leader"] == member.pk
    # The same group again changes nothing and logs nothing.
    count = ActivityLog.objects.count()
    assert (
        services.set_group(
            diagnosis=diagnosis, experts=[member, third], leader=member, by=staff(world)
        )
        is False
    )
    assert ActivityLog.objects.count() == count


def test_another_agency_may_not_form_the_group(world):
    diagnosis = accepted(world)
    leader, member = agency_experts(world)
    with pytest.raises(PermissionDenied):
        services.set_group(
            diagnosis=diagnosis,
            experts=[leader, member],
            leader=leader,
            by=world.other_agency_staff,
        )


def test_scheduling_needs_the_group_first(world):
    diagnosis = accepted(world)
    with pytest.raises(ValidationError) as refused:
        services.schedule_visit(
            diagnosis=diagnosis,
            by=staff(world),
            starts_at=timezone.now() + dt.timedelta(days=3),
            place="企业会议室",
        )
    assert "专家小组" in refused.value.messages[0]


def test_scheduling_mails_the_group_and_the_enterprise(world):
    diagnosis = scheduled(world)

    assert diagnosis.status == DiagnosisStatus.SCHEDULED
    told = set(
        OutboxMessage.objects.filter(template="diagnostics/scheduled").values_list("to", flat=True)
    )
    leader, member = agency_experts(world)
    assert told == {
        leader.email,
        member.email,
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
    }
    mail = OutboxMessage.objects.filter(template="diagnostics/scheduled").first()
    assert "番禺区示范路 8 号" in mail.body_text
    assert "机构专家1（组长）" in mail.body_text


def test_a_time_in_the_past_or_no_place_is_refused(world):
    diagnosis = grouped(world)
    with pytest.raises(ValidationError) as refused:
        services.schedule_visit(
            diagnosis=diagnosis,
            by=staff(world),
            starts_at=timezone.now() - dt.timedelta(hours=1),
            place="",
        )
    assert set(refused.value.message_dict) == {"starts_at", "place"}
    assert Diagnosis.objects.get().status == DiagnosisStatus.ACCEPTED


def test_rescheduling_keeps_the_old_time_in_the_log(world):
    diagnosis = scheduled(world)
    first = diagnosis.visit_starts_at
    later = first + dt.timedelta(days=2)
    services.schedule_visit(diagnosis=diagnosis, by=staff(world), starts_at=later, place="新地点")

    diagnosis.refresh_from_db()
    assert diagnosis.visit_starts_at == later
    entry = ActivityLog.objects.filter(action="diagnosis.schedule").order_by("-pk").first()
    assert entry.before["place"] == "番禺区示范路 8 号"
    assert entry.after["place"] == "新地点"
    subjects = OutboxMessage.objects.filter(template="diagnostics/scheduled").values_list(
        "subject", flat=True
    )
    assert any("诊断时间调整" in s for s in subjects)


def test_an_expert_added_after_scheduling_is_told_and_the_removed_one_released(world):
    diagnosis = scheduled(world)
    leader, member = agency_experts(world)
    third = make_expert(world.agency, name="补充专家")
    services.set_group(diagnosis=diagnosis, experts=[leader, third], leader=leader, by=staff(world))

    assert OutboxMessage.objects.filter(template="diagnostics/scheduled", to=third.email).exists()
    assert OutboxMessage.objects.filter(template="diagnostics/released", to=member.email).exists()
