"""Staff upload a file whose columns are Q1..Q17, check the proposed mapping, correct one
column, run the China model and read the indicators by name in the report."""

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import OrgKind, Role
from manyi.measurement import load_preset
from manyi.surveys.models import MeasurementRun
from tests.conftest import give_totp
from tests.factories import MembershipFactory, OrganisationFactory
from tests.surveys.mapping_helpers import q_names, renamed_csv

pytestmark = pytest.mark.django_db(transaction=True)


def test_map_the_columns_run_and_read_the_indicators_by_name(
    page, live_server, login_as, tmp_path, csp_violations
):
    staff = MembershipFactory(
        organisation=OrganisationFactory(kind=OrgKind.COMMITTEE, name="广州市用户委员会"),
        role=Role.COMMITTEE_STAFF,
    ).user
    give_totp(staff)
    login_as(staff)
    china = load_preset("china")
    indicators = list(china.indicators)
    data = tmp_path / "问卷数据.csv"
    # Q1..Q17 and a column nobody described ("Q18", the interviewer's own score).
    data.write_bytes(
        renamed_csv(
            "china",
            n=240,
            rename=q_names,
            extra={"Q18": [str(1 + i % 10) for i in range(240)]},
            complaint=["是" if i % 9 == 0 else "否" for i in range(240)],
        )
    )
    dictionary = tmp_path / "数据字典.csv"
    worded = {f"Q{i + 1}": china.label(ind) for i, ind in enumerate(indicators)}
    worded["Q12"] = "和您原来想的相比怎么样"  # sat2 in the firm's own words: no match
    worded["投诉"] = "过去一年是否投诉过"
    dictionary.write_text(
        "变量名,说明\n" + "".join(f"{k},{v}\n" for k, v in worded.items()), encoding="utf-8"
    )

    page.goto(f"{live_server.url}/measurement/datasets/new/")
    page.locator("summary", has_text="中国顾客满意指数模型").click()
    expect(page.get_by_role("cell", name="sat1", exact=True)).to_be_visible()
    page.get_by_label("名称").fill("2026年家电行业用户满意度测评")
    page.get_by_label("调查数据（CSV 或 .xlsx）").set_input_files(str(data))
    page.get_by_label("数据字典（可选）").set_input_files(str(dictionary))
    page.get_by_label("调查方式（可选）").fill("电话访问")
    page.get_by_label("联系（邀请）人数（可选）").fill("960")
    page.get_by_role("button", name="检查并保存").click()
    expect(page.get_by_text("数据已通过检查并保存：240 份样本")).to_be_visible()

    page.get_by_label("模型", exact=True).select_option("china")
    page.get_by_role("button", name="下一步：对应变量").click()
    expect(page.get_by_role("heading", name="对应变量")).to_be_visible()
    # Matched by the dictionary's wording; sat2's wording fits nothing and waits for a choice.
    expect(page.get_by_label("总体满意度（sat1）")).to_have_value("Q11")
    expect(page.get_by_label("企业（品牌）总体形象（image1）")).to_have_value("Q1")
    sat2 = page.get_by_label("与预期相比的满意度（sat2）")
    expect(sat2).to_have_value("")
    expect(page.get_by_label("投诉变量（可选）")).to_have_value("投诉")
    sat2.select_option("Q12")
    page.get_by_label("自助法重抽样次数").fill("100")
    page.get_by_role("button", name="开始计算").click()

    expect(page.get_by_role("heading", name="满意度指数").first).to_be_visible()
    run = MeasurementRun.objects.get()
    assert run.status == "done", run.error_message
    assert run.column_map["sat2"] == "Q12"
    assert run.complaint_column == "投诉"
    assert run.result["sample"]["response_rate"] == 0.25
    # The indicators are named by the uploader's wording or the model, never "Q11 Q11".
    expect(page.get_by_text("和您原来想的相比怎么样").first).to_be_visible()
    expect(page.get_by_text(china.label("quality1")).first).to_be_visible()
    body = page.locator("body").inner_text()
    assert "Q11 Q11" not in body
    assert "Q11（Q11）" not in body
    assert csp_violations == []
