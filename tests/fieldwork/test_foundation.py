"""The shared parts of fieldwork: questions and answers, quality flags, the response door,
progress figures and the survey's moves."""

import pytest
from django.core.exceptions import ValidationError

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork import quality
from manyi.fieldwork.models import (
    ContactStatus,
    QcStatus,
    Response,
    SampledContact,
    SurveyStatus,
)
from manyi.fieldwork.progress import progress_of_one
from manyi.fieldwork.questions import for_form, read_answers, screening_passed
from manyi.fieldwork.responses import AlreadyAnswered, check_answers, record_response
from manyi.fieldwork.services import move_survey, phone_key, start_fieldwork
from tests.fieldwork.factories import answers_for, form_data, make_survey

pytestmark = pytest.mark.django_db

SCORE = {
    "code": "sat1",
    "kind": "score",
    "purpose": "model",
    "indicator": "sat1",
    "min": 1,
    "max": 10,
    "unknown": True,
}
SCREEN = {
    "code": "screen_customer",
    "kind": "yes_no",
    "purpose": "screen",
    "indicator": "",
    "min": 1,
    "max": 10,
    "unknown": False,
}
TEXT = {
    "code": "suggestion",
    "kind": "text",
    "purpose": "open",
    "indicator": "",
    "min": 1,
    "max": 10,
    "unknown": False,
}
for _q in (SCORE, SCREEN, TEXT):
    _q["text"] = {"zh": "题目", "en": "Question"}
    _q["anchors"] = {"zh": ["低", "高"], "en": ["low", "high"]}


def test_answers_are_read_from_a_form():
    answers, errors = read_answers(
        [SCREEN, SCORE, TEXT], {"q_screen_customer": "yes", "q_sat1": "9", "q_suggestion": " 很好 "}
    )
    assert errors == {}
    assert answers == {"screen_customer": True, "sat1": 9, "suggestion": "很好"}


def test_unknown_is_an_answer_and_out_of_scale_is_not():
    answers, errors = read_answers([SCORE], {"q_sat1": "na"})
    assert answers == {"sat1": None} and not errors
    _answers, errors = read_answers([SCORE], {"q_sat1": "11"})
    assert errors == {"sat1": "回答无效"}


def test_a_missing_answer_is_an_error_unless_saving_as_one_goes():
    _answers, errors = read_answers([SCORE, TEXT], {})
    assert errors == {"sat1": "请回答此题"}  # an open question may stay empty
    _answers, errors = read_answers([SCORE], {}, partial=True)
    assert errors == {}


def test_a_failed_screening_question_ends_the_questionnaire():
    answers, errors = read_answers([SCREEN, SCORE], {"q_screen_customer": "no"})
    assert answers == {"screen_customer": False} and errors == {}
    assert not screening_passed([SCREEN, SCORE], answers)


def test_the_api_may_send_null_for_unknown():
    answers, errors = read_answers([SCORE], {"sat1": None}, form_fields=False)
    assert answers == {"sat1": None} and not errors


def test_for_form_gives_the_current_values():
    questions = for_form([SCREEN, SCORE], {"screen_customer": True, "sat1": None})
    assert [q["value"] for q in questions] == ["yes", "na"]
    assert questions[1]["scale"] == list(range(1, 11))


def test_quality_flags():
    questions = [SCORE | {"code": f"s{i}"} for i in range(6)]
    same = {f"s{i}": 7 for i in range(6)}
    varied = {f"s{i}": 5 + i % 3 for i in range(6)}
    assert quality.check(
        questions=questions, answers=same, seconds=500, min_seconds=60, screening_passed=True
    ) == ["straightlining"]
    assert quality.check(
        questions=questions, answers=varied, seconds=10, min_seconds=60, screening_passed=True
    ) == ["too_fast"]
    assert quality.check(
        questions=questions,
        answers=varied,
        seconds=500,
        min_seconds=60,
        screening_passed=True,
        other_answers=[varied],
    ) == ["duplicate"]
    assert quality.check(
        questions=questions, answers={}, seconds=5, min_seconds=60, screening_passed=False
    ) == ["screening_failed"]


def test_one_response_per_contact(world):
    survey = make_survey(world)
    contact = survey.contacts.filter(is_reserve=False).first()
    answers = check_answers(survey, form_data(answers_for(survey.questionnaire)), form_fields=True)
    response = record_response(
        contact=contact, answers=answers, channel="web", started_at=None, actor_label="受访者"
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.COMPLETED
    assert response.qc_status == QcStatus.FLAGGED  # answered in no time: too fast
    assert "too_fast" in response.qc_flags
    assert ActivityLog.objects.filter(action="response.record", object_id=str(response.pk)).exists()
    with pytest.raises(AlreadyAnswered):
        record_response(contact=contact, answers=answers, channel="web", started_at=None)
    assert Response.objects.filter(contact=contact).count() == 1


def test_screened_out_respondent_is_not_eligible(world):
    survey = make_survey(world)
    contact = survey.contacts.filter(is_reserve=False).first()
    record_response(
        contact=contact,
        answers={"screen_customer": False},
        channel="phone",
        started_at=None,
        by=world.users[Role.SURVEYOR],
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.INELIGIBLE
    assert contact.response.qc_flags == ["screening_failed"]


def test_incomplete_answers_are_refused(world):
    survey = make_survey(world)
    with pytest.raises(ValidationError) as exc:
        check_answers(survey, {"q_screen_customer": "yes"}, form_fields=True)
    assert "sat1" in exc.value.message_dict


def test_progress_and_response_rate(world):
    survey = make_survey(world, sample=10, reserve=2)
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position"))
    for c in contacts[:4]:
        record_response(
            contact=c,
            answers=answers_for(survey.questionnaire, score=6 + c.position % 3),
            channel="phone",
            started_at=None,
        )
    SampledContact.objects.filter(pk=contacts[4].pk).update(
        status=ContactStatus.REFUSED, attempts=1
    )
    SampledContact.objects.filter(pk=contacts[5].pk).update(
        status=ContactStatus.WRONG_NUMBER, attempts=2
    )
    p = progress_of_one(survey)
    assert p.sample == 10 and p.reserve == 2
    assert p.completes == 4
    assert p.attempts == 3
    # RR1: 4 completes over 10 released less 1 wrong number.
    assert p.rr1 == pytest.approx(4 / 9)
    assert dict(p.non_response) == {"拒访": 1, "号码错误": 1}


def test_move_survey_moves_once_and_only_along_the_table(world):
    survey = make_survey(world, status=SurveyStatus.SAMPLED)
    staff = world.users[Role.COMMITTEE_STAFF]
    stale = type(survey).objects.get(pk=survey.pk)
    start_fieldwork(survey=survey, by=staff)
    assert survey.status == SurveyStatus.IN_FIELD
    with pytest.raises(ValidationError):
        move_survey(survey=stale, to=SurveyStatus.IN_FIELD, by=staff)  # someone else already did
    with pytest.raises(ValueError):
        move_survey(survey=survey, to=SurveyStatus.RELEASED, by=staff)
    assert ActivityLog.objects.filter(action="survey.in_field").count() == 1


def test_work_department_may_not_start_fieldwork(world):
    survey = make_survey(world, status=SurveyStatus.SAMPLED)
    with pytest.raises(Exception, match="无权"):
        start_fieldwork(survey=survey, by=world.users[Role.WORKDEPT_STAFF])
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SAMPLED


def test_phone_key_hides_the_number_and_is_per_campaign():
    assert phone_key(1, "13800138000") == phone_key(1, "13800138000")
    assert phone_key(1, "13800138000") != phone_key(2, "13800138000")
    assert "13800138000" not in phone_key(1, "13800138000")


def test_the_list_shows_a_firm_only_its_own_surveys(world, client_for):
    mine = make_survey(world)
    theirs = make_survey(
        world, organisation=world.other_enterprise, campaign=mine.campaign, phone_base=13600000000
    )
    theirs.firm = world.other_firm
    theirs.save()
    page = client_for(Role.SURVEY_MANAGER).get("/fieldwork/").content.decode()
    assert str(mine.application.organisation) in page
    assert str(theirs.application.organisation) not in page
    page = client_for(Role.COMMITTEE_STAFF).get("/fieldwork/", {"q": "白云"}).content.decode()
    assert (
        str(theirs.application.organisation) in page
        and str(mine.application.organisation) not in page
    )


def test_no_response_is_stored_once_the_survey_left_the_field(world):
    survey = make_survey(world)
    contact = survey.contacts.filter(is_reserve=False).first()
    type(survey).objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    with pytest.raises(ValidationError, match="已结束"):
        record_response(
            contact=contact,
            answers=answers_for(survey.questionnaire),
            channel="api",
            started_at=None,
        )
    assert not Response.objects.filter(survey=survey).exists()


def test_the_same_scores_twice_are_flagged_as_a_duplicate(world):
    survey = make_survey(world)
    first, second = survey.contacts.filter(is_reserve=False).order_by("position")[:2]
    answers = answers_for(survey.questionnaire, score=6)
    record_response(contact=first, answers=answers, channel="phone", started_at=None)
    again = record_response(contact=second, answers=answers, channel="phone", started_at=None)
    assert "duplicate" in again.qc_flags
    assert again.fingerprint and again.fingerprint == first.response.fingerprint
