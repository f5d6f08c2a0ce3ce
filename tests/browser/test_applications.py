"""An enterprise applies in each category through the pages; its agency returns, recommends, refuses."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.applications.demo.content import sample_form_data, sample_materials
from manyi.applications.forms.specs import all_fields, form_spec
from manyi.applications.models import Application, Recommendation
from manyi.applications.states import Status
from tests.applications.helpers import (
    add_customers,
    complete_application,
    make_application,
    open_campaign,
)
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY_LABELS = {
    "brand": "用户满意品牌",
    "enterprise": "用户满意企业",
    "product": "用户满意产品",
    "engineering": "用户满意工程",
    "service": "用户满意服务",
}


def fill_spec_form(page, spec, data):
    """Type every value as a person would: text into inputs, options in selects, boxes ticked."""
    for field in all_fields(spec, chosen_trades=None):
        if field.key not in data:
            continue
        value = data[field.key]
        locator = page.locator(f"[name='{field.key}']")
        if locator.count() == 0:
            continue
        tag = locator.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if tag.startswith("select"):
            locator.first.select_option(
                [str(v) for v in value] if isinstance(value, list) else str(value)
            )
        elif tag.endswith("checkbox") or tag.endswith("radio"):
            for v in value if isinstance(value, list) else [value]:
                page.locator(f"[name='{field.key}'][value='{v}']").check()
        else:
            locator.first.fill(str(value))


@pytest.mark.parametrize("category", list(CATEGORY_LABELS))
def test_enterprise_fills_and_submits(page, live_server, login_as, category, tmp_path):
    world = World()
    campaign = open_campaign(agencies=[world.agency])
    enterprise = world.enterprise
    enterprise.agency_memberships.update(confirmed_at=timezone.now())
    enterprise.trade = "industrial"
    enterprise.save()
    applicant = world.users[Role.ENTERPRISE_USER]
    login_as(applicant)

    # 附件2: the confirmation form, ticked for this category and signed.
    page.goto(f"{live_server.url}/applications/")
    page.get_by_role("link", name="填写活动确认表（附件2），勾选申报类别，由负责人签字").click()
    confirmation = sample_form_data(
        form_spec("confirmation"),
        category=category,
        organisation=enterprise,
        data_year=campaign.year - 1,
    )
    fill_spec_form(page, form_spec("confirmation"), confirmation)
    page.get_by_role("button", name="保存并签署").click()
    expect(page.get_by_text("活动确认表已保存")).to_be_visible()

    page.get_by_role("button", name=f"申报“{CATEGORY_LABELS[category]}”").click()
    expect(page.get_by_text("已创建申报草稿")).to_be_visible()
    application = Application.objects.get(category=category)

    # 附件4-x: every field of the form, with the trade section chosen where the form has them.
    spec = form_spec(category)
    page.get_by_role("link", name=f"申请表（{spec.number}）").click()
    trades = ["industrial"] if category in ("brand", "enterprise") else []
    data = sample_form_data(
        spec, category=category, organisation=enterprise, data_year=campaign.year - 1, trades=trades
    )
    fill_spec_form(page, spec, data)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("申请表已保存")).to_be_visible()

    page.get_by_role("link", name="企业实施用户满意工程情况介绍（四项材料）").click()
    materials = sample_materials(category, organisation_name=enterprise.name)
    for key, text in materials.items():
        page.locator(f"#id_{key}").fill(text)
    expect(page.locator("[data-counter-for='id_measures']")).to_contain_text("/ 2500–3000")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("材料已保存")).to_be_visible()

    page.get_by_role("link", name="证明材料").click()
    kinds = {
        "brand": ["trademark"],
        "product": ["trademark"],
        "enterprise": ["business_licence"],
        "engineering": ["award"],
    }.get(category, [])
    # The signed and sealed 附件2 and application form, scanned, for every category.
    for kind in [*kinds, "signed_confirmation", "signed_form"]:
        pdf = tmp_path / f"{kind}.pdf"
        pdf.write_bytes(
            b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\n0000000000 65535 f \ntrailer<<>>\nstartxref\n9\n%%EOF\n"
        )
        page.get_by_label("材料类型").select_option(kind)
        page.get_by_label("文件（PDF、JPEG 或 PNG，不超过 10 MB）").set_input_files(str(pdf))
        page.get_by_role("button", name="上传").click()
        expect(page.get_by_role("link", name=f"{kind}.pdf")).to_be_visible()
    page.get_by_role("link", name=application.get_category_display(), exact=True).click()

    # The customer list and the client's appraisal have their own browser tests.
    if category == "engineering":
        complete_application(application)  # adds the customers and the client's submitted appraisal
    else:
        add_customers(application)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("提交前还需完成")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交至推荐单位").click()
    expect(page.get_by_text(f"已提交至推荐单位 {world.agency.name}")).to_be_visible()
    expect(page.get_by_text("推荐单位审核中")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.form_data[next(iter(data))]


def test_agency_returns_recommends_and_refuses(page, live_server, login_as):
    world = World()
    campaign = open_campaign(agencies=[world.agency])
    staff = world.users[Role.AGENCY_STAFF]
    apps = {
        c: make_application(world, c, campaign=campaign, status=Status.SUBMITTED)
        for c in ("brand", "product", "service")
    }
    login_as(staff)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("button", name="申报", exact=True).click()  # the applications menu
    page.get_by_role("link", name="待推荐").first.click()
    for category, decision, opinion in (
        ("brand", "退回修改", "请补充近三年退赔数据"),
        ("product", "推荐", "同意推荐"),
        ("service", "不予推荐", "存在未整改的重大投诉"),
    ):
        row = page.get_by_role("row").filter(has_text=CATEGORY_LABELS[category])
        row.get_by_role("link", name="出具意见").click()
        page.get_by_label(decision, exact=True).check()
        page.get_by_label("推荐单位意见（含地市、行业用委/质协）").fill(opinion)
        page.get_by_label("签字").fill("陈志明")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="提交推荐意见").click()
        expect(page.get_by_text("推荐意见已提交")).to_be_visible()
    statuses = {c: Application.objects.get(pk=a.pk).status for c, a in apps.items()}
    assert statuses == {
        "brand": Status.RETURNED,
        "product": Status.RECOMMENDED,
        "service": Status.NOT_RECOMMENDED,
    }
    assert Recommendation.objects.get(application=apps["brand"]).opinion == "请补充近三年退赔数据"
    expect(page.get_by_text("没有待推荐的申报")).to_be_visible()


def test_typed_text_survives_a_session_timeout(page, live_server, login_as, context):
    world = World()
    application = make_application(world, "service")
    applicant = world.users[Role.ENTERPRISE_USER]
    login_as(applicant)
    page.goto(f"{live_server.url}/applications/{application.pk}/materials/")
    page.locator("#id_profile").fill("本公司成立于2003年，专注燃气安全服务。")
    context.clear_cookies(name="sessionid")  # the session ends while the person is still typing
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(
        f"{live_server.url}/accounts/login/?next=/applications/{application.pk}/materials/"
    )
    page.get_by_label("电子邮箱").fill(applicant.email)
    page.locator("#id_password").fill("correct-horse-battery-9")
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page.get_by_text("已恢复您上次在本浏览器中输入但尚未保存的内容")).to_be_visible()
    expect(page.locator("#id_profile")).to_have_value("本公司成立于2003年，专注燃气安全服务。")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("材料已保存")).to_be_visible()
    application.refresh_from_db()
    assert application.profile == "本公司成立于2003年，专注燃气安全服务。"
    page.goto(f"{live_server.url}/applications/{application.pk}/materials/")
    expect(page.get_by_text("已恢复您上次在本浏览器中输入但尚未保存的内容")).to_be_hidden()


def test_a_stale_kept_copy_is_not_restored_over_a_colleagues_save(page, live_server, login_as):
    from manyi.applications import services

    world = World()
    application = make_application(world, "service")
    login_as(world.users[Role.ENTERPRISE_USER])
    url = f"{live_server.url}/applications/{application.pk}/materials/"
    page.goto(url)
    page.locator("#id_profile").fill("我在本浏览器中输入、尚未保存的旧内容。")
    # A colleague saves the page after this browser kept its copy.
    services.save_materials(
        application=application,
        by=world.colleague,
        profile="同事刚保存的企业概况。",
        products="",
        measures="",
        outlook="",
    )
    page.goto(url)
    expect(
        page.get_by_text("本浏览器中保存的未提交内容已过期（他人已保存了更新的内容），已丢弃")
    ).to_be_visible()
    expect(page.locator("#id_profile")).to_have_value("同事刚保存的企业概况。")
    expect(page.get_by_text("已恢复您上次在本浏览器中输入但尚未保存的内容")).to_be_hidden()
    kept = page.evaluate(f"window.localStorage.getItem('manyi-materials-{application.pk}')")
    assert kept is None


def test_a_fresh_kept_copy_is_restored_named_and_can_be_discarded(
    page, live_server, login_as, csp_violations
):
    world = World()
    application = make_application(world, "service")
    application.profile = "已保存的企业概况。"
    application.save(update_fields=["profile"])
    login_as(world.users[Role.ENTERPRISE_USER])
    url = f"{live_server.url}/applications/{application.pk}/materials/"
    page.goto(url)
    page.locator("#id_profile").fill("新输入的企业概况。")
    page.locator("#id_outlook").fill("新输入的成就和展望。")
    page.goto(url)
    expect(page.get_by_text("已恢复您上次在本浏览器中输入但尚未保存的内容")).to_be_visible()
    expect(page.locator("#id_profile")).to_have_value("新输入的企业概况。")
    expect(page.locator("[data-draft-fields]")).to_have_text(
        "1、企业概况（200字）、4、成就和展望（200字）"
    )
    page.get_by_role("button", name="放弃恢复的内容").click()
    expect(page.locator("#id_profile")).to_have_value("已保存的企业概况。")
    expect(page.locator("#id_outlook")).to_have_value("")
    expect(page.get_by_text("已恢复您上次在本浏览器中输入但尚未保存的内容")).to_be_hidden()
    kept = page.evaluate(f"window.localStorage.getItem('manyi-materials-{application.pk}')")
    assert kept is None
    page.goto(url)
    expect(page.locator("#id_profile")).to_have_value("已保存的企业概况。")
    assert csp_violations == []
