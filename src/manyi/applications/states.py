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


# (from, to) -> who may make the move.
MOVES: dict[tuple[str, str], tuple[str, ...]] = {
    (Status.DRAFT, Status.SUBMITTED): (Role.ENTERPRISE_USER,),
    (Status.RETURNED, Status.SUBMITTED): (Role.ENTERPRISE_USER,),
    (Status.SUBMITTED, Status.RETURNED): (Role.AGENCY_STAFF,),
    (Status.SUBMITTED, Status.RECOMMENDED): (Role.AGENCY_STAFF,),
    (Status.SUBMITTED, Status.NOT_RECOMMENDED): (Role.AGENCY_STAFF,),
    (Status.DRAFT, Status.WITHDRAWN): (Role.ENTERPRISE_USER,),
    (Status.RETURNED, Status.WITHDRAWN): (Role.ENTERPRISE_USER,),
}

# The applicant may change the forms only in these states.
EDITABLE = (Status.DRAFT, Status.RETURNED)
# States in which the agency has to act.
AWAITING_AGENCY = (Status.SUBMITTED,)
# States that count against an agency's quota.
COUNTS_AGAINST_QUOTA = (Status.RECOMMENDED,)

# What the applicant is shown: plain words, no internal detail.
APPLICANT_WORDING = {
    Status.DRAFT: _("填写中"),
    Status.SUBMITTED: _("推荐单位审核中"),
    Status.RETURNED: _("需修改后重新提交"),
    Status.RECOMMENDED: _("已获推荐，等待审核"),
    Status.NOT_RECOMMENDED: _("未获推荐"),
    Status.WITHDRAWN: _("已撤回"),
}
