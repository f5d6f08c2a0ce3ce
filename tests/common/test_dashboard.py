"""Each role lands on its own dashboard, showing what waits for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manyi.accounts.roles import Role
from manyi.common.models import OutboxMessage
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def dashboard_text(client, user):
    client.force_login(user)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return response.content.decode()


def test_agency_sees_members_waiting_for_confirmation(world, client):
    text = dashboard_text(client, world.users[Role.AGENCY_STAFF])
    assert "待确认的会员企业" in text
    assert world.enterprise.name in text
    # Another agency's enterprise is not shown.
    assert world.other_enterprise.name not in text


def test_enterprise_sees_its_missing_details_and_agency_status(world, client):
    text = dashboard_text(client, world.users[Role.ENTERPRISE_USER])
    assert world.enterprise.name in text
    assert f"等待 {world.agency.name} 确认会员关系" in text
    assert "单位资料待补充" in text
    assert "法定代表人" in text


def test_staff_see_failed_mail_and_new_enterprises(world, client):
    OutboxMessage.objects.create(
        to="x@example.cn", subject="未送达的通知", body_text=".", status="failed"
    )
    text = dashboard_text(client, world.users[Role.COMMITTEE_STAFF])
    assert "发送失败的邮件" in text
    assert "未送达的通知" in text
    assert "新注册的企业" in text
    assert world.enterprise.name in text


def test_expert_is_asked_to_complete_the_profile(world, client):
    text = dashboard_text(client, world.users[Role.EXPERT])
    assert "请完善专家资料" in text


def test_workdept_and_surveyor_dashboards(world, client):
    assert "新注册的企业" in dashboard_text(client, world.users[Role.WORKDEPT_STAFF])
    assert world.survey_firm.name in dashboard_text(client, world.users[Role.SURVEYOR])


def test_demo_accounts_may_skip_mfa_only_with_the_setting_and_see_a_banner(world, client, settings):
    from tests.factories import MembershipFactory

    demo = MembershipFactory(organisation=world.committee, role=Role.COMMITTEE_STAFF).user
    demo.is_demo = True
    demo.save()
    client.force_login(demo)
    settings.DEMO_SKIP_MFA = False
    assert client.get("/dashboard/").status_code == 302
    settings.DEMO_SKIP_MFA = True
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert "演示环境" in response.content.decode()


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/orgs/", "/agency/members/", "/experts/", "/staff/outbox/", "/staff/activity/"]
)
def test_list_views_do_not_grow_queries_with_items(world, client, url):
    from manyi.common.services import log_activity

    role = Role.AGENCY_STAFF if url == "/agency/members/" else Role.COMMITTEE_STAFF
    client.force_login(world.users[role])
    OrganisationFactory(agency=world.agency)
    OutboxMessage.objects.create(to="a@example.cn", subject="1", body_text=".")
    log_activity(actor=world.users[role], action="a", organisation=world.enterprise)
    one = _count_queries(client, url)
    for i in range(2):
        OrganisationFactory(agency=world.agency)
        OutboxMessage.objects.create(to=f"b{i}@example.cn", subject="2", body_text=".")
        log_activity(actor=world.users[role], action="b", organisation=world.enterprise)
    assert _count_queries(client, url) == one


def test_recent_activity_names_actions_in_words(world, client):
    from manyi.common.services import log_activity

    log_activity(actor=world.users[Role.COMMITTEE_STAFF], action="campaign.publish")
    log_activity(actor=world.users[Role.COMMITTEE_STAFF], action="ban.lift")
    text = dashboard_text(client, world.users[Role.COMMITTEE_STAFF])
    assert "发布申报活动" in text
    assert "解除禁止申报" in text
    assert "campaign.publish" not in text
