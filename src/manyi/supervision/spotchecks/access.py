"""Who may do what in a spot check (抽查, Art. 21): one predicate per fact, one Action per act.

The work department plans, draws and records (the association's administrator may stand in,
`supervision.access.is_workdept_staff`); committee staff read. The service asks `require`, the
view and the template ask `allows` through `spot_check_flags` / `item_flags`, so no button is
shown that would be refused.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.permissions import Action, flags
from manyi.supervision.access import is_workdept_staff, not_allowed, reads_supervision
from manyi.supervision.models import CheckResult, SpotCheckStatus
from manyi.titles.models import TitleStatus

# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def check_planned(_user, spot_check) -> bool:
    return spot_check.status == SpotCheckStatus.PLANNED


@rules.predicate
def check_drawn(_user, spot_check) -> bool:
    return spot_check.status == SpotCheckStatus.DRAWN


@rules.predicate
def every_item_recorded(_user, spot_check) -> bool:
    return not spot_check.items.filter(result=CheckResult.PENDING).exists()


@rules.predicate
def item_check_open(_user, item) -> bool:
    return item.spot_check.status == SpotCheckStatus.DRAWN


@rules.predicate
def item_not_settled(_user, item) -> bool:
    """A confirmed rectification or a revocation opened from the item fixes its result."""
    return item.rectified_at is None and not item.revocations.exists()


@rules.predicate
def item_to_rectify(_user, item) -> bool:
    return item.result == CheckResult.RECTIFY and item.rectified_at is None


@rules.predicate
def item_failed(_user, item) -> bool:
    return item.result == CheckResult.FAIL


@rules.predicate
def item_has_valid_title(_user, item) -> bool:
    return item.title_id is not None and item.title.status == TitleStatus.VALID


@rules.predicate
def title_has_no_case(_user, item) -> bool:
    from manyi.supervision.revocations.opening import open_case_of

    return open_case_of(item.title) is None


# ------------------------------------------------------------------------------------------
# Refusals


def already_drawn(_obj=None) -> Exception:
    return ValidationError(_("该抽查已经抽取，抽取只进行一次"))


def not_drawn(_obj=None) -> Exception:
    return ValidationError(_("该抽查尚未抽取或已完成"))


def items_pending(_obj=None) -> Exception:
    return ValidationError(_("还有抽查对象没有检查结论，全部记录后才能完成抽查"))


def check_not_open(_obj=None) -> Exception:
    return ValidationError(_("该抽查尚未抽取或已完成，不能再记录检查结论"))


def item_settled(_obj=None) -> Exception:
    return ValidationError(_("该对象已确认整改或已提出撤销称号建议，检查结论不能再修改"))


def not_to_rectify(_obj=None) -> Exception:
    return ValidationError(_("该对象的结论不是限期整改，或整改已确认"))


def not_failed(_obj=None) -> Exception:
    return ValidationError(_("只有检查结论为不合格的对象才能建议撤销称号"))


def no_valid_title(_obj=None) -> Exception:
    return ValidationError(_("该对象没有有效的称号，无需撤销"))


def case_exists(_obj=None) -> Exception:
    return ValidationError(_("该称号已有正在处理的撤销案件，请在该案件中补充事实"))


# ------------------------------------------------------------------------------------------
# Actions

# On no object (the list and the plan form).
READ = Action("supervision.read_spot_checks", (reads_supervision, not_allowed))
PLAN = Action("supervision.plan_spot_check", (is_workdept_staff, not_allowed))
# On a SpotCheck.
DRAW = Action(
    "supervision.draw_spot_check",
    (is_workdept_staff, not_allowed),
    (check_planned, already_drawn),
)
CLOSE = Action(
    "supervision.close_spot_check",
    (is_workdept_staff, not_allowed),
    (check_drawn, not_drawn),
    (every_item_recorded, items_pending),
)
# On a SpotCheckItem.
RECORD = Action(
    "supervision.record_spot_check_item",
    (is_workdept_staff, not_allowed),
    (item_check_open, check_not_open),
    (item_not_settled, item_settled),
)
CONFIRM_RECTIFIED = Action(
    "supervision.confirm_rectified",
    (is_workdept_staff, not_allowed),
    (item_to_rectify, not_to_rectify),
)
PROPOSE_REVOCATION = Action(
    "supervision.spot_check_revocation",
    (is_workdept_staff, not_allowed),
    (item_failed, not_failed),
    (item_has_valid_title, no_valid_title),
    (title_has_no_case, case_exists),
)
# The organisation's contact person and mobile: for those who arrange the visit.
SEE_CONTACT = Action("supervision.spot_check_contact", (is_workdept_staff, not_allowed))


def spot_check_flags(user, spot_check) -> dict[str, bool]:
    return flags(user, spot_check, {"can_draw": DRAW, "can_close": CLOSE})


def item_flags(user, item) -> dict[str, bool]:
    found = flags(
        user,
        item,
        {
            "can_record": RECORD,
            "can_confirm_rectified": CONFIRM_RECTIFIED,
            "can_see_contact": SEE_CONTACT,
        },
    )
    # Only asked of a failed title holder: the other checks need the title's case row.
    found["can_propose_revocation"] = (
        item.result == CheckResult.FAIL
        and item.title_id is not None
        and PROPOSE_REVOCATION.allows(user, item)
    )
    return found
