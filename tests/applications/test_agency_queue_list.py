"""The agency's queue (common.listing): paged instead of rendered whole, filtered by year,
category and date, searched by name or number, costing the same at two sizes; its latest
opinions are a short list that links to the full application list."""

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.applications.states import Status
from tests.applications.helpers import make_application, open_campaign
from tests.factories import OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

URL = "/applications/agency/queue/"


def waiting(world, n, *, prefix="待推荐", category="brand", agency=None, status=Status.SUBMITTED):
    campaign = open_campaign(agencies=[world.agency, world.other_agency])
    made = []
    for i in range(n):
        organisation = OrganisationFactory(
            name=f"{prefix}{i:03d}有限公司", agency=agency or world.agency
        )
        application = make_application(
            world, category, organisation=organisation, campaign=campaign, status=status
        )
        Application.objects.filter(pk=application.pk).update(
            number=f"{prefix}-{i:04d}", decided_at=timezone.now()
        )
        made.append(application)
    return made


def test_the_queue_is_paged_filtered_and_searched(world, client_for):
    waiting(world, 52, prefix="甲")
    waiting(world, 3, prefix="乙", category="service")
    waiting(world, 2, prefix="丙", agency=world.other_agency)  # not this agency's
    client = client_for(Role.AGENCY_STAFF)

    first = client.get(URL)
    assert first.context["listing"].total == 55
    assert len(first.context["page"].object_list) == 50
    assert 'rel="next"' in first.content.decode()
    assert client.get(URL + "?category=service").context["listing"].total == 3
    found = client.get(URL + "?q=甲051")
    assert [a.organisation.name for a in found.context["page"]] == ["甲051有限公司"]
    by_number = client.get(URL + "?q=乙-0002")
    assert [a.number for a in by_number.context["page"]] == ["乙-0002"]
    ordered = client.get(URL + "?sort=-organisation")
    names = [a.organisation.name for a in ordered.context["page"]]
    assert names == sorted(names, reverse=True)
    assert "丙000有限公司" not in client.get(URL + "?q=丙").content.decode()
    assert "没有符合筛选条件的申报" in client.get(URL + "?q=丙").content.decode()


def test_the_queue_offers_no_state_agency_or_district_choice(world, client_for):
    waiting(world, 1)
    fields = client_for(Role.AGENCY_STAFF).get(URL).context["listing"].filters.form.fields
    assert {"status", "agency", "district"}.isdisjoint(fields)


def test_bad_values_are_ignored(world, client_for):
    waiting(world, 2)
    response = client_for(Role.AGENCY_STAFF).get(
        URL + "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&submitted_after=2026-13-45"
    )
    assert response.status_code == 200
    assert response.context["listing"].total == 2


def test_the_latest_opinions_are_few_and_link_to_every_application(world, client_for):
    waiting(world, 12, prefix="已推荐", status=Status.RECOMMENDED)
    waiting(world, 1, prefix="别家推荐", status=Status.RECOMMENDED, agency=world.other_agency)
    response = client_for(Role.AGENCY_STAFF).get(URL)
    decided = list(response.context["decided"])
    assert len(decided) == 10
    assert all(a.agency_id == world.agency.pk for a in decided)
    assert 'href="/applications/?sort=-updated"' in response.content.decode()


def test_the_queue_costs_the_same_at_two_sizes(world, client_for):
    waiting(world, 1, prefix="一")
    waiting(world, 1, prefix="一已", status=Status.RECOMMENDED)

    def grow():
        waiting(world, 20, prefix="多")
        waiting(world, 5, prefix="多已", status=Status.NOT_RECOMMENDED)

    assert_flat(client_for(Role.AGENCY_STAFF), URL, grow=grow)
