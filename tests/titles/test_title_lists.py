"""The notices (public), the staff's objections and the register (common.listing): filtered
and sorted in the URL, paged, bad values ignored, at a constant number of queries; an expert's
objection list stays their own."""

import hashlib
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.titles.models import NoticeKind, Objection, ObjectionStatus, PublicNotice
from tests.query_guard import assert_flat
from tests.reviews.factories import granted_title
from tests.titles.decision_helpers import past_campaign, released

pytestmark = pytest.mark.django_db

BAD = "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&year=²&kind=x&category=x"
_token = itertools.count(1)


def notices(campaign):
    """Every category's 公示 and 公告 of a campaign: ten notices."""
    from manyi.campaigns.categories import Category

    PublicNotice.objects.bulk_create(
        PublicNotice(
            campaign=campaign,
            category=category,
            kind=kind,
            title=f"{campaign.year}{category}{kind}",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() if kind == NoticeKind.PUBLICITY else None,
        )
        for category in Category.values
        for kind in NoticeKind.values
    )


def objections(notice, applications, n, *, investigator=None, status=ObjectionStatus.RECEIVED):
    Objection.objects.bulk_create(
        Objection(
            notice=notice,
            application=applications[i % len(applications)],
            name="李四",
            contact="13912345678",
            reasons="用户名单有虚构的用户。",
            token_hash=hashlib.sha256(str(next(_token)).encode()).hexdigest(),
            investigator=investigator,
            status=status,
        )
        for i in range(n)
    )


# ------------------------------------------------------------------------------------------
# Notices


def test_notices_are_paged_and_filtered_by_year_and_kind(world, client):
    notice, _w, _l = released(world)
    for years_ago in range(1, 7):
        notices(past_campaign(years_ago=years_ago))
    url = reverse("titles:notice_list")
    first = client.get(url)
    assert first.context["listing"].total == 61
    assert first.content.decode().count("data-notice=") == 50
    assert 'rel="next"' in first.content.decode()
    assert client.get(url + "?page=2").content.decode().count("data-notice=") == 11
    assert client.get(url + "?kind=publicity").context["listing"].total == 31
    year = notice.campaign.year
    assert client.get(url, {"year": year - 2}).context["listing"].total == 10
    assert client.get(url, {"year": year - 9}).context["listing"].total == 61  # not a choice
    assert client.get(url + "?category=service&kind=publicity").context["listing"].total == 6
    assert (
        "没有符合筛选条件的公示公告"
        in client.get(url, {"year": year, "category": "service"}).content.decode()
    )
    assert client.get(url + BAD).status_code == 200


def test_the_notice_list_costs_the_same_at_two_sizes(world, client):
    released(world)
    assert_flat(client, reverse("titles:notice_list"), grow=lambda: notices(past_campaign(2)))


# ------------------------------------------------------------------------------------------
# Objections


@pytest.fixture
def objected(world):
    notice, winners, _l = released(world, awards=2)
    return notice, winners


def test_objections_filter_and_search(world, client_for, objected):
    notice, (first, second) = objected
    objections(notice, [first], 2)
    objections(notice, [second], 1, status=ObjectionStatus.INVESTIGATING)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("titles:objection_list")
    assert client.get(url).context["listing"].total == 3
    assert client.get(url + "?status=investigating").context["listing"].total == 1
    found = client.get(url, {"q": second.organisation.name})
    assert [o.application_id for o in found.context["page"]] == [second.pk]
    assert client.get(url, {"year": notice.campaign.year}).context["listing"].total == 3
    assert client.get(url + BAD + "&received_after=2026-13-45").status_code == 200


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.EXPERT])
def test_the_objection_list_costs_the_same_at_two_sizes(world, client_for, objected, role):
    notice, winners = objected
    expert = world.users[Role.EXPERT]
    objections(notice, winners, 1, investigator=expert)
    assert_flat(
        client_for(role),
        reverse("titles:objection_list"),
        grow=lambda: objections(notice, winners, 8, investigator=expert),
    )


def test_an_experts_search_stays_within_their_objections(world, client_for, objected):
    notice, (first, second) = objected
    objections(notice, [first], 1, investigator=world.users[Role.EXPERT])
    objections(notice, [second], 2)
    client = client_for(Role.EXPERT)
    url = reverse("titles:objection_list")
    assert client.get(url).context["listing"].total == 1
    assert client.get(url, {"q": second.organisation.name}).context["listing"].total == 0


# ------------------------------------------------------------------------------------------
# The register


def test_the_register_sorts_by_its_heads_and_ignores_bad_values(world, client):
    for _ in range(3):
        granted_title(world, "product")
    url = reverse("titles:register")
    numbers = [t.number for t in client.get(url + "?sort=-number").context["page"]]
    assert numbers == sorted(numbers, reverse=True)
    response = client.get(url + BAD + "&sort=valid_until")
    assert response.status_code == 200
    assert response.context["listing"].total == 3


def test_the_register_offers_only_years_that_have_titles(world, client):
    title = granted_title(world, "product")
    field = client.get(reverse("titles:register")).context["listing"].filters.form.fields["year"]
    assert [v for v, _label in field.choices if v] == [title.year]
