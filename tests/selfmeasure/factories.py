"""Own surveys answered, closed and measured through the services, for the selfmeasure tests."""

import datetime as dt
import math

from django.utils import timezone

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.fieldwork.models import ItemKind, ItemPurpose, Questionnaire, QuestionnaireStatus
from manyi.selfmeasure import collection, services
from manyi.surveys.models import MeasurementRun
from manyi.surveys.services import execute_run
from tests.fieldwork.factories import make_questionnaire


def published_questionnaire(world, *, category="brand", model="china", min_seconds=60):
    """The category's published questionnaire (one per category), made the first time."""
    found = Questionnaire.objects.filter(
        category=category, status=QuestionnaireStatus.PUBLISHED
    ).first()
    return found or make_questionnaire(
        world.users[Role.COMMITTEE_STAFF], category=category, model=model, min_seconds=min_seconds
    )


def own_survey(world, *, user=None, questionnaire=None, target=60, title="2026年用户满意度自评"):
    today = timezone.localdate()
    return services.create_own_survey(
        by=user or world.users[Role.ENTERPRISE_USER],
        title=title,
        questionnaire=questionnaire or published_questionnaire(world),
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        target_responses=target,
    )


def simulated_answers(questionnaire, *, n: int, seed: int, shift: dict | None = None) -> list:
    """`n` complete answer sets: the model's items drawn from the preset's population (so the
    model fits), `shift` adds points to every item of a construct (e.g. {"QUALITY": 1.5});
    every fifth respondent complained."""
    model = measurement.load_preset(questionnaire.model_name)
    sim = measurement.simulate(model, n=n, seed=seed, discrete=False)
    block_of = {ind: lv for lv, block in model.blocks.items() for ind in block}
    out = []
    for i in range(n):
        answers = {}
        for q in questionnaire.questions:
            code = q["code"]
            if q["kind"] == ItemKind.SCORE:
                value = sim.data[q["indicator"]][i] + (shift or {}).get(block_of[q["indicator"]], 0)
                answers[code] = int(min(q["max"], max(q["min"], round(value))))
            elif q["kind"] == ItemKind.YES_NO:
                answers[code] = (i % 5 == 0) if q["purpose"] == ItemPurpose.COMPLAINT else True
            else:
                answers[code] = ""
        assert not any(isinstance(v, float) and math.isnan(v) for v in answers.values())
        out.append(answers)
    return out


def answer(survey, answers, *, cookie, seconds=600, ip="198.51.100.1"):
    """One response through the collection service, answered in `seconds`."""
    now = timezone.now()
    return collection.record_own_response(
        survey=survey,
        answers=answers,
        cookie=cookie,
        started=now - dt.timedelta(seconds=seconds),
        submitted_at=now,
        ip=ip,
    )


def fill(survey, *, n=60, seed=1, shift=None, prefix="browser"):
    for i, answers in enumerate(
        simulated_answers(survey.questionnaire, n=n, seed=seed, shift=shift)
    ):
        answer(survey, answers, cookie=f"{prefix}-{seed}-{i}", ip=f"198.51.100.{i % 200}")
    return survey


def closed_survey(world, *, n=60, seed=1, shift=None, user=None, questionnaire=None, compute=True):
    """An own survey answered by `n` browsers, closed, its run computed unless not `compute`."""
    user = user or world.users[Role.ENTERPRISE_USER]
    survey = own_survey(world, user=user, questionnaire=questionnaire)
    fill(survey, n=n, seed=seed, shift=shift)
    services.close_own_survey(survey=survey, by=user)
    survey.refresh_from_db()
    if compute:
        execute_run(run=MeasurementRun.objects.get(pk=survey.run_id))
        survey.refresh_from_db()
    return survey


def own_upload(world, *, user=None, preset="china", n=120, seed=5, resamples=0, title="自有数据"):
    """A data set the enterprise uploaded itself (private) with one computed run."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from manyi.surveys import services as measuring
    from tests.surveys.conftest import survey_csv

    user = user or world.users[Role.ENTERPRISE_USER]
    dataset = measuring.upload_dataset(
        by=user,
        upload=SimpleUploadedFile("own.csv", survey_csv(n=n, seed=seed, groups=0, preset=preset)),
        title=title,
        scope="enterprise",
        industry="",
        survey_year=2026,
    )
    run = measuring.request_run(
        by=user,
        dataset=dataset,
        title=title,
        model_name=preset,
        model_spec=measurement.load_preset(preset).to_dict(),
        options={
            "scheme": "path",
            "scaling": "standardized",
            "missing": "mean",
            "resamples": resamples,
        },
        seed=seed,
    )
    return execute_run(run=run)
