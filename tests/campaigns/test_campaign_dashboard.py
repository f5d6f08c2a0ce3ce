from datetime import date

import pytest

from manyi.accounts.roles import Role
from manyi.campaigns import services
from manyi.campaigns.categories import Category
from manyi.campaigns.dashboard import panels as campaign_panels

pytestmark = pytest.mark.django_db


def titles(panels):
    return [p["title"] for p in panels]


def test_everyone_sees_the_current_campaign_with_its_deadline(world, campaign):
    for role in (Role.ENTERPRISE_USER, Role.EXPERT, Role.SURVEYOR):
        panel = campaign_panels(world.users[role])[0]
        assert panel["title"] == campaign.title
        assert panel["url"] == "/campaigns/2026/"
        assert "截止时间：2026年12月31日 23:59" in panel["items"]
        assert any("用户满意品牌、用户满意企业" in item for item in panel["items"])


def test_agency_sees_its_quotas(world, manager, campaign):
    services.set_quota(
        campaign=campaign, agency=world.agency, category=Category.BRAND, quota=3, by=manager
    )
    services.set_quota(
        campaign=campaign, agency=world.other_agency, category=Category.BRAND, quota=8, by=manager
    )
    panel = next(
        p for p in campaign_panels(world.users[Role.AGENCY_STAFF]) if p["title"] == "本年度推荐名额"
    )
    assert panel["count"] == 3
    assert panel["items"] == ["用户满意品牌：3"]


def test_enterprise_is_told_of_its_ban(world, manager, campaign):
    services.add_ban(
        by=manager,
        uscc=world.enterprise.uscc,
        organisation_name=world.enterprise.name,
        reason="虚假材料",
        decided_on=date(2026, 2, 1),
    )
    panel = next(
        p for p in campaign_panels(world.users[Role.ENTERPRISE_USER]) if p["title"] == "申报提醒"
    )
    assert "自2031年2月1日起方可再次申报" in panel["items"][0]
    assert "申报提醒" not in titles(campaign_panels(world.outsider))


def test_staff_see_bans_in_force(world, manager, campaign):
    panels = campaign_panels(manager)
    bans = next(p for p in panels if p["title"] == "生效中的禁止申报记录")
    assert bans["count"] == 0
    assert bans["empty"]
    assert "生效中的禁止申报记录" not in titles(campaign_panels(world.users[Role.WORKDEPT_STAFF]))


def test_without_a_published_campaign_only_managers_get_a_panel(world, draft):
    assert campaign_panels(world.users[Role.ENTERPRISE_USER]) == []
    assert (
        campaign_panels(world.users[Role.COMMITTEE_STAFF])[0]["empty"] == "目前没有已发布的申报活动"
    )
