"""The recommending agency: chosen per application among the enterprise's agencies, with the
places each has in the category; the agency's banner names every open category."""

import pytest
from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import OrgKind, Role
from manyi.applications.agency.selectors import QuotaState, quota_state
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.models import AgencyQuota, Campaign, CampaignCategory, CampaignStatus
from manyi.common.models import ActivityLog
from tests.applications.helpers import make_application, open_campaign
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _quotas(campaign: Campaign, agency, **places) -> None:
    for category, quota in places.items():
        AgencyQuota.objects.update_or_create(
            campaign=campaign, agency=agency, category=category, defaults={"quota": quota}
        )


def _member_of_both(world) -> None:
    """world.enterprise: a confirmed member of its regional agency and of an industry one."""
    world.enterprise.agency_memberships.update(confirmed_at=timezone.now())
    AgencyMembership.objects.create(
        enterprise=world.enterprise, agency=world.other_agency, confirmed_at=timezone.now()
    )


def _list_page(client, world) -> str:
    client.force_login(world.users[Role.ENTERPRISE_USER])
    return client.get("/applications/").content.decode()


def test_start_form_offers_each_agency_with_its_places(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=2)
    _quotas(campaign, world.other_agency, product=3)  # none in brand
    _member_of_both(world)
    page = _list_page(client, world)
    assert 'id="agency-brand"' in page
    assert f'value="{world.agency.pk}" selected>{world.agency.name}（名额 2）' in page
    assert (
        f'value="{world.other_agency.pk}" disabled>{world.other_agency.name}（本类别无推荐名额）'
        in page
    )
    assert f'value="{world.other_agency.pk}" selected>{world.other_agency.name}（名额 3）' in page


def test_one_agency_is_named_without_a_choice(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=2)
    page = _list_page(client, world)
    assert 'name="agency"' not in page
    assert f"推荐单位：{world.agency.name}" in page


def test_a_category_without_places_names_the_agencies_that_have_them(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=2)
    _quotas(campaign, world.other_agency, engineering=4)
    page = _list_page(client, world)
    assert (
        f"贵单位的推进机构在本类别没有推荐名额；有名额的推荐单位：{world.other_agency.name}" in page
    )
    assert f"/orgs/{world.enterprise.pk}/agencies/join/" in page


def test_the_chosen_agency_recommends_and_its_quota_counts(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, product=1)
    _quotas(campaign, world.other_agency, product=3)
    _member_of_both(world)
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(
        "/applications/start/", {"category": "product", "agency": world.other_agency.pk}
    )
    application = Application.objects.get(organisation=world.enterprise, category="product")
    assert response.status_code == 302
    assert application.agency == world.other_agency
    assert ActivityLog.objects.get(action="application.start").after["agency"] == (
        world.other_agency.name
    )


def test_starting_with_an_agency_without_places_is_refused_with_those_that_have(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, service=2)  # the other agency has none in service
    _member_of_both(world)
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(
        "/applications/start/",
        {"category": "service", "agency": world.other_agency.pk},
        follow=True,
    )
    text = response.content.decode()
    assert f"{world.other_agency.name} 在“用户满意服务”类别没有推荐名额" in text
    assert f"有名额的推荐单位：{world.agency.name}" in text
    assert not Application.objects.filter(organisation=world.enterprise).exists()


def test_an_agency_the_enterprise_has_not_joined_is_refused(world, client):
    campaign = open_campaign()
    stranger = OrganisationFactory(kind=OrgKind.AGENCY, name="番禺区质量协会")
    _quotas(campaign, stranger, brand=5)
    _quotas(campaign, world.agency, brand=1)
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(
        "/applications/start/", {"category": "brand", "agency": stranger.pk}, follow=True
    )
    assert "只能选择贵单位已加入的推进机构" in response.content.decode()
    assert not Application.objects.filter(organisation=world.enterprise).exists()


def test_applicant_list_does_not_grow_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = open_campaign(agencies=[world.agency])
    _member_of_both(world)
    make_application(world, "brand", campaign=campaign)
    client.force_login(world.users[Role.ENTERPRISE_USER])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/applications/").status_code == 200
        return len(ctx.captured_queries)

    one = count()
    # Last year's applications: more rows in the list, the same categories still to start.
    last_year = open_campaign(year=campaign.year - 1)
    Campaign.objects.filter(pk=last_year.pk).update(status=CampaignStatus.CLOSED)
    for category in ("product", "service"):
        make_application(world, category, campaign=last_year)
    assert count() == one


# --- the agency's banner -------------------------------------------------------------------


def _banner(client, world) -> str:
    client.force_login(world.users[Role.AGENCY_STAFF])
    page = client.get("/applications/agency/queue/").content.decode()
    return page[page.index('id="quota-heading"') : page.index("</section>")]


def _recommended(world, campaign, category):
    application = make_application(world, category, campaign=campaign, status=Status.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(status=Status.RECOMMENDED)
    return application


def test_banner_lists_every_open_category_with_or_without_places(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=2)
    CampaignCategory.objects.filter(campaign=campaign, category="service").update(is_open=False)
    _recommended(world, campaign, "brand")
    banner = _banner(client, world)
    assert 'data-quota="brand"' in banner
    assert "用户满意品牌 1/2" in banner
    assert "用户满意产品 本类别无推荐名额" in banner
    assert "用户满意工程 本类别无推荐名额" in banner
    assert 'data-quota="service"' not in banner
    assert "已用完" not in banner


def test_banner_says_used_up_only_when_places_were_used(world, client):
    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=1)
    _recommended(world, campaign, "brand")
    banner = _banner(client, world)
    assert "用户满意品牌 1/1 已用完" in banner
    assert "0/0" not in banner


def test_banner_names_the_agency_for_staff_of_two(world, client):
    from tests.factories import MembershipFactory

    campaign = open_campaign()
    _quotas(campaign, world.agency, brand=1)
    MembershipFactory(
        user=world.users[Role.AGENCY_STAFF], organisation=world.other_agency, role=Role.AGENCY_STAFF
    )
    banner = _banner(client, world)
    assert f"{world.agency.name} · 用户满意品牌 0/1" in banner
    assert f"{world.other_agency.name} · 用户满意品牌 本类别无推荐名额" in banner


@pytest.mark.parametrize(
    ("quota", "used", "state"),
    [
        (0, 0, QuotaState.NONE),
        (0, 1, QuotaState.NONE),
        (2, 1, QuotaState.OPEN),
        (2, 2, QuotaState.FULL),
    ],
)
def test_quota_state(quota, used, state):
    assert quota_state(quota, used) == state
