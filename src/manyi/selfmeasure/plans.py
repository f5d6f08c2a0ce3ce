"""The only code that changes improvement plans and their actions (Art. 19: the enterprise
acts on what its measurement shows; Art. 15: and on what a diagnostic group found).

A plan answers one of the enterprise's own finished measurements; each action targets a driver
of that measurement's importance–performance map (and optionally one of its indicators), with
the driver's or indicator's performance in that measurement kept as the baseline. The next
measurement shows whether the targeted drivers moved (`progress.driver_changes`).

A plan may instead answer a diagnosis's submitted report (`create_plan_for_diagnosis`, called
by `diagnostics.services.answer`): each action's `driver` is then the key of the report's
recommendation it answers ("R2"), without indicator or baseline, and every "high"
recommendation keeps at least one action (`update_action` and `delete_action` refuse to leave
one uncovered).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.punctuation import local_date
from manyi.common.services import log_activity
from manyi.diagnostics.models import Priority
from manyi.selfmeasure import progress
from manyi.selfmeasure.access import (
    COMPLETE_ACTION,
    CREATE_DIAGNOSIS_PLAN,
    CREATE_PLAN,
    DELETE_ACTION,
    EDIT_ACTION,
    EDIT_PLAN,
    REOPEN_ACTION,
)
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan

MAX_NOTE = 300


def create_plan(*, run, by, title: str = "") -> ImprovementPlan:
    """A plan answering one of the enterprise's own finished measurements (private or shared).

    Side effects: the ImprovementPlan (target: the construct the run's map explains); an
    activity-log entry ``improvement.plan_create``.
    """
    CREATE_PLAN.require(by, run)
    title = (title or "").strip() or _("改进计划：%(run)s") % {"run": run.title}
    with transaction.atomic():
        plan = ImprovementPlan.objects.create(
            organisation=run.dataset.organisation,
            run=run,
            title=title[:200],
            target_lv=progress.target_of(run),
            created_by=by,
        )
        log_activity(
            actor=by,
            action="improvement.plan_create",
            obj=plan,
            organisation=plan.organisation,
            after={"run": run.pk, "target": plan.target_lv},
        )
    return plan


def create_plan_for_diagnosis(*, diagnosis, by, title: str = "") -> ImprovementPlan:
    """A plan answering a diagnosis's submitted report (one per diagnosis), for the enterprise
    that asked for it. Refused before the report is submitted or when the diagnosis has a plan.

    Side effects: the ImprovementPlan (no measurement, no target construct); an activity-log
    entry ``improvement.plan_create``.
    """
    CREATE_DIAGNOSIS_PLAN.require(by, diagnosis)
    title = (title or "").strip() or _("诊断改进计划：%(agency)s %(day)s") % {
        "agency": diagnosis.agency.name,
        "day": local_date(diagnosis.visit_starts_at or diagnosis.requested_at),
    }
    with transaction.atomic():
        plan = ImprovementPlan.objects.create(
            organisation=diagnosis.enterprise,
            diagnosis=diagnosis,
            title=title[:200],
            target_lv="",
            created_by=by,
        )
        log_activity(
            actor=by,
            action="improvement.plan_create",
            obj=plan,
            organisation=plan.organisation,
            after={"diagnosis": diagnosis.pk},
        )
    return plan


def recommendations_of(plan) -> list[dict]:
    """The recommendations a diagnosis plan answers ({key, text, priority}); [] for a plan
    made from a measurement."""
    if plan.diagnosis_id is None:
        return []
    report = getattr(plan.diagnosis, "report", None)
    return list(report.recommendations) if report is not None else []


def _target_problems(plan, driver: str, indicator: str) -> dict[str, list[str]]:
    if plan.diagnosis_id is not None:
        errors = {}
        if driver not in {r["key"] for r in recommendations_of(plan)}:
            errors["driver"] = [_("请选择诊断报告中的一条改进建议")]
        if indicator:
            errors["indicator"] = [_("诊断改进计划的措施不针对测评指标")]
        return errors
    if driver not in progress.drivers_of(plan.run):
        return {"driver": [_("请选择本次测评的一个驱动因素")]}
    if indicator and indicator not in progress.indicators_of(plan.run, driver):
        return {"indicator": [_("该指标不属于所选的改进对象")]}
    return {}


def _checked(plan, *, driver, indicator, description, owner, due_on) -> dict:
    """The action's fields with the baseline from the plan's measurement (none for a
    diagnosis plan), or ValidationError (a dict by field) listing every problem."""
    driver = (driver or "").strip()
    indicator = (indicator or "").strip()
    errors = _target_problems(plan, driver, indicator)
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("请填写改进措施")]
    owner = (owner or "").strip()
    if not owner:
        errors["owner"] = [_("请填写负责部门或负责人")]
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("请填写完成期限")]
    if errors:
        raise ValidationError(errors)
    baseline = (
        None if plan.diagnosis_id is not None else progress.baseline(plan.run, driver, indicator)
    )
    return {
        "driver": driver,
        "indicator": indicator,
        "baseline": baseline,
        "description": description[:4000],
        "owner": owner[:100],
        "due_on": due_on,
    }


def _uncovered_high(action, new_driver: str | None = None) -> str:
    """The key of the high-priority recommendation that changing `action`'s target to
    `new_driver` (None: deleting it) would leave without an action; "" when none would."""
    plan = action.plan
    if plan.diagnosis_id is None or new_driver == action.driver:
        return ""
    high = {r["key"] for r in recommendations_of(plan) if r.get("priority") == Priority.HIGH}
    if action.driver not in high:
        return ""
    others = plan.actions.exclude(pk=action.pk).filter(driver=action.driver).exists()
    return "" if others else action.driver


def _keep_high_covered(action, new_driver: str | None = None) -> None:
    key = _uncovered_high(action, new_driver)
    if key:
        raise ValidationError(
            _("这是对“高”优先级建议 %(key)s 的唯一措施，不能改为其他建议或删除；可以修改措施内容")
            % {"key": key}
        )


def add_action(
    *, plan, by, driver: str, indicator: str = "", description: str, owner: str, due_on
) -> ImprovementAction:
    """Add an action to the plan. Refused (ValidationError by field) for a driver not on the
    plan's map, an indicator of another driver, or a missing description, owner or date.
    Side effects: the action (open, with its baseline); an activity-log entry."""
    EDIT_PLAN.require(by, plan)
    fields = _checked(
        plan,
        driver=driver,
        indicator=indicator,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    with transaction.atomic():
        action = ImprovementAction.objects.create(plan=plan, created_by=by, **fields)
        log_activity(
            actor=by,
            action="improvement.action_add",
            obj=action,
            organisation=plan.organisation,
            after={k: v for k, v in fields.items() if k != "description"},
        )
    return action


def update_action(
    *, action, by, driver: str, indicator: str = "", description: str, owner: str, due_on
) -> ImprovementAction:
    """Change an open action (its baseline follows the driver or indicator). Side effects: the
    action saved; an activity-log entry with what changed."""
    EDIT_ACTION.require(by, action)
    fields = _checked(
        action.plan,
        driver=driver,
        indicator=indicator,
        description=description,
        owner=owner,
        due_on=due_on,
    )
    _keep_high_covered(action, fields["driver"])
    before = {k: getattr(action, k) for k in fields if getattr(action, k) != fields[k]}
    with transaction.atomic():
        moved = ImprovementAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            **fields
        )
        if not moved:
            raise ValidationError(_("该措施已由同事标记为完成"))
        log_activity(
            actor=by,
            action="improvement.action_update",
            obj=action,
            organisation=action.plan.organisation,
            before=before,
            after={k: fields[k] for k in before},
        )
    for name, value in fields.items():
        setattr(action, name, value)
    return action


def complete_action(*, action, by, note: str = "") -> ImprovementAction:
    """Tick an action done, with a note on what was done. Side effects: done time, person and
    note stored; an activity-log entry."""
    COMPLETE_ACTION.require(by, action)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [_("完成情况最多 %(n)d 字") % {"n": MAX_NOTE}]})
    now = timezone.now()
    with transaction.atomic():
        moved = ImprovementAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
            done_at=now, done_by=by, done_note=note
        )
        if not moved:
            raise ValidationError(_("该措施已由同事标记为完成"))
        log_activity(
            actor=by,
            action="improvement.action_done",
            obj=action,
            organisation=action.plan.organisation,
            after={"note": note},
        )
    action.done_at, action.done_by, action.done_note = now, by, note
    return action


def reopen_action(*, action, by) -> ImprovementAction:
    """Open a done action again (it was not finished after all). Side effects: the done time,
    person and note cleared; an activity-log entry keeping the old note."""
    REOPEN_ACTION.require(by, action)
    with transaction.atomic():
        moved = ImprovementAction.objects.filter(pk=action.pk, done_at__isnull=False).update(
            done_at=None, done_by=None, done_note=""
        )
        if not moved:
            raise ValidationError(_("该措施已由同事重新打开"))
        log_activity(
            actor=by,
            action="improvement.action_reopen",
            obj=action,
            organisation=action.plan.organisation,
            before={"done_at": action.done_at, "note": action.done_note},
        )
    action.done_at, action.done_by, action.done_note = None, None, ""
    return action


def delete_action(*, action, by) -> None:
    """Delete an open action (a done one is the plan's record and stays). Side effects: an
    activity-log entry with what it said; the action deleted."""
    DELETE_ACTION.require(by, action)
    _keep_high_covered(action)
    with transaction.atomic():
        log_activity(
            actor=by,
            action="improvement.action_delete",
            obj=action,
            organisation=action.plan.organisation,
            before={
                "driver": action.driver,
                "indicator": action.indicator,
                "description": action.description,
                "owner": action.owner,
                "due_on": action.due_on,
            },
        )
        deleted, _rows = ImprovementAction.objects.filter(
            pk=action.pk, done_at__isnull=True
        ).delete()
        if not deleted:
            raise ValidationError(_("该措施已由同事标记为完成，不能删除"))


def is_overdue(action, today: dt.date | None = None) -> bool:
    return action.done_at is None and action.due_on < (today or timezone.localdate())
