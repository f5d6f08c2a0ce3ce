"""Staff upload a survey data set, run the China model and open the report."""

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import OrgKind, Role
from manyi.surveys.models import MeasurementRun
from tests.conftest import give_totp
from tests.factories import MembershipFactory, OrganisationFactory
from tests.surveys.conftest import survey_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_run_and_open_the_report(page, live_server, login_as, tmp_path, csp_violations):
    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会"),
        role=Role.COMMITTEE_STAFF,
    ).user
    give_totp(staff)
    login_as(staff)
    data = tmp_path / "家电行业调查.csv"
    data.write_bytes(survey_csv(n=300, groups=3, preset="china", missing_rate=0.02))
    bad = tmp_path / "坏数据.csv"
    bad.write_bytes(("sat1,sat2\n3,很好\n" + "4,5\n" * 20).encode())

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("button", name="调查与测评").click()
    page.get_by_role("link", name="满意度测评", exact=True).click()
    page.get_by_role("link", name="上传调查数据").click()
    page.get_by_label("名称").fill("2026年家电行业用户满意度测评")
    page.get_by_label("行业").fill("家用电器")
    page.get_by_label("调查数据（CSV 或 .xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="检查并保存").click()
    expect(page.get_by_text("“很好”不是数字")).to_be_visible()

    page.get_by_label("调查数据（CSV 或 .xlsx）").set_input_files(str(data))
    page.get_by_label("分组变量（可选）").fill("企业")
    page.get_by_role("button", name="检查并保存").click()
    expect(page.get_by_text("数据已通过检查并保存：300 份样本")).to_be_visible()

    page.get_by_label("模型", exact=True).select_option("china")
    page.get_by_role("button", name="下一步：对应变量").click()
    page.get_by_label("自助法重抽样次数").fill("200")
    page.get_by_role("button", name="开始计算").click()
    expect(page.get_by_role("heading", name="满意度指数")).to_be_visible()
    run = MeasurementRun.objects.get()
    assert run.status == "done"
    assert run.bootstrap_result["resamples"] == 200
    expect(
        page.get_by_role("cell", name=f"{run.result['index']['SAT']:.1f}", exact=True).first
    ).to_be_visible()
    expect(page.get_by_role("heading", name="按“企业”比较")).to_be_visible()
    # The charts are drawn (ECharts puts a canvas in each chart box).
    for chart in ("#chart-index", "#chart-paths", "#chart-ipa"):
        expect(page.locator(f"{chart} canvas")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF 报告").click()
    assert download.value.suggested_filename == f"measurement-{run.pk}.pdf"
    assert csp_violations == []
