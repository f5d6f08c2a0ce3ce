"""The only code that changes accounts, organisations, memberships and invitations."""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import memberships
from manyi.accounts.models import (
    AgencyMembership,
    ExpertProfile,
    Invitation,
    Membership,
    Organisation,
    User,
)
from manyi.accounts.roles import (
    INVITERS,
    OWN_ORGANISATION_INVITERS,
    ROLE_ORG_KINDS,
    OrgKind,
    Role,
)
from manyi.accounts.uscc import normalise_uscc
from manyi.common.services import log_activity, queue_email, snapshot

INVITATION_DAYS = 14

ORGANISATION_PROFILE_FIELDS = (
    "name",
    "short_name",
    "legal_representative",
    "address",
    "postcode",
    "district",
    "phone",
    "fax",
    "email",
    "website",
    "industry",
    "trade",
    "ownership",
    "employees",
    "contact_department",
    "contact_person",
    "contact_title",
    "contact_mobile",
)


@transaction.atomic
def register_enterprise(*, user: User, data: dict) -> Organisation | None:
    """Create the enterprise a newly signed-up user registers, and make the user its manager.

    Side effects, in order: the Organisation, a manager Membership, an activity-log entry, and an
    email to the chosen agency's staff asking them to confirm the new member.

    When the USCC or the enterprise name is already registered, nothing is created for the
    organisation and None is returned; the sign-up page answers exactly as for a new one, so it
    tells no one which enterprises are registered. Instead, in order: the user's name, an
    activity-log entry on the existing organisation, an email to the user (ask a colleague to
    invite you) and one to each of the organisation's managers (someone asked to join). The user
    account stays, without an organisation, like anyone who has not joined one yet.
    """
    uscc = normalise_uscc(data["uscc"])
    name = str(data.get("name") or "").strip()
    existing = (
        Organisation.objects.filter(uscc=uscc).first()
        or Organisation.objects.filter(kind=OrgKind.ENTERPRISE, name=name).first()
    )
    if existing is not None:
        _ask_to_join(user=user, organisation=existing, data=data)
        return None
    agency = data.get("agency")
    organisation = Organisation(kind=OrgKind.ENTERPRISE, uscc=uscc)
    for field in ORGANISATION_PROFILE_FIELDS:
        if field in data:
            setattr(organisation, field, data[field])
    organisation.full_clean()
    organisation.save()
    Membership.objects.create(
        user=user, organisation=organisation, role=Role.ENTERPRISE_USER, is_manager=True
    )
    if data.get("full_name"):
        user.full_name = data["full_name"]
        user.save(update_fields=["full_name"])
    log_activity(
        actor=user,
        action="organisation.register",
        obj=organisation,
        organisation=organisation,
        after=snapshot(organisation),
    )
    if agency is not None:
        AgencyMembership.objects.create(enterprise=organisation, agency=agency)
        _mail_agency_staff(agency, organisation)
    return organisation


def _ask_to_join(*, user: User, organisation: Organisation, data: dict) -> None:
    """Someone signed up for an enterprise that is already registered: tell them and its managers."""
    if data.get("full_name"):
        user.full_name = data["full_name"]
        user.save(update_fields=["full_name"])
    log_activity(
        actor=user,
        action="organisation.join_request",
        obj=organisation,
        organisation=organisation,
        after={"email": user.email, "name": user.full_name},
    )
    queue_email(
        to=user.email,
        template="signup_enterprise_registered",
        context={"person": user, "org_name": data.get("name") or organisation.name},
    )
    members = organisation.memberships.filter(is_active=True, user__is_active=True).select_related(
        "user"
    )
    managers = [m for m in members if m.is_manager] or list(members)
    for member in managers:
        queue_email(
            to=member.user.email,
            template="enterprise_join_request",
            context={
                "organisation": organisation,
                "person": user,
                "url": reverse("accounts:invite"),
            },
        )


def _mail_agency_staff(agency: Organisation, organisation: Organisation) -> None:
    """Ask the agency's staff to confirm a new member (sent after commit)."""
    staff = agency.memberships.filter(role=Role.AGENCY_STAFF, is_active=True).select_related("user")
    for member in staff:
        queue_email(
            to=member.user.email,
            template="agency_new_member",
            context={
                "agency": agency,
                "enterprise": organisation,
                "url": reverse("accounts:agency_members"),
            },
        )


def _check_can_invite(*, by: User, organisation: Organisation, role: str) -> None:
    if organisation.kind not in ROLE_ORG_KINDS[role]:
        raise ValidationError(_("该角色不属于此类组织"))
    for membership in memberships(by):
        if role in INVITERS.get(membership.role, ()):
            return
        if membership.organisation_id == organisation.pk and role in OWN_ORGANISATION_INVITERS.get(
            membership.role, ()
        ):
            return
        # A manager brings in colleagues of the same organisation and role.
        if (
            membership.is_manager
            and membership.organisation_id == organisation.pk
            and membership.role == role
        ):
            return
    raise PermissionDenied(_("您无权发出此邀请"))


@transaction.atomic
def invite_member(
    *,
    by: User,
    email: str,
    organisation: Organisation,
    role: str,
    full_name: str = "",
    as_manager: bool = False,
) -> tuple[Invitation, str]:
    """Invite someone into an organisation and role; returns the invitation and its one-time token.

    `as_manager`: the person may invite colleagues once they accept (a newly recognised
    agency's first staff member).

    Side effects: an Invitation (only the token's hash is stored), an activity-log entry, an email
    with the link.
    """
    _check_can_invite(by=by, organisation=organisation, role=role)
    email = email.strip().lower()
    if Membership.objects.filter(
        user__email=email, organisation=organisation, role=role, is_active=True
    ).exists():
        raise ValidationError({"email": _("此人已是该组织的成员")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=role,
        token_hash=Invitation.hash_token(token),
        is_manager=as_manager,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    log_activity(
        actor=by,
        action="invitation.create",
        obj=invitation,
        organisation=organisation,
        after={"email": email, "role": role},
    )
    queue_email(
        to=email,
        template="invitation",
        context={
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "inviter": by,
            "url": reverse("accounts:accept_invitation", args=[token]),
            "days": INVITATION_DAYS,
        },
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for a token, or None for a wrong, used, revoked or expired one."""
    invitation = (
        Invitation.objects.filter(token_hash=Invitation.hash_token(token))
        .select_related("organisation")
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, token: str, full_name: str, password: str | None, user: User | None = None
) -> User:
    """Turn an invitation into a membership, creating the account if needed.

    The link proves the address, so a new account's email is marked verified. The update on
    accepted_at is guarded by its old value: a link used twice at once gives one membership.
    """
    invitation = find_invitation(token)
    if invitation is None:
        raise ValidationError(_("邀请链接无效或已过期，请联系邀请人重新发送"))
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not claimed:
        raise ValidationError(_("此邀请已被使用"))
    if user is None:
        user = User.objects.filter(email=invitation.email).first()
    if user is None:
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name or invitation.full_name
        )
    elif user.email != invitation.email:
        raise PermissionDenied(_("此邀请发给了另一个邮箱，请用该邮箱登录后再打开链接"))
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    membership, _created = Membership.objects.get_or_create(
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        defaults={"is_active": True, "is_manager": invitation.is_manager},
    )
    if invitation.role == Role.EXPERT:
        ExpertProfile.objects.get_or_create(user=user)
    log_activity(
        actor=user,
        action="invitation.accept",
        obj=invitation,
        organisation=invitation.organisation,
        after={"membership": membership.pk, "role": invitation.role},
    )
    return user


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by: User) -> None:
    _check_can_invite(by=by, organisation=invitation.organisation, role=invitation.role)
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    log_activity(
        actor=by, action="invitation.revoke", obj=invitation, organisation=invitation.organisation
    )


@transaction.atomic
def update_organisation(*, organisation: Organisation, by: User, data: dict) -> Organisation:
    """Change an organisation's details; the log keeps the fields before and after."""
    changed = [
        f for f in ORGANISATION_PROFILE_FIELDS if f in data and getattr(organisation, f) != data[f]
    ]
    if not changed:
        return organisation
    before = snapshot(organisation, changed)
    for field in changed:
        setattr(organisation, field, data[field])
    organisation.full_clean()
    organisation.save()
    log_activity(
        actor=by,
        action="organisation.update",
        obj=organisation,
        organisation=organisation,
        before=before,
        after=snapshot(organisation, changed),
    )
    return organisation


@transaction.atomic
def request_agency_membership(*, organisation: Organisation, agency: Organisation, by: User):
    """An enterprise asks to join a (regional or industry) agency, which then confirms it.

    Side effects, in order: the AgencyMembership (pending), an activity-log entry, an email to
    the agency's staff.
    """
    if not any(
        m.organisation_id == organisation.pk and m.role == Role.ENTERPRISE_USER
        for m in memberships(by)
    ):
        raise PermissionDenied(_("您不是该企业的用户"))
    if not agency.may_recommend:
        raise ValidationError(_("请选择有效的推进机构"))
    membership, created = AgencyMembership.objects.get_or_create(
        enterprise=organisation, agency=agency
    )
    if not created:
        raise ValidationError(_("已向该推进机构申请或已是其会员企业"))
    log_activity(
        actor=by,
        action="organisation.agency_request",
        obj=organisation,
        organisation=agency,
        after={"agency": agency.name},
    )
    _mail_agency_staff(agency, organisation)
    return membership


@transaction.atomic
def confirm_agency_membership(
    *, membership: AgencyMembership, by: User, accept: bool, reason: str = ""
) -> AgencyMembership:
    """The agency confirms (or declines) an enterprise that asked to be its member.

    Guarded by the old state: two staff answering at once do not both succeed. A declined
    request is deleted; the enterprise may ask again.
    """
    agency, organisation = membership.agency, membership.enterprise
    if not any(
        m.organisation_id == agency.pk and m.role == Role.AGENCY_STAFF for m in memberships(by)
    ):
        raise PermissionDenied(_("您无权处理该企业"))
    # An agency's own invitation is answered by the enterprise (`agencies.membership`), not here.
    pending = AgencyMembership.objects.filter(
        pk=membership.pk, confirmed_at__isnull=True, invited_at__isnull=True
    )
    if accept:
        updated = pending.update(confirmed_at=timezone.now(), confirmed_by=by)
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("请说明不予确认的原因")})
        updated, _deleted = pending.delete()
    if not updated:
        raise ValidationError(_("该企业已由其他同事处理"))
    log_activity(
        actor=by,
        action="organisation.agency_confirm" if accept else "organisation.agency_decline",
        obj=organisation,
        organisation=agency,
        note=reason,
    )
    for member in organisation.memberships.filter(is_active=True).select_related("user"):
        queue_email(
            to=member.user.email,
            template="agency_decision",
            context={
                "agency": agency,
                "enterprise": organisation,
                "accepted": accept,
                "reason": reason,
            },
        )
    if accept:
        membership.refresh_from_db()
    return membership


@transaction.atomic
def save_expert_profile(*, user: User, by: User, data: dict) -> ExpertProfile:
    profile, created = ExpertProfile.objects.get_or_create(user=user)
    fields = (
        "title",
        "employer",
        "specialties",
        "industries",
        "district",
        "available",
        "unavailable_note",
    )
    before = None if created else snapshot(profile, fields)
    for field in fields:
        if field in data:
            setattr(profile, field, data[field])
    profile.full_clean()
    profile.save()
    log_activity(
        actor=by,
        action="expert.profile_update",
        obj=profile,
        before=before,
        after=snapshot(profile, fields),
    )
    return profile
