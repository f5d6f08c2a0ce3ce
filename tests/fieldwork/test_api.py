"""The survey firms' API: keys, scope, the sample's phones, idempotent batches, flags, schema."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.api.services import create_token, revoke_token
from manyi.fieldwork.models import Response, SurveyStatus
from tests.fieldwork.factories import answers_for, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world)


@pytest.fixture
def key(world):
    _token, key = create_token(
        firm=world.survey_firm, name="CATI", by=world.users[Role.SURVEY_MANAGER]
    )
    return key


def api(key=None):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def item(survey, contact, external_id="R-1", **answers_kw):
    now = timezone.now()
    return {
        "external_id": external_id,
        "contact_id": contact.pk,
        "started_at": (now - datetime.timedelta(minutes=12)).isoformat(),
        "submitted_at": now.isoformat(),
        "answers": answers_for(survey.questionnaire, **answers_kw),
    }


def test_without_a_valid_key_nothing_is_shown(world, survey, key, client_for):
    assert api().get("/api/v1/assignments/").status_code == 401
    assert api("wrong").get("/api/v1/assignments/").status_code == 401
    # A logged-in person's session is not a key.
    assert client_for(Role.SURVEY_MANAGER).get("/api/v1/assignments/").status_code == 401
    token = world.survey_firm.api_tokens.get()
    revoke_token(token=token, by=world.users[Role.SURVEY_MANAGER])
    assert api(key).get("/api/v1/assignments/").status_code == 401


def test_a_firm_sees_only_its_own_assignments(world, survey, key):
    other = make_survey(
        world, organisation=world.other_enterprise, campaign=survey.campaign, phone_base=13600000000
    )
    other.firm = world.other_firm
    other.save()
    listed = api(key).get("/api/v1/assignments/").json()
    assert [a["id"] for a in listed["results"]] == [survey.pk]
    assert listed["results"][0]["questions"]
    assert api(key).get(f"/api/v1/assignments/{other.pk}/").status_code == 404
    assert api(key).get(f"/api/v1/assignments/{other.pk}/sample/").status_code == 404


def test_phones_only_while_the_firm_makes_the_calls(world, survey, key):
    rows = api(key).get(f"/api/v1/assignments/{survey.pk}/sample/").json()["results"]
    assert rows and all(r["phone"] for r in rows)
    assert ActivityLog.objects.filter(action="api.sample_read", object_id=str(survey.pk)).exists()
    type(survey).objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    rows = api(key).get(f"/api/v1/assignments/{survey.pk}/sample/").json()["results"]
    assert rows and not any(r["phone"] for r in rows)


def test_batches_are_idempotent_by_the_firms_own_id(survey, key):
    first, second = survey.contacts.filter(is_reserve=False).order_by("position")[:2]
    batch = {"responses": [item(survey, first, "R-1"), item(survey, second, "R-2", score=6)]}
    answer = api(key).post(f"/api/v1/assignments/{survey.pk}/responses/", batch, format="json")
    assert answer.status_code == 200
    assert [r["status"] for r in answer.json()] == ["created", "created"]
    again = (
        api(key).post(f"/api/v1/assignments/{survey.pk}/responses/", batch, format="json").json()
    )
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["id"] for r in again] == [r["id"] for r in answer.json()]
    assert Response.objects.filter(survey=survey).count() == 2
    assert set(Response.objects.values_list("channel", flat=True)) == {"api"}


def test_bad_items_are_refused_one_by_one(world, survey, key):
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position")[:2])
    other = make_survey(
        world, organisation=world.other_enterprise, campaign=survey.campaign, phone_base=13600000000
    )
    stranger = other.contacts.first()
    incomplete = item(survey, contacts[1], "R-3")
    incomplete["answers"] = {"screen_customer": True}
    batch = {
        "responses": [item(survey, contacts[0], "R-1"), item(survey, stranger, "R-2"), incomplete]
    }
    results = (
        api(key).post(f"/api/v1/assignments/{survey.pk}/responses/", batch, format="json").json()
    )
    assert [r["status"] for r in results] == ["created", "error", "error"]
    assert "不属于本调查" in str(results[1]["errors"])
    assert "请回答此题" in str(results[2]["errors"])
    assert Response.objects.count() == 1


def test_a_malformed_batch_is_refused_whole(survey, key):
    for body in ({}, {"responses": []}, {"responses": [{"external_id": "x"}]}, {"responses": "x"}):
        assert (
            api(key)
            .post(f"/api/v1/assignments/{survey.pk}/responses/", body, format="json")
            .status_code
            == 400
        )
    assert not Response.objects.exists()


def test_no_answers_outside_the_field_period(world, key):
    survey = make_survey(world, status=SurveyStatus.SAMPLED)
    contact = survey.contacts.first()
    answer = api(key).post(
        f"/api/v1/assignments/{survey.pk}/responses/",
        {"responses": [item(survey, contact)]},
        format="json",
    )
    assert answer.status_code == 409
    assert not Response.objects.exists()


def test_flags_are_readable(survey, key):
    contact = survey.contacts.filter(is_reserve=False).first()
    flat = item(survey, contact, "R-9", vary=False)
    api(key).post(
        f"/api/v1/assignments/{survey.pk}/responses/", {"responses": [flat]}, format="json"
    )
    flags = api(key).get(f"/api/v1/assignments/{survey.pk}/flags/").json()["results"]
    assert flags[0]["external_id"] == "R-9" and "straightlining" in flags[0]["qc_flags"]


def test_requests_are_limited_per_key(settings, survey, key):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    cache.clear()
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {
        **api_settings.DEFAULT_THROTTLE_RATES,
        "firm_token": "3/min",
    }
    try:
        codes = [api(key).get("/api/v1/assignments/").status_code for _ in range(5)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]


def test_schema_and_documentation_are_served_here(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/assignments/{id}/responses/" in schema.content.decode()
    docs = client.get("/api/docs/").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn" not in docs.lower() and "https://" not in docs


def test_the_manager_creates_and_revokes_keys(world, client_for):
    client = client_for(Role.SURVEY_MANAGER)
    page = client.post("/fieldwork/api-keys/", {"name": "CATI"}).content.decode()
    token = world.survey_firm.api_tokens.get()
    assert "data-new-key" in page and token.prefix in page
    assert ActivityLog.objects.filter(action="api_token.create").exists()
    client.post(f"/fieldwork/api-keys/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ActivityLog.objects.filter(action="api_token.revoke").exists()
    # Another firm's manager does not find it.
    assert (
        client_for(world.other_firm_manager)
        .post(f"/fieldwork/api-keys/{token.pk}/revoke/")
        .status_code
        == 404
    )
    assert client_for(Role.SURVEYOR).get("/fieldwork/api-keys/").status_code == 403


def test_a_bearer_key_works_and_its_use_is_noted(world, survey, key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/assignments/").status_code == 200
    assert world.survey_firm.api_tokens.get().last_used_at is not None


def test_no_phone_for_a_contact_already_answered(survey, key):
    first = survey.contacts.filter(is_reserve=False).order_by("position").first()
    api(key).post(
        f"/api/v1/assignments/{survey.pk}/responses/",
        {"responses": [item(survey, first)]},
        format="json",
    )
    rows = api(key).get(f"/api/v1/assignments/{survey.pk}/sample/").json()["results"]
    phones = {r["id"]: r["phone"] for r in rows}
    assert phones[first.pk] is None
    assert any(phones.values())


def test_a_second_answer_for_the_same_contact_is_an_item_error(survey, key):
    contact = survey.contacts.filter(is_reserve=False).first()
    url = f"/api/v1/assignments/{survey.pk}/responses/"
    api(key).post(url, {"responses": [item(survey, contact, "R-1")]}, format="json")
    results = api(key).post(url, [item(survey, contact, "R-2")], format="json").json()
    assert results[0]["status"] == "error"
    assert "已有另一份回答" in str(results[0]["errors"])
    assert list(Response.objects.values_list("external_id", flat=True)) == ["R-1"]


def test_the_same_item_posted_at_the_same_moment_is_a_duplicate(monkeypatch, survey, key):
    from manyi.fieldwork.api import services

    contact = survey.contacts.filter(is_reserve=False).first()
    url = f"/api/v1/assignments/{survey.pk}/responses/"
    stored = api(key).post(url, [item(survey, contact, "R-1")], format="json").json()[0]["id"]
    # The other request commits between this one's check and its insert: the check misses.
    real = services._stored_id
    calls = []

    def late(survey, external_id):
        calls.append(external_id)
        return None if len(calls) == 1 else real(survey, external_id)

    monkeypatch.setattr(services, "_stored_id", late)
    results = api(key).post(url, [item(survey, contact, "R-1")], format="json").json()
    assert results == [{"external_id": "R-1", "status": "duplicate", "id": stored, "errors": {}}]
    assert Response.objects.count() == 1
