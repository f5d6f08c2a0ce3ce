"""The people and organisation lists (common.listing): organisations, open invitations, the
expert pool and an agency's members are paged, filtered and searched in the URL, ignore bad
values, cost the same number of queries at two sizes, and offer no choice that names another
organisation to someone who may not see it."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.accounts.models import AgencyMembership, Invitation
from manyi.accounts.roles import District, OrgKind, Role
from tests.factories import ExpertProfileFactory, MembershipFactory, OrganisationFactory
from tests.query_guard import assert_flat

pytestmark = pytest.mark.django_db

BAD = "?status=x&agency=١٢&page=-1&campaign=99999999999999999999&kind=nonsense&state=²"


def members(world, n, *, agency=None, prefix="会员", confirmed=True, district=""):
    made = []
    for i in range(n):
        organisation = OrganisationFactory(name=f"{prefix}{i:03d}有限公司", district=district)
        made.append(
            AgencyMembership.objects.create(
                enterprise=organisation,
                agency=agency or world.agency,
                confirmed_at=timezone.now() if confirmed else None,
            )
        )
    return made


def invitations(world, n, *, prefix="invitee", expired=False):
    now = timezone.now()
    return Invitation.objects.bulk_create(
        Invitation(
            email=f"{prefix}{i}@example.cn",
            organisation=world.enterprise,
            role=Role.ENTERPRISE_USER,
            token_hash=hashlib.sha256(f"{prefix}{i}".encode()).hexdigest(),
            expires_at=now - timedelta(days=1) if expired else now + timedelta(days=7),
        )
        for i in range(n)
    )


def experts(world, n, *, organisation=None, district="tianhe", prefix="专家"):
    made = []
    for i in range(n):
        user = MembershipFactory(
            organisation=organisation or world.committee, role=Role.EXPERT
        ).user
        user.full_name = f"{prefix}{i:03d}"
        user.save()
        ExpertProfileFactory(user=user, district=district)
        made.append(user)
    return made


# ------------------------------------------------------------------------------------------
# Organisations


def test_organisations_filter_search_sort_and_page(world, client_for):
    members(world, 52, prefix="甲", district=District.TIANHE)
    members(world, 2, agency=world.other_agency, prefix="乙", district=District.YUEXIU)
    client = client_for(Role.COMMITTEE_STAFF)

    first = client.get("/orgs/?kind=enterprise")
    assert first.context["listing"].total == 56  # and the World's two enterprises
    assert len(first.context["page"].object_list) == 50
    assert client.get("/orgs/?kind=enterprise&page=2").context["listing"].page.number == 2

    by_agency = client.get(f"/orgs/?agency={world.other_agency.pk}")
    # 乙000, 乙001 and the World's 白云装饰 asked the other agency.
    assert by_agency.context["listing"].total == 3
    by_district = client.get("/orgs/?district=yuexiu")
    assert [o.name for o in by_district.context["page"]] == ["乙000有限公司", "乙001有限公司"]
    found = client.get("/orgs/?q=甲051")
    assert [o.name for o in found.context["page"]] == ["甲051有限公司"]
    uscc = found.context["page"][0].uscc
    assert client.get(f"/orgs/?q={uscc}").context["listing"].total == 1

    ordered = client.get("/orgs/?kind=enterprise&sort=-name")
    names = [o.name for o in ordered.context["page"]]
    assert names == sorted(names, reverse=True)


def test_organisations_filter_by_active(world, client_for):
    world.other_enterprise.is_active = False
    world.other_enterprise.save()
    client = client_for(Role.COMMITTEE_STAFF)
    stopped = client.get("/orgs/?active=no")
    assert [o.name for o in stopped.context["page"]] == [world.other_enterprise.name]
    assert world.other_enterprise not in client.get("/orgs/?active=yes").context["page"]
    assert "没有符合筛选条件的组织" in client.get("/orgs/?q=不存在的名称").content.decode()


def test_organisations_ignore_bad_values(world, client_for):
    response = client_for(Role.COMMITTEE_STAFF).get(f"/orgs/{BAD}&district=x&active=maybe")
    assert response.status_code == 200
    assert response.context["listing"].total == 9  # the World's organisations, unfiltered


def test_organisations_cost_the_same_at_two_sizes(world, client_for):
    members(world, 2, prefix="小")
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        "/orgs/",
        grow=lambda: members(world, 20, agency=world.other_agency, prefix="大"),
    )


# ------------------------------------------------------------------------------------------
# Invitations


def test_invitations_filter_and_search(world, client_for):
    invitations(world, 3, prefix="open")
    invitations(world, 2, prefix="late", expired=True)
    client = client_for(Role.ASSOCIATION_ADMIN)
    assert client.get("/invitations/").context["listing"].total == 5
    assert client.get("/invitations/?state=expired").context["listing"].total == 2
    assert client.get("/invitations/?state=open").context["listing"].total == 3
    found = client.get("/invitations/?q=late1@")
    assert [i.email for i in found.context["page"]] == ["late1@example.cn"]
    assert client.get(f"/invitations/{BAD}&role=god").status_code == 200


def test_invitations_cost_the_same_at_two_sizes(world, client_for):
    invitations(world, 1, prefix="one")
    assert_flat(
        client_for(Role.COMMITTEE_STAFF),
        "/invitations/",
        grow=lambda: invitations(world, 12, prefix="more"),
    )


# ------------------------------------------------------------------------------------------
# The expert pool


def test_experts_filter_by_district_availability_and_search(world, client_for):
    experts(world, 3, district="tianhe", prefix="天河")
    away = experts(world, 2, district="yuexiu", prefix="越秀")
    away[0].expert_profile.available = False
    away[0].expert_profile.save()
    client = client_for(Role.COMMITTEE_STAFF)
    everyone = client.get("/experts/").context["listing"].total
    assert everyone == 6  # and the World's expert, without a profile
    assert client.get("/experts/?district=yuexiu").context["listing"].total == 2
    assert client.get("/experts/?availability=unavailable").context["listing"].total == 1
    assert client.get("/experts/?availability=missing").context["listing"].total == 1
    assert [e.full_name for e in client.get("/experts/?q=越秀001").context["page"]] == ["越秀001"]
    assert client.get(f"/experts/{BAD}&availability=x&district=x").status_code == 200


def test_an_expert_in_two_pools_is_listed_once(world, client_for):
    (expert,) = experts(world, 1, prefix="双库")
    MembershipFactory(user=expert, organisation=world.agency, role=Role.EXPERT)
    page = client_for(Role.COMMITTEE_STAFF).get("/experts/?q=双库")
    assert [e.pk for e in page.context["page"]] == [expert.pk]


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.AGENCY_STAFF])
def test_the_expert_list_costs_the_same_at_two_sizes(world, client_for, role):
    experts(world, 1, organisation=world.agency, prefix="一")
    assert_flat(
        client_for(role),
        "/experts/",
        grow=lambda: experts(world, 8, organisation=world.agency, prefix="多"),
    )


def test_an_agency_sees_only_its_pool(world, client_for):
    experts(world, 2, prefix="协会专家")
    experts(world, 1, organisation=world.agency, prefix="本机构专家")
    page = client_for(Role.AGENCY_STAFF).get("/experts/")
    assert [e.full_name for e in page.context["page"]] == ["本机构专家000"]


# ------------------------------------------------------------------------------------------
# An agency's members


def test_members_waiting_come_first_and_filter_by_state_district_and_search(world, client_for):
    members(world, 55, prefix="已确认")
    members(world, 2, prefix="待确认", confirmed=False, district=District.HUANGPU)
    client = client_for(Role.AGENCY_STAFF)
    first = client.get("/agency/members/")
    # The two asking now and the World's enterprise (asked at registration) lead the list.
    assert first.context["listing"].total == 58
    assert [m.enterprise.name for m in first.context["page"][:2]] == [
        "待确认000有限公司",
        "待确认001有限公司",
    ]
    assert first.context["waiting"] == 3
    html = first.content.decode()
    assert 'href="?state=waiting"' in html
    assert 'rel="next"' in html
    assert client.get("/agency/members/?state=waiting").context["listing"].total == 3
    assert client.get("/agency/members/?state=confirmed").context["listing"].total == 55
    assert client.get("/agency/members/?district=huangpu").context["listing"].total == 2
    found = client.get("/agency/members/?q=已确认054")
    assert [m.enterprise.name for m in found.context["page"]] == ["已确认054有限公司"]
    assert client.get(f"/agency/members/{BAD}&district=x").status_code == 200


def test_members_offer_no_agency_choice_to_staff_of_one_agency(world, client_for):
    members(world, 1)
    members(world, 1, agency=world.other_agency, prefix="别家")
    client = client_for(Role.AGENCY_STAFF)
    page = client.get(f"/agency/members/?agency={world.other_agency.pk}")
    assert "agency" not in page.context["listing"].filters.form.fields
    assert "别家000有限公司" not in page.content.decode()


def test_members_offer_only_the_users_own_agencies(world, client_for):
    third = OrganisationFactory(kind=OrgKind.AGENCY, name="第三家协会")
    staff = world.users[Role.AGENCY_STAFF]
    MembershipFactory(user=staff, organisation=world.other_agency, role=Role.AGENCY_STAFF)
    members(world, 1, agency=world.other_agency, prefix="别家")
    members(world, 1, agency=third, prefix="第三家")
    page = client_for(staff).get(f"/agency/members/?agency={world.other_agency.pk}")
    choices = page.context["listing"].filters.form.fields["agency"].queryset
    assert set(choices) == {world.agency, world.other_agency}
    assert [m.enterprise.name for m in page.context["page"]] == [
        world.other_enterprise.name,
        "别家000有限公司",
    ]
    # Another agency's id is not a choice: ignored, the user's own members stay.
    forged = client_for(staff).get(f"/agency/members/?agency={third.pk}")
    assert "第三家000有限公司" not in forged.content.decode()


def test_the_member_list_costs_the_same_at_two_sizes(world, client_for):
    members(world, 1, prefix="一")
    members(world, 1, prefix="待", confirmed=False)

    def grow():
        members(world, 10, prefix="多")
        members(world, 5, prefix="又待", confirmed=False)

    assert_flat(client_for(Role.AGENCY_STAFF), "/agency/members/", grow=grow)
