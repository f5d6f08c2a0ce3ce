"""The survey on the application page: "under way" for the applicant and its agency until the
result is released, then the index against the threshold; programme staff from closing on."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.fieldwork.results.services import release_result
from manyi.fieldwork.results.summary import survey_result
from tests.fieldwork.results_helpers import answered_survey, closed

pytestmark = pytest.mark.django_db

UNDER_WAY = "第三方用户评价调查进行中"


def page(client_for, survey, who) -> str:
    response = client_for(who).get(reverse("applications:detail", args=[survey.application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def index_text(survey) -> str:
    return f"{survey_result(survey).index:.1f}"


@pytest.mark.parametrize("who", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_the_applicant_side_sees_only_that_the_survey_is_under_way(world, client_for, who):
    survey = answered_survey(world, n=5)

    html = page(client_for, survey, who)

    assert UNDER_WAY in html
    assert "data-figure" not in html


@pytest.mark.parametrize("who", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_a_closed_survey_stays_under_way_for_the_applicant_side_until_released(
    world, client_for, who
):
    survey = closed(world, score=9)

    html = page(client_for, survey, who)

    assert UNDER_WAY in html
    assert index_text(survey) not in html
    assert "data-verdict" not in html


@pytest.mark.parametrize("who", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_the_released_result_shows_the_index_against_the_threshold(world, client_for, who):
    survey = closed(world, score=9, complaints=4)
    release_result(survey=survey, by=world.users[Role.COMMITTEE_STAFF])

    html = page(client_for, survey, who)

    assert UNDER_WAY not in html
    assert index_text(survey) in html
    assert 'data-verdict="reached"' in html
    assert "达到满意度门槛" in html
    assert "10.0%" in html  # 4 of 40 respondents complained
    assert "网上问卷 20" in html
    # Never an individual answer, a contact, or the way to the survey's own page.
    assert reverse("fieldwork:survey_detail", args=[survey.pk]) not in html
    assert "customer1@example.cn" not in html


def test_an_applicant_below_the_threshold_is_told_so(world, client_for):
    survey = closed(world, score=5, organisation=world.other_enterprise, phone_base=13800000000)
    release_result(survey=survey, by=world.users[Role.COMMITTEE_STAFF])

    html = page(client_for, survey, world.outsider)  # the other enterprise's own user

    assert 'data-verdict="not_reached"' in html
    assert "未达到满意度门槛" in html
    assert index_text(survey) in html


def test_programme_staff_see_the_result_from_closing_with_a_link_to_the_survey(world, client_for):
    survey = closed(world, score=9)

    html = page(client_for, survey, Role.WORKDEPT_STAFF)

    assert index_text(survey) in html
    assert 'data-verdict="reached"' in html
    assert reverse("fieldwork:survey_detail", args=[survey.pk]) in html


def test_programme_staff_see_the_state_before_closing(world, client_for):
    survey = answered_survey(world, n=5)

    html = page(client_for, survey, Role.COMMITTEE_STAFF)

    assert "调查中" in html
    assert "data-verdict" not in html
    assert reverse("fieldwork:survey_detail", args=[survey.pk]) in html


def test_an_application_without_a_survey_shows_nothing_of_it(world, client_for):
    from tests.applications.helpers import make_application

    application = make_application(world, "brand", status="accepted")

    response = client_for(Role.ENTERPRISE_USER).get(
        reverse("applications:detail", args=[application.pk])
    )

    assert 'id="survey-result"' not in response.content.decode()
