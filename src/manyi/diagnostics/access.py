"""Who may do what with a diagnosis (Art. 15): one predicate per fact, one Action per act.

- The enterprise's users ask for a diagnosis, withdraw it before the visit is scheduled, read
  the submitted report and answer it with a reply and an improvement plan.
- The agency's staff accept or decline, form the diagnostic group, schedule the visit.
- The group's leader (组长) drafts and submits the report; the other members read the draft.
- Programme staff read everything, change nothing.

The service calls ``ACTION.require``, the view and the template read the same answers as
``can_…`` flags (`diagnosis_flags`), so no button is shown that would be refused.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role, is_programme_staff, organisations_for
from manyi.accounts.roles import Role
from manyi.common.permissions import Action, flags, not_allowed
from manyi.common.punctuation import local_date
from manyi.diagnostics import states
from manyi.diagnostics.models import DiagnosisStatus

# A diagnostic group has at least this many experts, one of them the leader.
MIN_GROUP = 2


def enterprise_ids(user) -> set[int]:
    return {o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)}


def agency_ids(user) -> set[int]:
    return {o.pk for o in organisations_for(user, Role.AGENCY_STAFF)}


def group_of(diagnosis) -> list:
    """The diagnosis's experts (leader first), read once per object: a page asks several
    Actions."""
    cached = getattr(diagnosis, "_manyi_group", None)
    if cached is None:
        cached = list(diagnosis.group.select_related("expert", "expert__expert_profile"))
        diagnosis._manyi_group = cached
    return cached


def forget_group(diagnosis) -> None:
    """Drop the cached group after a change to it."""
    diagnosis.__dict__.pop("_manyi_group", None)


def submitted_report(diagnosis):
    """The report once its leader has submitted it, else None."""
    report = getattr(diagnosis, "report", None) if diagnosis.pk else None
    return report if report is not None and report.submitted_at is not None else None


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def is_enterprise_user(user, _obj=None) -> bool:
    return has_role(user, Role.ENTERPRISE_USER)


@rules.predicate
def is_requesting_enterprise(user, diagnosis) -> bool:
    return diagnosis.enterprise_id in enterprise_ids(user)


@rules.predicate
def is_diagnosing_agency(user, diagnosis) -> bool:
    return diagnosis.agency_id in agency_ids(user)


@rules.predicate
def in_group(user, diagnosis) -> bool:
    return has_role(user, Role.EXPERT) and any(m.expert_id == user.pk for m in group_of(diagnosis))


@rules.predicate
def leads_group(user, diagnosis) -> bool:
    return has_role(user, Role.EXPERT) and any(
        m.expert_id == user.pk and m.is_leader for m in group_of(diagnosis)
    )


@rules.predicate
def is_requested(_user, diagnosis) -> bool:
    return diagnosis.status == DiagnosisStatus.REQUESTED


@rules.predicate
def is_withdrawable(_user, diagnosis) -> bool:
    return diagnosis.status in states.WITHDRAWABLE


@rules.predicate
def group_is_open(_user, diagnosis) -> bool:
    return diagnosis.status in states.GROUP_OPEN


@rules.predicate
def group_is_complete(_user, diagnosis) -> bool:
    group = group_of(diagnosis)
    return len(group) >= MIN_GROUP and any(m.is_leader for m in group)


@rules.predicate
def is_scheduled(_user, diagnosis) -> bool:
    return diagnosis.status == DiagnosisStatus.SCHEDULED


@rules.predicate
def visit_day_reached(_user, diagnosis) -> bool:
    starts = diagnosis.visit_starts_at
    return starts is not None and timezone.localdate(starts) <= timezone.localdate()


@rules.predicate
def is_reported(_user, diagnosis) -> bool:
    return diagnosis.status == DiagnosisStatus.REPORTED


@rules.predicate
def report_is_out(_user, diagnosis) -> bool:
    return diagnosis.status in states.REPORTED and submitted_report(diagnosis) is not None


@rules.predicate
def has_draft(_user, diagnosis) -> bool:
    return getattr(diagnosis, "report", None) is not None


@rules.predicate
def has_plan(_user, diagnosis) -> bool:
    return getattr(diagnosis, "improvement_plan", None) is not None


# ------------------------------------------------------------------------------------------
# Refusals


def wrong_state(diagnosis) -> Exception:
    return ValidationError(
        _("该诊断当前状态为“%(status)s”，不能进行此操作，请刷新页面")
        % {"status": diagnosis.get_status_display()}
    )


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


not_withdrawable = _said(_("诊断已安排或已结束，不能撤回；如需取消，请联系推进机构"))
not_leader = _said(_("诊断报告由诊断专家小组组长撰写和提交"))
not_reported = _said(_("诊断报告尚未提交"))
no_draft = _said(_("组长尚未撰写诊断报告"))
no_plan = _said(_("企业尚未制定改进计划"))


def group_incomplete(_obj=None) -> Exception:
    return ValidationError(
        _("请先组建诊断专家小组（至少 %(n)d 位专家，其中一位为组长）") % {"n": MIN_GROUP}
    )


def day_not_reached(diagnosis) -> Exception:
    return ValidationError(
        _("诊断日期（%(day)s）未到，诊断当天或之后才能提交报告")
        % {"day": local_date(diagnosis.visit_starts_at)}
    )


# ------------------------------------------------------------------------------------------
# Actions (obj: None for the list's button, else the Diagnosis)

REQUEST = Action("diagnostics.request", (is_enterprise_user, not_allowed))
WITHDRAW = Action(
    "diagnostics.withdraw",
    (is_requesting_enterprise, not_allowed),
    (is_withdrawable, not_withdrawable),
)
ACCEPT = Action(
    "diagnostics.accept", (is_diagnosing_agency, not_allowed), (is_requested, wrong_state)
)
DECLINE = Action(
    "diagnostics.decline", (is_diagnosing_agency, not_allowed), (is_requested, wrong_state)
)
SET_GROUP = Action(
    "diagnostics.set_group", (is_diagnosing_agency, not_allowed), (group_is_open, wrong_state)
)
SCHEDULE = Action(
    "diagnostics.schedule",
    (is_diagnosing_agency, not_allowed),
    (group_is_open, wrong_state),
    (group_is_complete, group_incomplete),
)
WRITE_REPORT = Action(
    "diagnostics.write_report", (leads_group, not_leader), (is_scheduled, wrong_state)
)
SUBMIT_REPORT = Action(
    "diagnostics.submit_report",
    (leads_group, not_leader),
    (is_scheduled, wrong_state),
    (visit_day_reached, day_not_reached),
)
# The group reads the leader's draft before it is submitted.
READ_DRAFT = Action("diagnostics.read_draft", (in_group, not_allowed), (has_draft, no_draft))
# The submitted report (page and PDF): the enterprise, the agency, the group, the programme.
READ_REPORT = Action(
    "diagnostics.read_report",
    (is_requesting_enterprise | is_diagnosing_agency | in_group | is_programme_staff, not_allowed),
    (report_is_out, not_reported),
)
ANSWER = Action(
    "diagnostics.answer", (is_requesting_enterprise, not_allowed), (is_reported, wrong_state)
)
# The improvement plan's progress, read-only for everyone but the enterprise (which keeps it on
# its plan page).
READ_PLAN = Action(
    "diagnostics.read_plan",
    (is_requesting_enterprise | is_diagnosing_agency | in_group | is_programme_staff, not_allowed),
    (has_plan, no_plan),
)
# The enterprise's contact mobile in full: the enterprise and the agency that arranges the visit.
SEE_CONTACT = Action(
    "diagnostics.see_contact", (is_requesting_enterprise | is_diagnosing_agency, not_allowed)
)

DIAGNOSIS_ACTIONS = {
    "can_withdraw": WITHDRAW,
    "can_accept": ACCEPT,
    "can_decline": DECLINE,
    "can_set_group": SET_GROUP,
    "can_schedule": SCHEDULE,
    "can_write_report": WRITE_REPORT,
    "can_submit_report": SUBMIT_REPORT,
    "can_read_draft": READ_DRAFT,
    "can_read_report": READ_REPORT,
    "can_answer": ANSWER,
    "can_read_plan": READ_PLAN,
    "can_see_contact": SEE_CONTACT,
}


def diagnosis_flags(user, diagnosis) -> dict[str, bool]:
    return flags(user, diagnosis, DIAGNOSIS_ACTIONS)
