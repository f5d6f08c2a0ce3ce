"""Who may do what from the decision to the title: one predicate per fact, one Action per act.

The committee proposes, the association's administrator confirms and releases (Art. 7);
committee staff handle objections and grant the titles when the 公示 ends.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.access import is_applicant
from manyi.applications.states import Status
from manyi.common.permissions import (
    Action,
    flags,
    not_allowed,
)
from manyi.titles.models import NoticeKind, ObjectionStatus

OPEN_OBJECTION = (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def manages_decisions(user, _obj=None) -> bool:
    return has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def is_association_admin(user, _obj=None) -> bool:
    return has_role(user, Role.ASSOCIATION_ADMIN)


@rules.predicate
def reads_decisions(user, _obj=None) -> bool:
    return has_role(user, *PROGRAMME_STAFF)


@rules.predicate
def application_accepted(_user, application) -> bool:
    return application.status == Status.ACCEPTED


@rules.predicate
def decision_not_confirmed(_user, application) -> bool:
    decision = getattr(application, "decision", None)
    return decision is None or decision.confirmed_at is None


@rules.predicate
def decision_proposed(_user, decision) -> bool:
    return decision is not None and decision.confirmed_at is None and decision.release_id is None


@rules.predicate
def decision_confirmed_unreleased(_user, decision) -> bool:
    return decision.confirmed_at is not None and decision.release_id is None


@rules.predicate
def notice_is_publicity(_user, notice) -> bool:
    return notice.kind == NoticeKind.PUBLICITY


@rules.predicate
def notice_in_period(_user, notice) -> bool:
    today = timezone.localdate()
    return notice.closed_at is None and notice.starts_on <= today <= notice.ends_on


@rules.predicate
def notice_period_over(_user, notice) -> bool:
    return notice.closed_at is None and notice.ends_on < timezone.localdate()


@rules.predicate
def notice_has_no_open_objection(_user, notice) -> bool:
    return not notice.objections.filter(status__in=OPEN_OBJECTION).exists()


@rules.predicate
def objection_open(_user, objection) -> bool:
    return objection.status in OPEN_OBJECTION


@rules.predicate
def is_investigator(user, objection) -> bool:
    return objection.investigator_id is not None and objection.investigator_id == user.pk


@rules.predicate
def objection_has_investigator(_user, objection) -> bool:
    return objection.investigator_id is not None


@rules.predicate
def title_of_applicant(user, title) -> bool:
    return is_applicant.test(user, title.application)


@rules.predicate
def application_decided(_user, application) -> bool:
    from manyi.applications.states import DECIDED

    return application.status in DECIDED


# ------------------------------------------------------------------------------------------
# Refusals


def not_in_evaluation(_obj=None) -> Exception:
    return ValidationError(_("只有已受理、正在评价的申报才能提出评定意见"))


def already_confirmed(_obj=None) -> Exception:
    return ValidationError(_("评定意见已确认，不能再修改"))


def not_proposed(_obj=None) -> Exception:
    return ValidationError(_("评定意见已确认或已发布"))


def not_confirmed(_obj=None) -> Exception:
    return ValidationError(_("评定意见尚未确认或已发布"))


def not_publicity(_obj=None) -> Exception:
    return ValidationError(_("这是公告，不受理异议"))


def outside_period(_obj=None) -> Exception:
    return ValidationError(_("不在公示期内，不能提出异议"))


def period_not_over(_obj=None) -> Exception:
    return ValidationError(_("公示期尚未届满，或已办结"))


def objections_pending(_obj=None) -> Exception:
    return ValidationError(_("尚有未办结的异议，办结后才能授予称号"))


def objection_closed(_obj=None) -> Exception:
    return ValidationError(_("该异议已办结"))


def no_investigator(_obj=None) -> Exception:
    return ValidationError(_("请先指定调查人"))


def not_decided(_obj=None) -> Exception:
    return ValidationError(_("评定结果尚未发布"))


# ------------------------------------------------------------------------------------------
# Actions

# On an Application.
PROPOSE = Action(
    "titles.propose_decision",
    (manages_decisions, not_allowed),
    (application_accepted, not_in_evaluation),
    (decision_not_confirmed, already_confirmed),
)
DECISION_PACK = Action(
    "titles.decision_pack",
    (manages_decisions, not_allowed),
    (application_decided, not_decided),
)
# On a Decision.
CONFIRM = Action(
    "titles.confirm_decision",
    (is_association_admin, not_allowed),
    (decision_proposed, not_proposed),
)
# On a (campaign, category) pair: the release page checks what is ready.
RELEASE = Action("titles.release_decisions", (is_association_admin, not_allowed))
# On a PublicNotice.
OBJECT = Action(
    "titles.object",
    (notice_is_publicity, not_publicity),
    (notice_in_period, outside_period),
)
GRANT = Action(
    "titles.grant_titles",
    (manages_decisions, not_allowed),
    (notice_is_publicity, not_publicity),
    (notice_period_over, period_not_over),
    (notice_has_no_open_objection, objections_pending),
)
# On an Objection.
ASSIGN_INVESTIGATOR = Action(
    "titles.assign_investigator",
    (manages_decisions, not_allowed),
    (objection_open, objection_closed),
)
DECIDE_OBJECTION = Action(
    "titles.decide_objection",
    (manages_decisions | is_investigator, not_allowed),
    (objection_open, objection_closed),
    (objection_has_investigator, no_investigator),
)
# On a Title.
DOWNLOAD_CERTIFICATE = Action(
    "titles.download_certificate", (reads_decisions | title_of_applicant, not_allowed)
)
# On the association (its organisation): the seal stamped on every certificate.
UPLOAD_ASSOCIATION_SEAL = Action(
    "titles.upload_association_seal", (is_association_admin, not_allowed)
)

# Decisions and notices (titles/decisions, titles/notices).


@rules.predicate
def decision_unreleased(_user, decision) -> bool:
    return decision.release_id is None


def already_released(_obj=None) -> Exception:
    return ValidationError(_("评定结果已发布，不能退回"))


# On a Decision: the administrator sends a proposal (confirmed or not) back to staff.
RETURN_DECISION = Action(
    "titles.return_decision",
    (is_association_admin, not_allowed),
    (decision_unreleased, already_released),
)
# On the programme's decision pages (no object).
READ_DECISIONS = Action("titles.read_decisions", (reads_decisions, not_allowed))
# On an Objection: the objector's name, contact and evidence are for those handling it.
SEE_OBJECTOR = Action("titles.see_objector", (manages_decisions | is_investigator, not_allowed))


def decision_flags(user, application) -> dict[str, bool]:
    return flags(user, application, {"can_propose": PROPOSE, "can_download_pack": DECISION_PACK})
