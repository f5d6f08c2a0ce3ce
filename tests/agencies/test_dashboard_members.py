"""The members part of the agency's dashboard 本机构概况 (common.listing): paged, filtered by
district, searched by name or USCC, sorted by its heads, keeping the agency and the year the
page is about, at a constant number of queries."""

import pytest
from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import District, Role
from manyi.campaigns.models import Campaign
from tests.factories import MembershipFactory, OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

URL = "/agencies/mine/"


def members(agency, n, *, prefix="会员", district=""):
    for i in range(n):
        AgencyMembership.objects.create(
            enterprise=OrganisationFactory(name=f"{prefix}{i:03d}有限公司", district=district),
            agency=agency,
            confirmed_at=timezone.now(),
        )


def names(response) -> list[str]:
    return [row["membership"].enterprise.name for row in response.context["rows"]]


def test_members_are_paged_filtered_searched_and_sorted(world, client_for):
    members(world.agency, 52, prefix="甲")
    members(world.agency, 2, prefix="乙", district=District.PANYU)
    client = client_for(Role.AGENCY_STAFF)

    first = client.get(URL)
    assert first.context["listing"].total == 54
    assert len(first.context["rows"]) == 50
    assert names(client.get(URL + "?district=panyu")) == ["乙000有限公司", "乙001有限公司"]
    found = client.get(URL + "?q=甲051")
    assert names(found) == ["甲051有限公司"]
    uscc = found.context["rows"][0]["membership"].enterprise.uscc
    assert names(client.get(URL, {"q": uscc})) == ["甲051有限公司"]
    descending = names(client.get(URL + "?sort=-name"))
    assert descending == sorted(descending, reverse=True)
    assert "没有符合筛选条件的企业" in client.get(URL + "?q=无此企业").content.decode()


def test_the_filters_keep_the_agency_and_the_year(world, client_for):
    staff = world.users[Role.AGENCY_STAFF]
    MembershipFactory(user=staff, organisation=world.other_agency, role=Role.AGENCY_STAFF)
    members(world.other_agency, 2, prefix="别家")
    Campaign.objects.create(
        year=2024,
        title="二〇二四年",
        status="published",
        opens_at=timezone.now(),
        closes_at=timezone.now(),
    )
    response = client_for(staff).get(URL, {"agency": world.other_agency.pk, "campaign": "2024"})
    html = response.content.decode()
    assert names(response) == ["别家000有限公司", "别家001有限公司"]
    assert f'<input type="hidden" name="agency" value="{world.other_agency.pk}">' in html
    assert '<input type="hidden" name="campaign" value="2024">' in html
    assert f'href="?agency={world.other_agency.pk}&amp;campaign=2024&amp;sort=name"' in html


def test_bad_values_are_ignored(world, client_for):
    members(world.agency, 2)
    response = client_for(Role.AGENCY_STAFF).get(
        URL + "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&district=x&sort=hours"
    )
    assert response.status_code == 200
    assert response.context["listing"].total == 2


def test_the_dashboard_costs_the_same_at_two_sizes(world, client_for):
    members(world.agency, 1, prefix="一")
    assert_flat(client_for(Role.AGENCY_STAFF), URL, grow=lambda: members(world.agency, 20))
