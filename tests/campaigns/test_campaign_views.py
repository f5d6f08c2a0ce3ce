from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manyi.accounts.roles import Role
from manyi.accounts.uscc import make_uscc
from manyi.campaigns import services
from manyi.campaigns.categories import Category
from manyi.campaigns.models import (
    AgencyQuota,
    Ban,
    Campaign,
    CampaignCategory,
    CampaignStatus,
    Reopening,
)
from manyi.common.models import ActivityLog
from tests.campaigns.world import CLOSES, NOW, make_campaign

pytestmark = pytest.mark.django_db

S = CampaignStatus
STAFF_PAGES = [
    "/campaigns/new/",
    "/campaigns/2026/edit/",
    "/campaigns/2026/quotas/",
    "/campaigns/2026/reopenings/",
    "/campaigns/bans/",
    "/campaigns/bans/new/",
]


def text_of(response) -> str:
    return response.content.decode()


# --- the campaign page ------------------------------------------------------------------


def test_enterprise_reads_what_to_submit_and_by_when(client_for, manager, campaign):
    campaign.categories.filter(category=Category.SERVICE).update(is_open=False)
    response = client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/")
    page = text_of(response)
    assert response.status_code == 200
    assert "申报2026年广州市实施用户满意工程先进单位" in page
    assert "以用户为中心，提升质量满意" in page
    assert "2026年12月31日" in page
    assert "2026年9月1日" in page
    assert "正在受理申报" in page
    for number, title in (
        ("附件4-1", "广州市实施用户满意工程先进单位（品牌类）申请表"),
        ("附件4-4", "广州市实施用户满意工程先进单位（工程类）申请表"),
    ):
        assert number in page
        assert title in page
    # The closed category is not offered.
    assert "附件4-5" not in page
    assert "（服务类）申请表" not in page
    assert "以2025年度数据为准" in page
    assert "不少于 30 个用户" in page
    for words in (
        "活动确认表（附件2）",
        "企业概况（200字）",
        "主导产品（主要工程）和主要经营服务项目（300字）",
        "实施用户满意工程的主要目标、措施和经验（2500–3000字）",
        "1）识别目标用户",
        "10）客户关系管理",
        "成就和展望（200字）",
        "用户名单（附件3）",
        "用户名称或企业名称",
        "商标（须经工商注册的批准文件复印件）",
        "工商企业注册登记执照复印件",
        "省、自治区、直辖市优质工程文件、奖状复印件",
        "建设单位（用户）满意度评价鉴定意见",
        "龙建攀",
        "020-83341934-807",
        "020-83325475",
        "GZZLXH@sina.com",
        "510110",
        "广州市越秀区沿江中路313号康富来大厦1005房",
    ):
        assert words in page, words
    # Staff controls are not shown to an enterprise.
    assert "/campaigns/2026/move/" not in page
    assert "/campaigns/2026/edit/" not in page


def test_data_year_is_shown_per_category(client_for, manager, campaign):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(campaign_category=service, by=manager, data={"data_year": 2024})
    page = text_of(client_for("anonymous").get("/campaigns/2026/"))
    assert "以2024年度数据为准" in page
    assert "以2025年度数据为准" in page


def test_engineering_appraisal_only_when_engineering_is_open(client_for, campaign):
    campaign.categories.filter(category=Category.ENGINEERING).update(is_open=False)
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))
    assert "建设单位（用户）满意度评价鉴定意见" not in page
    assert "附件4-4" not in page


def test_the_public_reads_the_page_too(client_for, campaign):
    page = text_of(client_for("anonymous").get("/campaigns/2026/"))
    assert "2026年12月31日" in page
    assert "附件4-3" in page


def test_after_closing_the_page_says_so(client_for, manager, campaign):
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))
    assert "已截止受理" in page
    assert "正在受理申报" not in page


def test_agency_sees_its_quotas_and_not_another_agencys(world, client_for, manager, campaign):
    services.set_quota(
        campaign=campaign, agency=world.agency, category=Category.BRAND, quota=4, by=manager
    )
    services.set_quota(
        campaign=campaign, agency=world.other_agency, category=Category.BRAND, quota=9, by=manager
    )
    page = text_of(client_for(Role.AGENCY_STAFF).get("/campaigns/2026/"))
    assert "本单位推荐名额" in page
    assert world.agency.name in page
    assert "<td>4</td>" in page
    assert world.other_agency.name not in page
    assert "<td>9</td>" not in page
    # An enterprise sees no quotas at all.
    assert "本单位推荐名额" not in text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))


def test_agency_without_quota_is_told(client_for, campaign):
    page = text_of(client_for(Role.AGENCY_STAFF).get("/campaigns/2026/"))
    assert "尚未给本单位分配推荐名额" in page


def test_enterprise_sees_its_ban_and_its_reopening(world, client_for, manager, campaign):
    services.add_ban(
        by=manager,
        uscc=world.enterprise.uscc,
        organisation_name=world.enterprise.name,
        reason="虚假材料",
        decided_on=date(2026, 1, 20),
    )
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))
    assert "在禁止申报期内" in page
    assert "自2031年1月20日起方可再次申报" in page
    assert "在禁止申报期内" not in text_of(client_for(world.outsider).get("/campaigns/2026/"))
    services.reopen_for_applicant(
        campaign=campaign,
        organisation=world.other_enterprise,
        category=Category.PRODUCT,
        until=NOW + timedelta(days=90),
        reason="补交",
        by=manager,
    )
    page = text_of(client_for(world.outsider).get("/campaigns/2026/"))
    assert "单独开放“用户满意产品”的申报" in page
    assert "2027年1月13日" in page
    assert "单独开放" not in text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))


def test_a_draft_is_not_found_by_anyone_but_programme_staff(client_for, draft):
    for role in ("anonymous", Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT):
        assert client_for(role).get("/campaigns/2027/").status_code == 404, role
    for role in (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF):
        page = text_of(client_for(role).get("/campaigns/2027/"))
        assert "草稿：尚未发布，仅工作人员可见" in page
    # Only managers get the buttons.
    assert "/campaigns/2027/move/" in text_of(
        client_for(Role.COMMITTEE_STAFF).get("/campaigns/2027/")
    )
    assert "/campaigns/2027/move/" not in text_of(
        client_for(Role.WORKDEPT_STAFF).get("/campaigns/2027/")
    )


def test_list_hides_drafts_from_non_staff(client_for, campaign, draft):
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/"))
    assert "申报2026年" in page
    assert "申报2027年" not in page
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/"))
    assert "申报2026年" in page
    assert "申报2027年" in page
    assert "新建申报活动" in page


def test_current_leads_to_the_published_campaign(client_for, campaign):
    response = client_for("anonymous").get("/campaigns/current/")
    assert response.status_code == 302
    assert response["Location"] == "/campaigns/2026/"


def test_current_without_a_campaign_says_so(client_for, manager, draft):
    response = client_for(Role.ENTERPRISE_USER).get("/campaigns/current/", follow=True)
    assert "目前没有正在进行的申报活动" in text_of(response)


# --- staff pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT]
)
def test_staff_pages_refuse_everyone_else(client_for, campaign, role):
    client = client_for(role)
    for url in STAFF_PAGES:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    response = client.post("/campaigns/2026/move/", {"to": "closed", "seen": "published"})
    assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED


def test_staff_create_a_campaign(client_for):
    response = client_for(Role.COMMITTEE_STAFF).post(
        "/campaigns/new/",
        {
            "year": "2026",
            "title": "",
            "theme": "质量第一",
            "work_plan": "",
            "opens_at": "2026-09-01T00:00",
            "closes_at": "2026-12-31T23:59",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/campaigns/2026/edit/"
    campaign = Campaign.objects.get(year=2026)
    assert campaign.title == "申报2026年广州市实施用户满意工程先进单位"
    assert campaign.closes_at == CLOSES
    assert campaign.status == S.DRAFT
    assert campaign.categories.count() == 5


def test_closing_before_opening_is_explained_and_nothing_is_made(client_for):
    response = client_for(Role.COMMITTEE_STAFF).post(
        "/campaigns/new/",
        {"year": "2026", "opens_at": "2026-12-31T00:00", "closes_at": "2026-09-01T00:00"},
    )
    assert response.status_code == 200
    assert "截止时间应晚于开始受理时间" in text_of(response)
    assert not Campaign.objects.exists()


def test_a_second_campaign_for_the_same_year_is_refused(client_for, campaign):
    response = client_for(Role.ASSOCIATION_ADMIN).post(
        "/campaigns/new/",
        {"year": "2026", "opens_at": "2026-09-01T00:00", "closes_at": "2026-12-31T00:00"},
    )
    assert "该年度的申报活动已存在" in text_of(response)
    assert Campaign.objects.count() == 1


def category_post(campaign, **changes) -> dict:
    data = {
        "title": campaign.title,
        "theme": campaign.theme,
        "work_plan": "",
        "opens_at": "2026-09-01T00:00",
        "closes_at": "2026-12-31T23:59",
    }
    for c in campaign.categories.all():
        prefix = c.category
        data |= {
            f"{prefix}-data_year": c.data_year,
            f"{prefix}-satisfaction_threshold": c.satisfaction_threshold,
            f"{prefix}-minimum_customers": c.minimum_customers,
            f"{prefix}-experts_per_application": c.experts_per_application,
            f"{prefix}-title_validity_years": c.title_validity_years,
            f"{prefix}-public_notice_days": c.public_notice_days,
            f"{prefix}-resubmission_days": c.resubmission_days,
            f"{prefix}-deficiency_days": c.deficiency_days,
            f"{prefix}-expert_workload_cap": c.expert_workload_cap,
            f"{prefix}-severely_low_index": c.severely_low_index,
        }
        if c.is_open:
            data[f"{prefix}-is_open"] = "on"
    return data | changes


def test_staff_edit_the_campaign_and_its_categories(client_for, campaign):
    client = client_for(Role.COMMITTEE_STAFF)
    page = text_of(client.get("/campaigns/2026/edit/"))
    assert "附件4-5" in page
    assert "满意度指数门槛" in page
    data = category_post(campaign, theme="新主题", **{"service-data_year": "2024"})
    del data["engineering-is_open"]
    response = client.post("/campaigns/2026/edit/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.theme == "新主题"
    assert campaign.categories.get(category="service").data_year == 2024
    assert not campaign.categories.get(category="engineering").is_open
    assert ActivityLog.objects.filter(action="campaign.category_update").count() == 2


def test_bad_category_settings_change_nothing(client_for, campaign):
    data = category_post(
        campaign,
        theme="不应保存",
        **{"brand-satisfaction_threshold": "120", "product-data_year": "2027"},
    )
    response = client_for(Role.COMMITTEE_STAFF).post("/campaigns/2026/edit/", data)
    assert response.status_code == 200
    assert "确保该值小于或等于100" in text_of(response)
    campaign.refresh_from_db()
    assert campaign.theme == "以用户为中心，提升质量满意"
    data = category_post(campaign, theme="不应保存", **{"product-data_year": "2027"})
    response = client_for(Role.COMMITTEE_STAFF).post("/campaigns/2026/edit/", data)
    assert "数据年度不能晚于申报年度" in text_of(response)
    campaign.refresh_from_db()
    # The campaign's own change was rolled back with the category's.
    assert campaign.theme == "以用户为中心，提升质量满意"
    assert campaign.categories.get(category="product").data_year == 2025


def test_staff_publish_and_close_with_the_buttons(client_for, draft):
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(
        "/campaigns/2027/move/", {"to": "published", "seen": "draft"}, follow=True
    )
    assert "申报活动已发布" in text_of(response)
    assert Campaign.objects.get(pk=draft.pk).status == S.PUBLISHED
    # A second press from the same old page is told what happened instead.
    response = client.post(
        "/campaigns/2027/move/", {"to": "published", "seen": "draft"}, follow=True
    )
    assert "刚被其他同事修改为“已发布”" in text_of(response)
    response = client.post(
        "/campaigns/2027/move/", {"to": "archived", "seen": "published"}, follow=True
    )
    assert "申报活动不能从“已发布”改为“已归档”" in text_of(response)
    assert Campaign.objects.get(pk=draft.pk).status == S.PUBLISHED
    assert ActivityLog.objects.filter(action="campaign.publish").count() == 1


def test_move_button_needs_a_target(client_for, campaign):
    response = client_for(Role.COMMITTEE_STAFF).post("/campaigns/2026/move/", {}, follow=True)
    assert "请选择要执行的操作" in text_of(response)
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED


def test_quotas_table_saves_and_removes(world, client_for, campaign):
    client = client_for(Role.COMMITTEE_STAFF)
    page = text_of(client.get("/campaigns/2026/quotas/"))
    assert world.agency.name in page
    assert world.other_agency.name in page
    assert world.enterprise.name not in page
    a, o = world.agency.pk, world.other_agency.pk
    response = client.post(
        "/campaigns/2026/quotas/", {f"q-{a}-brand": "3", f"q-{o}-engineering": "5"}
    )
    assert response.status_code == 302
    assert set(AgencyQuota.objects.values_list("agency_id", "category", "quota")) == {
        (a, "brand", 3),
        (o, "engineering", 5),
    }
    page = text_of(client.get("/campaigns/2026/quotas/"))
    assert f'name="q-{a}-brand" value="3"' in page
    client.post("/campaigns/2026/quotas/", {f"q-{a}-brand": "", f"q-{o}-engineering": "5"})
    assert list(AgencyQuota.objects.values_list("agency_id", "quota")) == [(o, 5)]


def test_a_negative_quota_is_explained_and_nothing_changes(world, client_for, campaign):
    a = world.agency.pk
    response = client_for(Role.COMMITTEE_STAFF).post(
        "/campaigns/2026/quotas/", {f"q-{a}-brand": "2", f"q-{a}-product": "-1"}
    )
    assert response.status_code == 200
    assert "推荐名额不能为负数" in text_of(response)
    assert not AgencyQuota.objects.exists()


def test_staff_reopen_for_one_applicant(world, client_for, campaign):
    client = client_for(Role.ASSOCIATION_ADMIN)
    response = client.post(
        "/campaigns/2026/reopenings/",
        {
            "organisation": world.enterprise.pk,
            "category": "brand",
            "until": "2027-01-10T17:00",
            "reason": "因系统故障未能按时提交",
        },
    )
    assert response.status_code == 302
    reopening = Reopening.objects.get()
    assert reopening.organisation == world.enterprise
    assert reopening.created_by == world.users[Role.ASSOCIATION_ADMIN]
    page = text_of(client.get("/campaigns/2026/reopenings/"))
    assert "因系统故障未能按时提交" in page
    assert "2027年1月10日 17:00" in page
    response = client.post(
        "/campaigns/2026/reopenings/",
        {"organisation": world.enterprise.pk, "category": "brand", "until": "2027-01-10T17:00"},
    )
    assert response.status_code == 200
    assert Reopening.objects.count() == 1


def test_reopening_form_refuses_an_agency(world, client_for, campaign):
    response = client_for(Role.ASSOCIATION_ADMIN).post(
        "/campaigns/2026/reopenings/",
        {
            "organisation": world.agency.pk,
            "category": "brand",
            "until": "2027-01-10T17:00",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert not Reopening.objects.exists()


# --- bans -------------------------------------------------------------------------------


def test_staff_add_list_and_lift_a_ban(client_for, manager):
    client = client_for(Role.COMMITTEE_STAFF)
    uscc = make_uscc("91440100ME0000001")
    response = client.post(
        "/campaigns/bans/new/",
        {
            "uscc": f" {uscc[:9].lower()} {uscc[9:]}",
            "organisation_name": "广州虚构科技有限公司",
            "source": "fraud",
            "decided_on": "2026-05-06",
            "reason": "剽窃他人研究成果",
        },
        follow=True,
    )
    assert "2031年5月6日 前不再受理其申报" in text_of(response)
    ban = Ban.objects.get()
    assert ban.uscc == uscc
    assert ban.ends_on == date(2031, 5, 6)
    page = text_of(client.get("/campaigns/bans/"))
    assert "广州虚构科技有限公司" in page
    assert "生效中" in page
    assert "剽窃他人研究成果" in page
    response = client.post(f"/campaigns/bans/{ban.pk}/lift/", {"reason": ""})
    assert response.status_code == 200
    assert "请写明解除原因" in text_of(response)
    assert Ban.objects.get().lifted_at is None
    response = client.post(
        f"/campaigns/bans/{ban.pk}/lift/", {"reason": "法院判决撤销"}, follow=True
    )
    assert "已解除对 广州虚构科技有限公司 的禁止申报" in text_of(response)
    assert "已解除" in text_of(response)
    assert "法院判决撤销" in text_of(response)
    assert Ban.objects.get().lift_reason == "法院判决撤销"
    page = text_of(client.get("/campaigns/bans/?state=in_force"))
    assert "广州虚构科技有限公司" not in page
    # A lifted ban cannot be lifted again.
    response = client.get(f"/campaigns/bans/{ban.pk}/lift/", follow=True)
    assert "该禁止申报记录已被解除" in text_of(response)


def test_an_invalid_uscc_is_explained_and_nothing_is_recorded(client_for):
    uscc = make_uscc("91440100ME0000001")
    wrong = uscc[:17] + ("0" if uscc[17] != "0" else "1")
    response = client_for(Role.ASSOCIATION_ADMIN).post(
        "/campaigns/bans/new/",
        {
            "uscc": wrong,
            "organisation_name": "某公司",
            "source": "fraud",
            "decided_on": "2026-05-06",
            "reason": "x",
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确，请核对" in text_of(response)
    assert not Ban.objects.exists()


def test_ban_list_search(client_for, manager):
    for i, name in enumerate(("广州甲公司", "广州乙公司"), start=1):
        services.add_ban(
            by=manager,
            uscc=make_uscc(f"91440100ME000000{i}"),
            organisation_name=name,
            reason="虚假材料",
            decided_on=date(2026, 1, i),
        )
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/bans/?q=甲"))
    assert "广州甲公司" in page
    assert "广州乙公司" not in page


# --- query counts -----------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_campaign_list_query_count_does_not_grow(client_for, manager):
    client = client_for(Role.COMMITTEE_STAFF)
    make_campaign(manager, year=2026)
    one = _queries(client, "/campaigns/")
    for year in (2027, 2028):
        make_campaign(manager, year=year, status=S.DRAFT)
    assert _queries(client, "/campaigns/") == one


def test_ban_list_query_count_does_not_grow(client_for, manager):
    client = client_for(Role.COMMITTEE_STAFF)

    def ban(i):
        services.add_ban(
            by=manager,
            uscc=make_uscc(f"91440100MF000000{i}"),
            organisation_name=f"公司{i}",
            reason="虚假材料",
            decided_on=date(2026, 1, i),
        )

    ban(1)
    one = _queries(client, "/campaigns/bans/")
    ban(2)
    ban(3)
    assert _queries(client, "/campaigns/bans/") == one


def test_quota_page_query_count_does_not_grow_with_agencies(world, client_for, campaign):
    from tests.factories import OrganisationFactory

    client = client_for(Role.COMMITTEE_STAFF)
    before = _queries(client, "/campaigns/2026/quotas/")
    OrganisationFactory(kind="agency", name="新增推进机构")
    assert _queries(client, "/campaigns/2026/quotas/") == before


def test_category_rows_exist_for_every_campaign(campaign):
    assert CampaignCategory.objects.filter(campaign=campaign).count() == len(Category.values)


# --- one data year for every category --------------------------------------------------------


def test_staff_are_warned_when_a_category_has_another_data_year(client_for, manager, campaign):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(campaign_category=service, by=manager, data={"data_year": 2024})

    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/2026/"))

    assert 'id="data-year-warning"' in page
    assert (
        "各类别的数据年度不一致：多数类别以2025年度数据为准，但“用户满意服务”以2024年度数据为准。"
        in page
    )


@pytest.mark.parametrize("who", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF, "anonymous"])
def test_only_staff_see_the_data_year_warning(client_for, manager, campaign, who):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(campaign_category=service, by=manager, data={"data_year": 2024})

    page = text_of(client_for(who).get("/campaigns/2026/"))

    assert 'id="data-year-warning"' not in page


def test_no_data_year_warning_when_every_category_agrees(client_for, campaign):
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/2026/"))

    assert 'id="data-year-warning"' not in page
