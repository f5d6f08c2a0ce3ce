"""Who may do what in the fieldwork: one named predicate per fact, one Action per act.

Services call ``ACTION.require`` (raising the words the person is shown); views and templates
ask ``ACTION.allows`` (through ``survey_flags``), so a button is shown exactly when it works.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, memberships
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.states import Status
from manyi.common.permissions import (
    Action,
    flags,
    not_allowed,
)
from manyi.fieldwork.models import QcStatus, SurveyStatus
from manyi.fieldwork.states import OPEN_CONTACT

FIRM_ROLES = (Role.SURVEYOR, Role.SURVEY_MANAGER)
# Roles that open fieldwork pages at all; which surveys, the selectors decide.
READERS = (*PROGRAMME_STAFF, *FIRM_ROLES)


def _holds(user, organisation_id, *roles) -> bool:
    return any(m.organisation_id == organisation_id and m.role in roles for m in memberships(user))


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def manages_surveys(user, _obj=None) -> bool:
    """Committee staff and the association's administrator run the survey (the work
    department only reads)."""
    return has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def reads_all_surveys(user, _obj=None) -> bool:
    return has_role(user, *PROGRAMME_STAFF)


@rules.predicate
def is_firm_manager(user, survey) -> bool:
    return survey is not None and _holds(user, survey.firm_id, Role.SURVEY_MANAGER)


@rules.predicate
def is_firm_member(user, survey) -> bool:
    return survey is not None and _holds(user, survey.firm_id, *FIRM_ROLES)


@rules.predicate
def manages_firm(user, firm) -> bool:
    """The survey firm's project manager (obj is the firm itself)."""
    return firm is not None and _holds(user, firm.pk, Role.SURVEY_MANAGER)


@rules.predicate
def is_assigned_interviewer(user, contact) -> bool:
    return (
        contact is not None
        and contact.interviewer_id == user.pk
        and _holds(user, contact.survey.firm_id, *FIRM_ROLES)
    )


@rules.predicate
def application_accepted(_user, application) -> bool:
    """The committee accepted it for evaluation (受理): its customer survey starts."""
    return application.status == Status.ACCEPTED


@rules.predicate
def has_no_survey(_user, application) -> bool:
    from manyi.fieldwork.models import SurveyPurpose

    return not application.surveys.filter(purpose=SurveyPurpose.APPLICATION).exists()


def _in(*states):
    @rules.predicate
    def in_states(_user, survey) -> bool:
        return survey.status in states

    return in_states


is_assigned = _in(SurveyStatus.ASSIGNED)
is_sampled = _in(SurveyStatus.SAMPLED)
is_in_field = _in(SurveyStatus.IN_FIELD)
is_closed = _in(SurveyStatus.CLOSED)
has_sample = _in(
    SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD, SurveyStatus.CLOSED, SurveyStatus.RELEASED
)
has_responses = _in(SurveyStatus.IN_FIELD, SurveyStatus.CLOSED, SurveyStatus.RELEASED)


@rules.predicate
def contact_survey_in_field(_user, contact) -> bool:
    return contact.survey.status == SurveyStatus.IN_FIELD


@rules.predicate
def contact_is_open(_user, contact) -> bool:
    return contact.status in OPEN_CONTACT and not contact.is_reserve


@rules.predicate
def response_flagged(_user, response) -> bool:
    return response.qc_status == QcStatus.FLAGGED


@rules.predicate
def response_firm_manager(user, response) -> bool:
    return is_firm_manager.test(user, response.survey)


@rules.predicate
def response_survey_in_field(_user, response) -> bool:
    return response.survey.status == SurveyStatus.IN_FIELD


@rules.predicate
def contact_firm_manager(user, contact) -> bool:
    return is_firm_manager.test(user, contact.survey)


@rules.predicate
def contact_to_verify(_user, contact) -> bool:
    return contact.verify_selected and not contact.verify_result


@rules.predicate
def is_application_survey(_user, survey) -> bool:
    """The survey of an application under evaluation, not a later survey of a title holder."""
    from manyi.fieldwork.models import SurveyPurpose

    return survey.purpose == SurveyPurpose.APPLICATION


@rules.predicate
def run_finished_well(_user, survey) -> bool:
    return survey.run_id is not None and survey.run.status == "done"


# ------------------------------------------------------------------------------------------
# Refusals: what the person is told


def not_accepted(_obj=None) -> Exception:
    return ValidationError(_("只有经用户委员会受理、进入评价的申报才能委托第三方调查"))


def already_assigned(_obj=None) -> Exception:
    return ValidationError(_("该申报已委托调查，不能重复委托"))


def wrong_state(survey) -> Exception:
    return ValidationError(
        _("调查当前状态为“%(status)s”，不能进行此操作，请刷新页面")
        % {"status": survey.get_status_display()}
    )


def contact_wrong_state(contact) -> Exception:
    return ValidationError(
        _("该样本当前状态为“%(status)s”，不能再拨打") % {"status": contact.get_status_display()}
    )


def survey_not_in_field(_obj=None) -> Exception:
    return ValidationError(_("调查不在实施期内"))


def not_flagged(_obj=None) -> Exception:
    return ValidationError(_("该回答不在待复核状态，请刷新页面"))


def nothing_to_verify(_obj=None) -> Exception:
    return ValidationError(_("该样本未抽中复核或已记录复核结果"))


def run_not_done(_obj=None) -> Exception:
    return ValidationError(_("测评计算尚未完成，完成后才能发布结果"))


def holder_result_not_released(_obj=None) -> Exception:
    return ValidationError(
        _("获证后监督调查的结果由用户委员会对照严重偏低线判定，不向获证单位发布")
    )


# ------------------------------------------------------------------------------------------
# Actions

VIEW_SURVEY = Action("fieldwork.view_survey", (reads_all_surveys | is_firm_member, not_allowed))
ASSIGN = Action(
    "fieldwork.assign_survey",
    (manages_surveys, not_allowed),
    (application_accepted, not_accepted),
    (has_no_survey, already_assigned),
)
# A later survey of a title holder (Art. 22): supervision checks the title, fieldwork the person.
ASSIGN_HOLDER = Action("fieldwork.assign_holder_survey", (manages_surveys, not_allowed))
DRAW = Action("fieldwork.draw_sample", (manages_surveys, not_allowed), (is_assigned, wrong_state))
CHECK_DRAW = Action(
    "fieldwork.check_draw", (reads_all_surveys, not_allowed), (has_sample, wrong_state)
)
START_FIELDWORK = Action(
    "fieldwork.start_fieldwork", (manages_surveys, not_allowed), (is_sampled, wrong_state)
)
SEND_INVITATIONS = Action(
    "fieldwork.send_invitations", (manages_surveys, not_allowed), (is_in_field, wrong_state)
)
ASSIGN_INTERVIEWERS = Action(
    "fieldwork.assign_interviewers",
    (is_firm_manager, not_allowed),
    (_in(SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD), wrong_state),
)
CALL = Action(
    "fieldwork.call_contact",
    (is_assigned_interviewer, not_allowed),
    (contact_survey_in_field, survey_not_in_field),
    (contact_is_open, contact_wrong_state),
)
REVIEW_RESPONSE = Action(
    "fieldwork.review_response",
    (response_firm_manager, not_allowed),
    (response_survey_in_field, survey_not_in_field),
    (response_flagged, not_flagged),
)
VERIFY_INTERVIEW = Action(
    "fieldwork.verify_interview",
    (contact_firm_manager, not_allowed),
    (contact_survey_in_field, survey_not_in_field),
    (contact_to_verify, nothing_to_verify),
)
CLOSE = Action(
    "fieldwork.close_fieldwork", (manages_surveys, not_allowed), (is_in_field, wrong_state)
)
RELEASE = Action(
    "fieldwork.release_result",
    (manages_surveys, not_allowed),
    (is_closed, wrong_state),
    (is_application_survey, holder_result_not_released),
    (run_finished_well, run_not_done),
)
EXPORT_RESPONSES = Action(
    "fieldwork.export_responses",
    (reads_all_surveys | is_firm_manager, not_allowed),
    (has_responses, wrong_state),
)
# The sample with telephone numbers: only the firm's manager, only while the firm works on it.
EXPORT_SAMPLE_WITH_PHONES = Action(
    "fieldwork.export_sample_phones",
    (is_firm_manager, not_allowed),
    (_in(SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD), wrong_state),
)
# The list's "委托调查" button: the page of recommended applications waiting for a firm.
OPEN_ASSIGNMENTS = Action("fieldwork.open_assignments", (manages_surveys, not_allowed))
MANAGE_QUESTIONNAIRES = Action("fieldwork.manage_questionnaires", (manages_surveys, not_allowed))
MANAGE_API_TOKENS = Action("fieldwork.manage_api_tokens", (manages_firm, not_allowed))

SURVEY_ACTIONS = {
    "can_draw": DRAW,
    "can_check_draw": CHECK_DRAW,
    "can_start": START_FIELDWORK,
    "can_invite": SEND_INVITATIONS,
    "can_assign_interviewers": ASSIGN_INTERVIEWERS,
    "can_close": CLOSE,
    "can_release": RELEASE,
    "can_export": EXPORT_RESPONSES,
    "can_export_sample": EXPORT_SAMPLE_WITH_PHONES,
}


def survey_flags(user, survey) -> dict[str, bool]:
    return flags(user, survey, SURVEY_ACTIONS)


# ------------------------------------------------------------------------------------------
# fieldwork: quality control (qc/)


# The firm's manager draws the share of telephone interviews to confirm by calling back.
DRAW_VERIFICATION = Action(
    "fieldwork.draw_verification", (is_firm_manager, not_allowed), (is_in_field, wrong_state)
)


# ------------------------------------------------------------------------------------------
# Results (fieldwork/results): who sees an applicant's index, and when

has_result = _in(SurveyStatus.CLOSED, SurveyStatus.RELEASED)
is_released = _in(SurveyStatus.RELEASED)


@rules.predicate
def is_applicant_side(user, survey) -> bool:
    """The applicant's own users and its recommending agency's staff: told only that the survey
    is under way until the result is released."""
    # Imported here: applications' access rules are not needed by the rest of fieldwork.
    from manyi.applications.access import is_applicant, is_recommending_agency

    application = survey.application
    return is_applicant.test(user, application) or is_recommending_agency.test(user, application)


# Programme staff read the result (index, interval, verdict) from closing on; a survey firm
# does not: the verdict is the committee's to publish.
VIEW_RESULT = Action(
    "fieldwork.view_result", (reads_all_surveys, not_allowed), (has_result, wrong_state)
)
SEE_RELEASED_RESULT = Action(
    "fieldwork.see_released_result", (is_applicant_side, not_allowed), (is_released, wrong_state)
)


# ------------------------------------------------------------------------------------------
# fieldwork: questionnaires (questionnaires/)


@rules.predicate
def questionnaire_is_draft(_user, questionnaire) -> bool:
    return questionnaire is not None and not questionnaire.is_frozen


@rules.predicate
def item_not_published(_user, item) -> bool:
    """No published or retired version carries the item (a draft may still change it)."""
    from manyi.fieldwork.models import QuestionnaireItem, QuestionnaireStatus

    return not QuestionnaireItem.objects.filter(
        item=item,
        questionnaire__status__in=(QuestionnaireStatus.PUBLISHED, QuestionnaireStatus.RETIRED),
    ).exists()


@rules.predicate
def category_has_no_draft(_user, category) -> bool:
    from manyi.fieldwork.models import Questionnaire, QuestionnaireStatus

    return not Questionnaire.objects.filter(
        category=category, status=QuestionnaireStatus.DRAFT
    ).exists()


def questionnaire_frozen(_obj=None) -> Exception:
    return ValidationError(_("该版本已发布，不能修改；如需修改，请新建版本"))


def item_published(_obj=None) -> Exception:
    return ValidationError(_("该题目已用于已发布的问卷，不能修改，请新建题目"))


def draft_exists(_obj=None) -> Exception:
    return ValidationError(_("该类别已有一个草稿版本，请先编辑或发布该草稿"))


EDIT_QUESTIONNAIRE = Action(
    "fieldwork.edit_questionnaire",
    (manages_surveys, not_allowed),
    (questionnaire_is_draft, questionnaire_frozen),
)
# obj is the category's value: one draft per category at a time.
NEW_QUESTIONNAIRE_VERSION = Action(
    "fieldwork.new_questionnaire_version",
    (manages_surveys, not_allowed),
    (category_has_no_draft, draft_exists),
)
EDIT_ITEM = Action(
    "fieldwork.edit_item", (manages_surveys, not_allowed), (item_not_published, item_published)
)


# ------------------------------------------------------------------------------------------
# fieldwork: sampling (sampling/)


@rules.predicate
def has_reserve_left(_user, survey) -> bool:
    from manyi.fieldwork.models import ContactStatus

    return survey.contacts.filter(status=ContactStatus.RESERVE).exists()


def no_reserve_left(_obj=None) -> Exception:
    return ValidationError(_("没有剩余的备用样本"))


# Staff put reserve contacts into the field, in draw order, to replace non-response.
RELEASE_RESERVE = Action(
    "fieldwork.release_reserve",
    (manages_surveys, not_allowed),
    (_in(SurveyStatus.SAMPLED, SurveyStatus.IN_FIELD), wrong_state),
    (has_reserve_left, no_reserve_left),
)
