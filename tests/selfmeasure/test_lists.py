"""The enterprise's lists: the hub's sections and an own survey's flagged responses (common.
listing: filter by flag and judgement, sort, bad values ignored), each costing the same number
of queries at two sizes; the survey's counts come from one aggregate."""

import pytest

from manyi.accounts.roles import Role
from manyi.selfmeasure import services
from tests.query_guard import assert_flat
from tests.selfmeasure.factories import answer, fill, own_survey, simulated_answers

pytestmark = pytest.mark.django_db

BAD = "status=x&agency=١٢&page=-1&campaign=99999999999999999999"
MORE_BAD = (
    "flag=nope&excluded=maybe&sort=password&surveys=-1&runs=x",
    "sort=-nope&page=99999999999999999999&datasets=²&plans=99999999999999999999",
)


@pytest.fixture
def owner(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    return client


def _fast(survey, n, *, seed=70, prefix="fast"):
    """`n` responses answered in three seconds: each flagged 作答过快."""
    found = []
    for i, answers in enumerate(simulated_answers(survey.questionnaire, n=n, seed=seed)):
        found.append(answer(survey, answers, cookie=f"{prefix}-{i}", seconds=3))
    return found


@pytest.mark.parametrize("query", [BAD, *MORE_BAD])
def test_bad_values_are_ignored_not_a_500(world, owner, query):
    survey = own_survey(world)
    _fast(survey, 1)
    assert owner.get(f"/own/?{query}").status_code == 200
    assert owner.get(f"/own/surveys/{survey.pk}/?{query}").status_code == 200


def test_the_flagged_responses_filter_by_judgement_and_flag(world, owner):
    survey = own_survey(world)
    fill(survey, n=3, seed=71)
    left_out, kept = _fast(survey, 2)
    services.exclude_response(response=left_out, by=world.users[Role.ENTERPRISE_USER])
    url = f"/own/surveys/{survey.pk}/"
    everything = owner.get(url)
    assert everything.context["listing"].total == 2
    assert everything.context["flagged_count"] == 2
    assert everything.context["excluded_count"] == 1
    judged = owner.get(url, {"excluded": "yes"})
    assert [r.pk for r in judged.context["page"]] == [left_out.pk]
    assert owner.get(url, {"flag": "too_fast"}).context["listing"].total == 2
    duplicates = owner.get(url, {"flag": "duplicate"})
    assert duplicates.context["listing"].total == 0
    assert "没有符合筛选条件的回答" in duplicates.content.decode()
    oldest = owner.get(f"{url}?sort=submitted").context["page"]
    assert [r.pk for r in oldest] == [left_out.pk, kept.pk]


def test_the_survey_page_costs_the_same_at_two_sizes(world, owner):
    survey = own_survey(world)
    fill(survey, n=2, seed=72)
    _fast(survey, 1, prefix="first")

    def grow():
        fill(survey, n=5, seed=73, prefix="more")
        _fast(survey, 4, seed=74, prefix="later")

    assert_flat(owner, f"/own/surveys/{survey.pk}/", grow=grow)


def test_the_hub_costs_the_same_at_two_sizes(world, owner):
    own_survey(world)

    def grow():
        for n in range(3):
            survey = own_survey(world, title=f"第{n}次自评")
            _fast(survey, 1, seed=80 + n, prefix=f"hub-{n}")

    assert_flat(owner, "/own/", grow=grow)
