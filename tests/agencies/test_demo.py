"""The demo's agencies: a request waiting, one refused with its reason, 番禺区用户满意促进会
recognised through the service (its staff member accepted the invitation), and invitations the
enterprises have not answered. No agency the other demos use changes. Loading twice changes
nothing."""

import pytest

from manyi.accounts import demo as accounts_demo
from manyi.accounts.models import AgencyMembership, Membership, Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.agencies import demo
from manyi.agencies.models import AgencyRequest, RequestStatus
from manyi.common.demo_report import DemoReport
from manyi.common.models import ActivityLog

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        AgencyRequest.objects.count(),
        Organisation.objects.count(),
        AgencyMembership.objects.count(),
        ActivityLog.objects.count(),
    )


def test_the_demo_holds_recognised_and_pending_agencies_and_invitations():
    accounts_demo.load_people()
    before = {
        a.name: (a.recognised_on, a.recognition_suspended_on)
        for a in Organisation.objects.filter(kind=OrgKind.AGENCY)
    }
    report = DemoReport()

    demo.load_demo(report)
    first = snapshot()
    demo.load_demo(DemoReport())

    assert snapshot() == first
    statuses = dict(AgencyRequest.objects.values_list("name", "status"))
    assert statuses == {
        demo.PANYU["name"]: RequestStatus.RECOGNISED,
        demo.PENDING["name"]: RequestStatus.SUBMITTED,
        demo.REFUSED["name"]: RequestStatus.REFUSED,
    }
    assert AgencyRequest.objects.get(name=demo.REFUSED["name"]).decision_reason == demo.REFUSAL
    panyu = Organisation.objects.get(kind=OrgKind.AGENCY, name=demo.PANYU["name"])
    assert panyu.may_recommend
    assert Membership.objects.filter(
        organisation=panyu, role=Role.AGENCY_STAFF, user__email=demo.PANYU_STAFF
    ).exists()
    invitations = AgencyMembership.objects.filter(
        invited_at__isnull=False, confirmed_at__isnull=True
    )
    assert invitations.count() == len(demo.INVITATIONS)
    assert invitations.filter(enterprise__name="广州珠江家电制造有限公司", agency=panyu).exists()
    # The agencies the other demos use are as the accounts demo left them.
    for agency in Organisation.objects.filter(kind=OrgKind.AGENCY, name__in=before):
        assert (agency.recognised_on, agency.recognition_suspended_on) == before[agency.name]
    assert (Role(Role.AGENCY_STAFF).label, demo.PANYU_STAFF, panyu.name) in report.accounts
