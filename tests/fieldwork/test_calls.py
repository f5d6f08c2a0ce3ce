"""Telephone interviews: sharing the sample, the queue, a call and its outcome, the interview."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.calls import selectors, services
from manyi.fieldwork.models import CallAttempt, CallOutcome, ContactStatus, Response, SurveyStatus
from tests.factories import MembershipFactory
from tests.fieldwork.factories import answers_for, form_data, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world)


def mine(world, survey):
    return list(
        survey.contacts.filter(interviewer=world.users[Role.SURVEYOR], is_reserve=False).order_by(
            "position"
        )
    )


def test_the_manager_shares_the_open_sample_round_robin(world, survey):
    second = MembershipFactory(organisation=world.survey_firm, role=Role.SURVEYOR).user
    unassigned = survey.contacts.filter(interviewer__isnull=True, is_reserve=False).count()
    counts = services.assign_interviewers(
        survey=survey,
        interviewers=[world.users[Role.SURVEYOR], second],
        by=world.users[Role.SURVEY_MANAGER],
    )
    assert sum(counts.values()) == unassigned
    assert abs(counts[world.users[Role.SURVEYOR].email] - counts[second.email]) <= 1
    assert not survey.contacts.filter(interviewer__isnull=True, is_reserve=False).exists()
    assert ActivityLog.objects.filter(action="survey.interviewers_assign").exists()


def test_only_the_firms_own_interviewers_get_contacts(world, survey):
    with pytest.raises(ValidationError, match="本调查机构的访问员"):
        services.assign_interviewers(
            survey=survey, interviewers=[world.other_surveyor], by=world.users[Role.SURVEY_MANAGER]
        )
    with pytest.raises(PermissionDenied):
        services.assign_interviewers(
            survey=survey, interviewers=[world.users[Role.SURVEYOR]], by=world.other_firm_manager
        )
    assert survey.contacts.filter(interviewer=world.other_surveyor).count() == 0


def test_due_callbacks_come_first(world, survey):
    first, second, third = mine(world, survey)[:3]
    now = timezone.now()
    type(third).objects.filter(pk=third.pk).update(
        status=ContactStatus.CALLBACK, callback_at=now - datetime.timedelta(minutes=5)
    )
    type(second).objects.filter(pk=second.pk).update(
        status=ContactStatus.CALLBACK, callback_at=now + datetime.timedelta(hours=2)
    )
    queue = list(selectors.queue(world.users[Role.SURVEYOR]))
    assert queue[0].pk == third.pk
    assert second.pk not in [c.pk for c in queue]
    assert [c.pk for c in selectors.later_callbacks(world.users[Role.SURVEYOR])] == [second.pk]
    assert queue[1].pk == first.pk


def test_a_call_counts_an_attempt_and_shows_the_number_only_to_its_interviewer(
    world, survey, client_for
):
    contact = mine(world, survey)[0]
    surveyor = world.users[Role.SURVEYOR]
    client = client_for(Role.SURVEYOR)
    queue_page = client.get("/fieldwork/calls/").content.decode()
    assert contact.customer.phone not in queue_page
    assert client.get(f"/fieldwork/calls/{contact.pk}/").status_code == 404  # no call yet
    response = client.post(f"/fieldwork/calls/{contact.pk}/start/")
    assert response.status_code == 302
    page = client.get(f"/fieldwork/calls/{contact.pk}/").content.decode()
    assert contact.customer.phone in page
    contact.refresh_from_db()
    assert contact.attempts == 1
    assert ActivityLog.objects.filter(action="call.start", actor=surveyor).exists()
    # Another interviewer of the same firm, and another firm, do not find it.
    colleague = MembershipFactory(organisation=world.survey_firm, role=Role.SURVEYOR).user
    assert client_for(colleague).get(f"/fieldwork/calls/{contact.pk}/").status_code == 404
    assert (
        client_for(world.other_surveyor).get(f"/fieldwork/calls/{contact.pk}/").status_code == 404
    )


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (CallOutcome.REFUSED, ContactStatus.REFUSED),
        (CallOutcome.WRONG_NUMBER, ContactStatus.WRONG_NUMBER),
        (CallOutcome.NO_ANSWER, ContactStatus.PENDING),
    ],
)
def test_outcomes(world, survey, outcome, status):
    contact = mine(world, survey)[0]
    surveyor = world.users[Role.SURVEYOR]
    attempt = services.start_call(contact=contact, by=surveyor)
    contact = services.record_outcome(attempt=attempt, outcome=outcome, by=surveyor)
    assert contact.status == status
    attempt.refresh_from_db()
    assert attempt.ended_at and attempt.outcome == outcome


def test_the_attempt_limit_makes_a_contact_not_reachable(world, survey):
    contact = mine(world, survey)[0]
    surveyor = world.users[Role.SURVEYOR]
    for _ in range(survey.max_attempts):
        attempt = services.start_call(contact=contact, by=surveyor)
        contact = services.record_outcome(attempt=attempt, outcome=CallOutcome.BUSY, by=surveyor)
        contact.refresh_from_db()
    assert contact.status == ContactStatus.NON_CONTACT
    with pytest.raises(ValidationError):
        services.start_call(contact=contact, by=surveyor)


def test_a_callback_needs_a_future_time_within_the_field_period(world, survey):
    contact = mine(world, survey)[0]
    surveyor = world.users[Role.SURVEYOR]
    attempt = services.start_call(contact=contact, by=surveyor)
    for when in (
        None,
        timezone.now() - datetime.timedelta(hours=1),
        timezone.now() + datetime.timedelta(days=90),
    ):
        with pytest.raises(ValidationError):
            services.record_outcome(
                attempt=attempt, outcome=CallOutcome.CALLBACK, callback_at=when, by=surveyor
            )
    later = timezone.now() + datetime.timedelta(days=1)
    contact = services.record_outcome(
        attempt=attempt, outcome=CallOutcome.CALLBACK, callback_at=later, by=surveyor
    )
    assert contact.status == ContactStatus.CALLBACK and contact.callback_at == later


def test_an_interview_is_stored_once_with_its_times(world, survey, client_for):
    contact = mine(world, survey)[0]
    client = client_for(Role.SURVEYOR)
    client.post(f"/fieldwork/calls/{contact.pk}/start/")
    bad = client.post(f"/fieldwork/calls/{contact.pk}/interview/", {"q_screen_customer": "yes"})
    assert bad.status_code == 400 and "请回答此题" in bad.content.decode()
    assert not Response.objects.filter(contact=contact).exists()
    ok = client.post(
        f"/fieldwork/calls/{contact.pk}/interview/", form_data(answers_for(survey.questionnaire))
    )
    assert ok.status_code == 302
    response = Response.objects.get(contact=contact)
    assert response.channel == "phone" and response.interviewer == world.users[Role.SURVEYOR]
    attempt = CallAttempt.objects.get(contact=contact)
    assert attempt.outcome == CallOutcome.COMPLETED and attempt.ended_at >= attempt.started_at
    assert response.started_at == attempt.started_at


def test_no_calls_outside_the_field_period(world):
    survey = make_survey(world, status=SurveyStatus.SAMPLED)
    contact = survey.contacts.filter(interviewer=world.users[Role.SURVEYOR]).first()
    with pytest.raises(ValidationError, match="实施期"):
        services.start_call(contact=contact, by=world.users[Role.SURVEYOR])
    assert not CallAttempt.objects.exists()


def test_an_abandoned_call_ends_as_no_answer_when_the_next_starts(world, survey):
    first, second = mine(world, survey)[:2]
    surveyor = world.users[Role.SURVEYOR]
    abandoned = services.start_call(contact=first, by=surveyor)
    services.start_call(contact=second, by=surveyor)
    abandoned.refresh_from_db()
    assert abandoned.outcome == CallOutcome.NO_ANSWER and abandoned.ended_at


def test_the_survey_page_shows_the_interviewers(world, survey, client_for):
    page = client_for(Role.SURVEY_MANAGER).get(f"/fieldwork/{survey.pk}/").content.decode()
    assert "分配访问员" in page
    page = client_for(Role.WORKDEPT_STAFF).get(f"/fieldwork/{survey.pk}/").content.decode()
    assert 'id="interviewers"' in page and "分配访问员" not in page


def test_the_manager_moves_contacts_between_interviewers(world, survey, client_for):
    surveyor = world.users[Role.SURVEYOR]
    second = MembershipFactory(organisation=world.survey_firm, role=Role.SURVEYOR).user
    before = mine(world, survey)
    busy = services.start_call(contact=before[-1], by=surveyor)  # a call under way stays
    client = client_for(Role.SURVEY_MANAGER)
    page = client.get(f"/fieldwork/{survey.pk}/interviewers/").content.decode()
    assert f"手头待联系 {len(before)} 个" in page  # the current load beside each name
    response = client.post(
        f"/fieldwork/{survey.pk}/interviewers/",
        {
            "op": "move",
            "move-from_interviewer": surveyor.pk,
            "move-to_interviewer": second.pk,
            "move-count": 2,
        },
    )
    assert response.status_code == 302
    moved = list(survey.contacts.filter(interviewer=second).order_by("position"))
    assert [c.pk for c in moved] == [c.pk for c in before[-3:-1]]
    busy.contact.refresh_from_db()
    assert busy.contact.interviewer_id == surveyor.pk
    assert ActivityLog.objects.filter(action="survey.interviewers_assign", after__moved=2).exists()


def test_moving_refuses_bad_requests_and_changes_nothing(world, survey, client_for):
    surveyor = world.users[Role.SURVEYOR]
    manager = world.users[Role.SURVEY_MANAGER]
    held = len(mine(world, survey))
    for to, count, words in (
        (world.other_surveyor, 1, "本调查机构的访问员"),
        (surveyor, 1, "同一人"),
    ):
        with pytest.raises(ValidationError, match=words):
            services.reassign(
                survey=survey, from_interviewer=surveyor, to_interviewer=to, count=count, by=manager
            )
    second = MembershipFactory(organisation=world.survey_firm, role=Role.SURVEYOR).user
    response = client_for(Role.SURVEY_MANAGER).post(
        f"/fieldwork/{survey.pk}/interviewers/",
        {
            "op": "move",
            "move-from_interviewer": surveyor.pk,
            "move-to_interviewer": second.pk,
            "move-count": held + 1,
        },
    )
    assert response.status_code == 200
    assert f"只有 {held} 个可转移" in response.content.decode()
    assert len(mine(world, survey)) == held
    assert not ActivityLog.objects.filter(action="survey.interviewers_assign").exists()
