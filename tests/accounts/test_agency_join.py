"""An enterprise belongs to its regional agency and may ask industry agencies to take it too;
each agency confirms its own members."""

import pytest
from django.utils import timezone

from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage

pytestmark = pytest.mark.django_db


def test_organisation_page_offers_joining_another_agency_to_its_users(world, client):
    url = f"/orgs/{world.enterprise.pk}/"
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert f"/orgs/{world.enterprise.pk}/agencies/join/" in client.get(url).content.decode()
    client.force_login(world.users[Role.AGENCY_STAFF])
    assert "/agencies/join/" not in client.get(url).content.decode()


def test_join_form_offers_only_agencies_not_yet_joined(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    page = client.get(f"/orgs/{world.enterprise.pk}/agencies/join/").content.decode()
    assert f'<option value="{world.other_agency.pk}"' in page
    assert f'<option value="{world.agency.pk}"' not in page
    assert f"{world.other_agency.name}（行业）" in page  # its kind is said


def test_enterprise_asks_an_industry_agency_which_is_told(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(
        f"/orgs/{world.enterprise.pk}/agencies/join/",
        {"agency": world.other_agency.pk},
        follow=True,
    )
    assert f"已向 {world.other_agency.name} 申请加入" in response.content.decode()
    membership = AgencyMembership.objects.get(
        enterprise=world.enterprise, agency=world.other_agency
    )
    assert membership.confirmed_at is None
    log = ActivityLog.objects.get(action="organisation.agency_request")
    assert log.after == {"agency": world.other_agency.name}
    assert OutboxMessage.objects.filter(
        to=world.other_agency_staff.email, template="agency_new_member"
    ).exists()


def test_another_enterprise_cannot_ask_on_its_behalf(world, client):
    client.force_login(world.outsider)
    response = client.post(
        f"/orgs/{world.enterprise.pk}/agencies/join/", {"agency": world.other_agency.pk}
    )
    assert response.status_code == 404
    assert (
        not AgencyMembership.objects.filter(agency=world.other_agency)
        .exclude(enterprise=world.other_enterprise)
        .exists()
    )


def test_each_agency_confirms_its_own_membership_of_the_same_enterprise(world, client):
    world.enterprise.agency_memberships.update(confirmed_at=timezone.now())
    AgencyMembership.objects.create(enterprise=world.enterprise, agency=world.other_agency)
    client.force_login(world.users[Role.AGENCY_STAFF])
    page = client.get("/agency/members/").content.decode()
    assert world.enterprise.name in page
    assert "已确认" in page
    client.force_login(world.other_agency_staff)
    page = client.get("/agency/members/").content.decode()
    assert f"/agency/members/{world.enterprise.pk}/decide/" in page
    client.post(f"/agency/members/{world.enterprise.pk}/decide/", {"decision": "accept"})
    industry = AgencyMembership.objects.get(enterprise=world.enterprise, agency=world.other_agency)
    assert industry.confirmed_at is not None
    assert industry.confirmed_by == world.other_agency_staff


def test_staff_of_two_agencies_decide_the_pending_membership(world, client):
    """The enterprise is a confirmed member of one of the user's agencies and waits for the
    other: the decision goes to the waiting one, not to the one already confirmed."""
    from tests.factories import MembershipFactory

    staff = world.users[Role.AGENCY_STAFF]
    MembershipFactory(user=staff, organisation=world.other_agency, role=Role.AGENCY_STAFF)
    world.enterprise.agency_memberships.update(confirmed_at=timezone.now())
    AgencyMembership.objects.create(enterprise=world.enterprise, agency=world.other_agency)
    client.force_login(staff)
    response = client.post(
        f"/agency/members/{world.enterprise.pk}/decide/", {"decision": "accept"}, follow=True
    )
    assert "已确认" in response.content.decode()
    assert not AgencyMembership.objects.filter(
        enterprise=world.enterprise, confirmed_at__isnull=True
    ).exists()
