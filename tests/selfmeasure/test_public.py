"""The collection link /q/<token>/: the questionnaire, one response per browser, the limit per
address, quality flags, and a clear page for every link that takes no answer."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from manyi.selfmeasure.collection import COOKIE, RESPONSES_PER_HOUR, start_stamp
from manyi.selfmeasure.models import OwnResponse, OwnSurvey, OwnSurveyStatus
from tests.fieldwork.factories import form_data
from tests.selfmeasure.factories import own_survey, simulated_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return own_survey(world)


def url(survey) -> str:
    return f"/q/{survey.token}/"


def submit(client, survey, answers, **extra):
    page = client.get(url(survey))
    started = page.context["started"]
    return client.post(url(survey), {**form_data(answers), "started": started, **extra})


def test_the_page_shows_the_questionnaire_and_gives_the_browser_a_cookie(client, survey, world):
    response = client.get(url(survey))

    page = response.content.decode()
    assert response.status_code == 200
    assert f"请您评价{world.enterprise.name}" in page
    assert "您是否为该企业的用户？" in page
    assert 'name="q_sat1"' in page
    assert f"本调查由{world.enterprise.name}自主开展" in page
    cookie = response.cookies[COOKIE]
    assert len(cookie.value) >= 30
    assert cookie["httponly"]
    assert cookie["path"] == "/q/"


def test_a_complete_response_is_stored_once_per_browser(client, survey):
    first, second = simulated_answers(survey.questionnaire, n=2, seed=41)

    response = submit(client, survey, first)

    assert response.status_code == 200
    assert "问卷已提交，感谢您的参与" in response.content.decode()
    stored = OwnResponse.objects.get()
    assert stored.answers["sat1"] == first["sat1"]
    # Answered at once: the page was opened a moment ago.
    assert stored.flags == ["too_fast"]
    again = client.get(url(survey))
    assert "问卷已经提交" in again.content.decode()
    posted_again = client.post(url(survey), form_data(second))
    assert "问卷已经提交" in posted_again.content.decode()
    assert OwnResponse.objects.count() == 1


def test_a_response_answered_over_minutes_is_clean(client, survey):
    answers = simulated_answers(survey.questionnaire, n=1, seed=42)[0]
    client.get(url(survey))
    stamp = start_stamp(survey, timezone.now() - dt.timedelta(minutes=8))
    client.post(url(survey), {**form_data(answers), "started": stamp})

    assert OwnResponse.objects.get().flags == []


def test_a_forged_start_counts_as_too_fast(client, survey):
    answers = simulated_answers(survey.questionnaire, n=1, seed=43)[0]
    client.get(url(survey))
    client.post(url(survey), {**form_data(answers), "started": "forged"})

    assert OwnResponse.objects.get().flags == ["too_fast"]


def test_missing_answers_are_said_and_nothing_is_stored(client, survey):
    answers = simulated_answers(survey.questionnaire, n=1, seed=44)[0]
    del answers["sat1"]

    response = submit(client, survey, answers)

    page = response.content.decode()
    assert response.status_code == 200
    assert "还有 1 道题需要回答或更正" in page
    assert "请回答此题" in page
    assert not OwnResponse.objects.exists()


def test_the_address_limit_refuses_politely(client, survey):
    answers = simulated_answers(survey.questionnaire, n=RESPONSES_PER_HOUR + 1, seed=45)
    for i, one in enumerate(answers[:RESPONSES_PER_HOUR]):
        client.cookies[COOKIE] = f"browser-{i}"
        assert "问卷已提交" in submit(client, survey, one).content.decode()
    client.cookies[COOKIE] = "one-more"

    response = submit(client, survey, answers[-1])

    assert f"同一网络地址每小时最多提交 {RESPONSES_PER_HOUR} 份问卷" in response.content.decode()
    assert OwnResponse.objects.count() == RESPONSES_PER_HOUR


def test_a_screened_out_visitor_is_thanked_and_not_counted(client, survey):
    response = submit(client, survey, {"screen_customer": False})

    assert "仅面向使用过" in response.content.decode()
    assert OwnResponse.objects.get().excluded is True


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"status": OwnSurveyStatus.CLOSED}, 410, "调查已结束"),
        ({"closes_on": dt.date(2020, 1, 31), "opens_on": dt.date(2020, 1, 1)}, 410, "调查已截止"),
        ({"opens_on": dt.date(2099, 1, 1), "closes_on": dt.date(2099, 2, 1)}, 200, "调查尚未开始"),
    ],
)
def test_a_link_that_takes_no_answer_says_why(client, survey, world, change, status, words):
    OwnSurvey.objects.filter(pk=survey.pk).update(**change)
    answers = simulated_answers(survey.questionnaire, n=1, seed=46)[0]

    for response in (client.get(url(survey)), client.post(url(survey), form_data(answers))):
        assert response.status_code == status
        assert words in response.content.decode()
        assert world.enterprise.name in response.content.decode()
    assert not OwnResponse.objects.exists()


def test_an_unknown_link_is_a_clear_404(client):
    response = client.get("/q/not-a-real-token/")

    assert response.status_code == 404
    assert "链接无效" in response.content.decode()


def test_the_questionnaire_is_in_english_for_an_english_visitor(client, survey):
    with translation.override("en"):
        response = client.get(url(survey), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()

    assert "Question sat1" in page
    assert "您是否为该企业的用户？" not in page
