"""What every step of the growth shares: the seeded generator, the demo's campaigns and staff,
the agencies and the new enterprises; the timeline of each case; the agencies' quotas."""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.applications.states import AFTER_RECOMMENDATION, Status
from manyi.campaigns.models import AgencyQuota, Campaign, CampaignCategory
from manyi.campaigns.selectors import current_campaign
from manyi.portal.scale.bulk import moments
from manyi.portal.scale.plan import CURRENT, PREVIOUS

ADMIN, STAFF = "admin@demo.manyi.cn", "staff@demo.manyi.cn"


@dataclass
class World:
    rng: random.Random
    now: datetime
    batch: int
    current: Campaign
    previous: Campaign
    admin: User
    staff: User
    agencies: list = field(default_factory=list)
    agency_staff: dict = field(default_factory=dict)
    enterprises: list = field(default_factory=list)
    applicants: list = field(default_factory=list)
    applicants_by_org: dict = field(default_factory=dict)
    experts: list = field(default_factory=list)
    categories: dict = field(default_factory=dict)

    @classmethod
    def of_the_demo(cls, rng, now, batch) -> "World":
        """The demo world's campaigns and staff, or a CommandError saying what is missing."""
        current = current_campaign()
        previous = current and Campaign.objects.filter(year=current.year - 1).first()
        admin = User.objects.filter(email=ADMIN).first()
        staff = User.objects.filter(email=STAFF).first()
        if not (current and previous and admin and staff):
            raise CommandError(
                _(
                    "没有找到演示数据（本年度和上年度申报活动、演示账户）：请先运行 manage.py load_demo"
                )
            )
        world = cls(rng, now, batch, current, previous, admin, staff)
        for category in CampaignCategory.objects.filter(campaign__in=[current, previous]):
            world.categories[(category.campaign_id, category.category)] = category
        return world

    def campaign(self, era: str) -> Campaign:
        return self.current if era == CURRENT else self.previous

    def _category(self, era: str, category: str):
        return self.categories.get((self.campaign(era).pk, category))

    def data_year(self, era: str, category: str) -> int:
        found = self._category(era, category)
        return found.data_year if found else self.campaign(era).year - 1

    def validity_years(self, era: str, category: str) -> int:
        found = self._category(era, category)
        return found.title_validity_years if found else 3

    def window(self, era: str, status: str) -> tuple[datetime, datetime]:
        """When a case of this campaign lived: this year's from its opening until now (an
        award in 公示 moved there three days ago, when its category was released); last
        year's from its opening until its outcomes, some months after closing."""
        campaign = self.campaign(era)
        if era == PREVIOUS:
            end = min(campaign.closes_at + timedelta(days=240), self.now - timedelta(days=30))
        else:
            end = self.now - timedelta(days=4 if status == Status.IN_NOTICE else 0)
        start = min(campaign.opens_at, end - timedelta(days=30))
        return start, end


def schedule(world: World, cases) -> None:
    """Each case's moments: its start, then one per move, inside its campaign's window. This
    year's awards all went into 公示 together, three days ago (when their category's decisions
    were released), so the 公示 still runs and no title is due yet."""
    released = world.now - timedelta(days=3)
    for case in cases:
        start, end = world.window(case.era, case.status)
        case.times = moments(world.rng, start, end, len(case.path) + 1)
        if case.status == Status.IN_NOTICE:
            case.times[-1] = released


def widen_quotas(world: World, applications) -> int:
    """Every agency's places in each category cover what it recommended (a fifth to spare), so
    quota pages read as a real year's would and the demo can still recommend."""
    used = Counter(
        (a.campaign_id, a.agency_id, a.category)
        for a in applications
        if a.status in AFTER_RECOMMENDATION
    )
    # This year every agency has places in every category, used or not.
    for agency in world.agencies:
        for campaign_id, category in world.categories:
            if campaign_id == world.current.pk:
                used.setdefault((campaign_id, agency.pk, category), 0)
    existing = {
        (q.campaign_id, q.agency_id, q.category): q
        for q in AgencyQuota.objects.filter(campaign__in=[world.current, world.previous])
    }
    new, changed = [], []
    for (campaign_id, agency_id, category), count in used.items():
        places = math.ceil(count * 1.2) + 3
        quota = existing.get((campaign_id, agency_id, category))
        if quota is None:
            new.append(
                AgencyQuota(
                    campaign_id=campaign_id, agency_id=agency_id, category=category, quota=places
                )
            )
        elif quota.quota < count + 3:
            quota.quota = quota.quota + places
            changed.append(quota)
    AgencyQuota.objects.bulk_create(new)
    AgencyQuota.objects.bulk_update(changed, ["quota"])
    return len(new) + len(changed)
