"""Objects the access matrix needs for the campaign URLs (see tests/access_matrix.py).

Each helper is idempotent, because the matrix calls `kwargs` once per URL and role.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from manyi.accounts.uscc import make_uscc
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Ban, Campaign, CampaignCategory, CampaignStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
MATRIX_YEAR = 2030


def matrix_campaign() -> Campaign:
    """A published campaign: everyone may read its page."""
    campaign, created = Campaign.objects.get_or_create(
        year=MATRIX_YEAR,
        defaults={
            "title": f"申报{MATRIX_YEAR}年广州市实施用户满意工程先进单位",
            "opens_at": datetime(MATRIX_YEAR, 9, 1, tzinfo=SHANGHAI),
            "closes_at": datetime(MATRIX_YEAR, 12, 31, 23, 59, tzinfo=SHANGHAI),
            "status": CampaignStatus.PUBLISHED,
        },
    )
    if created:
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=MATRIX_YEAR - 1)
            for c in Category.values
        )
    return campaign


def matrix_ban() -> Ban:
    ban, _created = Ban.objects.get_or_create(
        uscc=make_uscc("91440100MC0000001"),
        defaults={
            "organisation_name": "矩阵测试有限公司",
            "reason": "提供虚假申报材料",
            "decided_on": date(2026, 1, 5),
            "ends_on": date(2031, 1, 5),
        },
    )
    return ban


def campaign_kwargs(world, extras) -> dict:
    return {"year": matrix_campaign().year}


def ban_kwargs(world, extras) -> dict:
    return {"pk": matrix_ban().pk}
