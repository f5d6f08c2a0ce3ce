"""A revisit confirmation (回访确认, Art. 23) clicked through in Chromium, in Chinese: committee
staff pick a title holder, draw the experts and notify; the holder sees the notice; the
experts' leader records 未通过 with findings and a photo; the failure is a proposal to revoke
sent to the association (已建议撤销); the administrator confirms it, and the public
verification page then says the title is revoked."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.supervision.models import Revisit, RevisitStatus, Revocation, RevocationStatus
from manyi.titles.models import TitleStatus
from tests.conftest import World
from tests.supervision.factories_revisits import experts, title_of
from tests.titles.decision_helpers import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_a_failed_revisit_becomes_a_revocation_the_admin_confirms(
    page, live_server, login_as, cast, csp_violations, context
):
    title = title_of(cast, "product", organisation=cast.enterprise)
    experts(cast, 3)
    page.on("dialog", lambda dialog: dialog.accept())

    # Committee staff pick the holder, give the date, draw the experts and notify.
    login_as(cast.users[Role.COMMITTEE_STAFF])
    page.goto(f"{live_server.url}/supervision/revisits/")
    page.get_by_role("link", name="选择获证单位安排回访").click()
    page.get_by_label("单位名称、称号对象或证书编号").fill(title.number)
    page.get_by_role("button", name="查找").click()
    page.get_by_label(title.organisation.name).check()
    page.get_by_label("回访日期").fill(timezone.localdate().isoformat())
    expect(page.get_by_label("需准备的材料和事项")).to_contain_text("顾客投诉处理记录")
    page.get_by_role("button", name="安排回访").click()
    expect(page.locator("[data-revisit-status]")).to_have_text("已安排")
    page.get_by_role("button", name="抽取回访专家").click()
    expect(page.locator("[data-leader]")).to_be_visible()
    page.get_by_role("button", name="通知获证单位和专家").click()
    expect(page.locator("[data-revisit-status]")).to_have_text("已通知")
    revisit = Revisit.objects.get(title=title)
    leader = revisit.experts.get(leader=True).expert

    # The holder sees the notice with the experts' names.
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/supervision/revisits/ours/")
    expect(page.locator(f'[data-revisit="{revisit.pk}"]')).to_contain_text(leader.display_name)

    # The leader records the on-site result: not passed, with findings and a photo.
    login_as(leader)
    page.goto(f"{live_server.url}/supervision/revisits/mine/")
    page.get_by_role("link", name=re.compile(str(revisit.visit_on.year))).first.click()
    expect(page.get_by_role("heading", name="记录回访结果")).to_be_visible()
    page.get_by_label("未通过", exact=True).check()
    page.get_by_label("回访发现").fill("牌匾未按规定标明年度，近一年投诉处理台账缺失。")
    page.get_by_label(re.compile("证据材料")).set_input_files(
        files=[{"name": "现场照片.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="提交回访结果").click()
    expect(page.locator("[data-revisit-status]")).to_have_text("未通过")
    expect(page.locator("[data-case-link]")).to_have_text("已建议撤销")
    expect(page.locator("[data-evidence]")).to_contain_text("现场照片.pdf")

    revisit.refresh_from_db()
    assert revisit.status == RevisitStatus.FAILED
    case = Revocation.objects.get(revisit=revisit)
    assert case.status == RevocationStatus.PROPOSED
    assert "投诉处理台账缺失" in case.facts

    # The association's administrator confirms the proposal, from today.
    context.clear_cookies()
    login_as(cast.users[Role.ASSOCIATION_ADMIN])
    page.goto(f"{live_server.url}/supervision/revocations/")
    page.locator("[data-table=revocations] tbody tr", has_text=title.number).get_by_role(
        "link"
    ).click()
    expect(page.locator("[data-case-status]")).to_have_text("已建议撤销")
    page.get_by_label("撤销称号").check()
    page.get_by_label("决定内容或不予撤销的理由").fill("同意用户委员会的建议，撤销该称号。")
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("[data-case-status]")).to_have_text("已撤销")

    # Anyone verifying the number is told it is revoked, and why.
    context.clear_cookies()
    page.goto(f"{live_server.url}/titles/verify/{title.number}/")
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-verify-result", "revoked")
    expect(page.locator("[data-field=revocation-reason]")).to_have_text("回访确认未通过")
    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED
    assert not csp_violations
