"""The frame of a spot check: who belongs to each population, the risk factors read for each,
the weights, and the number of queries (flat, whatever the size)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from manyi.accounts.roles import OrgKind
from manyi.applications.states import Status
from manyi.supervision.models import ComplaintStatus
from manyi.supervision.spotchecks import frame as frame_module
from manyi.supervision.spotchecks.frame import Filters, load_frame, risk_weight, risk_words
from manyi.titles.models import TitleStatus
from tests.applications.helpers import make_application
from tests.factories import OrganisationFactory
from tests.reviews.factories import granted_title
from tests.supervision.factories_spotchecks import complain, titles, violate
from tests.titles.decision_helpers import past_campaign, with_index

pytestmark = pytest.mark.django_db


def holders(**kwargs):
    return load_frame(Filters(population="title_holders", **kwargs))


# ------------------------------------------------------------------------------------------
# Populations


def test_title_holders_are_the_valid_titles_in_a_stable_order(world):
    made = titles(world, 3)
    made[1].status = TitleStatus.REVOKED
    made[1].save(update_fields=["status"])
    members = holders()
    assert [(m.organisation, m.title) for m in members] == sorted(
        (t.organisation_id, t.pk) for t in (made[0], made[2])
    )


def test_title_holders_filtered_by_year_category_and_agency(world):
    old = titles(world, 1, campaign=past_campaign(years_ago=5))[0]
    recent = titles(world, 1, category="service", campaign=past_campaign(years_ago=3))[0]
    other = OrganisationFactory(name="其他推荐企业", agency=world.other_agency)
    by_other = granted_title(
        world, "service", organisation=other, campaign=recent.application.campaign
    )
    assert {m.title for m in holders(year=old.year)} == {old.pk}
    assert {m.title for m in holders(category="service")} == {recent.pk, by_other.pk}
    assert {m.title for m in holders(agency=world.other_agency.pk)} == {by_other.pk}
    assert holders(year=old.year, category="service") == []


def test_participants_have_an_application_at_or_after_submission(world):
    campaign = past_campaign()
    draft = make_application(world, "brand", organisation=OrganisationFactory(), campaign=campaign)
    submitted_org = OrganisationFactory(agency=world.agency)
    make_application(
        world, "brand", organisation=submitted_org, campaign=campaign, status="submitted"
    )
    awarded = titles(world, 1, campaign=campaign)[0]
    members = load_frame(Filters(population="participants", year=campaign.year))
    organisations = [m.organisation for m in members]
    assert organisations == sorted([submitted_org.pk, awarded.organisation_id])
    assert draft.organisation_id not in organisations
    assert all(m.title is None for m in members)


def test_an_organisation_with_two_applications_is_one_participant(world):
    org = OrganisationFactory(agency=world.agency)
    make_application(
        world, "brand", organisation=org, campaign=past_campaign(4), status="submitted"
    )
    make_application(
        world, "service", organisation=org, campaign=past_campaign(3), status=Status.NOT_RECOMMENDED
    )
    members = load_frame(Filters(population="participants"))
    assert [m.organisation for m in members].count(org.pk) == 1


def test_agencies_all_or_those_that_recommended_in_the_year(world):
    campaign = past_campaign()
    titles(world, 1, campaign=campaign)  # recommended by world.agency
    everyone = load_frame(Filters(population="agencies"))
    assert [m.organisation for m in everyone] == sorted([world.agency.pk, world.other_agency.pk])
    that_year = load_frame(Filters(population="agencies", year=campaign.year))
    assert [m.organisation for m in that_year] == [world.agency.pk]
    one = load_frame(Filters(population="agencies", agency=world.other_agency.pk))
    assert [m.organisation for m in one] == [world.other_agency.pk]


def test_an_inactive_agency_is_not_in_the_frame(world):
    gone = OrganisationFactory(kind=OrgKind.AGENCY, name="已注销协会", is_active=False)
    assert gone.pk not in {m.organisation for m in load_frame(Filters(population="agencies"))}


# ------------------------------------------------------------------------------------------
# Risk factors and weights


def test_complaints_count_about_the_organisation_or_its_title_once_each(world):
    title = titles(world, 1)[0]
    complain(title=title)
    complain(organisation=title.organisation)
    complain(title=title, organisation=title.organisation)
    complain(title=title, status=ComplaintStatus.DISMISSED)
    (member,) = holders()
    assert member.risk["complaints"] == 3


def test_violations_and_title_age_are_read(world):
    start = timezone.localdate() - timedelta(days=730)
    title = granted_title(world, "product", campaign=past_campaign(), on=start)
    violate(world, title.organisation, title)
    (member,) = holders()
    assert member.risk["violations"] == 1
    assert member.risk["title_age"] == 2.0


def test_an_index_just_above_the_threshold_is_a_risk_one_well_above_is_not(world):
    near, far = titles(world, 2)
    with_index(world, near.application, 82.3)
    with_index(world, far.application, 91.0)
    risks = {m.title: m.risk for m in holders()}
    assert risks[near.pk]["near_threshold"] is True
    assert risks[near.pk]["index"] == 82.3
    assert risks[near.pk]["threshold"] == 80.0
    assert risks[far.pk]["near_threshold"] is False


def test_an_agency_answers_for_the_organisations_it_recommended(world):
    title = titles(world, 1)[0]  # recommended by world.agency
    complain(title=title)
    violate(world, title.organisation)
    members = {m.organisation: m for m in load_frame(Filters(population="agencies"))}
    assert members[world.agency.pk].risk["recommended_complaints"] == 1
    assert members[world.agency.pk].risk["recommended_violations"] == 1
    assert members[world.other_agency.pk].risk["recommended_complaints"] == 0


def test_unweighted_every_weight_is_one(world):
    title = titles(world, 1)[0]
    complain(title=title)
    (member,) = holders(weighted=False)
    assert member.weight == 1.0
    assert member.risk["complaints"] == 1


def test_the_weight_is_one_plus_each_factor_times_its_coefficient():
    risk = {"complaints": 2, "near_threshold": True, "title_age": 4.0, "violations": 1}
    expected = (
        1
        + 2 * frame_module.COMPLAINT
        + frame_module.NEAR_THRESHOLD
        + 4 * frame_module.TITLE_AGE_PER_YEAR
        + frame_module.VIOLATION
    )
    assert risk_weight(risk) == expected
    assert risk_weight({}) == 1.0


def test_weighted_members_carry_their_weight(world):
    risky, quiet = titles(world, 2)
    complain(title=risky)
    complain(title=risky)
    weights = {m.title: m.weight for m in holders(weighted=True)}
    assert weights[risky.pk] == 3.0
    assert weights[quiet.pk] == 1.0


def test_risk_in_words():
    words = risk_words(
        {
            "complaints": 2,
            "near_threshold": True,
            "index": 82.3,
            "threshold": 80.0,
            "title_age": 3.5,
        }
    )
    assert words == ["被投诉 2 件", "满意度指数 82.3，仅高于门槛 2.3 分", "称号已获 3.5 年"]
    assert risk_words({"complaints": 0, "violations": 0}) == []


def _queries(filters):
    with CaptureQueriesContext(connection) as captured:
        load_frame(filters)
    return len(captured.captured_queries)


@pytest.mark.parametrize("population", ["title_holders", "participants", "agencies"])
def test_the_frame_is_read_in_the_same_few_queries_whatever_its_size(world, population):
    first = titles(world, 2)
    complain(title=first[0])
    with_index(world, first[0].application, 83.0)
    small = _queries(Filters(population=population, weighted=True))
    more = titles(world, 6)
    for title in more:
        complain(title=title)
        violate(world, title.organisation)
        with_index(world, title.application, 84.0)
    OrganisationFactory(kind=OrgKind.AGENCY, name="新增推进机构")
    assert _queries(Filters(population=population, weighted=True)) == small
    assert small <= 6
