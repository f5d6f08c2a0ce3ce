"""The list toolkit (common.listing) on the application list: filters in the URL, sorting,
paging, bad values ignored, and a page that costs the same at two sizes."""

import pytest

from manyi.accounts.roles import Role
from manyi.applications.models import Application
from tests.applications.helpers import make_application, open_campaign
from tests.factories import OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db


def _submitted(world, n, *, agency=None, prefix="企业"):
    campaign = open_campaign(agencies=[world.agency, world.other_agency])
    made = []
    for i in range(n):
        org = OrganisationFactory(name=f"{prefix}{i:03d}有限公司", agency=agency or world.agency)
        a = make_application(
            world, "brand", organisation=org, campaign=campaign, status="submitted"
        )
        Application.objects.filter(pk=a.pk).update(
            agency=agency or world.agency,
            number=f"PP{len(made) + 1:04d}-{prefix}",
            submitted_at=campaign.opens_at,
        )
        made.append(a)
    return made


def _rows(response):
    return response.content.decode().count(
        'href="/applications/'
    ) - response.content.decode().count('href="/applications/new')


def test_staff_filter_search_sort_and_page_through_the_url(world, client_for):
    _submitted(world, 55, prefix="甲")
    _submitted(world, 3, agency=world.other_agency, prefix="乙")
    client = client_for(Role.COMMITTEE_STAFF)
    first = client.get("/applications/")
    assert first.status_code == 200
    assert first.context["listing"].total == 58
    assert len(first.context["page"].object_list) == 50
    second = client.get("/applications/?page=2")
    assert len(second.context["page"].object_list) == 8
    assert not {a.pk for a in first.context["page"]} & {a.pk for a in second.context["page"]}

    by_agency = client.get(f"/applications/?agency={world.other_agency.pk}")
    assert by_agency.context["listing"].total == 3
    found = client.get("/applications/?q=乙001")
    assert [a.organisation.name for a in found.context["page"]] == ["乙001有限公司"]

    ordered = client.get("/applications/?sort=-organisation")
    names = [a.organisation.name for a in ordered.context["page"]]
    assert names == sorted(names, reverse=True)
    # The pager keeps the filter and the sort; the sort link keeps the filter.
    paged = client.get("/applications/?category=brand&sort=organisation")
    html = paged.content.decode()
    assert "category=brand&amp;sort=organisation&amp;page=2" in html
    assert 'href="?category=brand&amp;sort=-organisation"' in html


@pytest.mark.parametrize(
    "query",
    [
        "agency=99999999999999999999",
        "agency=١٢",
        "campaign=abc",
        "status=nonsense",
        "submitted_after=2026-13-45",
        "sort=password",
        "page=-3",
        "q=" + "长" * 500,
    ],
)
def test_a_bad_value_is_ignored_not_a_500(world, client_for, query):
    _submitted(world, 2)
    response = client_for(Role.COMMITTEE_STAFF).get(f"/applications/?{query}")
    assert response.status_code == 200


def test_an_agency_does_not_get_a_filter_it_could_only_narrow_to_itself(world, client_for):
    _submitted(world, 2)
    response = client_for(Role.AGENCY_STAFF).get(f"/applications/?agency={world.other_agency.pk}")
    assert "agency" not in response.context["listing"].filters.form.fields
    assert response.context["listing"].total == 2


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF, Role.WORKDEPT_STAFF])
def test_the_application_list_costs_the_same_at_two_sizes(world, client_for, role):
    _submitted(world, 3, prefix="小")
    assert_flat(client_for(role), "/applications/", grow=lambda: _submitted(world, 30, prefix="大"))


def test_the_applicants_list_costs_the_same_at_two_sizes(world, client_for):
    campaign = open_campaign(agencies=[world.agency])
    make_application(world, "brand", campaign=campaign)

    def grow():  # earlier years: what may be started this year stays the same
        for year in (2021, 2022, 2023):
            earlier = open_campaign(year=year, agencies=[world.agency])
            for category in ("quality", "service"):
                make_application(world, category, campaign=earlier)

    assert_flat(client_for(Role.ENTERPRISE_USER), "/applications/", grow=grow)


def test_the_submission_date_range_narrows_by_day(world, client_for):
    made = _submitted(world, 3)
    Application.objects.filter(pk=made[0].pk).update(submitted_at="2026-03-02T10:00:00+08:00")
    client = client_for(Role.COMMITTEE_STAFF)
    one_day = client.get("/applications/?submitted_after=2026-03-02&submitted_before=2026-03-02")
    assert [a.pk for a in one_day.context["page"]] == [made[0].pk]
    html = one_day.content.decode()
    assert 'name="submitted_after"' in html and 'type="date"' in html


@pytest.mark.parametrize("multiple", [False, True])
def test_a_filter_select_drawn_in_python_is_the_html_django_would_draw(multiple):
    """The filter bar's selects skip Django's per-option templates (listing._DrawnInPython):
    the same HTML, escaping and selection included, optgroups too."""
    from django import forms

    from manyi.common.listing import _drawn_in_python

    stock_class = forms.SelectMultiple if multiple else forms.Select
    choices = [
        ("", "全部"),
        ("a&b", "<甲> & 乙"),
        ("组", [("1", "一"), ("2", '二"')]),
        ("3", "三"),
    ]
    value = ["a&b", "2"] if multiple else "2"
    attrs = {"class": "form-select form-select-sm", "id": "id_x", "required": True}
    stock = stock_class(attrs=attrs, choices=choices).render("x", value)
    drawn = _drawn_in_python(stock_class)(attrs=attrs, choices=choices).render("x", value)

    from django.test.html import parse_html

    assert parse_html(drawn) == parse_html(stock)  # as assertHTMLEqual compares
    assert "&lt;甲&gt; &amp; 乙" in drawn and 'value="a&amp;b"' in drawn
