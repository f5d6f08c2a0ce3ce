"""An organisation becomes a promotion agency (Art. 8) in Chromium: a visitor applies in
Chinese through the public form and keeps the follow link; the association's administrator logs
in with the second factor, finds the request on the dashboard, recognises it with the form; the
request reads 已认可, the follow link says so, and the agency is in the public directory."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from manyi.accounts.models import Invitation, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies.models import AgencyRequest, RequestStatus
from tests.conftest import World, give_totp
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "广州市南沙区用户满意促进会"


def totp_now(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_a_visitor_applies_and_the_admin_recognises_the_agency(page, live_server, csp_violations):
    world = World()
    admin = world.users[Role.ASSOCIATION_ADMIN]
    page.on("dialog", lambda dialog: dialog.accept())

    # A visitor finds the form from the directory and applies.
    page.goto(f"{live_server.url}/agencies/directory/")
    expect(page.get_by_role("heading", name="推进机构名录")).to_be_visible()
    expect(page.get_by_text(world.agency.name)).to_be_visible()
    page.get_by_role("link", name="申请认可为推进机构").click()
    page.get_by_label("机构名称").fill(NAME)
    page.get_by_label("地区", exact=True).check()
    page.get_by_label("推进地区或行业").fill("南沙区")
    page.get_by_label("所在区").select_option(label="南沙区")
    page.get_by_label("联系地址").fill("广州市南沙区进港大道8号")
    page.get_by_label("主管部门").fill("南沙区市场监督管理局")
    page.get_by_label("专人负责").fill("林海（秘书长）")
    page.get_by_label("推进工作计划").fill(
        "每季度开展一次用户满意工程宣传，全年走访区内企业二十家。"
    )
    page.get_by_label("推进措施").fill("设专职联络员两名，建立与区市场监管局的季度联席会议制度。")
    page.get_by_label("联系人", exact=True).fill("林海")
    page.get_by_label("手机").fill("13800138000")
    page.get_by_label("电子邮箱").fill("linhai@nansha.example.cn")
    page.get_by_role("button", name="提交认可申请").click()
    expect(page.get_by_role("heading", name="认可申请已提交")).to_be_visible()
    follow = page.locator("[data-follow-url]").inner_text()
    request = AgencyRequest.objects.get(name=NAME)
    assert request.status == RequestStatus.SUBMITTED
    assert request.follow_token_hash not in follow

    # The association's administrator logs in with the second factor.
    # The World gave the administrator an authenticator; this test needs to know its secret.
    Authenticator.objects.filter(user=admin).delete()
    secret = give_totp(admin)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(admin.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.get_by_label("验证码").fill(totp_now(secret))
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    panel = page.locator("section.card").filter(has_text="推进机构认可申请待审核")
    expect(panel.get_by_text(NAME)).to_be_visible()
    panel.get_by_role("link", name="审核").click()
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.locator("[data-mobile]")).to_have_text("13800138000")
    page.get_by_label("认可意见（可选）").fill("主管部门和专人明确，计划措施具体，同意认可。")
    page.locator("[data-recognise-form]").get_by_role("button", name="认可").click()

    expect(page.get_by_text(f"已认可 {NAME} 为推进机构")).to_be_visible()
    expect(page.locator("[data-status]").first).to_have_text("已认可")
    agency = Organisation.objects.get(kind=OrgKind.AGENCY, name=NAME)
    assert agency.may_recommend
    assert Invitation.objects.filter(
        organisation=agency, email="linhai@nansha.example.cn", role=Role.AGENCY_STAFF
    ).exists()
    page.get_by_role("link", name=NAME).last.click()
    expect(page.locator("[data-standing]")).to_have_text("已认可")

    # The follow link and the public directory say so.
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, follow))
    expect(page.locator("[data-status-words]")).to_have_text("已认可为推进机构")
    page.goto(f"{live_server.url}/agencies/directory/?q=南沙")
    expect(page.locator("[data-table=directory]").get_by_text(NAME)).to_be_visible()
    assert csp_violations == []
