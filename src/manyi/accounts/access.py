"""Who holds which role where: small named predicates, combined where they are used.

A user's memberships are loaded once per request and cached on the user object.
"""

import rules

from manyi.accounts.roles import PROGRAMME_STAFF, ROLES_NEEDING_MFA, Role


def memberships(user) -> list:
    """The user's active memberships, with their organisations (one query per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_manyi_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.filter(is_active=True, organisation__is_active=True).select_related(
                "organisation"
            )
        )
        user._manyi_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in memberships(user)}


def organisations_for(user, *roles: str) -> list:
    """Organisations in which the user holds one of `roles`."""
    return [m.organisation for m in memberships(user) if m.role in roles]


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def needs_mfa(user) -> bool:
    return has_role(user, *ROLES_NEEDING_MFA)


@rules.predicate
def is_association_admin(user):
    return has_role(user, Role.ASSOCIATION_ADMIN)


@rules.predicate
def is_committee_staff(user):
    return has_role(user, Role.COMMITTEE_STAFF)


@rules.predicate
def is_workdept_staff(user):
    return has_role(user, Role.WORKDEPT_STAFF)


@rules.predicate
def is_programme_staff(user):
    return has_role(user, *PROGRAMME_STAFF)


@rules.predicate
def is_agency_staff(user):
    return has_role(user, Role.AGENCY_STAFF)


@rules.predicate
def is_enterprise_user(user):
    return has_role(user, Role.ENTERPRISE_USER)


@rules.predicate
def is_expert(user):
    return has_role(user, Role.EXPERT)


@rules.predicate
def is_surveyor(user):
    return has_role(user, Role.SURVEYOR)


@rules.predicate
def manages_organisation(user, organisation):
    return any(m.is_manager and m.organisation_id == organisation.pk for m in memberships(user))


@rules.predicate
def belongs_to_organisation(user, organisation):
    return any(m.organisation_id == organisation.pk for m in memberships(user))


@rules.predicate
def is_enterprise_user_of(user, organisation):
    """One of the enterprise's own users: may ask another agency to take it as a member."""
    return any(
        m.organisation_id == organisation.pk and m.role == Role.ENTERPRISE_USER
        for m in memberships(user)
    )


@rules.predicate
def is_agency_of(user, organisation):
    """The user works for a promotion agency this enterprise belongs to or asked to join."""
    agency_ids = {o.pk for o in organisations_for(user, Role.AGENCY_STAFF)}
    return (
        bool(agency_ids)
        and organisation.agency_memberships.filter(agency_id__in=agency_ids)
        # An invitation the enterprise has not answered gives the agency no sight of it.
        .exclude(invited_at__isnull=False, confirmed_at__isnull=True)
        .exists()
    )


can_read_audit = is_association_admin | is_committee_staff
can_manage_outbox = is_association_admin | is_committee_staff
can_invite_staff = is_association_admin | is_committee_staff
can_edit_organisation = manages_organisation | is_association_admin | is_committee_staff

rules.add_perm("common.view_activitylog", can_read_audit)
rules.add_perm("common.view_outbox", can_manage_outbox)
rules.add_perm("accounts.invite", can_invite_staff)
rules.add_perm("accounts.change_organisation", can_edit_organisation)
rules.add_perm("accounts.confirm_member", is_agency_of)
