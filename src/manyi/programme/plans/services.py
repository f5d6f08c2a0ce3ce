"""The only code that changes the annual plan itself (Art. 9); its activities change
through `plans.activities`.

- `create_plan` / `update_plan`: the year's theme and summary (optionally in English).
- `publish_plan` / `unpublish_plan`: the one door between draft and published.

Every function checks its Action, runs in one transaction and writes an activity-log entry.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity, snapshot
from manyi.programme.models import AnnualPlan, PlanStatus
from manyi.programme.plans.access import EDIT_PLAN, PUBLISH_PLAN, UNPUBLISH_PLAN

FIRST_YEAR, LAST_YEAR = 2000, 2100
PLAN_FIELDS = ("theme", "theme_en", "summary", "summary_en")


def race_lost():
    """Someone else moved the same object a moment earlier."""
    return ValidationError(_("该记录刚被其他人修改，请刷新页面后重试"))


# ------------------------------------------------------------------------------------------
# The plan


def _plan_fields(*, theme, summary, theme_en, summary_en) -> dict:
    fields = {
        "theme": (theme or "").strip(),
        "theme_en": (theme_en or "").strip(),
        "summary": (summary or "").strip(),
        "summary_en": (summary_en or "").strip(),
    }
    errors = {}
    if not fields["theme"]:
        errors["theme"] = [_("请填写年度推进主题")]
    elif len(fields["theme"]) > 200:
        errors["theme"] = [_("年度推进主题不超过 200 字")]
    if len(fields["theme_en"]) > 300:
        errors["theme_en"] = [_("英文主题不超过 300 个字符")]
    if not fields["summary"]:
        errors["summary"] = [_("请填写工作计划概要")]
    if errors:
        raise ValidationError(errors)
    return fields


def create_plan(
    *, by, year: int, theme: str, summary: str, theme_en: str = "", summary_en: str = ""
) -> AnnualPlan:
    """The year's work plan, as a draft (nobody outside the offices sees it yet).

    Refused (ValidationError, nothing stored): a year out of range or already planned, no
    theme or summary. Side effects: the AnnualPlan; an activity-log entry "plan.create".
    """
    EDIT_PLAN.require(by, None)
    fields = _plan_fields(theme=theme, summary=summary, theme_en=theme_en, summary_en=summary_en)
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": [_("请填写正确的年度")]})
    with transaction.atomic():
        if AnnualPlan.objects.filter(year=year).exists():
            raise ValidationError({"year": [_("%(year)d 年度的工作计划已经存在") % {"year": year}]})
        plan = AnnualPlan.objects.create(year=year, created_by=by, **fields)
        log_activity(actor=by, action="plan.create", obj=plan, after={"year": year, **fields})
    return plan


def update_plan(
    *, plan: AnnualPlan, by, theme: str, summary: str, theme_en: str = "", summary_en: str = ""
) -> AnnualPlan:
    """Change the plan's theme and summary (a published plan changes in public at once).

    Side effects: the plan's fields; an activity-log entry "plan.update" with what changed
    (nothing is logged when nothing changed).
    """
    EDIT_PLAN.require(by, plan)
    fields = _plan_fields(theme=theme, summary=summary, theme_en=theme_en, summary_en=summary_en)
    before = snapshot(plan, PLAN_FIELDS)
    changed = [name for name, value in fields.items() if before[name] != value]
    if not changed:
        return plan
    with transaction.atomic():
        for name in changed:
            setattr(plan, name, fields[name])
        plan.save(update_fields=[*changed, "updated_at"])
        log_activity(
            actor=by,
            action="plan.update",
            obj=plan,
            before={name: before[name] for name in changed},
            after={name: fields[name] for name in changed},
        )
    return plan


def publish_plan(*, plan: AnnualPlan, by) -> AnnualPlan:
    """Show the plan on the public site (/plan/, the home page's theme).

    Side effects: status published and the time, only if it was still a draft (else the
    refusal that someone was faster); an activity-log entry "plan.publish".
    """
    PUBLISH_PLAN.require(by, plan)
    now = timezone.now()
    with transaction.atomic():
        moved = AnnualPlan.objects.filter(pk=plan.pk, status=PlanStatus.DRAFT).update(
            status=PlanStatus.PUBLISHED, published_at=now, updated_at=now
        )
        if not moved:
            raise race_lost()
        plan.status, plan.published_at = PlanStatus.PUBLISHED, now
        log_activity(
            actor=by,
            action="plan.publish",
            obj=plan,
            before={"status": PlanStatus.DRAFT},
            after={"status": PlanStatus.PUBLISHED},
        )
    return plan


def unpublish_plan(*, plan: AnnualPlan, by, reason: str = "") -> AnnualPlan:
    """Take the plan off the public site (back to a draft), with an optional reason.

    Side effects: status draft, only if it was published; an activity-log entry
    "plan.unpublish" with the reason as its note.
    """
    UNPUBLISH_PLAN.require(by, plan)
    now = timezone.now()
    with transaction.atomic():
        moved = AnnualPlan.objects.filter(pk=plan.pk, status=PlanStatus.PUBLISHED).update(
            status=PlanStatus.DRAFT, updated_at=now
        )
        if not moved:
            raise race_lost()
        plan.status = PlanStatus.DRAFT
        log_activity(
            actor=by,
            action="plan.unpublish",
            obj=plan,
            before={"status": PlanStatus.PUBLISHED},
            after={"status": PlanStatus.DRAFT},
            note=(reason or "").strip()[:500],
        )
    return plan
