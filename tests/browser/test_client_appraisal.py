"""The client's appraisal (续表4-4) goes through the recommending agency: the engineering
applicant proposes its client's contact, the agency checks it and sends the link, the client,
without an account, fills it through the emailed link; the applicant then sees it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import OrgKind, Role
from manyi.applications.models import ClientAppraisal
from manyi.common.models import OutboxMessage
from tests.applications.test_appraisals import (
    ANSWERS,
    CLIENT,
    PROJECT,
    engineering_application,
    mark_submitted,
)
from tests.applications.test_uploads import png_bytes
from tests.conftest import give_totp
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "quality": "工程质量",
    "construction_service": "施工服务",
    "design_suggestions": "工程设计的建设性意见",
    "maintenance": "后续维护",
    "overall": "总体评价",
    "improvements": "改进建议",
}


def test_client_fills_the_appraisal_by_link(
    page, browser, live_server, login_as, tmp_path, csp_violations
):
    agency = OrganisationFactory(kind=OrgKind.AGENCY, name="广州市建筑业协会")
    builder = OrganisationFactory(name="广州珠江建设工程有限公司", agency=agency)
    user = MembershipFactory(organisation=builder, role=Role.ENTERPRISE_USER).user
    agency_user = MembershipFactory(organisation=agency, role=Role.AGENCY_STAFF).user
    give_totp(agency_user)
    application = engineering_application(None, organisation=builder, user=user)
    scan = tmp_path / "评价盖章页.png"
    scan.write_bytes(png_bytes())

    # The applicant proposes the client's contact from its application; its own domain is refused.
    login_as(user)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("link", name=re.compile("建设单位（用户）满意度评价鉴定意见")).click()
    expect(page.get_by_text(CLIENT)).to_be_visible()
    page.get_by_label("联系人").fill("陈工")
    page.get_by_label("电子邮箱").fill(f"boss@{user.email.split('@')[1]}")
    page.get_by_label("联系电话").fill("12")
    page.get_by_role("button", name="保存联系人").click()
    expect(page.get_by_text("不能作为建设单位联系人的邮箱")).to_be_visible()
    expect(page.get_by_text("请填写有效的联系电话")).to_be_visible()
    page.get_by_label("电子邮箱").fill("chen@gzcjt.example.com")
    page.get_by_label("联系电话").fill("138 0013 8000")
    page.get_by_role("button", name="保存联系人").click()
    expect(page.get_by_text("建设单位联系人已保存")).to_be_visible()
    expect(page.get_by_text("13800138000")).to_be_visible()
    assert not OutboxMessage.objects.filter(template="appraisal_request").exists()

    # Submitted (set directly: the rest of the application has its own tests).
    mark_submitted(application)

    # The agency checks the contact, corrects the phone and sends the link.
    login_as(agency_user)
    page.goto(f"{live_server.url}/applications/{application.pk}/appraisal/")
    expect(page.get_by_text("请核实联系人确属建设单位后发送评价链接")).to_be_visible()
    expect(page.get_by_label("电子邮箱")).to_have_value("chen@gzcjt.example.com")
    page.get_by_label("联系电话").fill("020-83330000")
    page.get_by_role("button", name="发送评价链接").click()
    expect(page.get_by_text("评价链接已发送至 chen@gzcjt.example.com")).to_be_visible()
    expect(page.get_by_text("等待建设单位填写")).to_be_visible()
    expect(page.get_by_text("020-83330000")).to_be_visible()

    # The client opens the link from the email, in a browser that has no session.
    body = OutboxMessage.objects.get(to="chen@gzcjt.example.com").body_text
    link = re.search(r"/applications/appraisal/[\w-]+/", body).group(0)
    anonymous = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    client_page = anonymous.new_page()
    client_csp = []
    client_page.on(
        "console",
        lambda msg: client_csp.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    client_page.on("dialog", lambda dialog: dialog.accept())
    client_page.goto(f"{live_server.url}{link}")
    expect(
        client_page.get_by_role("heading", name="建设单位（用户）满意度评价鉴定意见")
    ).to_be_visible()
    expect(client_page.get_by_text(PROJECT)).to_be_visible()
    expect(client_page.get_by_text(builder.name)).to_be_visible()
    for name, label in LABELS.items():
        client_page.get_by_label(label, exact=True).fill(ANSWERS[name])
    client_page.get_by_label("建设单位（用户）签字", exact=True).fill("李建国")
    client_page.get_by_label("日期", exact=True).fill(timezone.localdate().isoformat())
    client_page.get_by_label("签字盖章页扫描件（可选）").set_input_files(str(scan))
    client_page.get_by_role("button", name="提交评价").click()
    expect(client_page.get_by_text("评价已提交，谢谢！")).to_be_visible()
    # The link is used up.
    client_page.goto(f"{live_server.url}{link}")
    expect(client_page.get_by_role("heading", name="链接无效或已使用")).to_be_visible()
    anonymous.close()

    appraisal = ClientAppraisal.objects.get(application=application)
    assert appraisal.submitted_at is not None
    assert appraisal.signer == "李建国"
    assert appraisal.scan_name == "评价盖章页.png"

    # The applicant sees it arrive, reads it and can download the sealed page.
    login_as(user)
    page.goto(f"{live_server.url}/applications/{application.pk}/appraisal/")
    expect(page.get_by_text("已收到建设单位评价")).to_be_visible()
    expect(page.get_by_text(ANSWERS["design_suggestions"])).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="评价盖章页.png").click()
    assert download.value.suggested_filename == "评价盖章页.png"
    assert csp_violations == []
    assert client_csp == []
