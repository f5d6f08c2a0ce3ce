"""The only code that changes an organisation's yearly training plan (Art. 18: 制定教育培训计划).

One plan per organisation and year: its aims and its items (topic, course, month, audience,
number of people, hours). Saving replaces the items as a whole, so the plan is always what
the form last showed.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.training import access
from manyi.training.models import Topic, TrainingPlan, TrainingPlanItem

ITEM_FIELDS = ("topic", "title", "month", "audience", "people", "hours")
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_ITEMS = 100


def _item_problems(number: int, item: dict) -> list[str]:
    def say(message) -> str:
        return _("第 %(n)d 项：") % {"n": number} + message

    problems = []
    if item.get("topic") not in Topic.values:
        problems.append(say(_("请选择培训内容")))
    if not (item.get("title") or "").strip():
        problems.append(say(_("请填写课程")))
    if not (item.get("audience") or "").strip():
        problems.append(say(_("请填写培训对象")))
    month = item.get("month")
    if not isinstance(month, int) or not 1 <= month <= 12:
        problems.append(say(_("月份应在 1 到 12 之间")))
    people = item.get("people")
    if not isinstance(people, int) or not 1 <= people <= 100_000:
        problems.append(say(_("计划人数应为正整数")))
    hours = item.get("hours")
    if not isinstance(hours, Decimal) or not Decimal("0.5") <= hours <= Decimal(200):
        problems.append(say(_("学时应在 0.5 到 200 之间")))
    return problems


def _summary(plan: TrainingPlan | None) -> dict:
    if plan is None:
        return {}
    items = list(plan.items.all())
    return {
        "aims": plan.aims,
        "items": len(items),
        "person_hours": sum((i.people * i.hours for i in items), Decimal(0)),
    }


def save_plan(*, by, organisation, year: int, aims: str, items: list[dict]) -> TrainingPlan:
    """Write the organisation's plan for `year`: aims and the items in the order given.

    Refused (nothing saved), every problem listed: no aims, a year out of range, an item
    without topic, course or audience, a month, number of people or hours out of bounds.
    Side effects, in one transaction: the TrainingPlan created or its aims changed, its items
    replaced; ``training.plan_save`` logged with the plan's summary before and after.
    """
    access.SAVE_PLAN.require(by, organisation)
    aims = (aims or "").strip()
    problems = []
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        problems.append(_("年度应在 %(min)d 到 %(max)d 之间") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if not aims:
        problems.append(_("请填写培训目标"))
    if len(items) > MAX_ITEMS:
        problems.append(_("一份计划最多 %(max)d 项") % {"max": MAX_ITEMS})
    for number, item in enumerate(items, start=1):
        problems += _item_problems(number, item)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        plan = (
            TrainingPlan.objects.select_for_update()
            .filter(organisation=organisation, year=year)
            .first()
        )
        before = _summary(plan)
        if plan is None:
            plan = TrainingPlan.objects.create(
                organisation=organisation, year=year, aims=aims, updated_by=by
            )
        else:
            plan.aims = aims
            plan.updated_by = by
            plan.save(update_fields=["aims", "updated_by", "updated_at"])
            plan.items.all().delete()
        TrainingPlanItem.objects.bulk_create(
            TrainingPlanItem(
                plan=plan,
                **{
                    key: item[key].strip() if isinstance(item[key], str) else item[key]
                    for key in ITEM_FIELDS
                },
            )
            for item in items
        )
        log_activity(
            actor=by,
            action="training.plan_save",
            obj=plan,
            organisation=organisation,
            before=before or None,
            after={"year": year, **_summary(plan)},
        )
    return plan
