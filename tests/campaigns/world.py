"""Times and a helper shared by the campaign tests: the 2026 campaign's window."""

from datetime import datetime
from zoneinfo import ZoneInfo

from manyi.campaigns import services
from manyi.campaigns.models import CampaignStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI)
OPENS = datetime(2026, 9, 1, 0, 0, tzinfo=SHANGHAI)
CLOSES = datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)


def make_campaign(by, *, year=2026, status=CampaignStatus.PUBLISHED, **fields):
    """A campaign made the way staff make it: created, then moved to `status`."""
    campaign = services.create_campaign(
        by=by,
        year=year,
        opens_at=fields.pop("opens_at", OPENS.replace(year=year)),
        closes_at=fields.pop("closes_at", CLOSES.replace(year=year)),
        theme=fields.pop("theme", "以用户为中心，提升质量满意"),
        **fields,
    )
    path = {
        CampaignStatus.DRAFT: [],
        CampaignStatus.PUBLISHED: [CampaignStatus.PUBLISHED],
        CampaignStatus.CLOSED: [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED],
        CampaignStatus.ARCHIVED: [
            CampaignStatus.PUBLISHED,
            CampaignStatus.CLOSED,
            CampaignStatus.ARCHIVED,
        ],
    }[status]
    for to in path:
        services.move_campaign(campaign=campaign, to=to, by=by)
    return campaign
