"""The applicant uploads its customer list (附件3): a list with errors first, then a good one."""

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.applications.models import CustomerListStatus
from tests import xlsx_factory as xf
from tests.applications.test_customer_lists import make_application

pytestmark = pytest.mark.django_db(transaction=True)


def test_applicant_fixes_a_rejected_list_and_sees_its_customers(
    page, live_server, login_as, world, tmp_path, csp_violations
):
    application = make_application(world)
    login_as(world.users[Role.ENTERPRISE_USER])
    rows = xf.customers(35)
    rows[4][5] = "12345"  # Excel row 7
    rows[9][1] = ""  # Excel row 12
    bad = xf.write_workbook(tmp_path / "用户名单-初稿.xlsx", rows)
    good = xf.write_workbook(tmp_path / "用户名单-定稿.xlsx", xf.customers(35))

    page.goto(f"{live_server.url}/applications/{application.pk}/")
    page.get_by_role("link", name="用户名单（附件3）").click()
    expect(page.get_by_role("heading", name="用户名单（附件3）")).to_be_visible()
    expect(page.get_by_text("尚无通过检查的用户名单。")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板（附件3）").click()
    assert download.value.suggested_filename == "附件3-用户名单-珠江家电有限公司.xlsx"

    page.get_by_label("用户名单（Excel .xlsx 文件）").set_input_files(str(bad))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("“用户名单-初稿.xlsx”未通过检查，未导入任何用户。")).to_be_visible()
    report = page.locator("#error-report")
    expect(report.get_by_role("columnheader")).to_have_text(["行", "列", "问题"])
    expect(report.get_by_role("row").nth(1)).to_contain_text(
        "7联系电话第7行：联系电话“12345”格式不正确"
    )
    expect(report.get_by_role("row").nth(2)).to_contain_text(
        "12用户名称或企业名称第12行：用户名称或企业名称不能为空"
    )

    page.get_by_label("用户名单（Excel .xlsx 文件）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("用户名单已上传，正在检查，请稍候")).to_be_visible()
    expect(page.locator("#current-count")).to_have_text("35")
    table = page.locator("#customer-table")
    expect(table.get_by_role("row")).to_have_count(36)
    expect(table.get_by_role("row").nth(1)).to_contain_text("广州市第1贸易有限公司")
    expect(table.get_by_role("row").nth(1)).to_contain_text("13900000001")
    expect(page.locator("#error-report")).to_have_count(0)
    assert application.customer_lists.get(is_current=True).status == CustomerListStatus.ACCEPTED
    with page.expect_download() as download:
        page.get_by_role("link", name="下载名单（Excel）").click()
    assert download.value.suggested_filename == "用户名单-珠江家电有限公司.xlsx"
    assert csp_violations == []


def test_the_page_follows_a_slow_check_and_shows_the_list_when_done(
    page, live_server, login_as, world, tmp_path, monkeypatch, csp_violations
):
    """With a real worker the import runs later: the page polls, then reloads by itself."""
    from manyi.applications.customers import services as customer_lists

    queued = []
    monkeypatch.setattr(customer_lists, "_enqueue", queued.append)
    application = make_application(world)
    login_as(world.users[Role.ENTERPRISE_USER])
    good = xf.write_workbook(tmp_path / "名单.xlsx", xf.customers(40))

    page.goto(f"{live_server.url}/applications/{application.pk}/customers/")
    page.get_by_label("用户名单（Excel .xlsx 文件）").set_input_files(str(good))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("正在检查“名单.xlsx”……")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "0")
    assert len(queued) == 1

    # The worker picks it up; the polling partial notices within a second or two.
    customer_lists.run_import(customer_list=application.customer_lists.get(pk=queued[0]))
    expect(page.locator("#current-count")).to_have_text("40", timeout=10_000)
    expect(page.locator("progress")).to_have_count(0)
    assert csp_violations == []
