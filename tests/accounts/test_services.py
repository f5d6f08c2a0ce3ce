import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts import services
from manyi.accounts.models import Invitation, Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.accounts.uscc import make_uscc
from manyi.common.models import ActivityLog, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_enterprise_creates_org_manager_log_and_tells_the_agency(world):
    user = UserFactory()
    org = services.register_enterprise(
        user=user,
        data={
            "name": "广州新注册科技有限公司",
            "uscc": make_uscc("91440101MA1234567"),
            "agency": world.agency,
            "trade": "service",
            "industry": "软件",
            "full_name": "新用户",
        },
    )
    assert org.kind == OrgKind.ENTERPRISE
    assert org.agency_memberships.get().agency == world.agency
    assert org.agency_memberships.get().confirmed_at is None
    membership = Membership.objects.get(user=user, organisation=org)
    assert membership.role == Role.ENTERPRISE_USER
    assert membership.is_manager
    entry = ActivityLog.objects.get(action="organisation.register")
    assert entry.actor == user
    assert entry.after["uscc"] == org.uscc
    agency_staff = world.users[Role.AGENCY_STAFF]
    assert OutboxMessage.objects.filter(
        to=agency_staff.email, template="agency_new_member"
    ).exists()
    assert any("广州新注册科技有限公司" in m.subject for m in mail.outbox)


def test_register_creates_nothing_for_a_known_uscc_and_asks_the_managers(world):
    user = UserFactory()
    result = services.register_enterprise(
        user=user, data={"name": "重复", "uscc": world.enterprise.uscc}
    )
    assert result is None
    assert not Organisation.objects.filter(name="重复").exists()
    assert not Membership.objects.filter(user=user).exists()
    assert OutboxMessage.objects.filter(
        to=world.users[Role.ENTERPRISE_USER].email, template="enterprise_join_request"
    ).exists()


def test_invitation_round_trip(world):
    admin = world.users[Role.ASSOCIATION_ADMIN]
    invitation, token = services.invite_member(
        by=admin,
        email="New.Expert@Example.cn",
        organisation=world.committee,
        role=Role.EXPERT,
        full_name="新专家",
    )
    assert invitation.token_hash != token
    assert len(token) > 30
    assert OutboxMessage.objects.get(to="new.expert@example.cn").template == "invitation"
    user = services.accept_invitation(token=token, full_name="新专家", password="a-long-password-1")
    assert Membership.objects.filter(
        user=user, organisation=world.committee, role=Role.EXPERT
    ).exists()
    assert user.emailaddress_set.get().verified
    assert hasattr(user, "expert_profile")
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, full_name="x", password="a-long-password-1")
    assert Membership.objects.filter(user=user).count() == 1


def test_expired_or_wrong_tokens_are_refused(world, time_machine):
    admin = world.users[Role.ASSOCIATION_ADMIN]
    _inv, token = services.invite_member(
        by=admin, email="late@example.cn", organisation=world.agency, role=Role.AGENCY_STAFF
    )
    assert services.find_invitation("wrong-token") is None
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now() + timedelta(days=15))
    assert services.find_invitation(token) is None
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, full_name="迟到", password="a-long-password-1")


def test_only_entitled_people_invite(world):
    enterprise_manager = world.users[Role.ENTERPRISE_USER]
    # A manager may bring in a colleague…
    services.invite_member(
        by=enterprise_manager,
        email="colleague2@example.cn",
        organisation=world.enterprise,
        role=Role.ENTERPRISE_USER,
    )
    # …but not into another organisation, nor into a staff role.
    with pytest.raises(PermissionDenied):
        services.invite_member(
            by=enterprise_manager,
            email="x@example.cn",
            organisation=world.other_enterprise,
            role=Role.ENTERPRISE_USER,
        )
    with pytest.raises(ValidationError):
        services.invite_member(
            by=world.users[Role.ASSOCIATION_ADMIN],
            email="x@example.cn",
            organisation=world.enterprise,
            role=Role.COMMITTEE_STAFF,
        )
    with pytest.raises(PermissionDenied):
        services.invite_member(
            by=world.users[Role.EXPERT],
            email="y@example.cn",
            organisation=world.committee,
            role=Role.EXPERT,
        )
    assert Invitation.objects.count() == 1


def test_agency_confirms_or_declines_once(world):
    staff = world.users[Role.AGENCY_STAFF]
    services.confirm_agency_membership(
        membership=world.enterprise.agency_memberships.get(), by=staff, accept=True
    )
    world.enterprise.refresh_from_db()
    assert world.enterprise.agency_memberships.get().confirmed_at is not None
    with pytest.raises(ValidationError):
        services.confirm_agency_membership(
            membership=world.enterprise.agency_memberships.get(), by=staff, accept=True
        )
    assert ActivityLog.objects.filter(action="organisation.agency_confirm").count() == 1


def test_decline_needs_a_reason_and_unlinks(world):
    staff = world.users[Role.AGENCY_STAFF]
    with pytest.raises(ValidationError):
        services.confirm_agency_membership(
            membership=world.enterprise.agency_memberships.get(), by=staff, accept=False, reason=" "
        )
    services.confirm_agency_membership(
        membership=world.enterprise.agency_memberships.get(),
        by=staff,
        accept=False,
        reason="不在本区",
    )
    world.enterprise.refresh_from_db()
    assert not world.enterprise.agency_memberships.exists()
    owner = world.users[Role.ENTERPRISE_USER]
    assert (
        "不在本区"
        in OutboxMessage.objects.get(to=owner.email, template="agency_decision").body_text
    )


def test_other_agency_cannot_confirm(world):
    with pytest.raises(PermissionDenied):
        services.confirm_agency_membership(
            membership=world.enterprise.agency_memberships.get(),
            by=world.other_agency_staff,
            accept=True,
        )


def test_update_organisation_logs_before_and_after(world):
    owner = world.users[Role.ENTERPRISE_USER]
    services.update_organisation(
        organisation=world.enterprise, by=owner, data={"address": "广州市番禺区新路1号"}
    )
    entry = ActivityLog.objects.get(action="organisation.update")
    assert entry.before == {"address": ""}
    assert entry.after == {"address": "广州市番禺区新路1号"}


def test_update_organisation_rejects_bad_postcode_and_changes_nothing(world):
    owner = world.users[Role.ENTERPRISE_USER]
    with pytest.raises(ValidationError):
        services.update_organisation(
            organisation=world.enterprise, by=owner, data={"postcode": "12ab"}
        )
    world.enterprise.refresh_from_db()
    assert world.enterprise.postcode == ""
    assert not ActivityLog.objects.filter(action="organisation.update").exists()
