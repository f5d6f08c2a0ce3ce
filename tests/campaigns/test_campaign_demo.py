from datetime import date

import pytest
from django.utils import timezone

from manyi.accounts.demo import AGENCIES, load_people
from manyi.campaigns.demo import BANNED_USCC, load_campaign_demo
from manyi.campaigns.models import AgencyQuota, Ban, Campaign, CampaignCategory, CampaignStatus
from manyi.campaigns.selectors import ban_in_force, current_campaign

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Campaign, CampaignCategory, AgencyQuota, Ban))


def test_demo_campaigns_load_twice_to_the_same_world():
    load_people()
    load_campaign_demo()
    first = counts()
    load_campaign_demo()
    assert counts() == first == (2, 10, 2 * 10, 1)
    this_year = current_campaign()
    assert this_year.year == 2026
    assert this_year.theme == "以用户为中心，提升质量满意"
    assert this_year.categories.filter(is_open=True).count() == 5
    assert timezone.localtime(this_year.opens_at).date() == date(2026, 9, 1)
    assert timezone.localtime(this_year.closes_at).date() == date(2026, 12, 31)
    assert Campaign.objects.get(year=2025).status == CampaignStatus.CLOSED
    agencies = {q.agency.name for q in AgencyQuota.objects.filter(campaign=this_year)}
    assert agencies == {a[0] for a in AGENCIES}
    ban = ban_in_force(BANNED_USCC)
    assert ban is not None
    assert "虚假" in ban.reason


def test_demo_categories_all_use_the_year_before_as_data_year():
    load_people()
    load_campaign_demo()

    years = {
        (c.campaign.year, c.category): c.data_year
        for c in CampaignCategory.objects.select_related("campaign")
    }

    assert years == {key: key[0] - 1 for key in years}
