"""Who may do what with a revocation case: one predicate per fact, one Action per move.

Committee staff (and the administrator standing in) open a case from a title, propose or
dismiss it, add evidence and record the recall (Art. 22–23); only the association's
administrator decides (revoke or decline) and publishes the year's notice (Art. 22, 24, 26).
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.permissions import Action, flags
from manyi.supervision.access import is_association_admin, is_committee_staff, not_allowed
from manyi.supervision.models import RecallStatus, RevocationStatus
from manyi.supervision.revocations.opening import IN_PROGRESS, open_case_of
from manyi.titles.models import TitleStatus

# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def case_opened(_user, case) -> bool:
    return case.status == RevocationStatus.OPENED


@rules.predicate
def case_proposed(_user, case) -> bool:
    return case.status == RevocationStatus.PROPOSED


@rules.predicate
def recall_outstanding(_user, case) -> bool:
    """Revoked, with the certificate or the plaque still to be returned."""
    return case.status == RevocationStatus.REVOKED and RecallStatus.TO_RECALL in (
        case.certificate,
        case.plaque,
    )


@rules.predicate
def case_takes_evidence(_user, case) -> bool:
    """While the case is being studied or decided, and after a revocation until everything is
    back (a receipt of the returned certificate is evidence too)."""
    return case.status in IN_PROGRESS or recall_outstanding.test(_user, case)


@rules.predicate
def title_valid(_user, title) -> bool:
    return title.status == TitleStatus.VALID


@rules.predicate
def title_without_open_case(_user, title) -> bool:
    return open_case_of(title) is None


# ------------------------------------------------------------------------------------------
# Refusals


def not_opened(_obj=None) -> Exception:
    return ValidationError(_("该案件已提出建议或已办结"))


def not_proposed(_obj=None) -> Exception:
    return ValidationError(_("该案件没有待决定的撤销建议"))


def nothing_to_recall(_obj=None) -> Exception:
    return ValidationError(_("该案件没有待收回的证书或牌匾"))


def case_closed(_obj=None) -> Exception:
    return ValidationError(_("该案件已办结，不能再补充材料"))


def title_not_valid(_obj=None) -> Exception:
    return ValidationError(_("该称号已撤销或已过期，无需立案"))


def case_exists(_obj=None) -> Exception:
    return ValidationError(_("该称号已有正在处理的撤销案件，请在该案件中补充事实"))


# ------------------------------------------------------------------------------------------
# Actions

OPEN = Action(
    "supervision.open_revocation",
    (is_committee_staff, not_allowed),
    (title_valid, title_not_valid),
    (title_without_open_case, case_exists),
)
PROPOSE = Action(
    "supervision.propose_revocation", (is_committee_staff, not_allowed), (case_opened, not_opened)
)
DISMISS = Action(
    "supervision.dismiss_revocation", (is_committee_staff, not_allowed), (case_opened, not_opened)
)
DECIDE = Action(
    "supervision.decide_revocation",
    (is_association_admin, not_allowed),
    (case_proposed, not_proposed),
)
RECALL = Action(
    "supervision.record_recall",
    (is_committee_staff, not_allowed),
    (recall_outstanding, nothing_to_recall),
)
ADD_EVIDENCE = Action(
    "supervision.add_revocation_evidence",
    (is_committee_staff, not_allowed),
    (case_takes_evidence, case_closed),
)
# The year's public notice of revocations and disqualifications (Art. 24); obj is the year.
PUBLISH_NOTICE = Action(
    "supervision.publish_discipline_notice", (is_association_admin, not_allowed)
)

CASE_ACTIONS = {
    "can_propose": PROPOSE,
    "can_dismiss": DISMISS,
    "can_decide": DECIDE,
    "can_recall": RECALL,
    "can_add_evidence": ADD_EVIDENCE,
}


def case_flags(user, case) -> dict[str, bool]:
    return flags(user, case, CASE_ACTIONS)
