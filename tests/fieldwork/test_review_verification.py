"""The call-back verification: a seeded, reproducible draw of a share of the telephone
interviews, the manager's call (the number shown only there, and logged), and its result."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import QcStatus, SampledContact, SurveyStatus
from manyi.fieldwork.qc.services import (
    draw_verification,
    pick_for_verification,
    record_verification,
    review_response,
    verification_count,
)
from tests.fieldwork.factories import make_survey
from tests.fieldwork.qc_helpers import complete, complete_many, selected_positions

pytestmark = pytest.mark.django_db


def manager(world):
    return world.users[Role.SURVEY_MANAGER]


@pytest.fixture
def survey(world):
    return make_survey(world, customers=40, sample=30)


def drawn_contact(world, survey):
    """One completed telephone interview, drawn for the call-back."""
    complete_many(world, survey, 1)
    draw_verification(survey=survey, by=manager(world))
    return SampledContact.objects.select_related("survey").get(survey=survey, verify_selected=True)


@pytest.mark.parametrize(
    ("interviews", "share", "expected"),
    [(0, "0.10", 0), (3, "0.10", 1), (25, "0.10", 3), (30, "0.10", 3), (20, "0.25", 5)],
)
def test_the_share_is_rounded_up_and_at_least_one(interviews, share, expected):
    assert verification_count(interviews, Decimal(share)) == expected


def test_the_pick_is_the_same_for_the_same_seed():
    again = pick_for_verification(seed=42, already=0, positions=range(1, 31), count=3)
    assert pick_for_verification(seed=42, already=0, positions=range(1, 31), count=3) == again
    others = {
        tuple(pick_for_verification(seed=s, already=0, positions=range(1, 31), count=3))
        for s in range(20)
    }
    assert len(others) > 1  # the seed matters


def test_the_draw_selects_the_share_of_telephone_interviews(world, survey):
    complete_many(world, survey, 25)
    chosen = draw_verification(survey=survey, by=manager(world))
    assert len(chosen) == 3
    assert selected_positions(survey) == chosen
    entry = ActivityLog.objects.get(action="survey.verify_draw")
    assert entry.after["positions"] == chosen
    assert entry.after["interviews"] == 25


def test_web_answers_are_not_called_back(world, survey):
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position")[:6])
    for i, contact in enumerate(contacts[:5]):
        complete(world, contact, channel="web", score=3 + i)
    complete(world, contacts[5], channel="phone", score=9)
    assert draw_verification(survey=survey, by=manager(world)) == [6]


def test_the_draw_is_reproducible(world, survey):
    twin = make_survey(
        world, organisation=world.other_enterprise, customers=40, sample=30, phone_base=13500000000
    )
    assert twin.seed == survey.seed
    for s in (survey, twin):
        complete_many(world, s, 25)
        draw_verification(survey=s, by=manager(world))
    assert selected_positions(twin) == selected_positions(survey)


def test_a_later_draw_tops_up_to_the_share(world, survey):
    complete_many(world, survey, 10)
    first = draw_verification(survey=survey, by=manager(world))
    assert len(first) == 1
    with pytest.raises(ValidationError) as exc:
        draw_verification(survey=survey, by=manager(world))
    assert "已达到复核比例" in str(exc.value)
    more = list(survey.contacts.filter(is_reserve=False).order_by("position")[10:25])
    for i, contact in enumerate(more):
        complete(world, contact, score=3 + i % 6)
    second = draw_verification(survey=survey, by=manager(world))
    assert len(second) == 2  # 10% of 25, rounded up, is 3
    assert not set(first) & set(second)
    assert len(selected_positions(survey)) == 3


def test_nothing_to_draw_without_interviews(world, survey):
    with pytest.raises(ValidationError) as exc:
        draw_verification(survey=survey, by=manager(world))
    assert "暂无尚未抽取的已完成电话访问" in str(exc.value)
    assert not ActivityLog.objects.filter(action="survey.verify_draw").exists()


def test_only_the_firms_manager_draws_and_only_in_the_field(world, survey):
    complete_many(world, survey, 3)
    for user in (world.users[Role.COMMITTEE_STAFF], world.users[Role.SURVEYOR]):
        with pytest.raises(PermissionDenied):
            draw_verification(survey=survey, by=user)
    with pytest.raises(PermissionDenied):
        draw_verification(survey=survey, by=world.other_firm_manager)
    survey.status = SurveyStatus.CLOSED
    with pytest.raises(ValidationError):
        draw_verification(survey=survey, by=manager(world))
    assert selected_positions(survey) == []


def test_the_draw_button_works_for_the_manager(world, survey, client_for):
    complete_many(world, survey, 3)
    client = client_for(Role.SURVEY_MANAGER)
    response = client.post(reverse("fieldwork:verification_draw", args=[survey.pk]), follow=True)
    assert "已抽取 1 个电话访问进行回访复核" in response.content.decode()
    assert len(selected_positions(survey)) == 1


# ------------------------------------------------------------------------------------------
# The call-back and its result


def test_a_confirmed_interview_changes_nothing_else(world, survey):
    contact = drawn_contact(world, survey)
    record_verification(contact=contact, result="confirmed", note="", by=manager(world))
    contact.refresh_from_db()
    assert contact.verify_result == "confirmed"
    assert contact.verified_by == manager(world)
    assert contact.response.qc_status == QcStatus.CLEAN
    assert ActivityLog.objects.get(action="response.verify").after["result"] == "confirmed"


def test_a_denial_sends_the_response_back_to_review(world, survey):
    contact = drawn_contact(world, survey)
    record_verification(
        contact=contact, result="denied", note="受访者称从未接到电话", by=manager(world)
    )
    response = contact.response
    response.refresh_from_db()
    assert response.qc_status == QcStatus.FLAGGED
    assert response.qc_flags == ["not_confirmed"]
    entry = ActivityLog.objects.get(action="response.verify")
    assert entry.after["qc_status"] == "flagged"
    assert entry.note == "受访者称从未接到电话"
    # …and the manager then rejects it.
    review_response(response=response, decision="reject", reason="回访否认", by=manager(world))
    response.refresh_from_db()
    assert response.qc_status == QcStatus.REJECTED


def test_a_denial_undoes_an_earlier_approval(world, survey):
    complete(world, SampledContact.objects.get(survey=survey, position=1), score=7, vary=False)
    response = SampledContact.objects.get(survey=survey, position=1).response
    review_response(response=response, decision="approve", by=manager(world))
    draw_verification(survey=survey, by=manager(world))
    contact = SampledContact.objects.get(survey=survey, position=1)
    record_verification(contact=contact, result="denied", by=manager(world))
    response.refresh_from_db()
    assert response.qc_status == QcStatus.FLAGGED
    assert response.qc_flags == ["straightlining", "not_confirmed"]
    assert response.qc_by is None


def test_a_result_is_recorded_once(world, survey):
    contact = drawn_contact(world, survey)
    stale = SampledContact.objects.get(pk=contact.pk)
    record_verification(contact=contact, result="unreachable", by=manager(world))
    with pytest.raises(ValidationError):
        record_verification(contact=stale, result="denied", by=manager(world))
    contact.refresh_from_db()
    assert contact.verify_result == "unreachable"
    assert contact.response.qc_status == QcStatus.CLEAN


def test_an_unknown_result_is_refused(world, survey):
    contact = drawn_contact(world, survey)
    with pytest.raises(ValidationError):
        record_verification(contact=contact, result="maybe", by=manager(world))
    contact.refresh_from_db()
    assert contact.verify_result == ""


def test_the_call_page_shows_the_number_and_logs_it(world, survey, client_for):
    contact = drawn_contact(world, survey)
    url = reverse("fieldwork:verify_contact", args=[contact.pk])
    page = client_for(Role.SURVEY_MANAGER).get(url).content.decode()
    assert contact.customer.phone in page
    assert ActivityLog.objects.filter(action="call.verify_start").count() == 1


def test_the_result_is_recorded_on_the_page_and_the_number_hidden_after(world, survey, client_for):
    contact = drawn_contact(world, survey)
    client = client_for(Role.SURVEY_MANAGER)
    url = reverse("fieldwork:verify_contact", args=[contact.pk])
    assert client.post(url, {"result": "confirmed", "note": "确认"}).status_code == 302
    contact.refresh_from_db()
    assert contact.verify_result == "confirmed"
    page = client.get(url).content.decode()
    assert contact.customer.phone not in page
    assert "确认受访" in page


def test_an_empty_result_is_redisplayed(world, survey, client_for):
    contact = drawn_contact(world, survey)
    url = reverse("fieldwork:verify_contact", args=[contact.pk])
    response = client_for(Role.SURVEY_MANAGER).post(url, {"note": "x"})
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.verify_result == ""


def test_the_list_shows_no_number_and_staff_read_it(world, survey, client_for):
    contact = drawn_contact(world, survey)
    url = reverse("fieldwork:verification", args=[survey.pk])
    as_manager = client_for(Role.SURVEY_MANAGER).get(url).content.decode()
    assert f'data-contact="{contact.pk}"' in as_manager
    assert contact.customer.phone not in as_manager
    as_staff = client_for(Role.COMMITTEE_STAFF).get(url).content.decode()
    assert f'data-contact="{contact.pk}"' in as_staff
    assert contact.customer.name not in as_staff
    assert "抽取回访样本" not in as_staff


def test_others_cannot_open_the_call_page(world, survey, client_for):
    contact = drawn_contact(world, survey)
    url = reverse("fieldwork:verify_contact", args=[contact.pk])
    assert client_for(Role.COMMITTEE_STAFF).get(url).status_code == 403
    assert client_for(Role.SURVEYOR).get(url).status_code == 403
    assert client_for(world.other_firm_manager).get(url).status_code == 404
    assert not ActivityLog.objects.filter(action="call.verify_start").exists()


def test_another_firms_manager_cannot_see_the_verification(world, survey, client_for):
    client = client_for(world.other_firm_manager)
    assert client.get(reverse("fieldwork:verification", args=[survey.pk])).status_code == 404
    draw = client.post(reverse("fieldwork:verification_draw", args=[survey.pk]))
    assert draw.status_code == 404


def test_the_verification_page_costs_the_same_queries_for_1_and_3(world, client_for):
    survey = make_survey(world, customers=40, sample=30)
    client = client_for(Role.SURVEY_MANAGER)
    url = reverse("fieldwork:verification", args=[survey.pk])
    complete_many(world, survey, 10)
    draw_verification(survey=survey, by=manager(world))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    more = list(survey.contacts.filter(is_reserve=False).order_by("position")[10:30])
    for i, contact in enumerate(more):
        complete(world, contact, score=3 + i % 6)
    draw_verification(survey=survey, by=manager(world))
    assert len(selected_positions(survey)) == 3
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)
