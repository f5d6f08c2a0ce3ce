"""Who may do what with a complaint: one predicate per fact, one Action per act.

Committee staff (and the association's administrator) handle complaints: triage, assign an
investigator, record findings, answer or dismiss. The work department reads them without the
complainant's name, contact or evidence. An expert given a complaint to investigate reads that
one, sees the complainant's contact (to verify the facts) and records findings; the answer is
the committee's. The complaint form and the follow-up page are public (no Action: anyone).
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.common.permissions import Action, flags
from manyi.supervision.access import is_committee_staff, not_allowed, reads_supervision
from manyi.supervision.models import ComplaintStatus

OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING)
CLOSED = (ComplaintStatus.ANSWERED, ComplaintStatus.DISMISSED)


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def complaint_open(_user, complaint) -> bool:
    return complaint.status in OPEN


@rules.predicate
def complaint_investigating(_user, complaint) -> bool:
    return complaint.status == ComplaintStatus.INVESTIGATING


@rules.predicate
def is_investigator(user, complaint) -> bool:
    return (
        complaint is not None
        and complaint.investigator_id is not None
        and getattr(user, "pk", None) == complaint.investigator_id
    )


@rules.predicate
def has_findings(_user, complaint) -> bool:
    return bool((complaint.findings or "").strip())


# ------------------------------------------------------------------------------------------
# Refusals


def complaint_closed(_obj=None) -> Exception:
    return ValidationError(_("该投诉已办结"))


def not_triaged(_obj=None) -> Exception:
    return ValidationError(_("请先对投诉进行分类处理（受理调查）"))


def no_findings(_obj=None) -> Exception:
    return ValidationError(_("请先记录调查情况，再答复投诉人"))


# ------------------------------------------------------------------------------------------
# Actions (on a Complaint)

# Match it to a title or organisation, mark it major or not, note; the first triage moves it
# 已收到 → 调查中. Marking a complaint about a valid title major opens a revocation case.
TRIAGE = Action(
    "supervision.triage_complaint",
    (is_committee_staff, not_allowed),
    (complaint_open, complaint_closed),
)
ASSIGN = Action(
    "supervision.assign_complaint",
    (is_committee_staff, not_allowed),
    (complaint_investigating, not_triaged),
)
RECORD_FINDINGS = Action(
    "supervision.record_complaint_findings",
    (is_committee_staff | is_investigator, not_allowed),
    (complaint_investigating, not_triaged),
)
ANSWER = Action(
    "supervision.answer_complaint",
    (is_committee_staff, not_allowed),
    (complaint_investigating, not_triaged),
    (has_findings, no_findings),
)
DISMISS = Action(
    "supervision.dismiss_complaint",
    (is_committee_staff, not_allowed),
    (complaint_open, complaint_closed),
)
# The complainant's name, contact and files: for those handling the complaint.
SEE_COMPLAINANT = Action(
    "supervision.see_complainant", (is_committee_staff | is_investigator, not_allowed)
)
# The complaint's page: programme staff, and the expert investigating it.
READ = Action("supervision.read_complaint", (reads_supervision | is_investigator, not_allowed))


def complaint_flags(user, complaint) -> dict[str, bool]:
    return flags(
        user,
        complaint,
        {
            "can_triage": TRIAGE,
            "can_assign": ASSIGN,
            "can_record_findings": RECORD_FINDINGS,
            "can_answer": ANSWER,
            "can_dismiss": DISMISS,
            "can_see_complainant": SEE_COMPLAINANT,
        },
    )
