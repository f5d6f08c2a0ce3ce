"""A request for recognition from the public form: stored with only the hash of its follow
link, checked (required details, 统一社会信用代码, duplicates, the evidence file by content),
rate-limited, followed and withdrawn with the link."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import make_uscc
from manyi.agencies import selectors, services
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common.files import private_root
from manyi.common.models import ActivityLog, OutboxMessage
from tests.agencies.factories import request_data, submitted_request
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"


def stored_files() -> list:
    root = private_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_request_is_stored_with_the_hash_of_its_link_logged_and_mailed(world):
    request, token = submitted_request()

    assert request.status == RequestStatus.SUBMITTED
    assert request.follow_token_hash == AgencyRequest.hash_token(token)
    assert token not in request.follow_token_hash
    assert selectors.find_request(token) == request
    entry = ActivityLog.objects.get(action="agency_request.submit")
    assert entry.object_id == str(request.pk)
    assert "13902001234" not in str(entry.after)
    to_contact = OutboxMessage.objects.get(to="hemin@panyu.example.cn")
    assert f"/agencies/apply/follow/{token}/" in to_contact.body_text
    admin_mail = OutboxMessage.objects.get(to=world.users[Role.ASSOCIATION_ADMIN].email)
    assert f"/agencies/requests/{request.pk}/" in admin_mail.body_text


def test_a_missing_detail_or_a_wrong_code_changes_nothing(world):
    with pytest.raises(ValidationError) as missing:
        submitted_request(plan="", contact_email="not-an-address")
    assert "plan" in missing.value.message_dict
    assert "contact_email" in missing.value.message_dict

    code = make_uscc("51440100MJ1234567")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as bad_code:
        submitted_request(uscc=wrong)
    assert "uscc" in bad_code.value.message_dict
    assert not AgencyRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_valid_code_is_kept_normalised(world):
    code = make_uscc("51440100MJ1234567")
    request, _token = submitted_request(uscc=f" {code[:9].lower()} {code[9:]} ")
    assert request.uscc == code


def test_the_name_of_an_existing_agency_is_refused_clearly(world):
    with pytest.raises(ValidationError) as refused:
        submitted_request(name=world.agency.name)
    assert "已是推进机构，不能重复申请认可" in refused.value.message_dict["name"][0]
    assert not AgencyRequest.objects.exists()


def test_a_second_request_of_the_same_name_waits_for_the_first(world):
    submitted_request()
    with pytest.raises(ValidationError) as refused:
        submitted_request()
    assert "正在审核中" in refused.value.message_dict["name"][0]
    assert AgencyRequest.objects.count() == 1


def test_the_evidence_is_stored_privately_and_a_forged_file_leaves_nothing(world):
    with pytest.raises(ValidationError) as forged:
        services.submit_request(
            data=request_data(),
            evidence=SimpleUploadedFile("证书.pdf", b"<html>not a pdf</html>"),
            ip="10.0.0.2",
        )
    assert "evidence" in forged.value.message_dict
    assert not AgencyRequest.objects.exists()
    assert stored_files() == []

    request, _token = services.submit_request(
        data=request_data(), evidence=SimpleUploadedFile("登记证书.pdf", PDF), ip="10.0.0.2"
    )
    assert request.evidence_name == "登记证书.pdf"
    assert request.evidence_file.startswith("agencies/")
    assert [p.read_bytes() for p in stored_files()] == [PDF]


def test_a_failure_after_storing_the_file_removes_it(world, monkeypatch):
    from manyi.agencies.services import requests as module

    def explode(*_args, **_kwargs):
        raise RuntimeError("mail server gone")

    monkeypatch.setattr(module, "queue_email", explode)
    with pytest.raises(RuntimeError):
        services.submit_request(
            data=request_data(), evidence=SimpleUploadedFile("登记证书.pdf", PDF), ip="10.0.0.3"
        )
    assert not AgencyRequest.objects.exists()
    assert stored_files() == []


def test_one_address_may_send_five_requests_an_hour(world):
    for i in range(services.requests.REQUESTS_PER_HOUR):
        services.submit_request(data=request_data(name=f"测试推进机构{i}"), ip="10.9.9.9")
    with pytest.raises(ValidationError) as limited:
        services.submit_request(data=request_data(name="再一个推进机构"), ip="10.9.9.9")
    assert "每小时最多提交" in limited.value.messages[0]
    # Another address is not held back.
    services.submit_request(data=request_data(name="再一个推进机构"), ip="10.9.9.10")


def test_the_applicant_withdraws_a_waiting_request_once(world):
    request, _token = submitted_request()
    services.withdraw_request(request=request)
    assert AgencyRequest.objects.get().status == RequestStatus.WITHDRAWN
    assert ActivityLog.objects.filter(action="agency_request.withdraw").count() == 1
    with pytest.raises(ValidationError):
        services.withdraw_request(request=request)


def test_an_unknown_or_overlong_token_finds_nothing(world):
    submitted_request()
    assert selectors.find_request("nope") is None
    assert selectors.find_request("x" * 200) is None


def test_an_agency_of_another_kind_of_name_is_no_duplicate(world):
    OrganisationFactory(kind=OrgKind.ENTERPRISE, name="广州市番禺区用户满意促进会")
    request, _token = submitted_request()
    assert request.pk
