"""An application's states, the one table of allowed moves, and the applicant's words for them.

Only `services.move_application` changes `Application.status`, and only along MOVES.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from manyi.accounts.roles import Role


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交，待推荐")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("已推荐")
    NOT_RECOMMENDED = "not_recommended", _("不予推荐")
    WITHDRAWN = "withdrawn", _("已撤回")
    # The committee's formal review (审核意见, 一次性告知) and what follows it (Art. 7, 24).
    DEFICIENT = "deficient", _("待补正")
    COMPLETED = "completed", _("已补正，待审核")
    ACCEPTED = "accepted", _("已受理，评价中")
    REJECTED = "rejected", _("不予受理")
    IN_NOTICE = "in_notice", _("公示中")
    AWARDED = "awarded", _("已授予称号")
    NOT_AWARDED = "not_awarded", _("未授予称号")


# A move made by the system itself (a scheduled task), not by a person.
SYSTEM = "system"


# (from, to) -> who may make the move.
MOVES: dict[tuple[str, str], tuple[str, ...]] = {
    (Status.DRAFT, Status.SUBMITTED): (Role.ENTERPRISE_USER,),
    (Status.RETURNED, Status.SUBMITTED): (Role.ENTERPRISE_USER,),
    (Status.SUBMITTED, Status.RETURNED): (Role.AGENCY_STAFF,),
    (Status.SUBMITTED, Status.RECOMMENDED): (Role.AGENCY_STAFF,),
    (Status.SUBMITTED, Status.NOT_RECOMMENDED): (Role.AGENCY_STAFF,),
    (Status.DRAFT, Status.WITHDRAWN): (Role.ENTERPRISE_USER,),
    (Status.RETURNED, Status.WITHDRAWN): (Role.ENTERPRISE_USER,),
    # Formal review by the committee: one notice of everything missing, completed once.
    (Status.RECOMMENDED, Status.DEFICIENT): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.DEFICIENT, Status.COMPLETED): (Role.ENTERPRISE_USER,),
    (Status.RECOMMENDED, Status.ACCEPTED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.COMPLETED, Status.ACCEPTED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.RECOMMENDED, Status.REJECTED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.COMPLETED, Status.REJECTED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.DEFICIENT, Status.REJECTED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    # The released decision: award goes to 公示, the rest is final.
    (Status.ACCEPTED, Status.IN_NOTICE): (Role.ASSOCIATION_ADMIN,),
    (Status.ACCEPTED, Status.NOT_AWARDED): (Role.ASSOCIATION_ADMIN,),
    # An upheld objection withdraws the proposal; the period's end grants the title.
    (Status.IN_NOTICE, Status.NOT_AWARDED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN),
    (Status.IN_NOTICE, Status.AWARDED): (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN, SYSTEM),
}

# The applicant may change the forms only in these states (待补正: to complete the notice).
EDITABLE = (Status.DRAFT, Status.RETURNED, Status.DEFICIENT)
# States in which the agency has to act.
AWAITING_AGENCY = (Status.SUBMITTED,)
# States that count against an agency's quota.
# Everything after the agency's recommendation: the place stays used whatever follows.
AFTER_RECOMMENDATION = (
    Status.RECOMMENDED,
    Status.DEFICIENT,
    Status.COMPLETED,
    Status.ACCEPTED,
    Status.REJECTED,
    Status.IN_NOTICE,
    Status.AWARDED,
    Status.NOT_AWARDED,
)
COUNTS_AGAINST_QUOTA = AFTER_RECOMMENDATION
# The committee's formal review acts on these.
AWAITING_FORMAL_REVIEW = (Status.RECOMMENDED, Status.COMPLETED)
IN_FORMAL_REVIEW = (Status.RECOMMENDED, Status.DEFICIENT, Status.COMPLETED)
# Evaluated: survey, experts, scores, decision.
IN_EVALUATION = (Status.ACCEPTED,)
# The outcome is public (公示 or final); before it, "not awarded" is never shown.
DECIDED = (Status.IN_NOTICE, Status.AWARDED, Status.NOT_AWARDED)

# What the applicant is shown: plain words, no internal detail.
APPLICANT_WORDING = {
    Status.DRAFT: _("填写中"),
    Status.SUBMITTED: _("推荐单位审核中"),
    Status.RETURNED: _("需修改后重新提交"),
    Status.RECOMMENDED: _("已获推荐，等待审核"),
    Status.NOT_RECOMMENDED: _("未获推荐"),
    Status.WITHDRAWN: _("已撤回"),
    Status.DEFICIENT: _("请按补正通知一次性补齐材料"),
    Status.COMPLETED: _("已补正，用户委员会审核中"),
    Status.ACCEPTED: _("已受理，正在评价"),
    Status.REJECTED: _("不予受理"),
    Status.IN_NOTICE: _("拟授予称号，公示中"),
    Status.AWARDED: _("已授予称号"),
    Status.NOT_AWARDED: _("未授予称号"),
}
