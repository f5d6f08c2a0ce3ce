"""The demo's fieldwork: published questionnaires, and the recommended applicants' surveys at
every stage — one released above the threshold, one closed below it, one in the field with web
and telephone answers, flags approved, rejected and waiting, callbacks and refusals — and one
recommended applicant still waiting for a firm.

Built through the services people use (assign, draw, start, record, review, close, release),
so the activity log reads as it would. Two things are written directly, and only here: the
answer times are set in the past (a demo made in a second would be "too fast" everywhere), and
the telephone calls behind those answers are added to the call history as they would have been.
Idempotent: an application that already has a survey is left as it is.
"""

import datetime
import random

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.categories import Category
from manyi.fieldwork.calls.services import assign_interviewers
from manyi.fieldwork.models import (
    CallAttempt,
    CallOutcome,
    ContactStatus,
    ItemKind,
    ItemPurpose,
    QcStatus,
    Questionnaire,
    QuestionnaireStatus,
    SampledContact,
    Survey,
    SurveyPurpose,
)
from manyi.fieldwork.qc.services import review_response
from manyi.fieldwork.questionnaires.bank import load_default_bank
from manyi.fieldwork.questionnaires.services import default_questionnaire, publish_questionnaire
from manyi.fieldwork.responses import record_response
from manyi.fieldwork.results.services import close_fieldwork, release_result
from manyi.fieldwork.sampling.services import assign_survey, draw_sample
from manyi.fieldwork.services import start_fieldwork

DEMO_ORDER = 50

STAFF = "staff@demo.manyi.cn"
MANAGER = "manager@demo.manyi.cn"
SURVEYORS = ("surveyor@demo.manyi.cn", "surveyor2@demo.manyi.cn")

# enterprise, category, what happens, the shift of its customers' answers (scale points)
PLAN = [
    ("广州珠江家电制造有限公司", "brand", "released", 1.3),
    ("广州天河物业管理有限公司", "service", "closed", -0.4),
    ("广州越秀建设工程有限公司", "engineering", "in_field", 0.6),
]


def _user(email):
    return User.objects.get(email=email)


def publish_questionnaires(by) -> list[Questionnaire]:
    """The standard bank, and a published questionnaire for every category."""
    load_default_bank(by=by)
    out = []
    for category in Category.values:
        published = Questionnaire.objects.filter(
            category=category, status=QuestionnaireStatus.PUBLISHED
        ).first()
        if published is None:
            draft = Questionnaire.objects.filter(
                category=category, status=QuestionnaireStatus.DRAFT
            ).first() or default_questionnaire(category=category, by=by)
            published = publish_questionnaire(questionnaire=draft, by=by)
        out.append(published)
    return out


def _answers(questions, scores: dict, rng: random.Random, *, screened_out=False) -> dict:
    """One respondent's answers: the simulated scores for the model's items, and the rest."""
    answers = {}
    sat = float(np.mean([v for v in scores.values() if v is not None] or [7]))
    for q in questions:
        code = q["code"]
        if q["purpose"] == ItemPurpose.SCREEN:
            answers[code] = not screened_out
            if screened_out:
                return answers
        elif q["kind"] == ItemKind.SCORE:
            answers[code] = None if rng.random() < 0.02 else scores.get(q["indicator"])
        elif q["purpose"] == ItemPurpose.COMPLAINT and q["kind"] == ItemKind.YES_NO:
            # Fewer satisfied customers complain.
            answers[code] = rng.random() < max(0.02, (8.5 - sat) / 12)
        elif q["purpose"] == ItemPurpose.COMPLAINT:
            answers[code] = "维修人员上门时间比约定晚了半天。" if answers.get("complaint") else ""
        else:
            answers[code] = rng.choice(["", "", "希望延长售后服务时间。", "总体不错，继续保持。"])
    return answers


def _simulated_scores(model_name: str, n: int, seed: int, shift: float) -> list[dict]:
    sim = measurement.simulate(model_name, n=n, seed=seed, discrete=False)
    out = []
    for i in range(n):
        row = {}
        for name in sim.columns:
            value = sim.data[name][i] + shift
            row[name] = int(min(10, max(1, round(value))))
        out.append(row)
    return out


def _record(contact, answers, *, channel, when, seconds, interviewer=None):
    response = record_response(
        contact=contact,
        answers=answers,
        channel=channel,
        started_at=when - datetime.timedelta(seconds=seconds),
        submitted_at=when,
        by=interviewer,
        actor_label="网上问卷受访者" if channel == "web" else "",
    )
    if channel == "phone":
        CallAttempt.objects.create(
            contact=contact,
            interviewer=interviewer,
            started_at=when - datetime.timedelta(seconds=seconds),
            ended_at=when,
            outcome=CallOutcome.COMPLETED,
        )
        SampledContact.objects.filter(pk=contact.pk).update(attempts=contact.attempts + 1)
    return response


def _call(contact, interviewer, outcome, when, *, callback_at=None):
    CallAttempt.objects.create(
        contact=contact,
        interviewer=interviewer,
        started_at=when,
        ended_at=when + datetime.timedelta(seconds=40),
        outcome=outcome,
        callback_at=callback_at,
    )
    status = {
        CallOutcome.REFUSED: ContactStatus.REFUSED,
        CallOutcome.WRONG_NUMBER: ContactStatus.WRONG_NUMBER,
        CallOutcome.CALLBACK: ContactStatus.CALLBACK,
    }.get(outcome, contact.status)
    SampledContact.objects.filter(pk=contact.pk).update(
        status=status, attempts=contact.attempts + 1, callback_at=callback_at
    )


def run_fieldwork(survey: Survey, *, shift: float, completes: int, seed: int, pending_flags: int):
    """Answers and call outcomes for a survey in the field, spread over the days since it opened."""
    rng = random.Random(seed)
    surveyors = [_user(e) for e in SURVEYORS]
    manager = _user(MANAGER)
    questions = survey.questionnaire.questions
    # The firm's manager shares the sample between its two interviewers.
    assign_interviewers(survey=survey, interviewers=surveyors, by=manager)
    contacts = list(
        survey.contacts.filter(is_reserve=False).select_related("interviewer").order_by("position")
    )
    scores = _simulated_scores(survey.questionnaire.model_name, len(contacts), seed, shift)
    start = timezone.make_aware(datetime.datetime.combine(survey.field_opens, datetime.time(9)))
    now = timezone.now()
    flagged = []
    for i, contact in enumerate(contacts[:completes]):
        when = min(now - datetime.timedelta(hours=1), start + datetime.timedelta(hours=3 * i + 2))
        channel = "web" if contact.email and i % 3 == 0 else "phone"
        interviewer = contact.interviewer if channel == "phone" else None
        answers = _answers(questions, scores[i], rng, screened_out=i % 29 == 7)
        seconds = rng.randrange(260, 900)
        if i % 23 == 5:  # a hurried respondent: flagged "too fast"
            seconds = 35
        if i % 31 == 11:  # the same score everywhere: flagged
            answers = {
                k: (8 if isinstance(v, int) and not isinstance(v, bool) else v)
                for k, v in answers.items()
            }
        response = _record(
            contact, answers, channel=channel, when=when, seconds=seconds, interviewer=interviewer
        )
        if response.qc_status == QcStatus.FLAGGED:
            flagged.append(response)
    # The firm's manager decides the flags, except the last few when the survey is still open.
    decide = flagged[: max(0, len(flagged) - pending_flags)]
    for k, response in enumerate(decide):
        if "screening_failed" in response.qc_flags or k % 2:
            review_response(
                response=response, decision="reject", reason=_("回访核实为无效问卷"), by=manager
            )
        else:
            review_response(response=response, decision="approve", reason="", by=manager)
    # Some of the rest did not answer.
    rest = contacts[completes:]
    for j, contact in enumerate(rest[: len(rest) // 2]):
        when = now - datetime.timedelta(days=1, minutes=j)
        outcome = [
            CallOutcome.REFUSED,
            CallOutcome.WRONG_NUMBER,
            CallOutcome.NO_ANSWER,
            CallOutcome.CALLBACK,
        ][j % 4]
        callback = (
            now + datetime.timedelta(hours=2 + j) if outcome == CallOutcome.CALLBACK else None
        )
        _call(contact, contact.interviewer, outcome, when, callback_at=callback)


def demo_survey(application, staff, *, days_ago: int, seed: int) -> Survey:
    firm = Organisation.objects.filter(kind=OrgKind.SURVEY_FIRM).order_by("pk").first()
    today = timezone.localdate()
    survey = assign_survey(
        application=application,
        firm=firm,
        field_opens=today - datetime.timedelta(days=days_ago),
        field_closes=today + datetime.timedelta(days=30 - days_ago),
        by=staff,
    )
    survey = draw_sample(survey=survey, by=staff, seed=seed)
    return start_fieldwork(survey=survey, by=staff)


@transaction.atomic
def load_fieldwork_demo() -> list[Survey]:
    staff = _user(STAFF)
    publish_questionnaires(staff)
    surveys = []
    for k, (name, category, stage, shift) in enumerate(PLAN):
        application = (
            Application.objects.filter(
                organisation__name=name, category=category, status=Status.ACCEPTED
            )
            .order_by("-campaign__year")
            .first()
        )
        if (
            application is None
            or Survey.objects.filter(
                application=application, purpose=SurveyPurpose.APPLICATION
            ).exists()
        ):
            continue
        seed = 20260 + k
        survey = demo_survey(
            application, staff, days_ago=25 if stage != "in_field" else 6, seed=seed
        )
        sample = survey.contacts.filter(is_reserve=False).count()
        if stage == "in_field":
            run_fieldwork(survey, shift=shift, completes=sample // 4, seed=seed, pending_flags=2)
        else:
            survey = finish_survey(
                survey, staff, shift=shift, seed=seed, release=stage == "released"
            )
        surveys.append(survey)
    return surveys


def finish_survey(survey: Survey, staff, *, shift: float, seed: int, release: bool) -> Survey:
    """Answers from 70 % of the sample, then closed, its index computed, and released."""
    sample = survey.contacts.filter(is_reserve=False).count()
    run_fieldwork(survey, shift=shift, completes=int(sample * 0.7), seed=seed, pending_flags=0)
    survey = close_fieldwork(survey=survey, by=staff)
    from manyi.surveys.services import execute_run

    # Computed now, so the index shows at once; the queued task then finds it done.
    execute_run(run=survey.run)
    survey.refresh_from_db()
    if release:
        survey = release_result(survey=survey, by=staff)
    return survey


def load_demo(report) -> None:
    load_fieldwork_demo()
    for survey in Survey.objects.select_related("application__organisation").order_by("pk"):
        report.lines.append(
            _("  第三方调查：%(org)s（%(status)s）  /fieldwork/%(pk)d/")
            % {
                "org": survey.application.organisation.name,
                "status": survey.get_status_display(),
                "pk": survey.pk,
            }
        )
