"""The supervision lists with the list toolkit: filters and search in the URL, bad values
ignored, and a page's cost flat in its rows for the lists that had no guard yet (spot checks,
decisions, violations, reassignment, recall, the two title pickers)."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.supervision.models import SanctionKind, ViolationKind
from tests.query_guard import assert_flat
from tests.supervision.factories_revisits import title_of
from tests.supervision.factories_revocations import opened_case, public_sanction, revoked_case
from tests.supervision.factories_sanctions import (
    disqualify,
    make_agency,
    make_violation,
    submitted_to,
)
from tests.supervision.factories_spotchecks import planned_check

pytestmark = pytest.mark.django_db

BAD = {
    "status": "x",
    "agency": "١٢",
    "page": "-1",
    "campaign": "9" * 20,
    "year": "9" * 20,
    "organisation": "²",
    "kind": "nope",
    "sort": "password",
    "q": "长" * 300,
}
LISTS = [
    (Role.WORKDEPT_STAFF, "supervision:spotcheck_list"),
    (Role.COMMITTEE_STAFF, "supervision:holder_list"),
    (Role.COMMITTEE_STAFF, "supervision:holder_launch"),
    (Role.COMMITTEE_STAFF, "supervision:revisit_list"),
    (Role.COMMITTEE_STAFF, "supervision:revisit_plan"),
    (Role.COMMITTEE_STAFF, "supervision:complaint_list"),
    (Role.COMMITTEE_STAFF, "supervision:revocation_list"),
    (Role.COMMITTEE_STAFF, "supervision:revocation_recall_list"),
    (None, "supervision:notice_list"),
    (Role.COMMITTEE_STAFF, "supervision:sanction_list"),
    (Role.COMMITTEE_STAFF, "supervision:sanction_reassign_list"),
    (Role.COMMITTEE_STAFF, "supervision:violation_list"),
]


@pytest.mark.parametrize(("role", "name"), LISTS)
def test_bad_values_are_ignored(world, client_for, role, name):
    assert client_for(role).get(reverse(name), BAD).status_code == 200


def test_spot_checks_filter_search_and_sort(world, client_for):
    planned_check(world, name="第一批抽查", population="agencies")
    planned_check(world, name="第二批抽查")
    client = client_for(Role.WORKDEPT_STAFF)
    url = reverse("supervision:spotcheck_list")
    assert client.get(url, {"population": "agencies"}).context["listing"].total == 1
    assert [c.name for c in client.get(url, {"q": "第二"}).context["page"]] == ["第二批抽查"]
    names = [c.name for c in client.get(url, {"sort": "name"}).context["page"]]
    assert names == sorted(names)


def test_the_spot_check_list_costs_the_same_at_two_sizes(world, client_for):
    planned_check(world, name="抽查1")
    assert_flat(
        client_for(Role.WORKDEPT_STAFF),
        reverse("supervision:spotcheck_list"),
        grow=lambda: [planned_check(world, name=f"抽查{i}") for i in range(2, 5)],
    )


def test_violations_keep_the_organisation_a_link_gave(world, client_for):
    make_violation(world, organisation=world.enterprise)
    make_violation(world, organisation=world.other_enterprise, kind=ViolationKind.MISLEADING)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:violation_list")
    mine = client.get(url, {"organisation": world.enterprise.pk})
    assert mine.context["listing"].total == 1
    html = mine.content.decode()
    assert "data-filter-organisation" in html
    assert f'name="organisation" value="{world.enterprise.pk}"' in html  # kept by the filter form
    assert client.get(url, {"kind": ViolationKind.MISLEADING}).context["listing"].total == 1
    found = client.get(url, {"q": world.other_enterprise.name})
    assert [v.organisation_id for v in found.context["page"]] == [world.other_enterprise.pk]


def test_the_violation_list_costs_the_same_at_two_sizes(world, client_for):
    make_violation(world)
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        reverse("supervision:violation_list"),
        grow=lambda: [make_violation(world, organisation=world.other_enterprise) for _ in range(3)],
    )


def test_decisions_filter_by_kind(world, client_for):
    public_sanction(world)
    public_sanction(world, kind=SanctionKind.ACCOUNT_DISABLED, public=False)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:sanction_list")
    assert client.get(url).context["listing"].total == 2
    assert client.get(url, {"kind": SanctionKind.ACCOUNT_DISABLED}).context["listing"].total == 1


def test_the_decision_list_costs_the_same_at_two_sizes(world, client_for):
    public_sanction(world)
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        reverse("supervision:sanction_list"),
        grow=lambda: [public_sanction(world) for _ in range(3)],
    )


def test_the_reassignment_list_filters_and_costs_the_same_at_two_sizes(world, client_for):
    agency = make_agency(world)
    first = submitted_to(world, agency)
    disqualify(world, agency)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:sanction_reassign_list")
    found = client.get(url, {"q": first.organisation.name})
    assert [a.pk for a in found.context["page"]] == [first.pk]
    assert client.get(url, {"category": "product"}).context["listing"].total == 0
    assert_flat(
        client,
        url,
        grow=lambda: [submitted_to(world, agency, category) for category in ("product", "service")],
    )


def test_the_recall_list_costs_the_same_at_two_sizes(world, client_for):
    revoked_case(world)
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        reverse("supervision:revocation_recall_list"),
        grow=lambda: [revoked_case(world) for _ in range(2)],
    )


def test_the_case_list_filters_by_the_year_opened(world, client_for):
    case = opened_case(world)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:revocation_list")
    year = case.opened_at.year
    assert client.get(url, {"year": year}).context["listing"].total == 1
    assert client.get(url, {"year": year - 1}).context["listing"].total == 0
    assert client.get(url, {"year": "²²²²"}).context["listing"].total == 1  # ignored
    assert client.get(url, {"q": case.title.number}).context["listing"].total == 1


@pytest.mark.parametrize("name", ["supervision:holder_launch", "supervision:revisit_plan"])
def test_the_title_pickers_search_and_cost_the_same_at_two_sizes(world, client_for, name):
    title = title_of(world)
    client = client_for(Role.COMMITTEE_STAFF)
    found = client.get(reverse(name), {"q": title.number})
    assert [t.pk for t in found.context["page"]] == [title.pk]
    assert 'data-form="title-filter"' in found.content.decode()
    assert_flat(client, reverse(name), grow=lambda: [title_of(world) for _ in range(2)])
