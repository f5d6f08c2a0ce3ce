"""Who may do what with an enterprise's own measurement: one predicate per fact, one Action
per act.

Everything here is the enterprise's alone (Art. 19): only its own users (Role.ENTERPRISE_USER
of the organisation) run its surveys, share its measurements and keep its plans. Programme
staff and agencies read a measurement only once it is shared (`surveys.selectors`), and never
a survey's responses or a measurement's plan. A plan answering a diagnosis (Art. 15) is kept by
the enterprise alike; the diagnosing agency and group read its progress on the diagnosis's page
(`diagnostics.access.READ_PLAN`).
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.common.permissions import Action, flags, not_allowed
from manyi.selfmeasure.models import OwnSurveyStatus
from manyi.surveys.models import RunStatus, Visibility

# A response judged unusable on arrival for good: the respondent is not a customer.
SCREENED_OUT = "screening_failed"


def enterprise_ids(user) -> set[int]:
    """The enterprises in which the user works (as an enterprise user)."""
    return {o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)}


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def is_own(user, obj) -> bool:
    """`obj` (a survey, plan or data set: anything with an organisation) is the user's
    enterprise's."""
    return obj is not None and obj.organisation_id in enterprise_ids(user)


@rules.predicate
def survey_is_open(_user, survey) -> bool:
    return survey.status == OwnSurveyStatus.OPEN


@rules.predicate
def survey_is_closed(_user, survey) -> bool:
    return survey.status == OwnSurveyStatus.CLOSED


@rules.predicate
def owns_response(user, response) -> bool:
    return is_own.test(user, response.survey)


@rules.predicate
def response_survey_open(_user, response) -> bool:
    return response.survey.status == OwnSurveyStatus.OPEN


@rules.predicate
def response_excludable(_user, response) -> bool:
    return bool(response.flags) and not response.excluded


@rules.predicate
def response_restorable(_user, response) -> bool:
    return response.excluded and SCREENED_OUT not in (response.flags or [])


@rules.predicate
def owns_measurement(user, dataset) -> bool:
    """The enterprise's own data set (an upload or an own survey), never a programme one."""
    return dataset.visibility != Visibility.PROGRAMME and is_own.test(user, dataset)


@rules.predicate
def is_private(_user, dataset) -> bool:
    return dataset.visibility == Visibility.PRIVATE


@rules.predicate
def is_shared(_user, dataset) -> bool:
    return dataset.visibility == Visibility.SHARED


@rules.predicate
def owns_run(user, run) -> bool:
    return owns_measurement.test(user, run.dataset)


@rules.predicate
def run_is_done(_user, run) -> bool:
    return run.status == RunStatus.DONE


@rules.predicate
def owns_diagnosis(user, diagnosis) -> bool:
    """A diagnosis (Art. 15) asked by the user's enterprise."""
    return diagnosis is not None and diagnosis.enterprise_id in enterprise_ids(user)


@rules.predicate
def diagnosis_report_submitted(_user, diagnosis) -> bool:
    report = getattr(diagnosis, "report", None)
    return report is not None and report.submitted_at is not None


@rules.predicate
def diagnosis_has_no_plan(_user, diagnosis) -> bool:
    return getattr(diagnosis, "improvement_plan", None) is None


@rules.predicate
def owns_action(user, action) -> bool:
    return is_own.test(user, action.plan)


@rules.predicate
def action_is_open(_user, action) -> bool:
    return action.done_at is None


@rules.predicate
def action_is_done(_user, action) -> bool:
    return action.done_at is not None


# ------------------------------------------------------------------------------------------
# Refusals


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


already_closed = _said(_("本次调查已经结束"))
still_open = _said(_("本次调查仍在收集中"))
closed_for_responses = _said(_("调查已结束，需先重新开放才能调整回答"))
not_flagged = _said(_("只能剔除有质量问题的回答，或该回答已经剔除"))
not_restorable = _said(_("该回答未被剔除，或甄别未通过，不能恢复"))
already_shared = _said(_("该测评已经共享"))
not_shared = _said(_("该测评没有共享"))
run_not_done = _said(_("测评计算完成后才能制定改进计划"))
report_not_submitted = _said(_("诊断报告提交后才能制定改进计划"))
already_planned = _said(_("该诊断已经制定了改进计划"))
action_done = _said(_("该措施已经完成，请先重新打开"))
action_open = _said(_("该措施尚未完成"))


# ------------------------------------------------------------------------------------------
# Actions

CLOSE_SURVEY = Action(
    "selfmeasure.close_survey", (is_own, not_allowed), (survey_is_open, already_closed)
)
REOPEN_SURVEY = Action(
    "selfmeasure.reopen_survey", (is_own, not_allowed), (survey_is_closed, still_open)
)
EXCLUDE_RESPONSE = Action(
    "selfmeasure.exclude_response",
    (owns_response, not_allowed),
    (response_survey_open, closed_for_responses),
    (response_excludable, not_flagged),
)
RESTORE_RESPONSE = Action(
    "selfmeasure.restore_response",
    (owns_response, not_allowed),
    (response_survey_open, closed_for_responses),
    (response_restorable, not_restorable),
)
SHARE = Action("selfmeasure.share", (owns_measurement, not_allowed), (is_private, already_shared))
UNSHARE = Action("selfmeasure.unshare", (owns_measurement, not_allowed), (is_shared, not_shared))
CREATE_PLAN = Action(
    "selfmeasure.create_plan", (owns_run, not_allowed), (run_is_done, run_not_done)
)
# A plan answering a diagnostic group's submitted report (one per diagnosis).
CREATE_DIAGNOSIS_PLAN = Action(
    "selfmeasure.create_diagnosis_plan",
    (owns_diagnosis, not_allowed),
    (diagnosis_report_submitted, report_not_submitted),
    (diagnosis_has_no_plan, already_planned),
)
EDIT_PLAN = Action("selfmeasure.edit_plan", (is_own, not_allowed))
EDIT_ACTION = Action(
    "selfmeasure.edit_action", (owns_action, not_allowed), (action_is_open, action_done)
)
COMPLETE_ACTION = Action(
    "selfmeasure.complete_action", (owns_action, not_allowed), (action_is_open, action_done)
)
REOPEN_ACTION = Action(
    "selfmeasure.reopen_action", (owns_action, not_allowed), (action_is_done, action_open)
)
DELETE_ACTION = Action(
    "selfmeasure.delete_action", (owns_action, not_allowed), (action_is_open, action_done)
)


def survey_flags(user, survey) -> dict[str, bool]:
    return flags(user, survey, {"can_close": CLOSE_SURVEY, "can_reopen": REOPEN_SURVEY})


def measurement_flags(user, dataset) -> dict[str, bool]:
    return flags(user, dataset, {"can_share": SHARE, "can_unshare": UNSHARE})


def action_flags(user, action) -> dict[str, bool]:
    return flags(
        user,
        action,
        {
            "can_edit": EDIT_ACTION,
            "can_complete": COMPLETE_ACTION,
            "can_reopen": REOPEN_ACTION,
            "can_delete": DELETE_ACTION,
        },
    )
