"""Membership from both sides: the agency invites, the enterprise accepts or declines; the
enterprise leaves and the agency ends a membership, each with a reason, logged; neither while
an application of the enterprise relies on the agency."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.accounts.selectors import agencies_of, agency_members, visible_organisations
from manyi.agencies import membership, services
from manyi.agencies.access import LEAVE
from manyi.campaigns.models import CampaignStatus
from manyi.common.models import ActivityLog, OutboxMessage
from tests.agencies.factories import confirmed_member, invited
from tests.applications.helpers import make_application
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_invitation_is_unconfirmed_logged_and_mailed(world):
    staff = world.users[Role.AGENCY_STAFF]
    m = invited(world)

    assert m.invited_by == staff
    assert m.invited_at is not None
    assert m.confirmed_at is None
    entry = ActivityLog.objects.get(action="agency_member.invite")
    assert entry.organisation == world.agency
    assert entry.object_id == str(world.other_enterprise.pk)
    mail = OutboxMessage.objects.get(to=world.outsider.email)
    assert world.agency.name in mail.subject
    # Not yet a member: the agency neither counts it nor sees the enterprise's page, and the
    # enterprise cannot name the agency on an application.
    assert m not in agency_members(staff)
    assert world.other_enterprise not in visible_organisations(staff)
    assert world.agency not in agencies_of(world.other_enterprise)


def test_an_enterprise_is_invited_once(world):
    invited(world)
    with pytest.raises(ValidationError) as again:
        invited(world)
    assert "正在等待其答复" in again.value.messages[0]
    with pytest.raises(ValidationError) as asked:
        invited(world, enterprise=world.enterprise)  # it asked to join (the World's link)
    assert "已申请加入本机构" in asked.value.messages[0]
    third = OrganisationFactory(name="第三家企业有限公司")
    confirmed_member(third, world.agency)
    with pytest.raises(ValidationError) as member:
        invited(world, enterprise=third)
    assert "已是本机构的会员企业" in member.value.messages[0]
    assert AgencyMembership.objects.filter(invited_at__isnull=False).count() == 1


def test_only_its_staff_invite_and_not_while_suspended(world):
    with pytest.raises(PermissionDenied):
        membership.invite_enterprise(
            agency=world.agency, enterprise=world.other_enterprise, by=world.other_agency_staff
        )
    services.suspend(agency=world.agency, by=world.users[Role.ASSOCIATION_ADMIN], reason="整改")
    world.agency.refresh_from_db()
    with pytest.raises(ValidationError) as closed:
        invited(world)
    assert "暂不能邀请企业加入" in closed.value.messages[0]
    assert not AgencyMembership.objects.filter(invited_at__isnull=False).exists()


def test_the_enterprise_accepts_and_becomes_a_member(world):
    m = invited(world)
    OutboxMessage.objects.all().delete()
    with pytest.raises(PermissionDenied):
        membership.accept_invitation(membership=m, by=world.users[Role.ENTERPRISE_USER])

    membership.accept_invitation(membership=m, by=world.outsider)

    m.refresh_from_db()
    assert m.confirmed_by == world.outsider
    assert m.is_confirmed
    assert ActivityLog.objects.filter(action="agency_member.accept").count() == 1
    assert OutboxMessage.objects.filter(to=world.users[Role.AGENCY_STAFF].email).exists()
    assert world.agency in agencies_of(world.other_enterprise)
    with pytest.raises(ValidationError):
        membership.accept_invitation(membership=m, by=world.outsider)


def test_the_enterprise_declines_and_the_row_goes(world):
    m = invited(world)
    membership.decline_invitation(membership=m, by=world.outsider, reason="已加入行业协会")
    assert not AgencyMembership.objects.filter(pk=m.pk).exists()
    entry = ActivityLog.objects.get(action="agency_member.decline")
    assert entry.note == "已加入行业协会"
    assert entry.organisation == world.agency
    with pytest.raises(ValidationError):
        membership.decline_invitation(membership=m, by=world.outsider)


def test_the_enterprise_leaves_with_a_reason(world):
    m = confirmed_member(world.other_enterprise, world.agency)
    with pytest.raises(ValidationError) as no_reason:
        membership.leave_agency(membership=m, by=world.outsider, reason="")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(PermissionDenied):
        membership.leave_agency(membership=m, by=world.users[Role.ENTERPRISE_USER], reason="x")

    membership.leave_agency(membership=m, by=world.outsider, reason="业务调整")

    assert not AgencyMembership.objects.filter(pk=m.pk).exists()
    entry = ActivityLog.objects.get(action="agency_member.leave")
    assert entry.note == "业务调整"
    assert entry.before["confirmed_at"] is not None
    assert OutboxMessage.objects.filter(to=world.users[Role.AGENCY_STAFF].email).exists()


def test_the_agency_ends_a_membership_or_withdraws_an_invitation(world):
    staff = world.users[Role.AGENCY_STAFF]
    m = confirmed_member(world.other_enterprise, world.agency)
    with pytest.raises(ValidationError):
        membership.end_membership(membership=m, by=staff, reason="")
    with pytest.raises(PermissionDenied):
        membership.end_membership(membership=m, by=world.other_agency_staff, reason="x")
    membership.end_membership(membership=m, by=staff, reason="连续两年未参加活动")
    entry = ActivityLog.objects.get(action="agency_member.remove")
    assert entry.note == "连续两年未参加活动"
    assert entry.after == {"invitation_withdrawn": False}
    assert (
        "连续两年未参加活动"
        in OutboxMessage.objects.get(to=world.outsider.email, subject__contains="解除").body_text
    )

    invitation = invited(world)
    membership.end_membership(membership=invitation, by=staff, reason="")
    assert not AgencyMembership.objects.filter(pk=invitation.pk).exists()


def test_a_pending_request_is_answered_in_members_not_ended(world):
    staff = world.users[Role.AGENCY_STAFF]
    pending = AgencyMembership.objects.get(enterprise=world.enterprise, agency=world.agency)
    with pytest.raises(ValidationError) as refused:
        membership.end_membership(membership=pending, by=staff, reason="x")
    assert "只能解除已确认的会员关系" in refused.value.messages[0]


@pytest.mark.parametrize(
    "status", ["submitted", "returned", "recommended", "accepted", "in_notice"]
)
def test_no_leaving_or_ending_while_an_application_relies_on_the_agency(world, status):
    m = confirmed_member(world.enterprise, world.agency)
    application = make_application(world, "service", status=status)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as blocked:
        membership.leave_agency(membership=m, by=world.users[Role.ENTERPRISE_USER], reason="x")
    assert "在本年度申报活动结束前不能解除会员关系" in blocked.value.messages[0]
    assert str(application.pk) in blocked.value.messages[0]
    with pytest.raises(ValidationError):
        membership.end_membership(membership=m, by=world.users[Role.AGENCY_STAFF], reason="x")
    assert AgencyMembership.objects.filter(pk=m.pk).exists()
    assert not ActivityLog.objects.filter(
        action__in=["agency_member.leave", "agency_member.remove"]
    ).exists()


@pytest.mark.parametrize(
    "status", ["draft", "withdrawn", "not_recommended", "awarded", "not_awarded"]
)
def test_a_draft_or_a_finished_application_does_not_hold_the_membership(world, status):
    m = confirmed_member(world.enterprise, world.agency)
    make_application(world, "service", status=status)
    assert LEAVE.allows(world.users[Role.ENTERPRISE_USER], m)


def test_an_archived_campaign_holds_nothing(world):
    m = confirmed_member(world.enterprise, world.agency)
    application = make_application(world, "service", status="recommended")
    application.campaign.status = CampaignStatus.ARCHIVED
    application.campaign.save()
    membership.leave_agency(membership=m, by=world.users[Role.ENTERPRISE_USER], reason="迁址")
    assert not AgencyMembership.objects.filter(pk=m.pk).exists()


def test_an_organisation_that_is_no_enterprise_is_not_invited(world):
    firm = OrganisationFactory(kind="survey_firm", name="某调查公司")
    with pytest.raises(ValidationError):
        invited(world, enterprise=firm)
