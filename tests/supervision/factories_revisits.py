"""Objects the revisit and holder-survey tests share: title holders, experts of the pool, revisits
at each step, and holder surveys with a finished measurement."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork.models import Survey, SurveyPurpose, SurveyStatus
from manyi.supervision.models import HolderSurvey, Revisit, RevisitExpert, RevisitStatus
from manyi.surveys.models import MeasurementRun, ResponseDataset
from tests.factories import OrganisationFactory
from tests.reviews.factories import granted_title, make_expert

_serial = itertools.count(1)


def holder(world, name=None):
    """A new enterprise of the world's agency."""
    return OrganisationFactory(name=name or f"回访测试{next(_serial)}有限公司", agency=world.agency)


def title_of(world, category="product", *, organisation=None, campaign=None):
    """A valid title of a new enterprise (unless given)."""
    return granted_title(
        world, category, organisation=organisation or holder(world), campaign=campaign
    )


def campaign_now():
    from tests.applications.helpers import open_campaign

    return open_campaign()


def experts(world, n=3, *, campaign=None, **kwargs) -> list:
    """`n` experts of the pool who signed the declaration of `campaign` (this year's)."""
    campaign = campaign or campaign_now()
    return [
        make_expert(world, campaign=campaign, employer=f"广州第{next(_serial)}研究院", **kwargs)
        for _ in range(n)
    ]


def revisit(world, title=None, *, visit_on=None, status=RevisitStatus.PLANNED, team=None):
    """A revisit of `title` (a new one unless given) on `visit_on` (today unless given), built
    directly with the models; `team` experts (the first leads) when given."""
    title = title or title_of(world)
    today = timezone.localdate()
    made = Revisit.objects.create(
        title=title,
        visit_on=visit_on or today,
        prepare="称号证书、牌匾、测评资料",
        status=status,
        expert_seed=7 if team else None,
        notified_at=timezone.now() if status != RevisitStatus.PLANNED else None,
        created_by=world.users[Role.COMMITTEE_STAFF],
    )
    for position, expert in enumerate(team or ()):
        RevisitExpert.objects.create(
            revisit=made, expert=expert, position=position, leader=position == 0
        )
    return made


def notified(world, title=None, *, visit_on=None, n=2):
    """A notified revisit with `n` experts of the pool; returns (revisit, [experts])."""
    team = experts(world, n)
    return revisit(world, title, visit_on=visit_on, status=RevisitStatus.NOTIFIED, team=team), team


# ------------------------------------------------------------------------------------------
# Holder surveys


def finished_run(world, *, index: float, status="done", year=None) -> MeasurementRun:
    staff = world.users[Role.COMMITTEE_STAFF]
    dataset = ResponseDataset.objects.create(
        title="获证后调查数据",
        survey_year=year or timezone.localdate().year,
        organisation=world.committee,
        uploaded_by=staff,
        file_path="datasets/none.csv",
        original_name="none.csv",
        file_format="csv",
        sha256="0" * 64,
        size_bytes=1,
        n_rows=100,
        columns=[],
        numeric_columns=[],
    )
    return MeasurementRun.objects.create(
        dataset=dataset,
        title="获证后调查",
        model_name="china",
        model_spec={},
        data_hash="0" * 64,
        options={},
        seed=1,
        status=status,
        result={"index": {"SAT": index}} if status == "done" else None,
        bootstrap_result={"index": {"SAT": {"percentile": [index - 2, index + 2]}}}
        if status == "done"
        else None,
        created_by=staff,
    )


def holder_survey(
    world, title=None, *, index=None, run_status="done", line=Decimal("60"), closed=True
):
    """A HolderSurvey of `title` (a new one unless given) whose fieldwork survey is closed with
    a measurement run at `run_status` (its index `index`), or still in the field (`closed`
    False, no run). Built directly with the models; not yet assessed."""
    from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus
    from tests.fieldwork.factories import make_questionnaire

    title = title or title_of(world)
    staff = world.users[Role.COMMITTEE_STAFF]
    questionnaire = Questionnaire.objects.filter(
        category=title.category, status=QuestionnaireStatus.PUBLISHED
    ).first() or make_questionnaire(staff, category=title.category)
    today = timezone.localdate()
    run = finished_run(world, index=index or 0, status=run_status) if closed else None
    survey = Survey.objects.create(
        application=title.application,
        purpose=SurveyPurpose.HOLDER,
        campaign=title.application.campaign,
        firm=world.survey_firm,
        questionnaire=questionnaire,
        status=SurveyStatus.CLOSED if closed else SurveyStatus.IN_FIELD,
        field_opens=today - timedelta(days=30),
        field_closes=today - timedelta(days=1),
        assigned_by=staff,
        run=run,
        dataset=run.dataset if run else None,
        summary={"n_usable": 100, "complaint_rate": 0.05} if closed else None,
    )
    return HolderSurvey.objects.create(
        title=title, survey=survey, severely_low=line, launched_by=staff
    )
