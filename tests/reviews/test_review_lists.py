"""The review hub, the expert's assignments and a campaign's similarity flags
(common.listing): filtered, searched and sorted in the URL, bad values ignored, at a constant
number of queries."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.applications.states import AFTER_RECOMMENDATION, Status
from manyi.reviews.models import FlagKind, FlagStatus, RunStatus, SimilarityFlag, SimilarityRun
from tests.applications.helpers import make_application
from tests.factories import OrganisationFactory
from tests.query_guard import assert_flat
from tests.reviews.factories import after_recommendation, assign_experts

pytestmark = pytest.mark.django_db

BAD = "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&category=x&kind=x&sort=x"


def recommended(world, n, *, prefix="评审", status=Status.RECOMMENDED, category="brand"):
    return [
        after_recommendation(
            world,
            category,
            status=status,
            customers=0,
            organisation=OrganisationFactory(name=f"{prefix}{i:03d}有限公司", agency=world.agency),
        )
        for i in range(n)
    ]


# ------------------------------------------------------------------------------------------
# The review hub


def test_the_hub_filters_searches_sorts_and_pages(world, client_for):
    recommended(world, 51, prefix="甲")
    recommended(world, 2, prefix="乙", status=Status.ACCEPTED, category="service")
    make_application(world, "product", status=Status.SUBMITTED)  # before recommendation
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("reviews:list")

    first = client.get(url)
    assert first.context["listing"].total == 53
    assert len(first.context["page"].object_list) == 50
    assert client.get(url + "?status=accepted").context["listing"].total == 2
    assert client.get(url + "?category=service").context["listing"].total == 2
    assert client.get(url, {"agency": world.agency.pk}).context["listing"].total == 53
    found = client.get(url, {"q": "甲050"})
    assert [a.organisation.name for a in found.context["page"]] == ["甲050有限公司"]
    ordered = client.get(url + "?sort=-organisation")
    names = [a.organisation.name for a in ordered.context["page"]]
    assert names == sorted(names, reverse=True)
    assert "没有符合筛选条件的申报" in client.get(url, {"q": "无此企业"}).content.decode()


def test_the_hub_offers_only_the_states_after_recommendation(world, client_for):
    recommended(world, 1)
    make_application(world, "product", status=Status.SUBMITTED)
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.get(reverse("reviews:list") + "?status=submitted")
    choices = [v for v, _label in response.context["listing"].filters.form.fields["status"].choices]
    assert [c for c in choices if c] == list(AFTER_RECOMMENDATION)
    # A state before the recommendation is not a choice: ignored, never a way to widen.
    assert response.context["listing"].total == 1


def test_the_hub_ignores_bad_values(world, client_for):
    recommended(world, 2)
    response = client_for(Role.COMMITTEE_STAFF).get(reverse("reviews:list") + BAD)
    assert response.status_code == 200
    assert response.context["listing"].total == 2


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF])
def test_the_hub_costs_the_same_at_two_sizes(world, client_for, role):
    recommended(world, 1, prefix="一")
    assert_flat(
        client_for(role),
        reverse("reviews:list"),
        grow=lambda: recommended(world, 12, prefix="多", status=Status.ACCEPTED),
    )


# ------------------------------------------------------------------------------------------
# The expert's assignments


def assigned(world, n, *, prefix="指派", category="brand"):
    expert = world.users[Role.EXPERT]
    return [
        assign_experts(world, application, experts=[expert])[0]
        for application in recommended(world, n, prefix=prefix, category=category)
    ]


def test_assignments_filter_and_search(world, client_for):
    assigned(world, 3, prefix="甲")
    assigned(world, 1, prefix="乙", category="service")
    client = client_for(Role.EXPERT)
    url = reverse("reviews:experts_assignments")
    assert client.get(url).context["listing"].total == 4
    assert client.get(url + "?category=service").context["listing"].total == 1
    found = client.get(url, {"q": "甲002"})
    assert [a.application.organisation.name for a in found.context["page"]] == ["甲002有限公司"]
    assert client.get(url + "?status=declined").context["listing"].total == 0
    assert client.get(url + BAD).status_code == 200


def test_assignments_cost_the_same_at_two_sizes(world, client_for):
    assigned(world, 1, prefix="一")
    assert_flat(
        client_for(Role.EXPERT),
        reverse("reviews:experts_assignments"),
        grow=lambda: assigned(world, 6, prefix="多"),
    )


# ------------------------------------------------------------------------------------------
# Similarity flags


def flags(world, n, *, prefix="雷同", category="brand", kind=FlagKind.TEXT):
    applications = recommended(world, n + 1, prefix=prefix, category=category)
    run = SimilarityRun.objects.create(
        campaign=applications[0].campaign, status=RunStatus.DONE, flagged=n
    )
    SimilarityFlag.objects.bulk_create(
        SimilarityFlag(
            run=run,
            kind=kind,
            application=a,
            other=applications[-1],
            share=f"0.{300 + i:03d}",
            status=FlagStatus.OPEN,
        )
        for i, a in enumerate(applications[:-1])
    )
    return applications[0].campaign


def test_flags_filter_by_category_and_sort_by_share(world, client_for):
    campaign = flags(world, 3)
    flags(world, 1, prefix="服务", category="service", kind=FlagKind.APPRAISAL)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("reviews:similarity_campaign", args=[campaign.pk])
    assert client.get(url).context["listing"].total == 4
    assert client.get(url + "?category=service").context["listing"].total == 1
    assert client.get(url + "?kind=appraisal").context["listing"].total == 1
    shares = [f.share for f in client.get(url + "?sort=share").context["page"]]
    assert shares == sorted(shares)
    assert client.get(url + BAD).status_code == 200
