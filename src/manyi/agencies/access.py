"""Who may do what with agencies: one predicate per fact, one Action per act.

The association's administrator decides requests for recognition and suspends or reinstates a
recognition (Art. 6, 8); programme staff read the queue and every agency; an agency's own staff
read their agency and manage its members; an enterprise's users answer an agency's invitation
and may leave an agency. The services call ``ACTION.require``, the views and templates ask
``ACTION.allows`` (through the ``…_flags`` helpers), so no button is shown that would be refused.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import is_association_admin, is_programme_staff, organisations_for
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies.models import RequestStatus
from manyi.common.permissions import Action, flags, not_allowed


def agency_ids(user) -> set[int]:
    """The agencies in which the user works as agency staff."""
    return {o.pk for o in organisations_for(user, Role.AGENCY_STAFF)}


def enterprise_ids(user) -> set[int]:
    """The enterprises in which the user works as an enterprise user."""
    return {o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)}


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def request_is_submitted(_user, request) -> bool:
    return request.status == RequestStatus.SUBMITTED


@rules.predicate
def is_agency(_user, organisation) -> bool:
    return organisation is not None and organisation.kind == OrgKind.AGENCY


@rules.predicate
def is_recognised(_user, agency) -> bool:
    return agency.recognised_on is not None


@rules.predicate
def not_disqualified(_user, agency) -> bool:
    return agency.disqualified_on is None


@rules.predicate
def not_suspended(_user, agency) -> bool:
    return agency.recognition_suspended_on is None


@rules.predicate
def is_suspended(_user, agency) -> bool:
    return agency.recognition_suspended_on is not None


@rules.predicate
def works_for_agency(user, agency) -> bool:
    return agency is not None and agency.pk in agency_ids(user)


@rules.predicate
def agency_may_recommend(_user, agency) -> bool:
    return agency.may_recommend


@rules.predicate
def is_enterprise_of_membership(user, membership) -> bool:
    return membership.enterprise_id in enterprise_ids(user)


@rules.predicate
def is_agency_of_membership(user, membership) -> bool:
    return membership.agency_id in agency_ids(user)


@rules.predicate
def is_unanswered_invitation(_user, membership) -> bool:
    return membership.invited_at is not None and membership.confirmed_at is None


@rules.predicate
def is_confirmed(_user, membership) -> bool:
    return membership.confirmed_at is not None


@rules.predicate
def is_pending_request(_user, membership) -> bool:
    """The enterprise asked to join and the agency has not answered yet."""
    return membership.invited_at is None and membership.confirmed_at is None


@rules.predicate
def membership_agency_may_recommend(_user, membership) -> bool:
    return membership.agency.may_recommend


@rules.predicate
def nothing_depends_on_membership(_user, membership) -> bool:
    from manyi.agencies.selectors import dependent_applications

    return not dependent_applications(membership).exists()


# ------------------------------------------------------------------------------------------
# Refusals


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


already_decided = _said(_("该申请已经处理，请刷新页面"))
not_an_agency = _said(_("该组织不是推进机构"))
never_recognised = _said(_("该推进机构尚未获认可，无需暂停"))
disqualified = _said(_("该推进机构已被取消资格（第二十七条），无需暂停认可"))
already_suspended = _said(_("该推进机构的认可已经暂停"))
not_suspended_now = _said(_("该推进机构的认可没有暂停"))
agency_closed_to_members = _said(_("本机构的推进机构认可已暂停或资格已取消，暂不能邀请企业加入"))
invitation_answered = _said(_("该邀请已经处理，请刷新页面"))
joining_closed = _said(_("该推进机构的认可已暂停或资格已取消，暂不能加入"))
not_confirmed = _said(_("尚未成为该推进机构的会员企业"))
not_member_or_invitation = _said(_("只能解除已确认的会员关系或撤回尚未答复的邀请"))
not_a_request = _said(_("只能撤回尚未确认的加入申请或退出已确认的会员关系"))


def applications_depend(membership) -> Exception:
    """Leaving or ending is refused while an open application relies on the agency: the
    message names the applications, so the person knows what to settle first."""
    from manyi.agencies.selectors import dependent_applications
    from manyi.common.punctuation import join_words

    names = [a.number or f"#{a.pk}" for a in dependent_applications(membership)[:5]]
    return ValidationError(
        _(
            "%(enterprise)s 有由 %(agency)s 推荐或等待其推荐的申报（%(applications)s），"
            "在本年度申报活动结束前不能解除会员关系"
        )
        % {
            "enterprise": membership.enterprise.name,
            "agency": membership.agency.name,
            "applications": join_words(names),
        }
    )


# ------------------------------------------------------------------------------------------
# Actions

# Requests for recognition (Art. 8): the association's administrator decides.
DECIDE_REQUEST = Action(
    "agencies.decide_request",
    (is_association_admin, not_allowed),
    (request_is_submitted, already_decided),
)
READ_REQUESTS = Action("agencies.read_requests", (is_programme_staff, not_allowed))
SUSPEND = Action(
    "agencies.suspend",
    (is_association_admin, not_allowed),
    (is_agency, not_an_agency),
    (is_recognised, never_recognised),
    (not_disqualified, disqualified),
    (not_suspended, already_suspended),
)
REINSTATE = Action(
    "agencies.reinstate",
    (is_association_admin, not_allowed),
    (is_agency, not_an_agency),
    (is_suspended, not_suspended_now),
)
# Membership: the agency invites and may end a membership (or withdraw its invitation); the
# enterprise answers an invitation and may leave (or withdraw its own request to join).
INVITE = Action(
    "agencies.invite_member",
    (works_for_agency, not_allowed),
    (agency_may_recommend, agency_closed_to_members),
)
ACCEPT_INVITATION = Action(
    "agencies.accept_invitation",
    (is_enterprise_of_membership, not_allowed),
    (is_unanswered_invitation, invitation_answered),
    (membership_agency_may_recommend, joining_closed),
)
DECLINE_INVITATION = Action(
    "agencies.decline_invitation",
    (is_enterprise_of_membership, not_allowed),
    (is_unanswered_invitation, invitation_answered),
)
LEAVE = Action(
    "agencies.leave",
    (is_enterprise_of_membership, not_allowed),
    (is_confirmed | is_pending_request, not_a_request),
    (nothing_depends_on_membership, applications_depend),
)
END_MEMBERSHIP = Action(
    "agencies.end_membership",
    (is_agency_of_membership, not_allowed),
    (is_confirmed | is_unanswered_invitation, not_member_or_invitation),
    (nothing_depends_on_membership, applications_depend),
)


def request_flags(user, request) -> dict[str, bool]:
    return flags(user, request, {"can_decide": DECIDE_REQUEST})


def agency_flags(user, agency) -> dict[str, bool]:
    return flags(
        user,
        agency,
        {"can_suspend": SUSPEND, "can_reinstate": REINSTATE, "can_invite": INVITE},
    )
