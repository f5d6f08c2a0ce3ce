"""The ban registry and a campaign's reopenings (common.listing): filtered by state and
source, searched by name or USCC however it is typed, sorted, paged, bad values ignored, at a
constant number of queries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.accounts.uscc import make_uscc
from manyi.campaigns.models import Ban, BanSource, Reopening
from tests.factories import OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&state=²&source=x&sort=reason"


def bans(n, *, prefix="禁止", lifted=False, source=BanSource.FRAUD, start=1):
    today = timezone.localdate()
    made = Ban.objects.bulk_create(
        Ban(
            uscc=make_uscc(f"91440100MA{start + i:07d}"),
            organisation_name=f"{prefix}{i:03d}有限公司",
            reason="提供虚假材料",
            source=source,
            decided_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=365 * 5),
            lifted_at=timezone.now() if lifted else None,
            lift_reason="法院判决撤销" if lifted else "",
        )
        for i in range(n)
    )
    return made


def test_bans_filter_search_sort_and_page(client_for):
    bans(52, prefix="甲")
    bans(2, prefix="乙", lifted=True, start=100)
    (ended,) = bans(1, prefix="丙", source=BanSource.REVOCATION, start=200)
    Ban.objects.filter(pk=ended.pk).update(decided_on=date(2015, 1, 1), ends_on=date(2020, 1, 1))
    client = client_for(Role.COMMITTEE_STAFF)
    first = client.get("/campaigns/bans/")
    assert first.context["listing"].total == 55
    assert len(first.context["page"].object_list) == 50
    assert client.get("/campaigns/bans/?state=in_force").context["listing"].total == 52
    assert client.get("/campaigns/bans/?state=lifted").context["listing"].total == 2
    assert [
        b.organisation_name for b in client.get("/campaigns/bans/?state=ended").context["page"]
    ] == ["丙000有限公司"]
    assert client.get("/campaigns/bans/?source=revocation").context["listing"].total == 1
    found = client.get("/campaigns/bans/?q=甲051")
    assert [b.organisation_name for b in found.context["page"]] == ["甲051有限公司"]
    uscc = found.context["page"][0].uscc
    typed = f" {uscc[:9].lower()} {uscc[9:]}"
    assert client.get("/campaigns/bans/", {"q": typed}).context["listing"].total == 1
    ordered = client.get("/campaigns/bans/?sort=-name")
    names = [b.organisation_name for b in ordered.context["page"]]
    assert names == sorted(names, reverse=True)


def test_bans_ignore_bad_values(client_for):
    bans(2)
    response = client_for(Role.ASSOCIATION_ADMIN).get("/campaigns/bans/" + BAD)
    assert response.status_code == 200
    assert response.context["listing"].total == 2


def test_the_ban_list_costs_the_same_at_two_sizes(client_for):
    bans(1, prefix="一")
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        "/campaigns/bans/",
        grow=lambda: (bans(10, prefix="多", start=10), bans(3, prefix="解", lifted=True, start=50)),
    )


def reopenings(campaign, by, n, *, prefix="单独开放", category="brand"):
    Reopening.objects.bulk_create(
        Reopening(
            campaign=campaign,
            organisation=OrganisationFactory(name=f"{prefix}{i:03d}有限公司"),
            category=category,
            reason="系统故障",
            until=timezone.now() + timedelta(days=3),
            created_by=by,
        )
        for i in range(n)
    )


def test_reopenings_are_paged_and_filtered(client_for, manager, campaign):
    reopenings(campaign, manager, 51)
    reopenings(campaign, manager, 2, prefix="服务", category="service")
    client = client_for(Role.COMMITTEE_STAFF)
    first = client.get("/campaigns/2026/reopenings/")
    assert first.context["listing"].total == 53
    assert len(first.context["reopenings"].object_list) == 50
    assert client.get("/campaigns/2026/reopenings/?category=service").context["listing"].total == 2
    assert client.get("/campaigns/2026/reopenings/?q=单独开放050").context["listing"].total == 1
    assert client.get("/campaigns/2026/reopenings/" + BAD + "&category=x").status_code == 200


def test_the_reopenings_cost_the_same_at_two_sizes(client_for, manager, campaign):
    reopenings(campaign, manager, 1, prefix="一")
    assert_flat(
        client_for(Role.ASSOCIATION_ADMIN),
        "/campaigns/2026/reopenings/",
        grow=lambda: reopenings(campaign, manager, 10, prefix="多"),
    )
