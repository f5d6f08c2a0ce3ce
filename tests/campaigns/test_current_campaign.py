"""Which campaign is current, in which order campaigns are listed, and what closing says.

Time stands at 15 October 2026 (conftest): the 2026 campaign is inside its window.
"""

from datetime import datetime

import pytest

from manyi.accounts.roles import Role
from manyi.campaigns import selectors, services
from manyi.campaigns.categories import Category
from manyi.campaigns.dashboard import panels as campaign_panels
from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
from manyi.common.models import OutboxMessage
from tests.campaigns.world import SHANGHAI, make_campaign

pytestmark = pytest.mark.django_db

S = CampaignStatus


def text_of(response) -> str:
    return response.content.decode()


def first_panel(user) -> dict:
    return campaign_panels(user)[0]


def past_campaign(year=2025) -> Campaign:
    """A campaign whose window has passed, written straight in closed (as the demo does)."""
    campaign = Campaign.objects.create(
        year=year,
        title=f"申报{year}年广州市实施用户满意工程先进单位",
        opens_at=datetime(year, 9, 1, tzinfo=SHANGHAI),
        closes_at=datetime(year, 12, 31, 23, 59, tzinfo=SHANGHAI),
        status=S.CLOSED,
    )
    CampaignCategory.objects.create(campaign=campaign, category=Category.BRAND, data_year=year - 1)
    return campaign


@pytest.fixture
def next_year(manager):
    """2027's campaign, published now, opening on 1 September 2027."""
    return make_campaign(manager, year=2027)


# --- the rule ------------------------------------------------------------------------------


def test_publishing_next_years_campaign_leaves_this_years_current(campaign, next_year):
    assert selectors.current_campaign() == campaign


def test_the_open_campaign_is_current_as_open(campaign, next_year):
    current = selectors.current_campaign_state()
    assert current.state == "open"
    assert current.headline() == "2026年度申报活动正在受理，截止时间：2026年12月31日 23:59"


def test_after_its_window_the_last_campaign_to_close_is_current_as_closed(
    time_machine, campaign, next_year
):
    time_machine.move_to(datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    current = selectors.current_campaign_state()
    assert current.campaign == campaign
    assert current.state == "closed"
    assert current.headline() == "2026年度申报活动已截止受理（截止时间：2026年12月31日 23:59）"
    # The one still to open is named beside it.
    assert current.upcoming == next_year


def test_a_campaign_closed_by_staff_is_the_last_that_closed(manager, campaign):
    last_year = past_campaign(2025)
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    current = selectors.current_campaign_state()
    assert current.campaign == campaign
    assert current.campaign != last_year
    assert current.state == "closed"


def test_with_nothing_open_or_closed_the_next_to_open_is_current_as_upcoming(next_year):
    current = selectors.current_campaign_state()
    assert current.campaign == next_year
    assert current.state == "upcoming"
    assert current.headline() == "2027年度申报活动将于2027年9月1日 00:00开始受理"


def test_a_draft_is_never_current(draft):
    assert selectors.current_campaign() is None
    assert selectors.current_campaign_state() is None


# --- who uses it -----------------------------------------------------------------------------


def test_current_link_leads_to_the_open_campaign_not_next_years(client_for, campaign, next_year):
    response = client_for("anonymous").get("/campaigns/current/")
    assert response["Location"] == "/campaigns/2026/"


def test_current_link_says_the_campaign_has_closed(client_for, manager, campaign):
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    response = client_for(Role.ENTERPRISE_USER).get("/campaigns/current/", follow=True)
    assert response.redirect_chain[-1][0] == "/campaigns/2026/"
    assert "2026年度申报活动已截止受理" in text_of(response)


def test_current_link_says_when_the_next_campaign_opens(client_for, next_year):
    response = client_for("anonymous").get("/campaigns/current/", follow=True)
    assert response.redirect_chain[-1][0] == "/campaigns/2027/"
    assert "2027年度申报活动将于2027年9月1日 00:00开始受理" in text_of(response)


def test_dashboard_names_the_open_campaign_and_says_it_is_open(world, campaign, next_year):
    panel = first_panel(world.users[Role.COMMITTEE_STAFF])
    assert panel["title"] == campaign.title
    assert panel["items"][0] == "2026年度申报活动正在受理，截止时间：2026年12月31日 23:59"


def test_dashboard_says_closed_and_names_the_next_one(time_machine, world, campaign, next_year):
    time_machine.move_to(datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    items = first_panel(world.users[Role.ENTERPRISE_USER])["items"]
    assert items[0] == "2026年度申报活动已截止受理（截止时间：2026年12月31日 23:59）"
    assert "下一次申报活动（2027年度）将于2027年9月1日 00:00开始受理" in items


def test_dashboard_says_when_an_upcoming_campaign_opens(world, next_year):
    panel = first_panel(world.users[Role.AGENCY_STAFF])
    assert panel["url"] == "/campaigns/2027/"
    assert panel["items"][0] == "2027年度申报活动将于2027年9月1日 00:00开始受理"


def test_staff_export_link_stays_on_the_open_campaign(client_for, campaign, next_year):
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/applications/"))
    assert "/applications/export/2026/" in page
    assert "/applications/export/2027/" not in page


# --- one order for every role ----------------------------------------------------------------


@pytest.fixture
def three_years(manager):
    """Created out of order, so the database's own order is not the year's."""
    return [
        past_campaign(2025),
        make_campaign(manager, year=2027),
        make_campaign(manager, year=2026),
    ]


@pytest.mark.parametrize(
    "role", ["anonymous", Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.COMMITTEE_STAFF]
)
def test_every_role_reads_the_campaigns_newest_year_first(world, three_years, role):
    listed = [c.year for c in selectors.campaign_list(world.user(role))]
    assert listed == [2027, 2026, 2025]


def test_the_list_page_shows_the_newest_year_first(client_for, three_years):
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/"))
    positions = [page.index(f"申报{year}年") for year in (2027, 2026, 2025)]
    assert positions == sorted(positions)


# --- closing before opening ------------------------------------------------------------------


def test_the_close_button_before_opening_says_so(client_for, next_year):
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/2027/"))
    assert "关闭（未开始受理）" in page
    assert ">截止受理<" not in page


def test_closing_before_opening_is_said_truthfully(client_for, next_year):
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post("/campaigns/2027/move/", {"to": "closed", "seen": "published"})
    assert response.status_code == 302
    page = text_of(client.get("/campaigns/2027/"))
    assert "申报活动已关闭（未开始受理）" in page
    assert "该申报活动在开始受理时间（2027年9月1日 00:00）之前已关闭" in page
    assert "已截止受理" not in page


def test_a_campaign_closed_before_opening_still_says_so_after_its_opening_time(
    time_machine, client_for, manager, next_year
):
    services.move_campaign(campaign=next_year, to=S.CLOSED, by=manager)
    time_machine.move_to(datetime(2027, 10, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    page = text_of(client_for("anonymous").get("/campaigns/2027/"))
    assert "已关闭（未开始受理）" in page
    assert "已截止受理" not in page


def test_a_campaign_closed_after_it_opened_has_ended_normally(manager, campaign):
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    assert selectors.campaign_for(manager, 2026).closed_unopened is False


def test_closed_before_opening_then_reopened_and_run_is_not_unopened(
    time_machine, manager, next_year
):
    services.move_campaign(campaign=next_year, to=S.CLOSED, by=manager)
    services.move_campaign(campaign=next_year, to=S.PUBLISHED, by=manager)
    time_machine.move_to(datetime(2027, 10, 1, 9, 0, tzinfo=SHANGHAI), tick=False)
    services.move_campaign(campaign=next_year, to=S.CLOSED, by=manager)
    assert selectors.campaign_for(manager, 2027).closed_unopened is False


def test_a_campaign_loaded_closed_after_its_window_counts_as_run(manager):
    # The demo writes last year's campaign straight in, closed: no history before opening.
    past_campaign(2025)
    assert selectors.campaign_for(manager, 2025).closed_unopened is False


def test_list_and_dashboard_say_closed_before_opening(world, client_for, manager, next_year):
    services.move_campaign(campaign=next_year, to=S.CLOSED, by=manager)
    page = text_of(client_for("anonymous").get("/campaigns/"))
    assert "已关闭（未开始受理）" in page
    panel = first_panel(world.users[Role.ENTERPRISE_USER])
    assert panel["items"][0] == "2027年度申报活动已关闭（未开始受理）"


def test_agencies_are_told_it_closed_before_opening(world, manager, next_year):
    services.move_campaign(campaign=next_year, to=S.CLOSED, by=manager)
    message = OutboxMessage.objects.get(
        template="campaign_closed", to=world.users[Role.AGENCY_STAFF].email
    )
    assert "已关闭（未开始受理）" in message.subject
    assert "在开始受理前已关闭，不受理申报" in message.body_text
    assert "已截止受理" not in message.body_text


def test_agencies_are_told_of_an_ordinary_close_as_before(world, manager, campaign):
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    message = OutboxMessage.objects.get(
        template="campaign_closed", to=world.users[Role.AGENCY_STAFF].email
    )
    assert "已截止受理" in message.subject
    assert "已截止受理。截止后，申报单位不能再提交或修改申报材料" in message.body_text
