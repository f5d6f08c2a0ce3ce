"""The training lists (common.listing): classes, employees' files and yearly plans filter,
search and sort through the URL, ignore bad values and cost the same number of queries at two
sizes, per role; the enrol form's picker finds people among thousands."""

from decimal import Decimal

import pytest

from manyi.accounts.roles import Role
from manyi.training import plans
from manyi.training.models import Employee
from tests.agencies.factories import confirmed_member
from tests.query_guard import assert_flat
from tests.training.factories import enrolled, make_class, make_employee

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "organiser=99999999999999999999&topic=x&scope=x&state=x&sort=password&q=" + "长" * 300,
    "date_from=2026-13-45&date_to=x&year=²&organisation=١٢&sort=-nope&people_page=-1&who=²",
)
URLS = ("/training/", "/training/employees/", "/training/plans/")
ROLES = (Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.WORKDEPT_STAFF)


def _plan(world, year, organisation=None):
    item = {
        "topic": "tqm",
        "title": "全面质量管理",
        "month": 3,
        "audience": "全体",
        "people": 5,
        "hours": Decimal("4"),
    }
    organisation = organisation or world.enterprise
    by = world.users[Role.ENTERPRISE_USER] if organisation == world.enterprise else world.outsider
    plans.save_plan(by=by, organisation=organisation, year=year, aims="目标", items=[item])


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ROLES)
def test_bad_values_are_ignored_not_a_500(world, client_for, role, url, query):
    make_class(world)
    assert client_for(role).get(f"{url}?{query}").status_code == 200


def test_the_class_list_sorts_and_filters_by_organiser(world, client_for):
    make_class(world, title="乙班", hours=Decimal("2"))
    make_class(world, title="甲班", hours=Decimal("6"))
    client = client_for(Role.ENTERPRISE_USER)
    by_hours = client.get("/training/?sort=-hours").context["page"]
    assert [c.title for c in by_hours] == ["甲班", "乙班"]
    mine = client.get("/training/", {"organiser": world.agency.pk})
    assert mine.context["listing"].total == 2
    assert client.get("/training/?q=丙班").context["listing"].total == 0
    assert "没有符合筛选条件的培训班" in client.get("/training/?q=丙班").content.decode()


def test_only_an_enterprise_gets_the_scope_filter(world, client_for):
    make_class(world)
    staff = client_for(Role.WORKDEPT_STAFF).get("/training/?scope=mine")
    assert "scope" not in staff.context["listing"].filters.form.fields
    assert staff.context["listing"].total == 1
    enterprise = client_for(Role.ENTERPRISE_USER).get("/training/?scope=mine")
    assert enterprise.context["listing"].total == 0


def test_the_employee_list_filters_by_state_and_sorts(world, client_for):
    make_employee(world, "王芳", department="客服部")
    gone = make_employee(world, "李明", department="生产部")
    Employee.objects.filter(pk=gone.pk).update(is_active=False)
    client = client_for(Role.ENTERPRISE_USER)
    left = client.get("/training/employees/", {"state": "left"})
    assert [e.name for e in left.context["page"]] == ["李明"]
    by_department = client.get("/training/employees/?sort=-department").context["page"]
    assert [e.name for e in by_department] == ["李明", "王芳"]


def test_the_organisation_select_offers_only_what_the_user_reads(world, client_for):
    confirmed_member(world.enterprise, world.agency)
    make_employee(world, "李明")
    make_employee(world, "赵强", organisation=world.other_enterprise)
    agency = client_for(Role.AGENCY_STAFF).get("/training/employees/")
    # One member: no select; its people only.
    assert "organisation" not in agency.context["listing"].filters.form.fields
    assert [e.name for e in agency.context["page"]] == ["李明"]
    confirmed_member(world.other_enterprise, world.agency)
    both = client_for(Role.AGENCY_STAFF).get("/training/employees/")
    offered = set(both.context["listing"].filters.form.fields["organisation"].queryset)
    assert offered == {world.enterprise, world.other_enterprise}
    # Programme staff read the whole city: no select, a search by the organisation's name.
    staff = client_for(Role.WORKDEPT_STAFF).get("/training/employees/", {"q": "白云"})
    assert "organisation" not in staff.context["listing"].filters.form.fields
    assert [e.name for e in staff.context["page"]] == ["赵强"]


def test_the_plan_list_filters_by_year_and_searches(world, client_for):
    _plan(world, 2025)
    _plan(world, 2026)
    _plan(world, 2026, organisation=world.other_enterprise)
    staff = client_for(Role.WORKDEPT_STAFF)
    this = staff.get("/training/plans/", {"year": 2026})
    assert this.context["listing"].total == 2
    found = staff.get("/training/plans/", {"q": "白云", "year": 2026})
    assert [p.organisation for p in found.context["page"]] == [world.other_enterprise]
    own = client_for(Role.ENTERPRISE_USER).get("/training/plans/")
    assert own.context["listing"].filters.form.fields["year"].choices[1:] == [
        (2026, 2026),
        (2025, 2025),
    ]


def test_the_enrol_picker_searches_and_pages(world, client_for):
    training_class = make_class(world)
    Employee.objects.bulk_create(
        Employee(organisation=world.enterprise, name=f"职工{i:03d}", department="生产部")
        for i in range(55)
    )
    make_employee(world, "特别的人", department="客服部")
    client = client_for(Role.ENTERPRISE_USER)
    url = f"/training/classes/{training_class.pk}/"
    page = client.get(url)
    assert page.context["picker"].total == 56
    assert page.content.decode().count('name="employees"') == 50
    second = client.get(url, {"people_page": 2}).content.decode()
    assert second.count('name="employees"') == 6
    found = client.get(url, {"who": "客服"})
    assert [e.name for e in found.context["picker"].page] == ["特别的人"]
    assert "特别的人（客服部）" in found.content.decode()
    none = client.get(url, {"who": "没有这个人"}).content.decode()
    assert 'data-empty="picker"' in none


def test_the_enrol_picker_enrols_the_ticked(world, client_for):
    training_class = make_class(world)
    first = make_employee(world, "李明")
    make_employee(world, "王芳")
    client = client_for(Role.ENTERPRISE_USER)
    client.post(f"/training/classes/{training_class.pk}/enrol/", {"employees": [first.pk]})
    page = client.get(f"/training/classes/{training_class.pk}/")
    assert [e.name for e in page.context["picker"].page] == ["王芳"]


@pytest.mark.parametrize("role", ROLES)
def test_the_class_list_costs_the_same_at_two_sizes(world, client_for, role):
    confirmed_member(world.enterprise, world.agency)
    make_class(world, title="第一个班")

    def grow():
        for n in range(2, 5):
            enrolled(world, make_class(world, title=f"第{n}个班"), names=(f"学员{n}",))

    assert_flat(client_for(role), "/training/", grow=grow)


@pytest.mark.parametrize("role", ROLES)
def test_the_employee_list_costs_the_same_at_two_sizes(world, client_for, role):
    confirmed_member(world.enterprise, world.agency)
    make_employee(world, "第一人")

    def grow():
        for n in range(2, 5):
            enrolled(world, make_class(world, title=f"第{n}个班"), names=(f"学员{n}",))

    assert_flat(client_for(role), "/training/employees/", grow=grow)


@pytest.mark.parametrize("role", ROLES)
def test_the_plan_list_costs_the_same_at_two_sizes(world, client_for, role):
    confirmed_member(world.enterprise, world.agency)
    _plan(world, 2024)

    def grow():
        for year in (2025, 2026, 2027):
            _plan(world, year)

    assert_flat(client_for(role), "/training/plans/", grow=grow)


def test_the_enrol_picker_costs_the_same_at_two_sizes(world, client_for):
    training_class = make_class(world)
    make_employee(world, "第一人")

    def grow():
        for n in range(2, 6):
            make_employee(world, f"职工{n}", department="生产部", position="质检员")

    url = f"/training/classes/{training_class.pk}/"
    assert_flat(client_for(Role.ENTERPRISE_USER), url, grow=grow)
