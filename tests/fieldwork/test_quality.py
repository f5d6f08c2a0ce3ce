"""The quality checks: `quality.check` on its own, and the flags `record_response` stores."""

import pytest

from manyi.fieldwork import quality
from manyi.fieldwork.models import ContactStatus, QcStatus, SampledContact
from manyi.fieldwork.questions import questions_of
from tests.fieldwork.factories import answers_for, make_survey
from tests.fieldwork.qc_helpers import complete


def score(code):
    return {"code": code, "kind": "score", "purpose": "model", "min": 1, "max": 10}


QUESTIONS = [
    {"code": "screen", "kind": "yes_no", "purpose": "screen", "min": 1, "max": 10},
    *[score(f"s{i}") for i in range(6)],
    {"code": "open", "kind": "text", "purpose": "open", "min": 1, "max": 10},
]
VARIED = {"screen": True, **{f"s{i}": 5 + i % 3 for i in range(6)}, "open": ""}
SAME = {"screen": True, **{f"s{i}": 9 for i in range(6)}, "open": "很好"}


def check(answers=VARIED, seconds=300, min_seconds=90, passed=True, others=()):
    return quality.check(
        questions=QUESTIONS,
        answers=answers,
        seconds=seconds,
        min_seconds=min_seconds,
        screening_passed=passed,
        other_answers=others,
    )


def test_a_plausible_response_has_no_flag():
    assert check() == []


def test_faster_than_the_questionnaire_allows_is_too_fast():
    assert check(seconds=89) == ["too_fast"]


def test_exactly_the_minimum_time_is_not_too_fast():
    assert check(seconds=90) == []


def test_the_same_score_everywhere_is_straightlining():
    assert check(answers=SAME) == ["straightlining"]


def test_a_few_equal_scores_are_not_straightlining():
    few = {"screen": True, "s0": 9, "s1": 9, "s2": 9, "s3": 9}
    assert check(answers=few) == []


def test_unknown_answers_do_not_count_as_scores():
    answers = {**SAME, "s0": None, "s1": None}  # four 9s are left: too few to judge
    assert check(answers=answers) == []


def test_the_same_scores_as_another_response_is_a_duplicate():
    others = [quality.scores(QUESTIONS, VARIED)]
    assert check(others=others) == ["duplicate"]


def test_different_scores_from_the_others_are_no_duplicate():
    others = [quality.scores(QUESTIONS, {**VARIED, "s0": 1})]
    assert check(others=others) == []


def test_a_failed_screening_is_the_only_flag():
    assert check(answers=SAME, seconds=3, passed=False) == ["screening_failed"]


def test_several_problems_give_several_flags():
    assert check(answers=SAME, seconds=10) == ["too_fast", "straightlining"]


def test_flags_in_words_include_the_call_back_denial():
    assert quality.flag_words(["too_fast", "not_confirmed"]) == [
        "作答过快",
        "回访否认接受过访问",
    ]


# ------------------------------------------------------------------------------------------
# The flags record_response stores


@pytest.fixture
def survey(world):
    return make_survey(world)


def contact(survey, position):
    return SampledContact.objects.get(survey=survey, position=position)


def test_a_clean_response_counts_as_it_is(world, survey):
    response = complete(world, contact(survey, 1), seconds=600)
    assert response.qc_flags == []
    assert response.qc_status == QcStatus.CLEAN


def test_a_quick_interview_is_flagged_too_fast(world, survey):
    response = complete(world, contact(survey, 1), seconds=survey.questionnaire.min_seconds - 1)
    assert response.qc_flags == ["too_fast"]
    assert response.qc_status == QcStatus.FLAGGED


def test_a_straight_lined_response_is_flagged(world, survey):
    response = complete(world, contact(survey, 1), score=7, vary=False)
    assert response.qc_flags == ["straightlining"]
    assert response.qc_status == QcStatus.FLAGGED


def test_a_copy_of_an_earlier_response_is_flagged_duplicate(world, survey):
    first = complete(world, contact(survey, 1), score=6)
    second = complete(world, contact(survey, 2), score=6)
    assert first.qc_flags == []
    assert second.qc_flags == ["duplicate"]


def test_duplicates_are_looked_for_within_the_survey_only(world, survey):
    other = make_survey(world, organisation=world.other_enterprise, phone_base=13500000000)
    complete(world, contact(other, 1), score=6)
    response = complete(world, contact(survey, 1), score=6)
    assert response.qc_flags == []


def test_a_screened_out_respondent_is_flagged_and_not_eligible(world, survey):
    answers = answers_for(survey.questionnaire)
    first_screen = next(
        q["code"] for q in questions_of(survey.questionnaire) if q["purpose"] == "screen"
    )
    answers[first_screen] = False
    response = complete(world, contact(survey, 1), answers=answers)
    assert response.qc_flags == ["screening_failed"]
    assert response.screening_passed is False
    assert contact(survey, 1).status == ContactStatus.INELIGIBLE
