"""The agency's side of membership, and the enterprise's answers (Art. 8: each agency confirms
its members).

- `invite_enterprise`: the agency invites a registered enterprise (an unconfirmed
  `AgencyMembership` with `invited_at`); the enterprise's users are mailed.
- `accept_invitation` / `decline_invitation`: the enterprise answers on its 本单位 page; a
  declined invitation is deleted (logged).
- `leave_agency`: the enterprise leaves (or withdraws its own request to join), with a reason.
- `end_membership`: the agency ends a membership (or withdraws its invitation), with a reason.

Leaving and ending are refused while an application of the enterprise recommended by, or
waiting for, that agency is still in progress (`selectors.dependent_applications`). An
enterprise asking to join and the agency confirming it stay in `accounts.services`
(`request_agency_membership`, `confirm_agency_membership`).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import AgencyMembership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies import selectors
from manyi.agencies.access import (
    ACCEPT_INVITATION,
    DECLINE_INVITATION,
    END_MEMBERSHIP,
    INVITE,
    LEAVE,
)
from manyi.common.services import log_activity, queue_email


def _already_linked(membership: AgencyMembership) -> ValidationError:
    name = membership.enterprise.name
    if membership.confirmed_at is not None:
        return ValidationError(_("%(org)s 已是本机构的会员企业") % {"org": name})
    if membership.invited_at is not None:
        return ValidationError(_("已邀请 %(org)s，正在等待其答复") % {"org": name})
    return ValidationError(_("%(org)s 已申请加入本机构，请在“会员企业”中确认") % {"org": name})


def _mail(organisation: Organisation, role: str, template: str, context: dict) -> None:
    for email in selectors.emails_in(organisation, role):
        queue_email(to=email, template=f"agencies/{template}", context=context)


def invite_enterprise(*, agency: Organisation, enterprise: Organisation, by) -> AgencyMembership:
    """The agency invites a registered enterprise to become its member.

    Refused (PermissionDenied) for anyone but the agency's staff; refused (ValidationError)
    while the agency may not recommend (suspended, disqualified), for an organisation that is
    not an active enterprise, and when the two are already linked (member, invited, or asked to
    join). Side effects, in one transaction: the AgencyMembership (unconfirmed, invited now by
    `by`); an activity-log entry "agency_member.invite"; after commit, mail to the enterprise's
    users.
    """
    INVITE.require(by, agency)
    if enterprise.kind != OrgKind.ENTERPRISE or not enterprise.is_active:
        raise ValidationError(_("请选择已注册的企业"))
    existing = AgencyMembership.objects.filter(enterprise=enterprise, agency=agency).first()
    if existing is not None:
        raise _already_linked(existing)
    try:
        with transaction.atomic():
            membership = AgencyMembership.objects.create(
                enterprise=enterprise, agency=agency, invited_at=timezone.now(), invited_by=by
            )
            log_activity(
                actor=by,
                action="agency_member.invite",
                obj=enterprise,
                organisation=agency,
                after={"agency": agency.name, "membership": membership.pk},
            )
            _mail(
                enterprise,
                Role.ENTERPRISE_USER,
                "member_invited",
                {
                    "agency": agency,
                    "enterprise": enterprise,
                    "url": reverse("accounts:organisation_detail", args=[enterprise.pk]),
                },
            )
    except IntegrityError as exc:
        # Someone linked the two at the same moment (the unique constraint answered).
        raise _already_linked(
            AgencyMembership.objects.get(enterprise=enterprise, agency=agency)
        ) from exc
    return membership


def accept_invitation(*, membership: AgencyMembership, by) -> AgencyMembership:
    """The enterprise accepts an agency's invitation: the membership is confirmed.

    Refused (PermissionDenied) for anyone but the enterprise's users; refused
    (ValidationError) for an invitation already answered (guarded by the old state) or while
    the agency may not take members. Side effects, in one transaction: `confirmed_at` and
    `confirmed_by`; an activity-log entry "agency_member.accept"; after commit, mail to the
    agency's staff.
    """
    ACCEPT_INVITATION.require(by, membership)
    with transaction.atomic():
        updated = AgencyMembership.objects.filter(
            pk=membership.pk, invited_at__isnull=False, confirmed_at__isnull=True
        ).update(confirmed_at=timezone.now(), confirmed_by=by)
        if not updated:
            raise ValidationError(_("该邀请已经处理，请刷新页面"))
        log_activity(
            actor=by,
            action="agency_member.accept",
            obj=membership.enterprise,
            organisation=membership.agency,
            after={"agency": membership.agency.name, "confirmed": True},
        )
        _mail(
            membership.agency,
            Role.AGENCY_STAFF,
            "invitation_answered",
            {"membership": membership, "accepted": True, "reason": ""},
        )
    membership.refresh_from_db()
    return membership


def decline_invitation(*, membership: AgencyMembership, by, reason: str = "") -> None:
    """The enterprise declines an agency's invitation: the row is deleted.

    Refused (PermissionDenied) for anyone but the enterprise's users; refused
    (ValidationError) for an invitation already answered. Side effects, in one transaction: the
    AgencyMembership deleted; an activity-log entry "agency_member.decline" (with the reason,
    if given); after commit, mail to the agency's staff.
    """
    DECLINE_INVITATION.require(by, membership)
    reason = (reason or "").strip()
    with transaction.atomic():
        deleted, _rows = AgencyMembership.objects.filter(
            pk=membership.pk, invited_at__isnull=False, confirmed_at__isnull=True
        ).delete()
        if not deleted:
            raise ValidationError(_("该邀请已经处理，请刷新页面"))
        log_activity(
            actor=by,
            action="agency_member.decline",
            obj=membership.enterprise,
            organisation=membership.agency,
            before={"agency": membership.agency.name, "invited_at": membership.invited_at},
            note=reason,
        )
        _mail(
            membership.agency,
            Role.AGENCY_STAFF,
            "invitation_answered",
            {"membership": membership, "accepted": False, "reason": reason},
        )


def _required_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _delete(membership: AgencyMembership, action, by) -> dict:
    """Delete the membership after checking `action` on the locked row; returns its state
    before, for the log. Two people acting at once: the second is told it is done."""
    current = (
        AgencyMembership.objects.select_for_update()
        .select_related("agency", "enterprise")
        .filter(pk=membership.pk)
        .first()
    )
    if current is None:
        raise ValidationError(_("该会员关系已经解除，请刷新页面"))
    action.require(by, current)
    before = {
        "agency": current.agency.name,
        "confirmed_at": current.confirmed_at,
        "invited_at": current.invited_at,
        "requested_at": current.requested_at,
    }
    current.delete()
    return before


def leave_agency(*, membership: AgencyMembership, by, reason: str) -> None:
    """The enterprise leaves an agency (or withdraws its request to join), with a reason.

    Refused (PermissionDenied) for anyone but the enterprise's users; refused (ValidationError)
    without a reason, for an invitation (it is declined instead) and while an application of
    the enterprise recommended by or waiting for that agency is in progress. Side effects, in
    one transaction: the AgencyMembership deleted; an activity-log entry "agency_member.leave"
    with the state before; after commit, mail to the agency's staff.
    """
    LEAVE.require(by, membership)
    reason = _required_reason(reason, _("请说明退出的原因"))
    with transaction.atomic():
        before = _delete(membership, LEAVE, by)
        log_activity(
            actor=by,
            action="agency_member.leave",
            obj=membership.enterprise,
            organisation=membership.agency,
            before=before,
            note=reason,
        )
        _mail(
            membership.agency,
            Role.AGENCY_STAFF,
            "member_left",
            {"membership": membership, "reason": reason},
        )


def end_membership(*, membership: AgencyMembership, by, reason: str) -> None:
    """The agency ends a confirmed membership, or withdraws an invitation not yet answered.

    Refused (PermissionDenied) for anyone but the agency's staff; refused (ValidationError)
    without a reason when ending a membership, for a request to join that the agency has not
    answered (it is confirmed or declined in 会员企业 instead), and while an application of the
    enterprise recommended by or waiting for the agency is in progress. Side effects, in one
    transaction: the AgencyMembership deleted; an activity-log entry "agency_member.remove"
    with the state before; after commit, mail to the enterprise's users.
    """
    END_MEMBERSHIP.require(by, membership)
    invitation = membership.confirmed_at is None
    reason = (
        (reason or "").strip()
        if invitation
        else _required_reason(reason, _("请说明解除会员关系的原因，企业将收到该原因"))
    )
    with transaction.atomic():
        before = _delete(membership, END_MEMBERSHIP, by)
        log_activity(
            actor=by,
            action="agency_member.remove",
            obj=membership.enterprise,
            organisation=membership.agency,
            before=before,
            after={"invitation_withdrawn": invitation},
            note=reason,
        )
        _mail(
            membership.enterprise,
            Role.ENTERPRISE_USER,
            "member_removed",
            {"membership": membership, "reason": reason, "invitation": invitation},
        )
