"""A customer list of 100,000 rows is read a page at a time: the reader finds a customer by
name, 序号 or the last four digits of a phone, and the search reveals no digit the masked
number hides. The shared contacts are paged too, at a constant number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import Customer, CustomerList, CustomerListStatus
from tests.applications.test_customer_lists import make_application, submit
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

PHONES = {
    "甲": "13812345678",
    "乙": "020-83341934 转 807",
    "丙": "13900001111/020-87654321",
    "丁": "020-87650000 转 5678",
}
NORMALIZED = {
    "甲": "13812345678",
    "乙": "02083341934-807",
    "丙": "13900001111/02087654321",
    "丁": "02087650000-5678",
}


def current_list(application, rows) -> CustomerList:
    customer_list = CustomerList.objects.create(
        application=application,
        status=CustomerListStatus.ACCEPTED,
        is_current=True,
        original_name="名单.xlsx",
        sha256="0" * 64,
        row_count=len(rows),
        progress=100,
        uploaded_by=application.created_by,
        finished_at=timezone.now(),
    )
    Customer.objects.bulk_create(
        Customer(customer_list=customer_list, row=i + 3, **row) for i, row in enumerate(rows)
    )
    return customer_list


@pytest.fixture
def listed(world):
    application = make_application(world)
    rows = [
        {
            "seq": str(i + 1),
            "name": f"{key}公司",
            "contact": f"{key}经理",
            "phone": PHONES[key],
            "phone_normalized": NORMALIZED[key],
        }
        for i, key in enumerate(PHONES)
    ]
    current_list(application, rows)
    submit(world, application)
    return application


def names(client, application, **query) -> list[str]:
    response = client.get(reverse("applications:customers", args=[application.pk]), query)
    assert response.status_code == 200
    return [c.name for c in response.context["page"]]


@pytest.mark.parametrize("role", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_a_customer_is_found_by_name_contact_or_number(world, client_for, listed, role):
    client = client_for(role)
    assert names(client, listed, q="乙公") == ["乙公司"]
    assert names(client, listed, q="丙经理") == ["丙公司"]
    assert len(names(client, listed, q="公司")) == 4
    assert names(client, listed, q="2") == ["乙公司"]  # 序号 2, exactly


@pytest.mark.parametrize("role", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_a_phone_is_found_by_its_last_four_digits_only(world, client_for, listed, role):
    client = client_for(role)
    assert names(client, listed, q="5678") == ["甲公司"]
    assert names(client, listed, q="1934") == ["乙公司"]  # before the extension
    assert names(client, listed, q="1111") == ["丙公司"]  # the first of two numbers
    assert names(client, listed, q="4321") == ["丙公司"]  # the second
    assert names(client, listed, q="0000") == ["丁公司"]  # not "5678", its hidden extension
    # Digits a masked number hides (138****5678) find nothing: the search tells no more.
    assert names(client, listed, q="1234") == []
    assert names(client, listed, q="8334") == []
    assert names(client, listed, q="12345678") == []


def test_masking_stays_as_it_was_when_searching(world, client_for, listed):
    html = (
        client_for(Role.AGENCY_STAFF)
        .get(reverse("applications:customers", args=[listed.pk]), {"q": "5678"})
        .content.decode()
    )
    assert "138****5678" in html
    assert "13812345678" not in html


def test_the_list_sorts_and_says_when_nothing_matches(world, client_for, listed):
    client = client_for(Role.ENTERPRISE_USER)
    assert names(client, listed, sort="-row") == ["丁公司", "丙公司", "乙公司", "甲公司"]
    response = client.get(reverse("applications:customers", args=[listed.pk]), {"q": "无此用户"})
    assert "没有符合筛选条件的用户" in response.content.decode()


def test_bad_values_are_ignored(world, client_for, listed):
    url = reverse("applications:customers", args=[listed.pk])
    response = client_for(Role.ENTERPRISE_USER).get(
        url + "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&sort=phone&q=" + "长" * 300
    )
    assert response.status_code == 200


def test_a_search_keeps_to_the_applications_own_list(world, client_for, listed):
    other = make_application(
        world,
        campaign=listed.campaign,
        organisation=world.other_enterprise,
        created_by=world.outsider,
    )
    row = {
        "seq": "1",
        "name": "别家用户",
        "phone": "13700005678",
        "phone_normalized": "13700005678",
    }
    current_list(other, [row])
    assert names(client_for(Role.ENTERPRISE_USER), listed, q="5678") == ["甲公司"]


# --------------------------------------------------------------------------------------------
# Shared contacts


def shared(lists, first: int, count: int):
    """`count` more phones, each on both lists."""
    for customer_list in lists:
        Customer.objects.bulk_create(
            Customer(
                customer_list=customer_list,
                row=i,
                seq=str(i),
                name=f"共有{i}",
                phone=f"139{i:08d}",
                phone_normalized=f"139{i:08d}",
            )
            for i in range(first, first + count)
        )


def test_shared_contacts_are_paged_and_cost_the_same_at_two_sizes(world, client_for):
    from tests.applications.test_customer_lists import open_campaign

    campaign = open_campaign(world)
    lists = [
        current_list(
            make_application(world, campaign=campaign, organisation=org, created_by=user), []
        )
        for org, user in (
            (world.enterprise, world.users[Role.ENTERPRISE_USER]),
            (world.other_enterprise, world.outsider),
        )
    ]
    shared(lists, 1, 2)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("applications:shared_contacts") + f"?year={campaign.year}"
    assert_flat(client, url, grow=lambda: shared(lists, 100, 60))
    first = client.get(url)
    assert first.context["listing"].total == 62
    assert len(first.context["rows"]) == 50
    assert len(first.context["rows"][0]["customers"]) == 2
    second = client.get(url + "&page=2")
    assert len(second.context["rows"]) == 12
    assert f"year={campaign.year}&amp;page=1" in second.content.decode()
