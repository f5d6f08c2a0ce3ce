"""Who may do what with the annual plan: one predicate per fact, one Action per act.

The plan's keepers (the association's administrator, the committee's staff) do everything;
the public reads a published plan only (selectors), so no Action names them.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manyi.common.permissions import Action, flags, not_allowed
from manyi.programme.access import keeps_the_plan
from manyi.programme.models import ActivityStatus, PlanStatus

# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def plan_is_draft(_user, plan) -> bool:
    return plan.status == PlanStatus.DRAFT


@rules.predicate
def plan_is_published(_user, plan) -> bool:
    return plan.status == PlanStatus.PUBLISHED


@rules.predicate
def plan_has_activities(_user, plan) -> bool:
    return plan.activities.exists()


@rules.predicate
def activity_is_planned(_user, activity) -> bool:
    return activity.status == ActivityStatus.PLANNED


@rules.predicate
def activity_not_cancelled(_user, activity) -> bool:
    return activity.status != ActivityStatus.CANCELLED


@rules.predicate
def nothing_refers_to_activity(_user, activity) -> bool:
    """No training class, event or article names it: deleting it would lose their link.
    (`selectors.managed_activities` annotates the answer, so a list asks no query a row.)"""
    known = activity.__dict__.get("has_links")
    if known is not None:
        return not known
    return not (
        activity.training_classes.exists() or activity.events.exists() or activity.articles.exists()
    )


# ------------------------------------------------------------------------------------------
# Refusals


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


already_published = _said(_("该年度计划已经发布"))
not_published = _said(_("该年度计划尚未发布"))
no_activities = _said(_("请先添加至少一项计划活动再发布"))
not_planned = _said(_("只有计划中的活动可以进行此操作"))
cancelled = _said(_("该活动已取消"))
referred_to = _said(_("已有培训班、交流活动或文章关联该活动，不能删除，可改为取消"))

# ------------------------------------------------------------------------------------------
# Actions

EDIT_PLAN = Action("programme.edit_plan", (keeps_the_plan, not_allowed))
PUBLISH_PLAN = Action(
    "programme.publish_plan",
    (keeps_the_plan, not_allowed),
    (plan_is_draft, already_published),
    (plan_has_activities, no_activities),
)
UNPUBLISH_PLAN = Action(
    "programme.unpublish_plan", (keeps_the_plan, not_allowed), (plan_is_published, not_published)
)
ADD_ACTIVITY = Action("programme.add_activity", (keeps_the_plan, not_allowed))
EDIT_ACTIVITY = Action(
    "programme.edit_activity", (keeps_the_plan, not_allowed), (activity_not_cancelled, cancelled)
)
RECORD_HELD = Action(
    "programme.record_held", (keeps_the_plan, not_allowed), (activity_not_cancelled, cancelled)
)
CANCEL_ACTIVITY = Action(
    "programme.cancel_activity", (keeps_the_plan, not_allowed), (activity_is_planned, not_planned)
)
DELETE_ACTIVITY = Action(
    "programme.delete_activity",
    (keeps_the_plan, not_allowed),
    (activity_is_planned, not_planned),
    (nothing_refers_to_activity, referred_to),
)


def plan_flags(user, plan) -> dict[str, bool]:
    return flags(
        user,
        plan,
        {
            "can_edit": EDIT_PLAN,
            "can_publish": PUBLISH_PLAN,
            "can_unpublish": UNPUBLISH_PLAN,
            "can_add_activity": ADD_ACTIVITY,
        },
    )


def activity_flags(user, activity) -> dict[str, bool]:
    return flags(
        user,
        activity,
        {
            "can_edit": EDIT_ACTIVITY,
            "can_record_held": RECORD_HELD,
            "can_cancel": CANCEL_ACTIVITY,
            "can_delete": DELETE_ACTIVITY,
        },
    )
