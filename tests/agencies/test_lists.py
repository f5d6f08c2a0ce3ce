"""The agencies' lists (common.listing): the staff's list and queue, the public directory and
the invite search filter, sort and page through the URL, ignore bad values, and cost the same
number of queries at two sizes."""

import pytest

from manyi.accounts.roles import AgencyScope, District, OrgKind, Role
from tests.agencies.factories import confirmed_member, submitted_request
from tests.factories import OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "standing=nope&scope=nope&district=nope&sort=password&q=" + "长" * 300,
    "submitted_after=2026-13-45&submitted_before=2026-13-45&submitted_before=x&sort=-nope",
)


def _agencies(n, prefix="协会", **kwargs):
    for i in range(n):
        agency = OrganisationFactory(kind=OrgKind.AGENCY, name=f"{prefix}{i:03d}", **kwargs)
        confirmed_member(OrganisationFactory(name=f"{prefix}{i:03d}会员企业"), agency)


def _requests(n, prefix="推进会"):
    for i in range(n):
        submitted_request(name=f"{prefix}{i:03d}")


def test_the_staff_list_filters_searches_sorts_and_pages(world, client_for):
    _agencies(52, prefix="甲协会", agency_scope=AgencyScope.INDUSTRY)
    client = client_for(Role.COMMITTEE_STAFF)
    first = client.get("/agencies/")
    assert first.context["listing"].total == 54
    assert len(first.context["page"].object_list) == 50
    assert len(client.get("/agencies/?page=2").context["page"].object_list) == 4
    region = client.get("/agencies/", {"scope": AgencyScope.REGION})
    assert [a.name for a in region.context["page"]] == [world.agency.name]
    found = client.get("/agencies/", {"q": "甲协会007"})
    assert [a.name for a in found.context["page"]] == ["甲协会007"]
    names = [a.name for a in client.get("/agencies/?sort=-name").context["page"]]
    assert names == sorted(names, reverse=True)
    empty = client.get("/agencies/", {"q": "没有这个"}).content.decode()
    assert "没有符合筛选条件的推进机构" in empty


def test_the_staff_list_sorts_by_members(world, client_for):
    _agencies(2, prefix="乙协会")
    confirmed_member(OrganisationFactory(name="第二家会员"), world.other_agency)
    confirmed_member(OrganisationFactory(name="第三家会员"), world.other_agency)
    page = client_for(Role.COMMITTEE_STAFF).get("/agencies/?sort=-members").context["page"]
    assert page.object_list[0] == world.other_agency


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.COMMITTEE_STAFF, "/agencies/"),
        (Role.COMMITTEE_STAFF, "/agencies/requests/"),
        ("anonymous", "/agencies/directory/"),
        (Role.AGENCY_STAFF, "/agencies/mine/invite/"),
    ],
)
def test_bad_values_are_ignored_not_a_500(world, client_for, role, url, query):
    _requests(1)
    response = client_for(role).get(f"{url}?{query}")
    assert response.status_code == 200


def test_the_queue_filters_by_status_and_scope_and_sorts(world, client_for):
    _requests(3)
    submitted_request(name="行业推进会", agency_scope=AgencyScope.INDUSTRY, district="")
    client = client_for(Role.COMMITTEE_STAFF)
    industry = client.get("/agencies/requests/", {"scope": AgencyScope.INDUSTRY})
    assert [r.name for r in industry.context["page"]] == ["行业推进会"]
    assert client.get("/agencies/requests/", {"status": "refused"}).context["listing"].total == 0
    names = [r.name for r in client.get("/agencies/requests/?sort=name").context["page"]]
    assert names == sorted(names)


def test_the_directory_filters_by_district_and_shows_only_recognised_agencies(world, client):
    _agencies(2, prefix="番禺协会", district=District.PANYU)
    OrganisationFactory(kind=OrgKind.AGENCY, name="未认可的协会", recognised_on=None)
    everything = client.get("/agencies/directory/")
    assert "未认可的协会" not in everything.content.decode()
    panyu = client.get("/agencies/directory/", {"district": District.PANYU})
    assert sorted(a.name for a in panyu.context["page"]) == ["番禺协会000", "番禺协会001"]
    assert "未认可的协会" not in client.get("/agencies/directory/?q=未认可").content.decode()


def test_the_invite_search_narrows_by_district_and_stays_no_directory(world, client_for):
    for i in range(3):
        OrganisationFactory(name=f"海珠企业{i}有限公司", district=District.HAIZHU)
    OrganisationFactory(name="越秀企业有限公司", district=District.YUEXIU)
    client = client_for(Role.AGENCY_STAFF)
    assert client.get("/agencies/mine/invite/", {"q": "企"}).context["listing"].total == 0
    found = client.get("/agencies/mine/invite/", {"q": "企业", "district": District.HAIZHU})
    assert found.context["listing"].total == 3
    names = [o.name for o in client.get("/agencies/mine/invite/?q=企业&sort=-name").context["page"]]
    assert names == sorted(names, reverse=True)


def test_the_staff_list_costs_the_same_at_two_sizes(world, client_for):
    assert_flat(client_for(Role.COMMITTEE_STAFF), "/agencies/", grow=lambda: _agencies(4))


def test_the_queue_costs_the_same_at_two_sizes(world, client_for):
    _requests(1, prefix="小")
    assert_flat(client_for(Role.COMMITTEE_STAFF), "/agencies/requests/", grow=lambda: _requests(4))


def test_the_directory_costs_the_same_at_two_sizes(world, client):
    assert_flat(client, "/agencies/directory/", grow=lambda: _agencies(4))


def test_the_invite_search_costs_the_same_at_two_sizes(world, client_for):
    def grow():
        for i in range(4):
            OrganisationFactory(name=f"新企业{i}有限公司")

    OrganisationFactory(name="老企业有限公司")
    assert_flat(client_for(Role.AGENCY_STAFF), "/agencies/mine/invite/?q=企业", grow=grow)


def test_an_agencys_page_costs_the_same_at_two_sizes(world, client_for):
    def grow():
        for i in range(4):
            confirmed_member(OrganisationFactory(name=f"会员{i}有限公司"), world.agency)

    confirmed_member(world.other_enterprise, world.agency)
    assert_flat(client_for(Role.COMMITTEE_STAFF), f"/agencies/{world.agency.pk}/", grow=grow)
