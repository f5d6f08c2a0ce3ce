"""What a person does first: register, verify, log in, switch language; staff log in with TOTP."""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import expect

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import make_uscc
from manyi.common.models import ActivityLog, OutboxMessage
from tests.conftest import give_totp
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def totp_now(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("电子邮箱").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()


def test_enterprise_registers_verifies_email_and_sees_its_dashboard(
    page, live_server, csp_violations
):
    agency = OrganisationFactory(kind=OrgKind.AGENCY, name="广州市天河区质量技术协会")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="企业注册").first.click()
    page.get_by_label("电子邮箱").fill("quality@newco.cn")
    page.locator("#id_password1").fill("Sat1sfied-Users!")
    page.locator("#id_password2").fill("Sat1sfied-Users!")
    page.get_by_label("您的姓名").fill("林质量")
    page.get_by_label("企业名称").fill("广州新思路电器有限公司")
    # A wrong check character first: the form says so in Chinese and keeps what was typed.
    code = make_uscc("91440106MA5ABCDE1")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_label("法定代表人").fill("林大海")
    page.get_by_label("企业类型").select_option(label="工业企业")
    page.get_by_label("所属行业").fill("家用电器")
    page.get_by_label("联系地址").fill("广州市天河区科韵路16号")
    page.get_by_label("邮政编码").fill("510665")
    page.get_by_label("手机").fill("13912345678")
    page.get_by_label("所属推进机构").select_option(label=agency.name)
    page.locator("main").get_by_role("button", name="注册").click()
    expect(page.get_by_text("校验位不正确")).to_be_visible()
    assert not Organisation.objects.filter(name="广州新思路电器有限公司").exists()
    page.get_by_label("统一社会信用代码").fill(code)
    page.locator("#id_password1").fill("Sat1sfied-Users!")
    page.locator("#id_password2").fill("Sat1sfied-Users!")
    page.locator("main").get_by_role("button", name="注册").click()
    expect(page.get_by_role("heading", name="请查收邮件")).to_be_visible()

    message = OutboxMessage.objects.get(to="quality@newco.cn")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body_text).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.locator("main").get_by_role("button", name="确认").click()

    log_in(page, live_server, "quality@newco.cn", "Sat1sfied-Users!")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_role("heading", name="广州新思路电器有限公司")).to_be_visible()
    expect(page.get_by_text(f"等待 {agency.name} 确认会员关系")).to_be_visible()
    org = Organisation.objects.get(name="广州新思路电器有限公司")
    assert org.uscc == code
    assert org.agency_memberships.get().agency == agency
    assert ActivityLog.objects.filter(
        action="organisation.register", object_id=str(org.pk)
    ).exists()
    assert csp_violations == []


def test_staff_log_in_with_a_second_factor(page, live_server, csp_violations):
    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会"),
        role=Role.COMMITTEE_STAFF,
    ).user
    secret = give_totp(staff)
    log_in(page, live_server, staff.email)
    expect(page.get_by_label("验证码")).to_be_visible()
    page.get_by_label("验证码").fill("000000")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_text("不正确")).to_be_visible()
    page.get_by_label("验证码").fill(totp_now(secret))
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.get_by_role("button", name="系统", exact=True).click()  # the auditors' menu
    expect(page.get_by_role("link", name="操作日志")).to_be_visible()
    assert csp_violations == []


def test_staff_without_a_second_factor_must_set_one_up(page, live_server):
    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.ASSOCIATION, name="广州市质量协会"),
        role=Role.ASSOCIATION_ADMIN,
    ).user
    log_in(page, live_server, staff.email)
    page.goto(f"{live_server.url}/dashboard/")
    # Sent to activate an authenticator app (after confirming the password once more).
    expect(page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))


def test_language_switch_shows_english(page, live_server):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(name="广州语言测试有限公司"),
        role=Role.ENTERPRISE_USER,
    )
    log_in(page, live_server, user.email)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="My organisation")).to_be_visible()
    page.get_by_role("button", name="简体中文").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
