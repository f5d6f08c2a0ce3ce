"""Asking for a diagnosis, withdrawing it, and the agency's answer: states, log and mail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.diagnostics import services
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus
from tests.diagnostics.factories import (
    accepted,
    confirm_membership,
    requested,
    scheduled,
)

pytestmark = pytest.mark.django_db


def ask(world, **extra):
    fields = {
        "enterprise": world.enterprise,
        "agency": world.agency,
        "by": world.users[Role.ENTERPRISE_USER],
        "needs": "诊断投诉处理",
        "contact_name": "梁经理",
        "contact_mobile": "13800138000",
    } | extra
    return services.request_diagnosis(**fields)


def test_an_enterprise_asks_its_confirmed_agency(world):
    diagnosis = requested(world)

    assert diagnosis.status == DiagnosisStatus.REQUESTED
    assert diagnosis.requested_by == world.users[Role.ENTERPRISE_USER]
    entry = ActivityLog.objects.get(action="diagnosis.request")
    assert entry.object_id == str(diagnosis.pk)
    assert entry.after == {"agency": world.agency.pk, "preferred_dates": "12月上旬"}
    mail = OutboxMessage.objects.get(template="diagnostics/requested")
    assert mail.to == world.users[Role.AGENCY_STAFF].email
    assert "珠江家电有限公司" in mail.subject
    assert "诊断投诉处理和售后服务" in mail.body_text


def test_an_agency_that_has_not_confirmed_the_enterprise_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        ask(world)

    assert "已确认本企业为会员" in refused.value.message_dict["agency"][0]
    assert not Diagnosis.objects.exists()


def test_another_agency_or_a_suspended_one_is_refused(world):
    confirm_membership(world)
    with pytest.raises(ValidationError):
        ask(world, agency=world.other_agency)
    world.agency.recognition_suspended_on = timezone.localdate()
    world.agency.save()
    with pytest.raises(ValidationError):
        ask(world)
    assert not Diagnosis.objects.exists()


def test_only_the_enterprises_own_users_ask(world):
    confirm_membership(world)
    with pytest.raises(PermissionDenied):
        ask(world, by=world.outsider)
    with pytest.raises(PermissionDenied):
        ask(world, by=world.users[Role.AGENCY_STAFF])


def test_missing_needs_and_a_bad_phone_are_named(world):
    confirm_membership(world)
    with pytest.raises(ValidationError) as refused:
        ask(world, needs=" ", contact_mobile="12345")

    assert set(refused.value.message_dict) == {"needs", "contact_mobile"}
    assert not Diagnosis.objects.exists()


def test_a_second_request_while_one_is_under_way_is_refused(world):
    requested(world)
    with pytest.raises(ValidationError) as refused:
        ask(world)
    assert "正在办理中" in refused.value.message_dict["agency"][0]
    assert Diagnosis.objects.count() == 1


def test_the_enterprise_withdraws_before_the_visit_is_scheduled(world):
    diagnosis = accepted(world)
    services.withdraw_diagnosis(diagnosis=diagnosis, by=world.colleague)

    assert Diagnosis.objects.get().status == DiagnosisStatus.WITHDRAWN
    entry = ActivityLog.objects.get(action="diagnosis.withdraw")
    assert entry.before == {"status": "accepted"}
    assert OutboxMessage.objects.filter(template="diagnostics/withdrawn").count() == 1


def test_no_withdrawal_once_scheduled(world):
    diagnosis = scheduled(world)
    with pytest.raises(ValidationError):
        services.withdraw_diagnosis(diagnosis=diagnosis, by=world.users[Role.ENTERPRISE_USER])
    assert Diagnosis.objects.get().status == DiagnosisStatus.SCHEDULED


def test_the_agency_accepts_and_the_enterprise_is_told(world):
    diagnosis = requested(world)
    staff = world.users[Role.AGENCY_STAFF]
    services.accept_diagnosis(diagnosis=diagnosis, by=staff)

    diagnosis.refresh_from_db()
    assert diagnosis.status == DiagnosisStatus.ACCEPTED
    assert diagnosis.decided_by == staff
    assert ActivityLog.objects.filter(action="diagnosis.accept").count() == 1
    told = set(
        OutboxMessage.objects.filter(template="diagnostics/accepted").values_list("to", flat=True)
    )
    assert told == {world.users[Role.ENTERPRISE_USER].email, world.colleague.email}


def test_another_agency_may_not_accept(world):
    diagnosis = requested(world)
    with pytest.raises(PermissionDenied):
        services.accept_diagnosis(diagnosis=diagnosis, by=world.other_agency_staff)
    assert Diagnosis.objects.get().status == DiagnosisStatus.REQUESTED


def test_declining_needs_a_reason_which_the_enterprise_is_told(world):
    diagnosis = requested(world)
    staff = world.users[Role.AGENCY_STAFF]
    with pytest.raises(ValidationError):
        services.decline_diagnosis(diagnosis=diagnosis, by=staff, reason="  ")
    assert Diagnosis.objects.get().status == DiagnosisStatus.REQUESTED

    services.decline_diagnosis(diagnosis=diagnosis, by=staff, reason="本季度专家已排满")

    diagnosis.refresh_from_db()
    assert diagnosis.status == DiagnosisStatus.DECLINED
    assert diagnosis.decline_reason == "本季度专家已排满"
    assert ActivityLog.objects.get(action="diagnosis.decline").after["reason"] == "本季度专家已排满"
    mail = OutboxMessage.objects.filter(template="diagnostics/declined").first()
    assert "本季度专家已排满" in mail.body_text


def test_someone_faster_is_said_politely(world):
    diagnosis = requested(world)
    stale = Diagnosis.objects.get(pk=diagnosis.pk)
    services.accept_diagnosis(diagnosis=diagnosis, by=world.users[Role.AGENCY_STAFF])
    with pytest.raises(ValidationError) as refused:
        services.decline_diagnosis(
            diagnosis=stale, by=world.users[Role.AGENCY_STAFF], reason="重复"
        )
    assert "他人处理" in refused.value.messages[0]
    assert Diagnosis.objects.get().status == DiagnosisStatus.ACCEPTED
