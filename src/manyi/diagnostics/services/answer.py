"""The enterprise answers the submitted report: its reply, and an improvement plan whose
actions each name the recommendation they answer (`selfmeasure.plans`)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.punctuation import join_words
from manyi.diagnostics import mail, selectors
from manyi.diagnostics.access import ANSWER, group_of, submitted_report
from manyi.diagnostics.models import DiagnosisStatus, Priority
from manyi.diagnostics.services.moves import move
from manyi.selfmeasure import plans

REPLY_MAX = 4000
ACTIONS_MAX = 60


def _row_problems(i: int, row: dict, keys: set[str], today: dt.date) -> list[str]:
    problems = []
    if row["driver"] not in keys:
        problems.append(_("请选择所针对的改进建议"))
    if not row["description"]:
        problems.append(_("请填写改进措施"))
    if not row["owner"]:
        problems.append(_("请填写负责部门或负责人"))
    due = row["due_on"]
    if not isinstance(due, dt.date):
        problems.append(_("请填写完成期限"))
    elif due < today:
        problems.append(_("完成期限不能早于今天"))
    return [_("第 %(i)d 项措施：%(p)s") % {"i": i, "p": p} for p in problems]


def clean_actions(report, actions) -> list[dict]:
    """The plan's actions as `plans.add_action` takes them: blank rows dropped; every problem
    named by row; at least one action, and one for every high-priority recommendation."""
    keys = {r["key"] for r in report.recommendations}
    rows = []
    for raw in actions:
        row = {
            "driver": (raw.get("driver") or "").strip(),
            "description": (raw.get("description") or "").strip(),
            "owner": (raw.get("owner") or "").strip(),
            "due_on": raw.get("due_on"),
        }
        if row["description"] or row["owner"] or row["due_on"]:
            rows.append(row)
    errors = []
    today = timezone.localdate()
    for i, row in enumerate(rows, start=1):
        errors += _row_problems(i, row, keys, today)
    if not rows:
        errors.append(_("请至少制定一项改进措施"))
    if len(rows) > ACTIONS_MAX:
        errors.append(_("改进措施最多 %(n)d 项") % {"n": ACTIONS_MAX})
    answered = {row["driver"] for row in rows}
    missing = [
        r["key"]
        for r in report.recommendations
        if r.get("priority") == Priority.HIGH and r["key"] not in answered
    ]
    if missing:
        errors.append(
            _("每条“高”优先级的建议至少需要一项改进措施，尚未对应：%(keys)s")
            % {"keys": join_words(missing)}
        )
    if errors:
        raise ValidationError({"actions": errors})
    return rows


def answer_diagnosis(*, diagnosis, by, reply: str, actions) -> "plans.ImprovementPlan":
    """The enterprise answers the submitted report with its reply and an improvement plan.
    `actions`: dicts with driver (the recommendation's key, e.g. "R2"), description, owner and
    due_on. All or nothing: refused (ValidationError listing every problem by row) without a
    reply, without an action, with an action naming no recommendation of the report, or with a
    high-priority recommendation left without an action.

    Side effects, in one transaction: the ImprovementPlan answering the diagnosis
    (`plans.create_plan_for_diagnosis`, logged "improvement.plan_create"), its actions
    (`plans.add_action`, each logged "improvement.action_add"); reported → answered with the
    reply (activity log "diagnosis.answer"); after commit, mail to the agency's staff and the
    group.
    """
    ANSWER.require(by, diagnosis)
    report = submitted_report(diagnosis)
    reply = (reply or "").strip()
    errors = {}
    if not reply:
        errors["reply"] = [_("请填写对诊断报告的意见")]
    elif len(reply) > REPLY_MAX:
        errors["reply"] = [_("意见请不超过 %(n)d 字") % {"n": REPLY_MAX}]
    try:
        rows = clean_actions(report, actions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = plans.create_plan_for_diagnosis(diagnosis=diagnosis, by=by)
        for row in rows:
            plans.add_action(plan=plan, by=by, **row)
        move(
            diagnosis=diagnosis,
            to=DiagnosisStatus.ANSWERED,
            by=by,
            fields={"reply": reply, "answered_at": timezone.now()},
            after={"plan": plan.pk, "actions": len(rows)},
        )
        mail.send(
            "answered",
            [
                *selectors.agency_staff_emails(diagnosis.agency),
                *(m.expert.email for m in group_of(diagnosis)),
            ],
            {"diagnosis": diagnosis, "plan": plan, "actions": rows},
        )
    return plan
