"""The demo's own measurement (Art. 19): the demo enterprise surveyed its customers itself in
autumn 2025, made an improvement plan from the importance–performance map (some actions done),
surveyed again in autumn 2026 (the targeted drivers moved), and has a survey collecting now.

Built through the services a person uses (create, respond, close, plan, tick off), so the
activity log reads as it would. Written directly, and only here: the dates (a demo made in a
minute would have every survey and answer today) — the surveys' periods and closing times, the
answer times, and the times of the data sets, runs, plan and ticks. Idempotent: a survey that
already exists is left as it is.
"""

import datetime as dt
import random

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi import measurement
from manyi.accounts.access import organisations_for
from manyi.accounts.models import User
from manyi.accounts.roles import Role
from manyi.fieldwork.models import ItemKind, ItemPurpose, Questionnaire, QuestionnaireStatus
from manyi.selfmeasure import collection, plans, progress, services
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan, OwnResponse, OwnSurvey
from manyi.surveys.models import MeasurementRun, ResponseDataset
from manyi.surveys.services import execute_run

DEMO_ORDER = 75

ENTERPRISE_USER = "enterprise@demo.manyi.cn"
CATEGORY = "brand"
FIRST = "2025年秋季门店顾客满意度自评"
SECOND = "2026年秋季门店顾客满意度自评"
OPEN = "2026年冬季售后服务满意度自评"
PLAN = "2026年顾客满意改进计划"
# Scale points added to every item of a construct: 2025 found quality and value wanting;
# after the plan's actions, 2026 customers rated the targeted drivers (and so their
# satisfaction) higher.
SHIFT_2025 = {"QUALITY": -0.9, "VALUE": -0.7, "SAT": -0.5, "LOYAL": -0.4}
SHIFT_2026 = {"QUALITY": 0.4, "VALUE": 0.3, "SAT": 0.2, "LOYAL": 0.1}
ACTIONS = [
    # (driver, indicator, description, owner, due, done note or "")
    (
        "QUALITY",
        "quality3",
        "主要产品的出厂检验增加可靠性抽检，返修率按月通报",
        "质量管理部",
        dt.date(2026, 3, 31),
        "已于3月起执行，返修率由2.1%降至1.3%",
    ),
    (
        "QUALITY",
        "",
        "售后上门服务承诺24小时内响应，超时自动提醒主管",
        "客户服务中心",
        dt.date(2026, 5, 31),
        "已上线派单提醒，平均响应时间降至18小时",
    ),
    (
        "VALUE",
        "",
        "推出以旧换新和延长保修套餐，让顾客看到物有所值",
        "市场营销部",
        dt.date(2026, 12, 31),
        "",
    ),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _answers(questionnaire, n: int, seed: int, shift: dict) -> list[dict]:
    model = measurement.load_preset(questionnaire.model_name)
    sim = measurement.simulate(model, n=n, seed=seed, discrete=False)
    block_of = {ind: lv for lv, block in model.blocks.items() for ind in block}
    rng = random.Random(seed)
    out = []
    for i in range(n):
        answers = {}
        for q in questionnaire.questions:
            code = q["code"]
            if q["kind"] == ItemKind.SCORE:
                value = sim.data[q["indicator"]][i] + shift.get(block_of[q["indicator"]], 0)
                answers[code] = int(min(q["max"], max(q["min"], round(value))))
            elif q["purpose"] == ItemPurpose.COMPLAINT and q["kind"] == ItemKind.YES_NO:
                answers[code] = rng.random() < 0.12
            elif q["kind"] == ItemKind.YES_NO:
                answers[code] = True
            elif q["purpose"] == ItemPurpose.COMPLAINT:
                answers[code] = "送货时间一改再改。" if answers.get("complaint") else ""
            else:
                answers[code] = rng.choice(["", "", "希望门店周末延长营业时间。", "服务很好。"])
        out.append(answers)
    return out


def _collect(survey, *, n: int, seed: int, shift: dict, times: list[dt.datetime]) -> None:
    """`n` customers answer through the link, each in five to twelve minutes, at `times`."""
    rng = random.Random(seed)
    for i, answers in enumerate(_answers(survey.questionnaire, n, seed, shift)):
        submitted = times[i % len(times)]
        response = collection.record_own_response(
            survey=survey,
            answers=answers,
            cookie=f"demo-{survey.pk}-{i}",
            started=submitted - dt.timedelta(seconds=rng.randint(300, 720)),
            submitted_at=submitted,
        )
        OwnResponse.objects.filter(pk=response.pk).update(submitted_at=submitted)


def _survey(user, questionnaire, title: str, target: int, *, opens_on, closes_on) -> OwnSurvey:
    """The survey created through the service (which takes today's dates only), then dated to
    its period."""
    today = timezone.localdate()
    survey = services.create_own_survey(
        by=user,
        title=title,
        questionnaire=questionnaire,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        target_responses=target,
    )
    # Answers are recorded while the link is open today; the period is set once they are in.
    survey.period = (opens_on, closes_on)
    return survey


def _dated(survey) -> OwnSurvey:
    opens_on, closes_on = survey.period
    OwnSurvey.objects.filter(pk=survey.pk).update(opens_on=opens_on, closes_on=closes_on)
    survey.refresh_from_db()
    return survey


def _measured(user, questionnaire, title, *, opens_on, closes_on, n, seed, shift, closed_on):
    """An own survey answered in its period, closed on `closed_on`, its run computed now."""
    survey = _survey(user, questionnaire, title, n, opens_on=opens_on, closes_on=closes_on)
    days = (closes_on - opens_on).days
    times = [_at(opens_on + dt.timedelta(days=i * days // n), 9 + i % 10) for i in range(n)]
    _collect(survey, n=n, seed=seed, shift=shift, times=times)
    survey = _dated(survey)
    services.close_own_survey(survey=survey, by=user)
    survey.refresh_from_db()
    closed_at = _at(closed_on, 16)
    OwnSurvey.objects.filter(pk=survey.pk).update(closed_at=closed_at)
    ResponseDataset.objects.filter(pk=survey.dataset_id).update(uploaded_at=closed_at)
    MeasurementRun.objects.filter(pk=survey.run_id).update(created_at=closed_at)
    # Computed now, so the report opens at once; the queued task then finds it done.
    run = execute_run(run=MeasurementRun.objects.get(pk=survey.run_id))
    MeasurementRun.objects.filter(pk=run.pk).update(finished_at=closed_at)
    run.refresh_from_db()
    survey.refresh_from_db()
    return survey, run


def _plan(user, run) -> ImprovementPlan:
    plan = plans.create_plan(run=run, by=user, title=PLAN)
    ImprovementPlan.objects.filter(pk=plan.pk).update(created_at=_at(dt.date(2025, 11, 20)))
    for driver, indicator, description, owner, due_on, note in ACTIONS:
        if driver not in progress.drivers_of(run):
            continue
        action = plans.add_action(
            plan=plan,
            by=user,
            driver=driver,
            indicator=indicator,
            description=description,
            owner=owner,
            due_on=due_on,
        )
        if note:
            plans.complete_action(action=action, by=user, note=note)
            done_at = _at(due_on - dt.timedelta(days=6))
            ImprovementAction.objects.filter(pk=action.pk).update(done_at=done_at)
    return plan


def load_own_measurement() -> dict:
    user = User.objects.get(email=ENTERPRISE_USER)
    organisation = organisations_for(user, Role.ENTERPRISE_USER)[0]
    questionnaire = Questionnaire.objects.get(
        category=CATEGORY, status=QuestionnaireStatus.PUBLISHED
    )
    found = {s.title: s for s in OwnSurvey.objects.filter(organisation=organisation)}
    out = {}
    if FIRST not in found:
        first, run = _measured(
            user,
            questionnaire,
            FIRST,
            opens_on=dt.date(2025, 9, 1),
            closes_on=dt.date(2025, 10, 31),
            n=160,
            seed=2025,
            shift=SHIFT_2025,
            closed_on=dt.date(2025, 11, 3),
        )
        _plan(user, run)
        # The enterprise chose to show its first measurement to its agency and the programme.
        services.share_measurement(dataset=first.dataset, by=user)
        found[FIRST] = first
    if SECOND not in found:
        found[SECOND], _run = _measured(
            user,
            questionnaire,
            SECOND,
            opens_on=dt.date(2026, 9, 1),
            closes_on=dt.date(2026, 10, 31),
            n=180,
            seed=2026,
            shift=SHIFT_2026,
            closed_on=dt.date(2026, 11, 4),
        )
    if OPEN not in found:
        today = timezone.localdate()
        survey = _survey(
            user,
            questionnaire,
            OPEN,
            200,
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=20),
        )
        now = timezone.now()
        times = [now - dt.timedelta(hours=7 * i + 1) for i in range(14)]
        _collect(survey, n=14, seed=2027, shift={}, times=times)
        # One customer tapped through in seconds: flagged for the enterprise to judge.
        hurried = _answers(questionnaire, 1, 2028, {})[0]
        collection.record_own_response(
            survey=survey, answers=hurried, cookie=f"demo-{survey.pk}-fast", started=now
        )
        found[OPEN] = _dated(survey)
    out["surveys"] = found
    out["plan"] = ImprovementPlan.objects.filter(organisation=organisation, title=PLAN).first()
    return out


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo``: the enterprise's own pages."""
    loaded = load_own_measurement()
    report.lines.append(_("  企业自主测评（%(email)s）：/own/") % {"email": ENTERPRISE_USER})
    if loaded["plan"] is not None:
        report.lines.append(
            _("  改进计划：%(title)s  /own/plans/%(pk)d/")
            % {"title": loaded["plan"].title, "pk": loaded["plan"].pk}
        )
    survey = loaded["surveys"].get(OPEN)
    if survey is not None:
        report.lines.append(_("  收集中的自主调查链接：/q/%(token)s/") % {"token": survey.token})
