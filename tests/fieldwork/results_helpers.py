"""Surveys with answers enough to measure, for the tests of results and exports."""

import datetime
import random

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork.models import ItemKind
from manyi.fieldwork.responses import record_response
from manyi.fieldwork.results.services import close_fieldwork
from manyi.surveys.models import MeasurementRun
from manyi.surveys.services import execute_run
from tests.fieldwork.factories import answers_for, make_survey


def varied_answers(questionnaire, *, score, rng, complaint=False, unknown=False) -> dict:
    """Answers around `score` that differ between respondents (a respondent's level plus
    noise per question), so the model has variation to estimate and no two are duplicates."""
    answers = answers_for(questionnaire, score=score, complaint=complaint)
    level = score + rng.choice([-1, 0, 0, 1])
    for q in questionnaire.questions:
        if q["kind"] == ItemKind.SCORE:
            answers[q["code"]] = max(q["min"], min(q["max"], level + rng.choice([-1, 0, 1])))
    if unknown:
        answers["value2"] = None  # 不清楚/不适用
    return answers


def respond(survey, contact, *, score=8, answers=None, complaint=False, unknown=False, rng=None):
    """One response, answered in ten minutes (not "too fast"): web for odd positions, phone
    for even ones."""
    now = timezone.now()
    phone = contact.position % 2 == 1
    return record_response(
        contact=contact,
        answers=answers
        if answers is not None
        else varied_answers(
            survey.questionnaire,
            score=score,
            rng=rng or random.Random(contact.pk),
            complaint=complaint,
            unknown=unknown,
        ),
        channel="phone" if phone else "web",
        started_at=now - datetime.timedelta(minutes=10),
        submitted_at=now,
        by=contact.interviewer if phone else None,
        actor_label="web",
    )


def answered_survey(
    world,
    *,
    score=9,
    n=40,
    complaints=4,
    organisation=None,
    phone_base=13900000000,
):
    """A survey in the field with 60 contacts of which the first `n` answered around `score`
    (the first `complaints` of them complained; every 7th said 不清楚 to one question)."""
    survey = make_survey(
        world, sample=60, customers=70, organisation=organisation, phone_base=phone_base
    )
    rng = random.Random(score)
    contacts = survey.contacts.filter(is_reserve=False).order_by("position")
    for i, contact in enumerate(contacts[:n]):
        respond(survey, contact, score=score, complaint=i < complaints, unknown=i % 7 == 0, rng=rng)
    return survey


def closed(world, *, compute=True, **kwargs):
    """An answered survey closed by committee staff, its run computed unless not `compute`."""
    survey = answered_survey(world, **kwargs)
    close_fieldwork(survey=survey, by=world.users[Role.COMMITTEE_STAFF])
    if compute:
        execute_run(run=MeasurementRun.objects.get(pk=survey.run_id))
    survey.refresh_from_db()
    return survey
