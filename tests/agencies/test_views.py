"""The agencies' pages as people use them: the public form and directory, the staff's queue and
decision, the list of agencies, an agency's page (another agency's is not found), and the
pages where enterprises and agencies manage their membership."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from manyi.accounts.models import AgencyMembership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies import services
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common.models import ActivityLog
from tests.agencies.factories import confirmed_member, invited, request_data, submitted_request
from tests.applications.helpers import make_application
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def as_role(client, world, role):
    client.force_login(world.users[role])
    return client


# ------------------------------------------------------------------------------------------
# Public


def test_a_visitor_applies_and_gets_a_private_follow_link(world, client):
    data = {k: v for k, v in request_data().items() if v}
    response = client.post("/agencies/apply/", data)

    assert response.status_code == 200
    assert response["Referrer-Policy"] == "strict-origin"
    page = response.content.decode()
    assert "认可申请已提交" in page
    request = AgencyRequest.objects.get()
    assert request.submitted_by is None
    follow = page.split("data-follow-url>")[1].split("<")[0]
    assert "/agencies/apply/follow/" in follow
    followed = client.get(follow.replace("http://testserver", ""))
    assert "广州市质量协会审核中" in followed.content.decode()
    assert followed["Referrer-Policy"] == "strict-origin"


def test_a_bad_form_is_shown_again_and_stores_nothing(world, client):
    response = client.post("/agencies/apply/", {"name": world.agency.name})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("该字段是必填项") >= 10
    assert not AgencyRequest.objects.exists()


def test_the_duplicate_of_an_agency_is_refused_on_the_form(world, client):
    data = {k: v for k, v in request_data(name=world.agency.name).items() if v}
    page = client.post("/agencies/apply/", data).content.decode()
    assert "已是推进机构，不能重复申请认可" in page
    assert not AgencyRequest.objects.exists()


def test_the_follow_page_shows_a_refusal_and_its_reason(world, client):
    request, token = submitted_request()
    services.refuse(request=request, by=world.users[Role.ASSOCIATION_ADMIN], reason="材料不全")
    page = client.get(f"/agencies/apply/follow/{token}/").content.decode()
    assert "不予认可" in page
    assert "材料不全" in page
    assert client.get("/agencies/apply/follow/wrong/").status_code == 404


def test_the_directory_lists_the_agencies_that_may_recommend(world, client):
    services.suspend(agency=world.other_agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="x")
    OrganisationFactory(kind=OrgKind.AGENCY, name="未认可的协会", recognised_on=None)
    page = client.get("/agencies/directory/").content.decode()
    assert world.agency.name in page
    assert world.other_agency.name not in page
    assert "未认可的协会" not in page
    assert "/agencies/apply/" in page
    found = client.get("/agencies/directory/", {"q": "天河"}).content.decode()
    assert world.agency.name in found
    assert (
        client.get("/agencies/directory/", {"scope": "industry"})
        .content.decode()
        .count("data-agency=")
        == 0
    )


# ------------------------------------------------------------------------------------------
# Staff: requests


def test_the_queue_filters_and_searches(world, client):
    submitted_request()
    other, _t = submitted_request(name="广州市海珠区质量发展促进会")
    services.refuse(request=other, by=world.users[Role.ASSOCIATION_ADMIN], reason="重复")
    staff = as_role(client, world, Role.COMMITTEE_STAFF)
    waiting = staff.get("/agencies/requests/", {"status": "submitted"}).content.decode()
    assert "番禺区用户满意促进会" in waiting
    assert "海珠区质量发展促进会" not in waiting
    found = staff.get("/agencies/requests/", {"q": "海珠"}).content.decode()
    assert "海珠区质量发展促进会" in found
    assert "番禺区用户满意促进会" not in found


def test_the_admin_sees_the_decision_and_the_mobile_others_a_masked_number(world, client):
    request, _token = submitted_request()
    admin_page = (
        as_role(client, world, Role.ASSOCIATION_ADMIN)
        .get(f"/agencies/requests/{request.pk}/")
        .content.decode()
    )
    assert "data-recognise-form" in admin_page
    assert "13902001234" in admin_page
    staff_page = (
        as_role(client, world, Role.COMMITTEE_STAFF)
        .get(f"/agencies/requests/{request.pk}/")
        .content.decode()
    )
    assert "data-recognise-form" not in staff_page
    assert "13902001234" not in staff_page
    assert "139****1234" in staff_page


def test_the_admin_recognises_through_the_form(world, client):
    request, _token = submitted_request()
    admin = as_role(client, world, Role.ASSOCIATION_ADMIN)
    response = admin.post(f"/agencies/requests/{request.pk}/recognise/", {"note": "同意"})
    assert response.status_code == 302
    agency = Organisation.objects.get(kind=OrgKind.AGENCY, name=request.name)
    page = admin.get(response["Location"]).content.decode()
    assert "已认可" in page
    assert f"/agencies/{agency.pk}/" in page


def test_a_refusal_without_reason_is_told_and_changes_nothing(world, client):
    request, _token = submitted_request()
    admin = as_role(client, world, Role.ASSOCIATION_ADMIN)
    response = admin.post(f"/agencies/requests/{request.pk}/refuse/", {"reason": ""}, follow=True)
    assert "请写明不予认可的理由" in response.content.decode()
    assert AgencyRequest.objects.get().status == RequestStatus.SUBMITTED


def test_a_duplicate_is_flagged_on_the_request_page(world, client):
    request, _token = submitted_request()
    OrganisationFactory(kind=OrgKind.AGENCY, name=request.name)
    page = (
        as_role(client, world, Role.ASSOCIATION_ADMIN)
        .get(f"/agencies/requests/{request.pk}/")
        .content.decode()
    )
    assert "data-duplicate" in page


# ------------------------------------------------------------------------------------------
# Staff: agencies


def test_the_list_shows_standing_and_counts(world, client):
    confirmed_member(world.other_enterprise, world.agency)
    services.suspend(agency=world.other_agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="x")
    staff = as_role(client, world, Role.WORKDEPT_STAFF)
    page = staff.get("/agencies/").content.decode()
    row = page.split(f'data-agency="{world.agency.pk}"')[1].split("</tr>")[0]
    assert 'data-standing="recognised"' in row
    assert "data-members>1<" in row
    assert "data-pending>1<" in row  # world.enterprise asked to join
    suspended = staff.get("/agencies/", {"standing": "suspended"}).content.decode()
    assert world.other_agency.name in suspended
    assert world.agency.name not in suspended


def test_another_agencys_page_is_not_found(world, client):
    staff = as_role(client, world, Role.AGENCY_STAFF)
    assert staff.get(f"/agencies/{world.other_agency.pk}/").status_code == 404
    own = staff.get(f"/agencies/{world.agency.pk}/")
    assert own.status_code == 200
    assert "data-suspend-form" not in own.content.decode()


def test_the_admin_suspends_and_reinstates_from_the_page(world, client):
    admin = as_role(client, world, Role.ASSOCIATION_ADMIN)
    page = admin.get(f"/agencies/{world.agency.pk}/").content.decode()
    assert "data-suspend-form" in page
    assert "data-reinstate-form" not in page
    admin.post(f"/agencies/{world.agency.pk}/suspend/", {"reason": "未报送年度计划"})
    page = admin.get(f"/agencies/{world.agency.pk}/").content.decode()
    assert "data-suspension" in page
    assert "未报送年度计划" in page
    assert "data-reinstate-form" in page
    assert "暂停推进机构认可" in page  # the history
    admin.post(f"/agencies/{world.agency.pk}/reinstate/", {"reason": ""})
    world.agency.refresh_from_db()
    assert world.agency.may_recommend


def test_committee_staff_cannot_suspend(world, client):
    staff = as_role(client, world, Role.COMMITTEE_STAFF)
    assert staff.post(f"/agencies/{world.agency.pk}/suspend/", {"reason": "x"}).status_code == 403
    world.agency.refresh_from_db()
    assert world.agency.may_recommend


# ------------------------------------------------------------------------------------------
# The agency's dashboard


def test_the_dashboard_counts_members_applications_and_pass_rates(world, client, monkeypatch):
    from manyi.applications.models import Application

    member = confirmed_member(world.other_enterprise, world.agency)
    invited(world, enterprise=OrganisationFactory(name="受邀企业有限公司"))
    make_application(world, "service", status="submitted")
    for category, status in (
        ("brand", "awarded"),
        ("product", "awarded"),
        ("enterprise", "not_awarded"),
        ("engineering", "in_notice"),
    ):
        a = make_application(world, category, status=status)
        Application.objects.filter(pk=a.pk).update(decided_at=timezone.now())
    monkeypatch.setattr(
        "manyi.training.selectors.hours_by_organisation",
        lambda ids, year: {member.enterprise_id: 12},
    )
    page = as_role(client, world, Role.AGENCY_STAFF).get("/agencies/mine/").content.decode()

    assert 'data-count="confirmed">1<' in page
    assert "待本机构确认 1 家 · 已邀请待答复 1 家" in page
    assert 'data-state="submitted"' in page
    year = timezone.localdate().year
    rate_row = page.split(f'data-year="{year}"')[1].split("</tr>")[0]
    assert "67%" in rate_row  # 2 awarded of 3 decided; 公示中 not counted
    assert "data-total-hours>12<" in page
    assert "受邀企业有限公司" in page


def test_the_dashboard_banner_says_the_recognition_is_suspended(world, client):
    services.suspend(agency=world.agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="整改中")
    page = as_role(client, world, Role.AGENCY_STAFF).get("/agencies/mine/").content.decode()
    assert 'data-banner="suspended"' in page
    assert "整改中" in page
    assert "/agencies/mine/invite/" not in page


def test_the_dashboard_reads_the_same_number_of_queries_for_one_or_three_members(world, client):
    staff = as_role(client, world, Role.AGENCY_STAFF)
    confirmed_member(world.other_enterprise, world.agency)
    with CaptureQueriesContext(connection) as one:
        staff.get("/agencies/mine/")
    for name in ("甲企业有限公司", "乙企业有限公司"):
        confirmed_member(OrganisationFactory(name=name), world.agency)
    with CaptureQueriesContext(connection) as three:
        staff.get("/agencies/mine/")
    assert len(three) == len(one)


# ------------------------------------------------------------------------------------------
# Membership pages


def test_the_agency_searches_and_invites_an_enterprise(world, client):
    staff = as_role(client, world, Role.AGENCY_STAFF)
    found = staff.get("/agencies/mine/invite/", {"q": "白云"}).content.decode()
    assert world.other_enterprise.name in found
    assert (
        staff.get("/agencies/mine/invite/", {"q": world.other_enterprise.uscc[:10]})
        .content.decode()
        .count(f'data-enterprise="{world.other_enterprise.pk}"')
        == 1
    )
    # Its own (requesting) member is not offered.
    assert (
        f'data-enterprise="{world.enterprise.pk}"'
        not in staff.get("/agencies/mine/invite/", {"q": "珠江"}).content.decode()
    )
    response = staff.post(
        "/agencies/mine/invite/",
        {"agency": world.agency.pk, "enterprise": world.other_enterprise.pk, "q": "白云"},
    )
    assert response.status_code == 302
    assert AgencyMembership.objects.get(
        agency=world.agency, enterprise=world.other_enterprise
    ).invited_at
    members_page = staff.get("/agency/members/").content.decode()
    assert world.other_enterprise.name in members_page.split("data-sent-invitations")[1]


def test_the_enterprise_answers_on_its_page(world, client):
    m = invited(world)
    outsider = client
    outsider.force_login(world.outsider)
    page = outsider.get(f"/orgs/{world.other_enterprise.pk}/").content.decode()
    assert f'data-invitation="{m.pk}"' in page
    assert "接受邀请" in page
    outsider.post(f"/agencies/memberships/{m.pk}/accept/")
    m.refresh_from_db()
    assert m.is_confirmed
    page = outsider.get(f"/orgs/{world.other_enterprise.pk}/").content.decode()
    assert f"/agencies/memberships/{m.pk}/leave/" in page


def test_another_enterprise_cannot_answer_the_invitation(world, client):
    m = invited(world)
    user = as_role(client, world, Role.ENTERPRISE_USER)
    assert user.post(f"/agencies/memberships/{m.pk}/accept/").status_code == 404
    assert user.get(f"/agencies/memberships/{m.pk}/leave/").status_code == 404
    m.refresh_from_db()
    assert not m.is_confirmed


def test_the_leave_page_says_why_not_while_an_application_waits(world, client):
    m = confirmed_member(world.enterprise, world.agency)
    make_application(world, "service", status="submitted")
    user = as_role(client, world, Role.ENTERPRISE_USER)
    page = user.get(f"/agencies/memberships/{m.pk}/leave/").content.decode()
    assert "data-refusal" in page
    assert "data-leave-form" not in page
    response = user.post(f"/agencies/memberships/{m.pk}/leave/", {"reason": "x"})
    assert "在本年度申报活动结束前不能解除会员关系" in response.content.decode()
    assert AgencyMembership.objects.filter(pk=m.pk).exists()
    page = user.get(f"/orgs/{world.enterprise.pk}/").content.decode()
    assert "暂不能退出" in page


def test_the_agency_ends_a_membership_with_a_reason(world, client):
    m = confirmed_member(world.other_enterprise, world.agency)
    staff = as_role(client, world, Role.AGENCY_STAFF)
    empty = staff.post(f"/agencies/memberships/{m.pk}/end/", {"reason": ""})
    assert empty.status_code == 200
    assert AgencyMembership.objects.filter(pk=m.pk).exists()
    done = staff.post(f"/agencies/memberships/{m.pk}/end/", {"reason": "已注销"})
    assert done.status_code == 302
    assert not AgencyMembership.objects.filter(pk=m.pk).exists()
    assert ActivityLog.objects.get(action="agency_member.remove").note == "已注销"
    other = confirmed_member(world.enterprise, world.other_agency)
    assert staff.get(f"/agencies/memberships/{other.pk}/end/").status_code == 404


# ------------------------------------------------------------------------------------------
# Panels and the notice on an application


def test_dashboard_panels(world, client):
    submitted_request()
    admin_page = as_role(client, world, Role.ASSOCIATION_ADMIN).get("/dashboard/").content.decode()
    assert "推进机构认可申请待审核" in admin_page
    assert "番禺区用户满意促进会" in admin_page
    invited(world)
    services.suspend(agency=world.agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="整改中")
    agency_page = as_role(client, world, Role.AGENCY_STAFF).get("/dashboard/").content.decode()
    assert "本机构的推进机构认可已暂停" in agency_page
    assert "整改中" in agency_page
    client.force_login(world.outsider)
    enterprise_page = client.get("/dashboard/").content.decode()
    assert "推进机构邀请贵单位加入" in enterprise_page


def test_the_standing_notice_says_why_an_application_waits(world):
    from django.template import Context, Template

    application = make_application(world, "service", status="submitted")
    template = Template("{% load agencies %}{% agency_standing_notice application %}")
    assert "data-agency-standing" not in template.render(Context({"application": application}))
    services.suspend(agency=world.agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="x")
    application.refresh_from_db()
    rendered = template.render(Context({"application": application}))
    assert "data-agency-standing" in rendered
    assert "暂停" in rendered


def test_the_agency_withdraws_an_invitation_without_a_reason(world, client):
    m = invited(world)
    staff = as_role(client, world, Role.AGENCY_STAFF)
    page = staff.get(f"/agencies/memberships/{m.pk}/end/").content.decode()
    assert "撤回对" in page
    response = staff.post(f"/agencies/memberships/{m.pk}/end/", {})
    assert response.status_code == 302
    assert not AgencyMembership.objects.filter(pk=m.pk).exists()
    assert ActivityLog.objects.get(action="agency_member.remove").after == {
        "invitation_withdrawn": True
    }
