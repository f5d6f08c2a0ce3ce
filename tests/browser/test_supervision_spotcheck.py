"""A spot check clicked through in Chromium, in Chinese: work-department staff plan a check
of title holders, draw it (the page says the draw can be redone), open the drawn holder,
record findings with a PDF and 限期整改 by a date, and find the check on the list with one
rectification waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.supervision.models import CheckResult, SpotCheck
from tests.conftest import World
from tests.supervision.factories_spotchecks import titles
from tests.titles.decision_helpers import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_a_spot_check_is_planned_drawn_and_recorded(
    page, live_server, login_as, cast, csp_violations
):
    holders = titles(cast, 3)
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(cast.users[Role.WORKDEPT_STAFF])

    # Plan a check of title holders of that year.
    page.goto(f"{live_server.url}/supervision/spot-checks/")
    expect(page.get_by_role("heading", name="抽查", exact=True)).to_be_visible()
    page.get_by_role("link", name="制定抽查计划").click()
    page.get_by_label("抽查名称").fill("获证组织称号使用情况抽查")
    page.get_by_label("获得称号的组织").check()
    page.get_by_label("年度").fill(str(holders[0].year))
    page.get_by_label("抽取数量").fill("1")
    page.get_by_label("抽查内容和要求").fill("核查称号宣传是否标明获评年份。")
    page.get_by_role("button", name="保存抽查计划").click()
    expect(page.locator("[data-spot-check-status]")).to_have_text("已计划")
    expect(page.locator("[data-preview]")).to_contain_text("目前符合条件的对象 3 个")

    # Draw: once, seeded, and the page says it can be checked.
    page.get_by_role("button", name="抽取 1 个抽查对象").click()
    expect(page.locator("[data-spot-check-status]")).to_have_text("已抽取")
    expect(page.get_by_text("抽取可复核")).to_be_visible()
    check = SpotCheck.objects.get()
    expect(page.locator("[data-seed]")).to_have_text(str(check.seed))
    item = check.items.get()

    # Record the findings with a PDF, to be rectified within a month.
    page.get_by_role("link", name="检查记录").click()
    expect(page.get_by_role("heading", name=item.organisation.name)).to_be_visible()
    deadline = timezone.localdate() + timedelta(days=30)
    page.get_by_label("限期整改").check()
    page.get_by_label("检查发现").fill("宣传册使用称号时未标明获评年份。")
    page.get_by_label("整改期限").fill(deadline.isoformat())
    page.get_by_label("上传证据材料").set_input_files(
        files=[{"name": "宣传册照片.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="保存检查结论").click()
    expect(page.locator("[data-item-result]")).to_have_text("限期整改")
    expect(page.locator("[data-findings]")).to_contain_text("未标明获评年份")
    expect(page.get_by_role("link", name="宣传册照片.pdf")).to_be_visible()
    expect(page.locator("[data-rectify-by]")).to_contain_text(
        f"{deadline.year}年{deadline.month}月{deadline.day}日"
    )
    item.refresh_from_db()
    assert item.result == CheckResult.RECTIFY
    assert item.rectify_by == deadline

    # The list shows the check with one rectification waiting.
    page.get_by_role("link", name="抽查", exact=True).first.click()
    row = page.locator(f"[data-spot-check='{check.pk}']")
    expect(row).to_contain_text("获证组织称号使用情况抽查")
    expect(row.locator("[data-rectify]")).to_have_text("1")
    expect(row.locator("[data-status]")).to_have_text("已抽取")
    assert not csp_violations
