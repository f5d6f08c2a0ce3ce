"""The web survey: personal links, the public questionnaire page, autosave and submission."""

import datetime
import hashlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from manyi.common.models import ActivityLog
from manyi.fieldwork.models import ContactStatus, Response, SampledContact, SurveyStatus
from manyi.fieldwork.web.links import FIELD_TIMEZONE
from manyi.fieldwork.web.services import issue_link
from tests.fieldwork.factories import answers_for, form_data, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world, category="brand")


@pytest.fixture
def contact(survey):
    return survey.contacts.filter(is_reserve=False).order_by("position").first()


def answer_url(token):
    return reverse("survey:answer", args=[token])


def save_url(token):
    return reverse("survey:save", args=[token])


def complete_form(survey, **overrides):
    data = form_data(answers_for(survey.questionnaire))
    data.update(overrides)
    return data


# --- links -------------------------------------------------------------------------------


def test_a_link_keeps_only_the_hash_of_its_token(contact):
    token = issue_link(contact=contact)
    stored = SampledContact.objects.get(pk=contact.pk)
    assert len(token) >= 43  # 32 random bytes
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SampledContact.objects.filter(pk=contact.pk).values().get())


def test_a_link_works_until_the_end_of_the_last_field_day_in_beijing(contact):
    issue_link(contact=contact)
    stored = SampledContact.objects.get(pk=contact.pk)
    closes = contact.survey.field_closes
    expected = datetime.datetime.combine(
        closes + datetime.timedelta(days=1), datetime.time.min, tzinfo=FIELD_TIMEZONE
    )
    assert stored.token_expires_at == expected


def test_a_new_link_replaces_the_old_one_and_keeps_the_answers_so_far(client, contact):
    old = issue_link(contact=contact)
    client.post(save_url(old), {"q_screen_customer": "yes"})
    new = issue_link(contact=contact)
    assert client.get(answer_url(old)).status_code == 404
    page = client.get(answer_url(new))
    assert page.status_code == 200
    assert SampledContact.objects.get(pk=contact.pk).draft_answers == {"screen_customer": True}
    assert 'id="q_screen_customer-yes" value="yes" checked' in page.content.decode()


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_who_surveys_whom_and_the_questions(client, contact, world):
    token = issue_link(contact=contact)
    page = client.get(answer_url(token))
    html = page.content.decode()
    assert page.status_code == 200
    assert world.enterprise.name in html
    assert world.survey_firm.name in html
    assert "第二十二条" in html
    assert "不会单独提供给被评价单位" in html
    assert 'name="q_screen_customer"' in html
    assert "主导航" not in html  # no staff navigation for the respondent
    assert not page.cookies  # the link is the only credential: nothing is set


def test_opening_the_page_starts_the_clock_once(client, contact):
    token = issue_link(contact=contact)
    client.get(answer_url(token))
    first = SampledContact.objects.get(pk=contact.pk).draft_started_at
    client.get(answer_url(token))
    assert first is not None
    assert SampledContact.objects.get(pk=contact.pk).draft_started_at == first


def test_autosave_stores_the_draft(client, contact):
    token = issue_link(contact=contact)
    reply = client.post(save_url(token), {"q_screen_customer": "yes", "q_screen_used": "yes"})
    stored = SampledContact.objects.get(pk=contact.pk)
    assert reply.status_code == 200
    assert "已自动保存" in reply.content.decode()
    assert stored.draft_answers == {"screen_customer": True, "screen_used": True}
    assert stored.draft_started_at is not None
    assert not Response.objects.exists()


def test_autosave_leaves_out_an_answer_that_is_not_a_choice(client, contact, survey):
    token = issue_link(contact=contact)
    score = next(q["code"] for q in survey.questionnaire.questions if q["kind"] == "score")
    client.post(save_url(token), {"q_screen_customer": "yes", f"q_{score}": "99"})
    assert SampledContact.objects.get(pk=contact.pk).draft_answers == {"screen_customer": True}


def test_submitting_with_missing_answers_shows_the_errors_and_stores_nothing(
    client, contact, survey
):
    token = issue_link(contact=contact)
    data = complete_form(survey)
    score = next(q["code"] for q in survey.questionnaire.questions if q["kind"] == "score")
    del data[f"q_{score}"]
    page = client.post(answer_url(token), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="error-summary"' in html
    assert f'id="err-{score}"' in html
    assert "请回答此题" in html
    assert not Response.objects.exists()
    stored = SampledContact.objects.get(pk=contact.pk)
    assert stored.status == ContactStatus.PENDING
    assert stored.draft_answers["screen_customer"] is True  # kept for the next try


def test_a_complete_questionnaire_is_stored_once_from_the_web(client, contact, survey):
    token = issue_link(contact=contact)
    client.get(answer_url(token))
    page = client.post(answer_url(token), complete_form(survey))
    assert page.status_code == 200
    assert 'data-outcome="thanks"' in page.content.decode()
    response = Response.objects.get()
    assert response.contact_id == contact.pk
    assert response.channel == "web"
    assert response.interviewer is None
    stored = SampledContact.objects.get(pk=contact.pk)
    assert stored.status == ContactStatus.COMPLETED
    assert stored.draft_answers == {}
    entry = ActivityLog.objects.get(action="response.record")
    assert entry.actor is None
    assert entry.actor_label == "网上问卷受访者"
    assert token not in str(entry.after)


def test_a_second_submission_sees_the_already_answered_page(client, contact, survey):
    token = issue_link(contact=contact)
    client.post(answer_url(token), complete_form(survey))
    again = client.post(answer_url(token), complete_form(survey))
    assert again.status_code == 200
    assert 'data-outcome="answered"' in again.content.decode()
    assert Response.objects.count() == 1
    assert 'data-outcome="answered"' in client.get(answer_url(token)).content.decode()


def test_a_failed_screening_question_ends_the_questionnaire_politely(client, contact, survey):
    token = issue_link(contact=contact)
    page = client.post(answer_url(token), {"q_screen_customer": "no"})
    assert 'data-outcome="screened-out"' in page.content.decode()
    assert "本次调查仅面向" in page.content.decode()
    response = Response.objects.get()
    assert response.screening_passed is False
    assert SampledContact.objects.get(pk=contact.pk).status == ContactStatus.INELIGIBLE


def test_the_public_posts_need_no_csrf_cookie(contact, survey):
    token = issue_link(contact=contact)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(save_url(token), {"q_screen_customer": "yes"}).status_code == 200
    assert strict.post(answer_url(token), complete_form(survey)).status_code == 200
    assert Response.objects.count() == 1


# --- links that cannot be answered ---------------------------------------------------------


def test_an_unknown_token_is_a_friendly_404(client):
    for url in (answer_url("not-a-real-token"), answer_url("x" * 500)):
        page = client.get(url)
        assert page.status_code == 404
        assert "链接无效" in page.content.decode()
    assert client.post(answer_url("not-a-real-token"), {}).status_code == 404


def test_an_expired_link_stores_nothing(client, contact, survey):
    token = issue_link(contact=contact)
    SampledContact.objects.filter(pk=contact.pk).update(
        token_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.post(answer_url(token), complete_form(survey))
    assert page.status_code == 410
    assert "链接已过期" in page.content.decode()
    assert client.post(save_url(token), {"q_screen_customer": "yes"}).status_code == 410
    assert not Response.objects.exists()
    assert SampledContact.objects.get(pk=contact.pk).draft_answers == {}


def test_a_closed_survey_takes_no_answers(client, contact, survey):
    token = issue_link(contact=contact)
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    page = client.post(answer_url(token), complete_form(survey))
    assert page.status_code == 410
    assert "调查已结束" in page.content.decode()
    assert not Response.objects.exists()


def test_a_contact_done_by_telephone_sees_the_answered_page(client, contact):
    token = issue_link(contact=contact)
    SampledContact.objects.filter(pk=contact.pk).update(status=ContactStatus.REFUSED)
    page = client.get(answer_url(token))
    assert 'data-outcome="answered"' in page.content.decode()
    assert SampledContact.objects.get(pk=contact.pk).draft_started_at is None


# --- two submissions at the same moment ------------------------------------------------------

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_submissions_of_one_token_at_the_same_moment_store_one_response(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    survey = make_survey(world, category="brand")
    contact = survey.contacts.filter(is_reserve=False).first()
    token = issue_link(contact=contact)
    data = complete_form(survey)
    barrier = threading.Barrier(THREADS)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            page = Client().post(answer_url(token), data)
            html = page.content.decode()
            outcomes.append("thanks" if 'data-outcome="thanks"' in html else "answered")
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["answered"] * (THREADS - 1) + ["thanks"]
    assert Response.objects.filter(contact=contact).count() == 1


# --- cost -----------------------------------------------------------------------------------


def test_the_page_and_a_submission_cost_a_fixed_few_queries(
    client, contact, survey, django_assert_max_num_queries
):
    """The busiest fieldwork page: no column the page or record_response reads is deferred."""
    token = issue_link(contact=contact)
    with django_assert_max_num_queries(2):  # the link, and the start of answering
        client.get(answer_url(token))
    # the link, the survey held open, the duplicate check, the writes (savepoint, response,
    # contact, log, release)
    with django_assert_max_num_queries(9):
        page = client.post(answer_url(token), complete_form(survey))
    assert 'data-outcome="thanks"' in page.content.decode()
