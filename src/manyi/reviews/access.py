"""Who may do what in the committee's review: one named predicate per fact, one Action per act.

Services call ``ACTION.require`` (raising the words the person is shown); views and templates
ask ``ACTION.allows`` (through ``review_flags``), so a button is shown exactly when it works.
The object of each action is named in its comment.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.access import is_applicant
from manyi.applications.states import AWAITING_FORMAL_REVIEW, IN_FORMAL_REVIEW, Status
from manyi.common.permissions import (
    Action,
    flags,
    not_allowed,
)
from manyi.common.punctuation import local_date
from manyi.reviews.models import AssignmentStatus, FlagStatus

# Roles that open review pages at all; which objects, the selectors decide.
READERS = (*PROGRAMME_STAFF, Role.EXPERT)


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def manages_review(user, _obj=None) -> bool:
    """Committee staff and the association's administrator run the review (the work
    department only reads)."""
    return has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def reads_reviews(user, _obj=None) -> bool:
    return has_role(user, *PROGRAMME_STAFF)


@rules.predicate
def is_expert(user, _obj=None) -> bool:
    return has_role(user, Role.EXPERT)


def _status_in(*states):
    @rules.predicate
    def status_in(_user, application) -> bool:
        return application.status in states

    return status_in


awaits_formal_review = _status_in(*AWAITING_FORMAL_REVIEW)
in_formal_review = _status_in(*IN_FORMAL_REVIEW)
is_recommended = _status_in(Status.RECOMMENDED)
is_deficient = _status_in(Status.DEFICIENT)
is_accepted = _status_in(Status.ACCEPTED)


@rules.predicate
def has_no_notice(_user, application) -> bool:
    return not hasattr(application, "deficiency_notice")


@rules.predicate
def notice_deadline_not_passed(_user, application) -> bool:
    notice = getattr(application, "deficiency_notice", None)
    return notice is None or notice.deadline >= timezone.localdate()


@rules.predicate
def has_no_draw(_user, application) -> bool:
    return not hasattr(application, "expert_draw")


@rules.predicate
def has_draw(_user, application) -> bool:
    return hasattr(application, "expert_draw")


@rules.predicate
def is_assigned_expert(user, assignment) -> bool:
    return assignment.expert_id == user.pk and has_role(user, Role.EXPERT)


@rules.predicate
def assignment_active(_user, assignment) -> bool:
    return assignment.status == AssignmentStatus.ACTIVE


@rules.predicate
def assignment_not_submitted(_user, assignment) -> bool:
    sheet = getattr(assignment, "sheet", None)
    return sheet is None or sheet.submitted_at is None


@rules.predicate
def assignment_submitted(_user, assignment) -> bool:
    sheet = getattr(assignment, "sheet", None)
    return sheet is not None and sheet.submitted_at is not None


@rules.predicate
def assignment_application_accepted(_user, assignment) -> bool:
    return assignment.application.status == Status.ACCEPTED


@rules.predicate
def round_open_for_assignment(_user, assignment) -> bool:
    from manyi.reviews.selectors import round_of

    review_round = round_of(assignment.application)
    return review_round is not None and review_round.opened_at is not None


@rules.predicate
def round_not_open(_user, campaign_category) -> bool:
    review_round = getattr(campaign_category, "review_round", None)
    return review_round is None or review_round.opened_at is None


@rules.predicate
def flag_open(_user, flag) -> bool:
    return flag.status == FlagStatus.OPEN


@rules.predicate
def has_not_declared(user, campaign) -> bool:
    return not campaign.declarations.filter(expert=user).exists()


# ------------------------------------------------------------------------------------------
# Refusals: what the person is told


def state_changed(application) -> Exception:
    return ValidationError(
        _("申报状态已变为“%(status)s”，请刷新页面后再操作")
        % {"status": application.get_status_display()}
    )


def notice_already_given(_obj=None) -> Exception:
    return ValidationError(_("补正通知只能发出一次（一次性告知），本申报已发出过"))


def deadline_passed(application) -> Exception:
    return ValidationError(
        _("补正期限已于 %(date)s 届满，请联系广州市用户委员会")
        % {"date": local_date(application.deficiency_notice.deadline)}
    )


def already_drawn(_obj=None) -> Exception:
    return ValidationError(_("本申报已抽取专家；如需调整，请替换个别专家"))


def not_drawn(_obj=None) -> Exception:
    return ValidationError(_("本申报尚未抽取专家"))


def assignment_closed(_obj=None) -> Exception:
    return ValidationError(_("该指派已谢绝或已替换"))


def sheet_submitted(_obj=None) -> Exception:
    return ValidationError(_("评分表已提交，不能再修改"))


def sheet_not_submitted(_obj=None) -> Exception:
    return PermissionDenied(_("提交自己的评分后才能看到其他专家的评分"))


def round_not_opened(_obj=None) -> Exception:
    return ValidationError(_("评审尚未开始：工作人员确定评分权重并开始评审后才能评分"))


def round_opened(_obj=None) -> Exception:
    return ValidationError(_("评审已开始，评分权重不能再修改"))


def flag_reviewed(_obj=None) -> Exception:
    return ValidationError(_("该疑似雷同已核实"))


def declared_already(_obj=None) -> Exception:
    return ValidationError(_("您已签署本年度的保密和无利益冲突声明"))


# ------------------------------------------------------------------------------------------
# Actions

# On an Application.
READ_REVIEW = Action("reviews.read_review", (reads_reviews, not_allowed))
RECORD_CHECKS = Action(
    "reviews.record_checks", (manages_review, not_allowed), (awaits_formal_review, state_changed)
)
ISSUE_NOTICE = Action(
    "reviews.issue_notice",
    (manages_review, not_allowed),
    (is_recommended, state_changed),
    (has_no_notice, notice_already_given),
)
COMPLETE_NOTICE = Action(
    "reviews.complete_notice",
    (is_applicant, not_allowed),
    (is_deficient, state_changed),
    (notice_deadline_not_passed, deadline_passed),
)
ACCEPT = Action(
    "reviews.accept_application",
    (manages_review, not_allowed),
    (awaits_formal_review, state_changed),
)
REJECT = Action(
    "reviews.reject_application", (manages_review, not_allowed), (in_formal_review, state_changed)
)
DRAW_EXPERTS = Action(
    "reviews.draw_experts",
    (manages_review, not_allowed),
    (is_accepted, state_changed),
    (has_no_draw, already_drawn),
)
# On a Campaign.
RUN_SIMILARITY = Action("reviews.run_similarity", (manages_review, not_allowed))
SIGN_DECLARATION = Action(
    "reviews.sign_declaration", (is_expert, not_allowed), (has_not_declared, declared_already)
)
# On a SimilarityFlag.
REVIEW_FLAG = Action(
    "reviews.review_flag", (manages_review, not_allowed), (flag_open, flag_reviewed)
)
# On an Assignment.
REPLACE_EXPERT = Action(
    "reviews.replace_expert",
    (manages_review, not_allowed),
    (assignment_active, assignment_closed),
    (assignment_not_submitted, sheet_submitted),
    (assignment_application_accepted, not_allowed),
)
DECLINE = Action(
    "reviews.decline_assignment",
    (is_assigned_expert, not_allowed),
    (assignment_active, assignment_closed),
    (assignment_not_submitted, sheet_submitted),
    (assignment_application_accepted, not_allowed),
)
# The application's materials and PDF, for the expert while the assignment stands.
READ_ASSIGNMENT = Action(
    "reviews.read_assignment",
    (is_assigned_expert, not_allowed),
    (assignment_active, assignment_closed),
)
SCORE = Action(
    "reviews.score",
    (is_assigned_expert, not_allowed),
    (assignment_active, assignment_closed),
    (assignment_application_accepted, not_allowed),
    (round_open_for_assignment, round_not_opened),
    (assignment_not_submitted, sheet_submitted),
)
# The other experts' scores of the same application: staff always, an expert after submitting.
SEE_OTHER_SCORES = Action(
    "reviews.see_other_scores",
    (reads_reviews | (is_assigned_expert & assignment_submitted), sheet_not_submitted),
)
# On a CampaignCategory.
EDIT_RUBRIC = Action(
    "reviews.edit_rubric", (manages_review, not_allowed), (round_not_open, round_opened)
)
OPEN_ROUND = Action(
    "reviews.open_round", (manages_review, not_allowed), (round_not_open, round_opened)
)


def review_flags(user, application) -> dict[str, bool]:
    """The show-or-hide flags of an application's review page."""
    return flags(
        user,
        application,
        {
            "can_record_checks": RECORD_CHECKS,
            "can_issue_notice": ISSUE_NOTICE,
            "can_accept": ACCEPT,
            "can_reject": REJECT,
            "can_draw": DRAW_EXPERTS,
        },
    )
