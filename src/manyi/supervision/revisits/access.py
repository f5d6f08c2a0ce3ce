"""Who may do what in a revisit confirmation (回访确认, Art. 23): one predicate per fact, one
Action per act.

Committee staff (and the association's administrator) choose the holders, assign the experts,
notify and cancel; the assigned experts' leader (组长), or staff, records the on-site result.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.permissions import Action, flags
from manyi.common.punctuation import local_date
from manyi.supervision.access import is_committee_staff, not_allowed, reads_supervision
from manyi.supervision.models import RevisitStatus

# Revisits still ahead: the holder may be visited.
AHEAD = (RevisitStatus.PLANNED, RevisitStatus.NOTIFIED)
# The holder is told of a revisit from its notice on.
ANNOUNCED = (RevisitStatus.NOTIFIED, RevisitStatus.PASSED, RevisitStatus.FAILED)


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def is_expert(user, _obj=None) -> bool:
    return has_role(user, Role.EXPERT)


@rules.predicate
def is_revisit_expert(user, revisit) -> bool:
    return revisit is not None and any(e.expert_id == user.pk for e in _experts(revisit))


@rules.predicate
def leads_revisit(user, revisit) -> bool:
    return revisit is not None and any(
        e.expert_id == user.pk and e.leader for e in _experts(revisit)
    )


@rules.predicate
def is_planned(_user, revisit) -> bool:
    return revisit.status == RevisitStatus.PLANNED


@rules.predicate
def is_notified(_user, revisit) -> bool:
    return revisit.status == RevisitStatus.NOTIFIED


@rules.predicate
def is_ahead(_user, revisit) -> bool:
    return revisit.status in AHEAD


@rules.predicate
def has_no_experts(_user, revisit) -> bool:
    return not _experts(revisit)


@rules.predicate
def has_experts(_user, revisit) -> bool:
    return bool(_experts(revisit))


@rules.predicate
def visit_day_not_passed(_user, revisit) -> bool:
    return revisit.visit_on >= timezone.localdate()


@rules.predicate
def visit_day_reached(_user, revisit) -> bool:
    return revisit.visit_on <= timezone.localdate()


@rules.predicate
def expert_of_open_revisit(_user, revisit_expert) -> bool:
    return revisit_expert.revisit.status in AHEAD


def _experts(revisit) -> list:
    """The revisit's experts, read once per object (the page asks several Actions)."""
    cached = getattr(revisit, "_manyi_experts", None)
    if cached is None:
        cached = list(revisit.experts.all())
        revisit._manyi_experts = cached
    return cached


def forget_experts(revisit) -> None:
    """Drop the cached experts after a change to them."""
    revisit.__dict__.pop("_manyi_experts", None)


# ------------------------------------------------------------------------------------------
# Refusals


def wrong_state(revisit) -> Exception:
    return ValidationError(
        _("该回访当前状态为“%(status)s”，不能进行此操作，请刷新页面")
        % {"status": revisit.get_status_display()}
    )


def experts_already(_obj=None) -> Exception:
    return ValidationError(_("已指派回访专家；如需调整，请逐位替换"))


def no_experts(_obj=None) -> Exception:
    return ValidationError(_("请先指派回访专家，再通知获证单位"))


def day_passed(_obj=None) -> Exception:
    return ValidationError(_("回访日期已过，请取消后重新安排"))


def day_not_reached(revisit) -> Exception:
    return ValidationError(
        _("回访日期（%(day)s）未到，不能记录回访结果") % {"day": local_date(revisit.visit_on)}
    )


def not_leader(_obj=None) -> Exception:
    return ValidationError(_("回访结果由专家组组长或用户委员会工作人员记录"))


def revisit_closed(_obj=None) -> Exception:
    return ValidationError(_("该回访已结束，不能替换专家"))


# ------------------------------------------------------------------------------------------
# Actions (obj: None for the list's buttons, else the Revisit; REPLACE: the RevisitExpert)

PLAN = Action("supervision.plan_revisit", (is_committee_staff, not_allowed))
DRAW_EXPERTS = Action(
    "supervision.draw_revisit_experts",
    (is_committee_staff, not_allowed),
    (is_planned, wrong_state),
    (has_no_experts, experts_already),
)
REPLACE_EXPERT = Action(
    "supervision.replace_revisit_expert",
    (is_committee_staff, not_allowed),
    (expert_of_open_revisit, revisit_closed),
)
NOTIFY = Action(
    "supervision.notify_revisit",
    (is_committee_staff, not_allowed),
    (is_planned, wrong_state),
    (has_experts, no_experts),
    (visit_day_not_passed, day_passed),
)
RECORD = Action(
    "supervision.record_revisit",
    (is_committee_staff | leads_revisit, not_leader),
    (is_notified, wrong_state),
    (visit_day_reached, day_not_reached),
)
CANCEL = Action(
    "supervision.cancel_revisit", (is_committee_staff, not_allowed), (is_ahead, wrong_state)
)
# The page: programme staff, and the revisit's own experts.
VIEW = Action("supervision.view_revisit", (reads_supervision | is_revisit_expert, not_allowed))

REVISIT_ACTIONS = {
    "can_draw_experts": DRAW_EXPERTS,
    "can_notify": NOTIFY,
    "can_record": RECORD,
    "can_cancel": CANCEL,
}


def revisit_flags(user, revisit) -> dict[str, bool]:
    return flags(user, revisit, REVISIT_ACTIONS)
