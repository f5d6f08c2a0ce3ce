"""The list of diagnoses (common.listing): filters, search and sort through the URL, an
agency select only of the user's own diagnoses' agencies, bad values ignored, and the same
number of queries at two sizes for each role."""

import pytest

from manyi.accounts.roles import Role
from manyi.diagnostics.models import Diagnosis
from tests.diagnostics.factories import confirm_membership, leader_of, requested, scheduled
from tests.factories import MembershipFactory, OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "agency=99999999999999999999&sort=password&q=" + "长" * 300,
    "requested_after=2026-13-45&requested_before=x&sort=-nope&agency=²",
)


def _more(world, n, *, agency=None, prefix="另一企业"):
    """`n` diagnoses of new enterprises asked of world.agency (or `agency`)."""
    agency = agency or world.agency
    for i in range(n):
        enterprise = OrganisationFactory(name=f"{prefix}{i}", agency=agency)
        confirm_membership(world, enterprise=enterprise, agency=agency)
        user = MembershipFactory(organisation=enterprise, role=Role.ENTERPRISE_USER).user
        Diagnosis.objects.create(
            enterprise=enterprise,
            agency=agency,
            needs="x",
            contact_name="y",
            contact_mobile="13800000000",
            requested_by=user,
        )


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER])
def test_bad_values_are_ignored_not_a_500(world, client_for, role, query):
    requested(world)
    assert client_for(role).get(f"/diagnostics/?{query}").status_code == 200


def test_staff_filter_by_agency_search_and_sort(world, client_for):
    requested(world)
    _more(world, 2, agency=world.other_agency, prefix="建筑企业")
    client = client_for(Role.COMMITTEE_STAFF)
    other = client.get("/diagnostics/", {"agency": world.other_agency.pk})
    assert other.context["listing"].total == 2
    found = client.get("/diagnostics/", {"q": "建筑企业1"})
    assert [d.enterprise.name for d in found.context["page"]] == ["建筑企业1"]
    by_name = [
        d.enterprise.name for d in client.get("/diagnostics/?sort=-enterprise").context["page"]
    ]
    assert by_name == sorted(by_name, reverse=True)
    assert "没有符合筛选条件的诊断" in client.get("/diagnostics/?q=无此企业").content.decode()


def test_the_agency_select_offers_only_the_users_own_agencies(world, client_for):
    requested(world)
    _more(world, 1, agency=world.other_agency)
    staff = client_for(Role.COMMITTEE_STAFF).get("/diagnostics/")
    offered = set(staff.context["listing"].filters.form.fields["agency"].queryset)
    assert offered == {world.agency, world.other_agency}
    # The agency and the enterprise see one agency's diagnoses: no select, nothing to leak.
    for role in (Role.AGENCY_STAFF, Role.ENTERPRISE_USER):
        response = client_for(role).get("/diagnostics/", {"agency": world.other_agency.pk})
        assert "agency" not in response.context["listing"].filters.form.fields
        assert world.other_agency.name not in response.content.decode()


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF])
def test_the_list_costs_the_same_at_two_sizes(world, client_for, role):
    requested(world)
    assert_flat(client_for(role), "/diagnostics/", grow=lambda: _more(world, 3))


def test_the_enterprises_list_costs_the_same_at_two_sizes(world, client_for):
    first = requested(world)

    def grow():
        for _ in range(3):
            Diagnosis.objects.create(
                enterprise=world.enterprise,
                agency=world.agency,
                needs="再次诊断",
                contact_name="梁经理",
                contact_mobile="13800138000",
                requested_by=first.requested_by,
            )

    assert_flat(client_for(Role.ENTERPRISE_USER), "/diagnostics/", grow=grow)


def test_the_experts_list_costs_the_same_at_two_sizes(world, client_for):
    scheduled(world)
    leader = leader_of(world)

    def grow():
        from manyi.diagnostics.models import DiagnosticExpert

        _more(world, 3, prefix="专家看的企业")
        for diagnosis in Diagnosis.objects.filter(enterprise__name__startswith="专家看的企业"):
            DiagnosticExpert.objects.create(
                diagnosis=diagnosis, expert=leader, is_leader=True, added_by=leader
            )

    assert_flat(client_for(leader), "/diagnostics/", grow=grow)
