"""Who may do what with an application: one named predicate per fact, one Action per act.

Every check that used to be spelled out in services and views ("is this the applicant", "may
the forms still change", "is this the recommending agency") is a predicate here. The services
call ``ACTION.require`` (which raises the words the person is shown), the views ask
``ACTION.allows`` and hand the same answers to the templates as ``can_…`` flags.
"""

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, memberships
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.states import AWAITING_AGENCY, EDITABLE, MOVES, Status
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import is_open_for
from manyi.common.permissions import (
    Action,
    flags,
    not_allowed,
)

# Roles that may open an application page at all; which applications, the selectors decide.
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)


def holds_role_in(user, organisation, role: str) -> bool:
    return organisation is not None and any(
        m.organisation_id == organisation.pk and m.role == role for m in memberships(user)
    )


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def is_enterprise_user_of(user, organisation) -> bool:
    """One of the organisation's own users (an applicant before there is an application)."""
    return holds_role_in(user, organisation, Role.ENTERPRISE_USER)


@rules.predicate
def is_applicant(user, application) -> bool:
    return holds_role_in(user, application.organisation, Role.ENTERPRISE_USER)


def recommending_agency(application):
    """The agency that recommends: chosen by the applicant when it started the application."""
    return application.agency


@rules.predicate
def is_recommending_agency(user, application) -> bool:
    return holds_role_in(user, recommending_agency(application), Role.AGENCY_STAFF)


@rules.predicate
def agency_not_disqualified(_user, application) -> bool:
    """The recommending agency still takes part: not disqualified (Art. 27, set by
    `supervision.sanctions.services.disqualify_agency`)."""
    agency = recommending_agency(application)
    return agency is None or agency.disqualified_on is None


@rules.predicate
def agency_recognition_in_force(_user, application) -> bool:
    """The recommending agency is recognised by the association (Art. 8) and its recognition
    is not suspended (`agencies.services.suspend`). Disqualification has its own predicate and
    words (`agency_not_disqualified`)."""
    agency = recommending_agency(application)
    return agency is None or (
        agency.recognised_on is not None and agency.recognition_suspended_on is None
    )


@rules.predicate
def in_editable_state(_user, application) -> bool:
    return application.status in EDITABLE


@rules.predicate
def campaign_open_for_applicant(_user, application) -> bool:
    # A deficiency notice (一次性告知) is completed after the campaign has closed: the
    # committee's deadline, not the campaign's, governs it.
    if application.status == Status.DEFICIENT:
        return True
    return is_open_for(application.campaign, application.organisation, application.category)


@rules.predicate
def can_go_to_agency(_user, application) -> bool:
    """Only a draft or a returned application goes (back) to the agency."""
    return (application.status, Status.SUBMITTED) in MOVES


@rules.predicate
def awaits_agency(_user, application) -> bool:
    return application.status in AWAITING_AGENCY


@rules.predicate
def can_be_withdrawn(_user, application) -> bool:
    return (application.status, Status.WITHDRAWN) in MOVES


@rules.predicate
def is_engineering(_user, application) -> bool:
    return application.category == Category.ENGINEERING


@rules.predicate
def appraisal_not_given(_user, application) -> bool:
    appraisal = getattr(application, "client_appraisal", None)
    return appraisal is None or appraisal.submitted_at is None


@rules.predicate
def has_needed_appraisal(_user, application) -> bool:
    """An engineering application has the client's appraisal (续表4-4); others need none."""
    if application.category != Category.ENGINEERING:
        return True
    appraisal = getattr(application, "client_appraisal", None)
    return appraisal is not None and appraisal.submitted_at is not None


@rules.predicate
def is_reader(user, _application=None) -> bool:
    """A role that reads applications; the selectors have already scoped which ones."""
    return has_role(user, *READERS)


@rules.predicate
def is_committee_staff(user, _application=None) -> bool:
    return has_role(user, Role.COMMITTEE_STAFF)


@rules.predicate
def manages_programme(user, _obj=None) -> bool:
    """Committee staff or the association's administrator (the work department only reads)."""
    return has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


@rules.predicate
def confirmation_is_locked(_user, confirmation) -> bool:
    """The 活动确认表 went out with a submitted application and waits for staff to reopen it."""
    return confirmation is not None and confirmation.locked_at is not None


@rules.predicate
def confirmation_is_open(_user, confirmation) -> bool:
    """Not yet written, or not locked: the applicant may (still) change it."""
    return confirmation is None or confirmation.locked_at is None


# ------------------------------------------------------------------------------------------
# Refusals: what the person is told


def not_applicant(_obj=None) -> Exception:
    return PermissionDenied(_("您不是该企业的用户"))


def not_editable(application) -> Exception:
    return ValidationError(
        _("申报已提交，当前状态为“%(status)s”，不能修改") % {"status": application.applicant_status}
    )


def campaign_closed(_obj=None) -> Exception:
    return ValidationError(
        _("申报已截止或该类别未开放，不能再提交或修改。如需补交，请联系广州市用户委员会。")
    )


def confirmation_locked(_obj=None) -> Exception:
    return ValidationError(
        _("活动确认表已随申报提交并锁定，如需修改请联系广州市用户委员会重新开放")
    )


def confirmation_not_locked(_obj=None) -> Exception:
    return ValidationError(_("活动确认表未锁定，申报单位可以直接修改"))


def state_changed(application) -> Exception:
    return ValidationError(
        _("申报状态已变为“%(status)s”，请刷新页面后再操作")
        % {"status": application.get_status_display()}
    )


def agency_disqualified(_obj=None) -> Exception:
    return ValidationError(_("推荐单位已被取消推进机构资格（第二十七条），不能再推荐"))


def recognition_words(agency) -> str:
    """Why an agency that is not disqualified may still not recommend, or "" when it may: its
    recognition is suspended, or it was never recognised (Art. 8). Said to the agency when it
    is refused and to the applicant at submission."""
    from manyi.common.punctuation import local_date

    if agency is None or agency.disqualified_on is not None:
        return ""
    if agency.recognition_suspended_on is not None:
        return _(
            "推荐单位 %(agency)s 的推进机构认可已由广州市质量协会于 %(date)s 暂停，"
            "恢复认可前不能推荐"
        ) % {"agency": agency.name, "date": local_date(agency.recognition_suspended_on)}
    if agency.recognised_on is None:
        return _("推荐单位 %(agency)s 尚未获广州市质量协会认可为推进机构（第八条），不能推荐") % {
            "agency": agency.name
        }
    return ""


def agency_not_recognised(application) -> Exception:
    return ValidationError(recognition_words(recommending_agency(application)))


def not_engineering(_obj=None) -> Exception:
    return ValidationError(_("只有用户满意工程类申报需要建设单位（用户）满意度评价鉴定意见"))


def appraisal_given(_obj=None) -> Exception:
    return ValidationError(_("建设单位已提交评价，不能再修改联系人或发送评价链接"))


def appraisal_missing(_obj=None) -> Exception:
    return ValidationError(
        _(
            "工程类须先收到建设单位（用户）满意度评价鉴定意见（续表4-4）才能推荐；"
            "尚未收到时可发送评价链接，或选择退回修改、不予推荐"
        )
    )


# ------------------------------------------------------------------------------------------
# Actions

_APPLICANT_WHILE_OPEN = (
    (is_applicant, not_applicant),
    (in_editable_state, not_editable),
    (campaign_open_for_applicant, campaign_closed),
)

VIEW = Action("applications.view_application", (is_reader, not_allowed))
EDIT = Action("applications.change_application", *_APPLICANT_WHILE_OPEN)
SUBMIT = Action(
    "applications.submit_application",
    *_APPLICANT_WHILE_OPEN,
    (can_go_to_agency, not_editable),
)
WITHDRAW = Action(
    "applications.withdraw_application",
    (is_applicant, not_applicant),
    (can_be_withdrawn, state_changed),
)
RECOMMEND = Action(
    "applications.recommend_application",
    (is_recommending_agency, not_allowed),
    (awaits_agency, state_changed),
    (agency_not_disqualified, agency_disqualified),
    (agency_recognition_in_force, agency_not_recognised),
)
UPLOAD_CUSTOMER_LIST = Action("applications.upload_customer_list", *_APPLICANT_WHILE_OPEN)
SEE_FULL_PHONES = Action(
    "applications.see_full_phones", (is_applicant | is_committee_staff, not_allowed)
)
# Only the decision "recommend" needs the client's appraisal: returning or not recommending
# stays possible without it, so RECOMMEND (the page and its button) does not ask for it.
RECOMMEND_FAVOURABLY = Action(
    "applications.recommend_favourably",
    (is_recommending_agency, not_allowed),
    (awaits_agency, state_changed),
    (agency_not_disqualified, agency_disqualified),
    (agency_recognition_in_force, agency_not_recognised),
    (has_needed_appraisal, appraisal_missing),
)
# The client's appraisal (续表4-4, 以下栏目由推荐单位填写): the applicant proposes the client's
# contact while it may still change the application; the recommending agency checks it and
# sends the link while the application awaits it.
PROPOSE_CLIENT_CONTACT = Action(
    "applications.propose_client_contact",
    (is_applicant, not_applicant),
    (is_engineering, not_engineering),
    (in_editable_state, not_editable),
    (campaign_open_for_applicant, campaign_closed),
    (appraisal_not_given, appraisal_given),
)
SEND_APPRAISAL = Action(
    "applications.send_appraisal",
    (is_recommending_agency, not_allowed),
    (is_engineering, not_engineering),
    (awaits_agency, state_changed),
    (agency_not_disqualified, agency_disqualified),
    (agency_recognition_in_force, agency_not_recognised),
    (appraisal_not_given, appraisal_given),
)
DOWNLOAD_EVIDENCE = Action("applications.download_evidence", (is_reader, not_allowed))
# The applicant's 活动确认表 (附件2) as an application carries it: whoever the selectors let see
# the application reads it (HTML and PDF); only the applicant changes it (its own page).
READ_CONFIRMATION = Action("applications.read_confirmation", (is_reader, not_allowed))
# On a Confirmation (or None when the applicant has not written one).
EDIT_CONFIRMATION = Action(
    "applications.change_confirmation", (confirmation_is_open, confirmation_locked)
)
REOPEN_CONFIRMATION = Action(
    "applications.reopen_confirmation",
    (manages_programme, not_allowed),
    (confirmation_is_locked, confirmation_not_locked),
)


def application_flags(user, application) -> dict[str, bool]:
    """The show-or-hide flags of an application's pages, from the actions the services enforce."""
    return {
        "is_applicant": is_applicant.test(user, application),
        **flags(
            user,
            application,
            {
                "can_edit": EDIT,
                "can_submit": SUBMIT,
                "can_withdraw": WITHDRAW,
                "can_recommend": RECOMMEND,
                "can_upload_customers": UPLOAD_CUSTOMER_LIST,
                "can_propose_client_contact": PROPOSE_CLIENT_CONTACT,
                "can_send_appraisal": SEND_APPRAISAL,
                "full_phones": SEE_FULL_PHONES,
            },
        ),
    }
