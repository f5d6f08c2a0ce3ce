"""The association's administrator decides a request: recognition creates the agency, invites
its contact and tells the applicant; a refusal needs its reason; nobody else decides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from manyi.accounts.models import Invitation, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import make_uscc
from manyi.agencies import services
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common.models import ActivityLog, OutboxMessage
from tests.agencies.factories import request_data, submitted_request
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"


@pytest.fixture
def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def test_recognition_creates_the_agency_invites_its_contact_and_mails_the_applicant(world, admin):
    request, _token = submitted_request()
    OutboxMessage.objects.all().delete()

    recognition = services.recognise(request=request, by=admin, note="同意认可")

    agency = Organisation.objects.get(kind=OrgKind.AGENCY, name="广州市番禺区用户满意促进会")
    assert recognition.organisation == agency
    assert agency.recognised_on == timezone.localdate()
    assert agency.may_recommend
    assert agency.agency_scope == "region"
    assert agency.agency_scope_detail == "番禺区"
    assert agency.responsible_department == "番禺区市场监督管理局"
    assert agency.responsible_person == "何敏（秘书长）"
    assert "每季度组织一次用户满意工程宣传和培训。" in agency.agency_plan
    assert "设专职联络员" in agency.agency_plan
    request.refresh_from_db()
    assert request.status == RequestStatus.RECOGNISED
    assert request.organisation == agency
    assert request.decided_by == admin
    assert request.decision_reason == "同意认可"
    invitation = Invitation.objects.get(organisation=agency)
    assert invitation.email == "hemin@panyu.example.cn"
    assert invitation.role == Role.AGENCY_STAFF
    assert invitation.token_hash == Invitation.hash_token(recognition.token)
    entry = ActivityLog.objects.get(action="agency_request.recognise")
    assert entry.organisation == agency
    assert entry.before == {"status": "submitted"}
    assert entry.after["organisation"] == agency.pk
    subjects = sorted(
        OutboxMessage.objects.filter(to=invitation.email).values_list("subject", flat=True)
    )
    assert len(subjects) == 2  # the decision and the login invitation
    assert any("已获认可为推进机构" in s for s in subjects)


def test_a_refusal_needs_its_reason_and_tells_the_applicant(world, admin):
    request, _token = submitted_request()
    with pytest.raises(ValidationError) as missing:
        services.refuse(request=request, by=admin, reason="  ")
    assert "reason" in missing.value.message_dict
    assert AgencyRequest.objects.get().status == RequestStatus.SUBMITTED

    services.refuse(request=request, by=admin, reason="计划和措施不具体")

    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    assert request.decision_reason == "计划和措施不具体"
    assert not Organisation.objects.filter(name=request.name).exists()
    assert ActivityLog.objects.get(action="agency_request.refuse").note == "计划和措施不具体"
    mail = OutboxMessage.objects.get(to="hemin@panyu.example.cn", subject__contains="审核结果")
    assert "计划和措施不具体" in mail.body_text


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF, Role.AGENCY_STAFF])
def test_only_the_association_admin_decides(world, role):
    request, _token = submitted_request()
    with pytest.raises(PermissionDenied):
        services.recognise(request=request, by=world.users[role])
    with pytest.raises(PermissionDenied):
        services.refuse(request=request, by=world.users[role], reason="不行")
    assert AgencyRequest.objects.get().status == RequestStatus.SUBMITTED
    assert not Organisation.objects.filter(name=request.name).exists()


def test_a_decided_request_is_not_decided_again(world, admin):
    request, _token = submitted_request()
    services.refuse(request=request, by=admin, reason="重复")
    with pytest.raises(ValidationError) as again:
        services.recognise(request=request, by=admin)
    assert "已经处理" in again.value.messages[0]
    assert not Organisation.objects.filter(name=request.name).exists()


def test_an_agency_created_meanwhile_under_that_name_is_not_duplicated(world, admin):
    request, _token = submitted_request()
    OrganisationFactory(kind=OrgKind.AGENCY, name=request.name)
    with pytest.raises(ValidationError) as duplicate:
        services.recognise(request=request, by=admin)
    assert "已有同名推进机构" in duplicate.value.messages[0]
    assert AgencyRequest.objects.get().status == RequestStatus.SUBMITTED
    assert not Invitation.objects.filter(email="hemin@panyu.example.cn").exists()


def test_a_code_held_by_another_organisation_is_told_to_the_admin(world, admin):
    code = make_uscc("51440100MJ7654321")
    OrganisationFactory(kind=OrgKind.ENTERPRISE, name="某某有限公司", uscc=code)
    request, _token = submitted_request(uscc=code)
    with pytest.raises(ValidationError) as held:
        services.recognise(request=request, by=admin)
    assert "已属于 某某有限公司" in held.value.messages[0]
    assert AgencyRequest.objects.get().status == RequestStatus.SUBMITTED


def test_the_evidence_download_is_logged(world, admin):
    request, _token = services.submit_request(
        data=request_data(), evidence=SimpleUploadedFile("登记证书.pdf", PDF), ip="10.0.0.4"
    )
    response = services.open_evidence(request=request, by=admin)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert ActivityLog.objects.filter(
        action="agency_request.evidence_download", actor=admin
    ).exists()
