"""The demo world's campaigns (used by `manage.py load_demo`, after the people are loaded).

Idempotent: running it twice gives the same campaigns, quotas and ban.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from manyi.accounts.demo import AGENCIES
from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.accounts.uscc import make_uscc
from manyi.campaigns.categories import Category
from manyi.campaigns.models import (
    BAN_YEARS,
    AgencyQuota,
    Ban,
    BanSource,
    Campaign,
    CampaignCategory,
    CampaignStatus,
)
from manyi.campaigns.services import add_years, default_data_year, default_title

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAFF_EMAIL = "staff@demo.manyi.cn"

CAMPAIGNS = [
    # year, status, opens, closes, theme
    (
        2026,
        CampaignStatus.PUBLISHED,
        datetime(2026, 9, 1, 0, 0, tzinfo=SHANGHAI),
        datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI),
        "以用户为中心，提升质量满意",
    ),
    (
        2025,
        CampaignStatus.CLOSED,
        datetime(2025, 9, 1, 0, 0, tzinfo=SHANGHAI),
        datetime(2025, 12, 31, 23, 59, tzinfo=SHANGHAI),
        "树标杆、学标杆、超标杆",
    ),
]

WORK_PLAN = (
    "一、宣传用户满意理论和价值，导入用户满意经营理念；\n"
    "二、组织用户满意知识培训班和经验交流会；\n"
    "三、组织标杆学习企业现场研修交流活动；\n"
    "四、受理申报，开展第三方用户评价调查和专家评审。"
)

# Recommendation quotas of the three demo agencies, by agency name and category.
QUOTAS = {
    AGENCIES[0][0]: {
        Category.BRAND: 3,
        Category.ENTERPRISE: 3,
        Category.PRODUCT: 3,
        Category.SERVICE: 4,
    },
    AGENCIES[1][0]: {Category.ENTERPRISE: 2, Category.ENGINEERING: 5},
    AGENCIES[2][0]: {
        Category.BRAND: 2,
        Category.ENTERPRISE: 2,
        Category.PRODUCT: 3,
        Category.SERVICE: 2,
    },
}

BANNED_USCC = make_uscc("91440100MA9999001")
BAN_DECIDED_ON = date(2024, 6, 18)


def load_campaign_demo() -> dict:
    """This year's published campaign, last year's closed one, quotas and one ban."""
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    agencies = {o.name: o for o in Organisation.objects.filter(kind=OrgKind.AGENCY)}
    loaded = []
    for year, status, opens_at, closes_at, theme in CAMPAIGNS:
        campaign, _created = Campaign.objects.update_or_create(
            year=year,
            defaults={
                "title": default_title(year),
                "theme": theme,
                "work_plan": WORK_PLAN,
                "opens_at": opens_at,
                "closes_at": closes_at,
                "status": status,
                "created_by": staff,
            },
        )
        for category in Category.values:
            CampaignCategory.objects.update_or_create(
                campaign=campaign,
                category=category,
                # One data year for every category: the seed's service form printed the year
                # before the others', a slip the campaign page warns staff about.
                defaults={"is_open": True, "data_year": default_data_year(year)},
            )
        for agency_name, quotas in QUOTAS.items():
            agency = agencies.get(agency_name)
            if agency is None:
                continue
            for category, quota in quotas.items():
                AgencyQuota.objects.update_or_create(
                    campaign=campaign, agency=agency, category=category, defaults={"quota": quota}
                )
        loaded.append(campaign)
    Ban.objects.update_or_create(
        uscc=BANNED_USCC,
        decided_on=BAN_DECIDED_ON,
        defaults={
            "organisation_name": "广州示例虚构贸易有限公司",
            "reason": "2023年度申报中提供虚假的用户名单和销售数据，骗取“用户满意产品”称号；"
            "经查实，广州市质量协会撤销其称号，收回证书、牌匾，予以通报批评。",
            "source": BanSource.FRAUD,
            "ends_on": add_years(BAN_DECIDED_ON, BAN_YEARS),
            "created_by": staff,
        },
    )
    return {"campaigns": loaded}


DEMO_ORDER = 20


@transaction.atomic
def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo`` (see ``portal``)."""
    load_campaign_demo()
