"""The construction client's appraisal (续表4-4): the applicant proposes the client's contact,
the recommending agency checks it and sends the link, the client fills it by link."""

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications import access
from manyi.applications.agency.services import recommend
from manyi.applications.appraisals.services import (
    find_appraisal,
    propose_client_contact,
    send_appraisal_link,
    submit_appraisal,
    tidy_phone,
)
from manyi.applications.models import Application, ClientAppraisal
from manyi.applications.states import Status
from manyi.campaigns.categories import Category
from manyi.campaigns.models import AgencyQuota, Campaign, CampaignCategory, CampaignStatus
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import first_agency
from tests.applications.test_uploads import png_bytes
from tests.factories import MembershipFactory, UserFactory

APPRAISAL_YEAR = 2031
PROJECT = "广州国际金融城起步区T3地块工程"
CLIENT = "广州市城市建设投资集团有限公司"
# The World's enterprise users are on example.cn: the client is elsewhere.
CLIENT_EMAIL = "chen.gong@gzcjt.example.com"
ANSWERS = {
    "quality": "主体结构一次验收合格，观感质量良好。",
    "construction_service": "项目部响应及时，文明施工。",
    "design_suggestions": "对地下室防水提出了优化建议并被采纳。",
    "maintenance": "保修期内回访三次，问题当周处理。",
    "overall": "满意。",
    "improvements": "竣工资料移交可再提前。",
}
ANSWERS_LABELS = (
    "工程质量",
    "施工服务",
    "工程设计的建设性意见",
    "后续维护",
    "总体评价",
    "改进建议",
)


def open_campaign() -> Campaign:
    """A published campaign accepting applications now (idempotent)."""
    now = timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        year=APPRAISAL_YEAR,
        defaults={
            "title": f"申报{APPRAISAL_YEAR}年广州市实施用户满意工程先进单位",
            "opens_at": now - timedelta(days=30),
            "closes_at": now + timedelta(days=365),
            "status": CampaignStatus.PUBLISHED,
        },
    )
    if created:
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=APPRAISAL_YEAR - 1)
            for c in Category.values
        )
    return campaign


def engineering_application(world, *, organisation=None, user=None, **form_data) -> Application:
    organisation = organisation or world.enterprise
    return Application.objects.create(
        campaign=open_campaign(),
        category=Category.ENGINEERING,
        organisation=organisation,
        agency=first_agency(organisation),
        created_by=user or world.users[Role.ENTERPRISE_USER],
        form_data={"project_name": PROJECT, "client_name": CLIENT, **form_data},
    )


def propose(world, application=None, *, by=None, **overrides) -> ClientAppraisal:
    """The applicant proposes the client's contact (the application stays a draft)."""
    kwargs = {
        "application": application or engineering_application(world),
        "by": by or world.users[Role.ENTERPRISE_USER],
        "client_name": "表外名称",
        "contact_name": "陈工",
        "contact_email": "Chen.Gong@GZCJT.example.com",
        "contact_phone": "020-83330000",
        **overrides,
    }
    return propose_client_contact(**kwargs)


def send(world, application, *, by=None, **contact) -> tuple[ClientAppraisal, str]:
    """The recommending agency (world.agency unless `by`) sends the link."""
    return send_appraisal_link(
        application=application, by=by or world.users[Role.AGENCY_STAFF], **contact
    )


def ask(world, application=None, *, by=None, agency_user=None, **overrides):
    """The whole way to an open link: proposed, submitted, sent. Returns (appraisal, token)."""
    application = application or engineering_application(world)
    if not ClientAppraisal.objects.filter(application=application).exists():
        propose(world, application, by=by, **overrides)
    mark_submitted(application)
    return send(world, application, by=agency_user)


def answers(**overrides) -> dict:
    return {
        **ANSWERS,
        "signer": "李建国",
        "signed_on": timezone.localdate(),
        **overrides,
    }


def png_upload(name="盖章页.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def stored_scans():
    folder = settings.MEDIA_ROOT / "appraisals"
    return sorted(folder.iterdir()) if folder.exists() else []


def mark_submitted(application):
    """What submission does to the row, set directly: the agency and the time are fixed."""
    Application.objects.filter(pk=application.pk).update(
        status=Status.SUBMITTED, submitted_at=timezone.now(), agency=application.agency
    )
    application.refresh_from_db()


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


# --- proposing (the applicant) ------------------------------------------------------------


def test_the_applicant_proposes_the_contact_and_no_link_exists_yet(world):
    appraisal = propose(world, contact_phone=" 020 8333-0000 ")
    # The client's name comes from the application form, not from the proposal.
    assert appraisal.client_name == CLIENT
    assert appraisal.contact_email == CLIENT_EMAIL
    assert appraisal.contact_phone == "020-83330000"
    assert appraisal.proposed_by == world.users[Role.ENTERPRISE_USER]
    assert appraisal.proposed_at is not None
    assert appraisal.token_hash is None
    assert appraisal.sent_at is None
    assert appraisal.expires_at is None
    assert not OutboxMessage.objects.exists()
    entry = ActivityLog.objects.get(action="appraisal.propose")
    assert entry.actor == world.users[Role.ENTERPRISE_USER]
    assert entry.after["contact_email"] == CLIENT_EMAIL


def test_client_name_falls_back_to_the_proposal_when_the_form_has_none(world):
    application = engineering_application(world, client_name="")
    appraisal = propose(world, application, client_name=" 广州地铁集团有限公司 ")
    assert appraisal.client_name == "广州地铁集团有限公司"


def test_only_engineering_applications_have_a_client_contact(world):
    application = engineering_application(world)
    Application.objects.filter(pk=application.pk).update(category=Category.PRODUCT)
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="只有用户满意工程类"):
        propose(world, application)
    assert not ClientAppraisal.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "agency", "committee"])
def test_only_the_applicants_own_users_propose(world, who):
    by = {
        "outsider": world.outsider,
        "agency": world.users[Role.AGENCY_STAFF],
        "committee": world.users[Role.COMMITTEE_STAFF],
    }[who]
    with pytest.raises(PermissionDenied):
        propose(world, by=by)
    assert not ClientAppraisal.objects.exists()


def test_a_colleague_of_the_applicant_may_propose(world):
    appraisal = propose(world, by=world.colleague)
    assert appraisal.proposed_by == world.colleague


def test_no_proposal_once_the_application_is_submitted(world):
    application = engineering_application(world)
    mark_submitted(application)
    with pytest.raises(ValidationError, match="不能修改"):
        propose(world, application)
    assert not ClientAppraisal.objects.exists()


def test_contact_details_are_checked_in_chinese(world):
    application = engineering_application(world, client_name="")
    with pytest.raises(ValidationError) as caught:
        propose(
            world,
            application,
            client_name="",
            contact_name=" ",
            contact_email="not-an-email",
            contact_phone="",
        )
    assert caught.value.message_dict == {
        "client_name": ["请填写建设单位（用户）名称"],
        "contact_name": ["请填写建设单位联系人"],
        "contact_email": ["请填写有效的电子邮箱，评价链接将发送到该邮箱"],
        "contact_phone": ["请填写建设单位联系人的联系电话"],
    }


@pytest.mark.parametrize(
    "phone", ["12", "12345678", "020-1234", "1380013800", "电话 020", "+1 555"]
)
def test_a_phone_that_is_not_a_chinese_number_is_refused(world, phone):
    with pytest.raises(ValidationError) as caught:
        propose(world, contact_phone=phone)
    assert caught.value.message_dict == {
        "contact_phone": [
            "请填写有效的联系电话：手机号码（如 13800138000）或带区号的固定电话（如 020-83341934）"
        ]
    }
    assert not ClientAppraisal.objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("020-12345678", "020-12345678"),
        ("02012345678", "020-12345678"),
        ("(020) 8765 4321", "020-87654321"),
        ("010-1234567", "010-1234567"),
        ("0755-12345678", "0755-12345678"),
        ("０２０－８３３３００００", "020-83330000"),
    ],
)
def test_phones_are_tidied(typed, stored):
    assert tidy_phone(typed) == stored


def test_an_address_of_the_applicants_own_users_is_refused(world):
    # A user of the applicant on a public mail service: that very address is refused ...
    MembershipFactory(organisation=world.enterprise, user=UserFactory(email="liang.xiaojie@qq.com"))
    with pytest.raises(ValidationError) as caught:
        propose(world, contact_email="Liang.Xiaojie@QQ.com")
    assert caught.value.message_dict == {
        "contact_email": [
            "该邮箱是申报单位自己的邮箱，不能作为建设单位联系人的邮箱；请填写建设单位联系人本人的邮箱"
        ]
    }
    assert not ClientAppraisal.objects.exists()


def test_a_public_mail_service_is_not_the_applicants_domain(world):
    MembershipFactory(organisation=world.enterprise, user=UserFactory(email="liang.xiaojie@qq.com"))
    # ... but the client may use the same public service.
    appraisal = propose(world, contact_email="chen.gong@qq.com")
    assert appraisal.contact_email == "chen.gong@qq.com"


@pytest.mark.parametrize("email", ["boss@example.cn", "boss@Mail.Example.cn"])
def test_an_address_on_the_domain_of_the_applicants_users_is_refused(world, email):
    # The World's enterprise users are all on example.cn.
    with pytest.raises(ValidationError) as caught:
        propose(world, contact_email=email)
    assert caught.value.message_dict == {
        "contact_email": [
            "该邮箱与申报单位的邮箱同属 example.cn，不能作为建设单位联系人的邮箱；请填写建设单位的邮箱"
        ]
    }
    assert not ClientAppraisal.objects.exists()


def test_an_address_on_the_organisations_own_domain_is_refused(world):
    world.enterprise.email = "office@zhujiang-jd.com.cn"
    world.enterprise.save()
    with pytest.raises(ValidationError, match="同属 zhujiang-jd.com.cn"):
        propose(world, contact_email="client@zhujiang-jd.com.cn")
    assert not ClientAppraisal.objects.exists()


def test_the_applicant_may_change_its_proposal(world):
    application = engineering_application(world)
    propose(world, application)
    appraisal = propose(world, application, contact_email="wang@gzcjt.example.com")
    assert ClientAppraisal.objects.count() == 1
    assert appraisal.contact_email == "wang@gzcjt.example.com"
    entry = ActivityLog.objects.filter(action="appraisal.propose").latest("pk")
    assert entry.before["contact_email"] == CLIENT_EMAIL


def test_a_new_address_after_a_return_stops_the_agencys_link(world):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    set_status(application, Status.RETURNED)
    appraisal = propose(world, application, contact_email="wang@gzcjt.example.com")
    assert find_appraisal(token) is None
    assert appraisal.token_hash is None
    assert appraisal.sent_at is None
    entry = ActivityLog.objects.filter(action="appraisal.propose").latest("pk")
    assert "推荐单位此前发出的评价链接已失效" in entry.note


def test_the_same_address_after_a_return_keeps_the_agencys_link(world):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    set_status(application, Status.RETURNED)
    propose(world, application, contact_name="陈工程师")
    assert find_appraisal(token).contact_name == "陈工程师"


# --- sending (the recommending agency) ----------------------------------------------------


def test_the_agency_sends_the_link_storing_only_its_hash_and_the_client_gets_the_mail(
    world, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    appraisal, token = send(world, application)
    assert appraisal.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not ClientAppraisal.objects.filter(token_hash=token).exists()
    row = ClientAppraisal.objects.filter(pk=appraisal.pk).values().get()
    assert all(token not in str(value) for value in row.values())
    assert all(token not in str(entry.after) for entry in ActivityLog.objects.all())
    assert appraisal.sent_by == world.users[Role.AGENCY_STAFF]
    assert appraisal.submitted_at is None
    assert appraisal.expires_at - appraisal.sent_at == timedelta(days=30)
    expires = timezone.localtime(appraisal.expires_at)

    message = OutboxMessage.objects.get(to=CLIENT_EMAIL)
    assert message.template == "appraisal_request"
    assert world.enterprise.name in message.subject
    assert f"{settings.SITE_URL}/applications/appraisal/{token}/" in message.body_text
    assert PROJECT in message.body_text
    assert CLIENT in message.body_text
    assert f"推荐单位{world.agency.name}" in message.body_text
    assert f"{expires.year}年{expires.month}月{expires.day}日" in message.body_text
    for point in ANSWERS_LABELS:
        assert point in message.body_text
    entry = ActivityLog.objects.get(action="appraisal.send")
    assert entry.actor == world.users[Role.AGENCY_STAFF]
    assert entry.after["contact_email"] == CLIENT_EMAIL
    assert entry.note == ""


@pytest.mark.parametrize("who", ["applicant", "colleague", "other_agency", "committee"])
def test_only_the_recommending_agency_sends_the_link(world, who):
    by = {
        "applicant": world.users[Role.ENTERPRISE_USER],
        "colleague": world.colleague,
        "other_agency": world.other_agency_staff,
        "committee": world.users[Role.COMMITTEE_STAFF],
    }[who]
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    with pytest.raises(PermissionDenied):
        send(world, application, by=by)
    appraisal = ClientAppraisal.objects.get()
    assert appraisal.token_hash is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.RECOMMENDED])
def test_the_link_is_sent_only_while_the_application_awaits_the_agency(world, status):
    application = engineering_application(world)
    propose(world, application)
    set_status(application, status)
    with pytest.raises(ValidationError, match="请刷新页面后再操作"):
        send(world, application)
    assert ClientAppraisal.objects.get().token_hash is None
    assert not OutboxMessage.objects.exists()


def test_the_agency_may_correct_the_contact_with_the_same_checks(world):
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    with pytest.raises(ValidationError) as caught:
        send(world, application, contact_email="someone@example.cn", contact_phone="12")
    assert set(caught.value.message_dict) == {"contact_email", "contact_phone"}
    assert not OutboxMessage.objects.exists()

    appraisal, _token = send(
        world, application, contact_email="Li.Gong@GZCJT.example.com", contact_phone="13912345678"
    )
    assert appraisal.contact_email == "li.gong@gzcjt.example.com"
    assert appraisal.contact_phone == "13912345678"
    assert appraisal.contact_name == "陈工"
    assert OutboxMessage.objects.get().to == "li.gong@gzcjt.example.com"
    entry = ActivityLog.objects.get(action="appraisal.send")
    assert entry.before["contact_email"] == CLIENT_EMAIL
    assert "推荐单位填写或修改了联系人" in entry.note


def test_the_agency_enters_the_contact_when_none_was_proposed(world):
    application = engineering_application(world)
    mark_submitted(application)
    with pytest.raises(ValidationError) as caught:
        send(world, application)
    assert "contact_email" in caught.value.message_dict
    appraisal, _token = send(
        world,
        application,
        contact_name="陈工",
        contact_email=CLIENT_EMAIL,
        contact_phone="020-83330000",
    )
    assert appraisal.client_name == CLIENT
    assert appraisal.proposed_by is None
    assert OutboxMessage.objects.get().to == CLIENT_EMAIL


def test_sending_again_revokes_the_old_link(world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    application = engineering_application(world)
    first, old_token = ask(world, application)
    time_machine.move_to(timezone.now() + timedelta(days=20), tick=False)
    second, new_token = send(world, application, contact_email="wang@gzcjt.example.com")
    assert second.pk == first.pk
    assert ClientAppraisal.objects.count() == 1
    assert find_appraisal(old_token) is None
    assert find_appraisal(new_token).pk == first.pk
    assert second.contact_email == "wang@gzcjt.example.com"
    assert second.sent_at > first.sent_at
    assert second.expires_at - timezone.now() == timedelta(days=30)
    with pytest.raises(ValidationError, match="链接无效或已使用"):
        submit_appraisal(token=old_token, data=answers())
    assert OutboxMessage.objects.filter(template="appraisal_request").count() == 2
    entry = ActivityLog.objects.filter(action="appraisal.send").latest("pk")
    assert "原链接已失效" in entry.note


def test_no_new_link_after_the_client_has_answered(world):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    submit_appraisal(token=token, data=answers())
    with pytest.raises(ValidationError, match="建设单位已提交评价"):
        send(world, application)
    assert ClientAppraisal.objects.get().quality == ANSWERS["quality"]
    assert OutboxMessage.objects.filter(template="appraisal_request").count() == 1


def test_the_flags_follow_the_actions(world):
    application = engineering_application(world)
    applicant = access.application_flags(world.users[Role.ENTERPRISE_USER], application)
    assert applicant["can_propose_client_contact"] is True
    assert applicant["can_send_appraisal"] is False
    mark_submitted(application)
    agency = access.application_flags(world.users[Role.AGENCY_STAFF], application)
    assert agency["can_send_appraisal"] is True
    applicant = access.application_flags(world.users[Role.ENTERPRISE_USER], application)
    assert applicant["can_propose_client_contact"] is False


# --- submission and recommendation --------------------------------------------------------


def test_submission_needs_a_proposed_contact_not_a_received_appraisal(world):
    from manyi.applications.submission import submission_problems
    from tests.applications.helpers import complete_application, make_application

    application = complete_application(make_application(world, "engineering"), with_appraisal=False)
    needed = "工程类须填写建设单位（用户）联系人，以便推荐单位发送满意度评价鉴定意见（续表4-4）的评价链接"
    assert needed in submission_problems(application)
    propose(world, application)
    application = Application.objects.get(pk=application.pk)
    problems = submission_problems(application)
    assert needed not in problems
    assert not [p for p in problems if "续表4-4" in p]


def _recommend(world, application, decision):
    return recommend(
        application=application,
        by=world.users[Role.AGENCY_STAFF],
        decision=decision,
        opinion="意见",
        signer="陈志明",
        signed_on=timezone.localdate(),
    )


def test_recommending_an_engineering_application_needs_the_appraisal_received(world):
    application = engineering_application(world)
    AgencyQuota.objects.create(
        campaign=application.campaign, agency=world.agency, category=Category.ENGINEERING, quota=2
    )
    _appraisal, token = ask(world, application)
    with pytest.raises(ValidationError, match="工程类须先收到建设单位（用户）满意度评价鉴定意见"):
        _recommend(world, application, "recommend")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED

    submit_appraisal(token=token, data=answers())
    application = Application.objects.get(pk=application.pk)
    _recommend(world, application, "recommend")
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED


@pytest.mark.parametrize(
    ("decision", "status"), [("return", Status.RETURNED), ("not_recommend", Status.NOT_RECOMMENDED)]
)
def test_returning_or_not_recommending_needs_no_appraisal(world, decision, status):
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    _recommend(world, application, decision)
    application.refresh_from_db()
    assert application.status == status


def test_the_recommend_page_says_the_appraisal_is_missing(world, client_for):
    application = engineering_application(world)
    ask(world, application)
    agency = client_for(Role.AGENCY_STAFF)
    url = reverse("applications:recommend", args=[application.pk])
    assert "暂不能选择“推荐”" in agency.get(url).content.decode()
    detail = agency.get(reverse("applications:detail", args=[application.pk])).content.decode()
    # Returning stays possible: the button to the opinion page is there.
    assert url in detail


# --- answering ----------------------------------------------------------------------------


def test_the_client_answers_once_and_the_applicant_is_told(world):
    _appraisal, token = ask(world)
    appraisal = submit_appraisal(token=token, data=answers(), scan_upload=png_upload())
    assert appraisal.submitted_at is not None
    for name, text in ANSWERS.items():
        assert getattr(appraisal, name) == text
    assert appraisal.signer == "李建国"
    assert appraisal.signed_on == timezone.localdate()
    assert appraisal.scan_name == "盖章页.png"
    (scan,) = stored_scans()
    assert appraisal.scan_path == f"appraisals/{scan.name}"
    assert scan.suffix == ".png"
    assert scan.name != "盖章页.png"
    assert scan.read_bytes() == png_bytes()
    assert find_appraisal(token) is None

    received = OutboxMessage.objects.filter(template="appraisal_received")
    assert sorted(received.values_list("to", flat=True)) == sorted(
        [world.users[Role.ENTERPRISE_USER].email, world.colleague.email]
    )
    message = received.first()
    assert CLIENT in message.subject
    assert PROJECT in message.body_text
    assert f"/applications/{appraisal.application_id}/appraisal/" in message.body_text
    entry = ActivityLog.objects.get(action="appraisal.submit")
    assert entry.actor is None
    assert entry.actor_label == f"建设单位：{CLIENT}"
    assert entry.after["signer"] == "李建国"
    assert entry.after["scan_type"] == "image/png"


def test_a_second_submission_is_told_it_was_already_submitted(world):
    _appraisal, token = ask(world)
    submit_appraisal(token=token, data=answers())
    with pytest.raises(ValidationError, match="该评价已经提交，无需重复提交") as caught:
        submit_appraisal(token=token, data=answers(overall="不满意"), scan_upload=png_upload())
    assert caught.value.code == "already_submitted"
    assert ClientAppraisal.objects.get().overall == ANSWERS["overall"]
    assert stored_scans() == []
    assert OutboxMessage.objects.filter(template="appraisal_received").count() == 2


def test_two_submissions_at_once_give_one_result(world, monkeypatch):
    """Both passed the link check before either wrote: the guarded update lets one through."""
    from manyi.applications.appraisals import services as appraisals

    _appraisal, token = ask(world)
    seen_by_both = find_appraisal(token)
    submit_appraisal(token=token, data=answers())
    monkeypatch.setattr(appraisals, "find_appraisal", lambda _token: seen_by_both)
    with pytest.raises(ValidationError) as caught:
        submit_appraisal(token=token, data=answers(overall="不满意"), scan_upload=png_upload())
    assert caught.value.code == "already_submitted"
    assert ClientAppraisal.objects.get().overall == ANSWERS["overall"]
    # The late submission's scan was stored before the claim failed, and removed again.
    assert stored_scans() == []
    assert ActivityLog.objects.filter(action="appraisal.submit").count() == 1


def test_an_expired_link_is_refused(world, time_machine):
    time_machine.move_to(timezone.now())
    _appraisal, token = ask(world)
    time_machine.move_to(timezone.now() + timedelta(days=29, hours=23))
    assert find_appraisal(token) is not None
    time_machine.move_to(timezone.now() + timedelta(hours=2))
    assert find_appraisal(token) is None
    with pytest.raises(ValidationError, match="链接无效或已使用"):
        submit_appraisal(token=token, data=answers())
    assert ClientAppraisal.objects.get().submitted_at is None


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 500])
def test_a_wrong_token_finds_nothing(world, token):
    ask(world)
    assert find_appraisal(token) is None


def test_every_part_is_required_with_chinese_messages(world):
    _appraisal, token = ask(world)
    with pytest.raises(ValidationError) as caught:
        submit_appraisal(token=token, data={"quality": "  ", "signed_on": ""})
    assert caught.value.message_dict == {
        "quality": ["请填写“工程质量”"],
        "construction_service": ["请填写“施工服务”"],
        "design_suggestions": ["请填写“工程设计的建设性意见”"],
        "maintenance": ["请填写“后续维护”"],
        "overall": ["请填写“总体评价”"],
        "improvements": ["请填写“改进建议”"],
        "signer": ["请填写建设单位（用户）签字人"],
        "signed_on": ["请填写签字日期"],
    }
    assert find_appraisal(token) is not None


def test_each_text_holds_at_most_a_thousand_characters(world):
    _appraisal, token = ask(world)
    with pytest.raises(ValidationError) as caught:
        submit_appraisal(token=token, data=answers(overall="好" * 1001))
    assert caught.value.message_dict == {
        "overall": ["“总体评价”不能超过 1000 个字（现有 1001 个）"]
    }
    appraisal = submit_appraisal(token=token, data=answers(overall="好" * 1000))
    assert len(appraisal.overall) == 1000


def test_the_date_may_not_be_in_the_future(world):
    _appraisal, token = ask(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        submit_appraisal(token=token, data=answers(signed_on=tomorrow))
    assert caught.value.message_dict == {"signed_on": ["签字日期不能晚于今天"]}
    assert ClientAppraisal.objects.get().submitted_at is None


def test_a_forged_scan_saves_nothing_and_leaves_no_file(world):
    _appraisal, token = ask(world)
    forged = SimpleUploadedFile(
        "盖章页.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as caught:
        submit_appraisal(token=token, data=answers(), scan_upload=forged)
    assert caught.value.message_dict == {
        "scan": ["文件内容不是 PDF、JPEG 或 PNG（仅凭扩展名无法通过检查）"]
    }
    row = ClientAppraisal.objects.get()
    assert row.submitted_at is None
    assert row.quality == ""
    assert row.scan_path == ""
    assert stored_scans() == []
    assert not OutboxMessage.objects.filter(template="appraisal_received").exists()
    assert not ActivityLog.objects.filter(action="appraisal.submit").exists()
    assert find_appraisal(token) is not None


def test_a_withdrawn_application_closes_the_link(world):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    Application.objects.filter(pk=application.pk).update(status=Status.WITHDRAWN)
    assert find_appraisal(token) is None


# --- pages --------------------------------------------------------------------------------


def fill_url(token):
    return reverse("applications:appraisal_fill", args=[token])


def page_url(application):
    return reverse("applications:appraisal", args=[application.pk])


def scan_url(application):
    return reverse("applications:appraisal_scan", args=[application.pk])


def form_post(**overrides) -> dict:
    data = answers(**overrides)
    data["signed_on"] = str(data["signed_on"])
    return data


def test_the_public_page_shows_the_project_and_its_parties_only(world, client):
    application = engineering_application(world, budget="98765.43", project_leader="赵内部")
    _appraisal, token = ask(world, application)
    response = client.get(fill_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "建设单位（用户）满意度评价鉴定意见" in html
    assert "请建设单位从该建筑工程项目的工程质量、施工服务、工程设计的建设性意见" in html
    assert PROJECT in html
    assert world.enterprise.name in html
    assert CLIENT in html
    assert "建设单位（用户）签字" in html
    for internal in ("98765.43", "赵内部", "chen.gong@client.example.cn", world.enterprise.uscc):
        assert internal not in html
    assert "no-store" in response["Cache-Control"]
    assert 'name="robots" content="noindex' in html


@pytest.mark.parametrize("token", ["wrong-token", "x" * 43])
def test_a_bad_link_gives_a_friendly_404(world, client, token):
    ask(world)
    response = client.get(fill_url(token))
    assert response.status_code == 404
    assert "链接无效或已使用" in response.content.decode()
    assert client.post(fill_url(token), form_post()).status_code == 404
    assert ClientAppraisal.objects.get().submitted_at is None


def test_the_client_submits_through_the_page(world, client):
    _appraisal, token = ask(world)
    response = client.post(fill_url(token), {**form_post(), "scan": png_upload()})
    assert response.status_code == 200
    assert "评价已提交，谢谢" in response.content.decode()
    appraisal = ClientAppraisal.objects.get()
    assert appraisal.submitted_at is not None
    assert appraisal.scan_name == "盖章页.png"
    again = client.get(fill_url(token))
    assert again.status_code == 404
    assert "链接无效或已使用" in again.content.decode()


def test_the_page_shows_every_problem_at_once(world, client):
    _appraisal, token = ask(world)
    tomorrow = timezone.localdate() + timedelta(days=1)
    forged = SimpleUploadedFile("盖章页.png", b"GIF89a fake", content_type="image/png")
    response = client.post(
        fill_url(token), {**form_post(signed_on=tomorrow, quality=""), "scan": forged}
    )
    assert response.status_code == 200
    html = response.content.decode()
    # The empty field is caught by the form; the service's checks follow once it is filled.
    assert "请填写“工程质量”" in html
    forged = SimpleUploadedFile("盖章页.png", b"GIF89a fake", content_type="image/png")
    response = client.post(fill_url(token), {**form_post(signed_on=tomorrow), "scan": forged})
    html = response.content.decode()
    assert "签字日期不能晚于今天" in html
    assert "仅凭扩展名无法通过检查" in html
    assert ClientAppraisal.objects.get().submitted_at is None
    assert stored_scans() == []


def test_the_applicant_proposes_and_follows(world, client_for):
    application = engineering_application(world)
    client = client_for(Role.ENTERPRISE_USER)
    html = client.get(page_url(application)).content.decode()
    assert "填写建设单位联系人" in html
    assert CLIENT in html
    assert "（取自申请表）" in html
    assert "发送评价链接</button>" not in html

    response = client.post(
        page_url(application),
        {"contact_name": "陈工", "contact_email": CLIENT_EMAIL, "contact_phone": "13800138000"},
        follow=True,
    )
    html = response.content.decode()
    assert "建设单位联系人已保存" in html
    assert "申报提交后，由推荐单位核实联系人并发送评价链接" in html
    # The applicant sees what it proposed.
    assert CLIENT_EMAIL in html
    assert "13800138000" in html
    appraisal = ClientAppraisal.objects.get(application=application)
    assert appraisal.token_hash is None
    assert not OutboxMessage.objects.exists()


def test_the_applicant_page_shows_the_checks(world, client_for):
    application = engineering_application(world)
    response = client_for(Role.ENTERPRISE_USER).post(
        page_url(application),
        {"contact_name": "陈工", "contact_email": "boss@example.cn", "contact_phone": "12"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "同属 example.cn" in html
    assert "请填写有效的联系电话" in html
    assert not ClientAppraisal.objects.exists()


def test_the_applicant_page_refuses_an_empty_proposal(world, client_for):
    application = engineering_application(world, client_name="")
    response = client_for(Role.ENTERPRISE_USER).post(page_url(application), {})
    assert response.status_code == 200
    assert "请填写建设单位联系人的联系电话" in response.content.decode()
    assert not ClientAppraisal.objects.exists()


def test_the_agency_checks_and_sends_through_the_page(world, client_for):
    application = engineering_application(world)
    propose(world, application, contact_phone="13800138000")
    mark_submitted(application)
    agency = client_for(Role.AGENCY_STAFF)
    html = agency.get(page_url(application)).content.decode()
    assert "请核实联系人确属建设单位后发送评价链接" in html
    assert CLIENT_EMAIL in html
    assert "13800138000" in html
    assert "发送评价链接</button>" in html

    response = agency.post(
        page_url(application),
        {"contact_name": "陈工", "contact_email": CLIENT_EMAIL, "contact_phone": "020-83330000"},
        follow=True,
    )
    html = response.content.decode()
    assert f"评价链接已发送至 {CLIENT_EMAIL}" in html
    assert "等待建设单位填写" in html
    assert "重新发送</button>" in html
    message = OutboxMessage.objects.get(template="appraisal_request")
    assert message.to == CLIENT_EMAIL
    token = message.body_text.split("/applications/appraisal/")[1].split("/")[0]
    appraisal = find_appraisal(token)
    assert appraisal.contact_phone == "020-83330000"
    assert appraisal.sent_by == world.users[Role.AGENCY_STAFF]


def test_the_agency_page_refuses_the_applicants_own_address(world, client_for):
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    response = client_for(Role.AGENCY_STAFF).post(
        page_url(application),
        {
            "contact_name": "陈工",
            "contact_email": world.colleague.email,
            "contact_phone": "020-83330000",
        },
    )
    assert response.status_code == 200
    assert "该邮箱是申报单位自己的邮箱" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_the_applicant_sees_the_state_not_the_address_the_agency_used(world, client_for):
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    send(world, application, contact_email="li.gong@gzcjt.example.com")
    html = client_for(Role.ENTERPRISE_USER).get(page_url(application)).content.decode()
    assert f"推荐单位{world.agency.name}已于" in html
    assert "等待建设单位填写" in html
    assert "li.gong@gzcjt.example.com" not in html
    # Submitted: nothing to change, and no way to send.
    assert 'name="contact_email"' not in html


def test_the_applicant_cannot_send_through_the_page(world, client_for):
    application = engineering_application(world)
    propose(world, application)
    mark_submitted(application)
    client = client_for(Role.ENTERPRISE_USER)
    html = client.get(page_url(application)).content.decode()
    assert "不能修改" in html
    response = client.post(
        page_url(application),
        {
            "contact_name": "陈工",
            "contact_email": "wang@gzcjt.example.com",
            "contact_phone": "13800138000",
        },
    )
    assert response.status_code == 302
    appraisal = ClientAppraisal.objects.get()
    assert appraisal.contact_email == CLIENT_EMAIL
    assert appraisal.token_hash is None
    assert not OutboxMessage.objects.exists()


def test_staff_see_the_recipients_email_and_phone(world, client_for):
    application = engineering_application(world)
    ask(world, application)
    html = client_for(Role.COMMITTEE_STAFF).get(page_url(application)).content.decode()
    assert f'data-contact="email">{CLIENT_EMAIL}<' in html
    assert 'data-contact="phone">020-83330000<' in html
    assert 'name="contact_email"' not in html


def test_the_page_says_when_a_link_has_expired(world, client_for, time_machine):
    time_machine.move_to(timezone.now())
    application = engineering_application(world)
    ask(world, application)
    time_machine.move_to(timezone.now() + timedelta(days=31))
    html = client_for(Role.AGENCY_STAFF).get(page_url(application)).content.decode()
    assert "过期" in html
    assert "重新发送</button>" in html
    html = client_for(Role.ENTERPRISE_USER).get(page_url(application)).content.decode()
    assert "请联系推荐单位重新发送" in html


def test_the_detail_page_shows_where_the_appraisal_stands(world, client_for):
    application = engineering_application(world)
    client = client_for(Role.ENTERPRISE_USER)
    detail = reverse("applications:detail", args=[application.pk])
    assert "未填写建设单位联系人" in client.get(detail).content.decode()
    propose(world, application)
    assert "已填写联系人，待推荐单位发送" in client.get(detail).content.decode()
    mark_submitted(application)
    agency = client_for(Role.AGENCY_STAFF)
    assert "待核实联系人并发送评价链接" in agency.get(detail).content.decode()
    send(world, application)
    assert "推荐单位已发送，等待建设单位填写" in agency.get(detail).content.decode()


def _submitted_with_scan(world):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    submit_appraisal(token=token, data=answers(), scan_upload=png_upload())
    return application


def test_the_agency_reads_once_the_application_is_submitted(world, client_for):
    application = engineering_application(world)
    propose(world, application)
    agency = client_for(Role.AGENCY_STAFF)
    assert agency.get(page_url(application)).status_code == 404
    assert agency.get(scan_url(application)).status_code == 404

    _appraisal, token = ask(world, application)
    submit_appraisal(token=token, data=answers(), scan_upload=png_upload())
    response = agency.get(page_url(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert "已收到建设单位评价" in html
    assert ANSWERS["maintenance"] in html
    assert "发送评价链接</button>" not in html
    # Already received: nothing to send; the agency is told so.
    response = agency.post(page_url(application), {"contact_name": "x"}, follow=True)
    assert "建设单位已提交评价" in response.content.decode()
    assert OutboxMessage.objects.filter(template="appraisal_request").count() == 1

    committee = client_for(Role.COMMITTEE_STAFF)
    assert ANSWERS["overall"] in committee.get(page_url(application)).content.decode()


def test_others_do_not_find_the_appraisal(world, client, client_for):
    application = _submitted_with_scan(world)
    client.force_login(world.outsider)
    assert client.get(page_url(application)).status_code == 404
    assert client.get(scan_url(application)).status_code == 404
    client.force_login(world.other_agency_staff)
    assert client.get(page_url(application)).status_code == 404
    assert client_for(Role.EXPERT).get(page_url(application)).status_code == 403
    assert client_for("anonymous").get(page_url(application)).status_code == 302


def test_a_non_engineering_application_has_no_appraisal_page(world, client_for):
    application = engineering_application(world)
    Application.objects.filter(pk=application.pk).update(category=Category.PRODUCT)
    assert client_for(Role.ENTERPRISE_USER).get(page_url(application)).status_code == 404


def test_the_scan_is_downloaded_and_logged(world, client_for):
    application = _submitted_with_scan(world)
    response = client_for(Role.ENTERPRISE_USER).get(scan_url(application))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == png_bytes()
    entry = ActivityLog.objects.get(action="appraisal.download_scan")
    assert entry.actor == world.users[Role.ENTERPRISE_USER]

    assert client_for(Role.AGENCY_STAFF).get(scan_url(application)).status_code == 200
    assert ActivityLog.objects.filter(action="appraisal.download_scan").count() == 2


def test_no_scan_no_download(world, client_for):
    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    client = client_for(Role.ENTERPRISE_USER)
    assert client.get(scan_url(application)).status_code == 404
    submit_appraisal(token=token, data=answers())
    assert client.get(scan_url(application)).status_code == 404
    assert client.post(scan_url(application)).status_code == 405
