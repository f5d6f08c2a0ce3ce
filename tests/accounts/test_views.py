import pytest

from manyi.accounts.models import Invitation, Membership
from manyi.accounts.roles import Role
from manyi.accounts.services import invite_member
from manyi.common.models import ActivityLog, OutboxMessage

pytestmark = pytest.mark.django_db


def test_agency_confirms_a_member_from_its_list(world, client):
    client.force_login(world.users[Role.AGENCY_STAFF])
    page = client.get("/agency/members/").content.decode()
    assert world.enterprise.name in page
    assert world.other_enterprise.name not in page
    response = client.post(
        f"/agency/members/{world.enterprise.pk}/decide/", {"decision": "accept"}, follow=True
    )
    assert "已确认" in response.content.decode()
    world.enterprise.refresh_from_db()
    assert world.enterprise.agency_memberships.get().confirmed_at is not None


def test_decline_without_reason_is_explained_and_changes_nothing(world, client):
    client.force_login(world.users[Role.AGENCY_STAFF])
    response = client.post(
        f"/agency/members/{world.enterprise.pk}/decide/",
        {"decision": "decline", "reason": ""},
        follow=True,
    )
    assert "请说明不予确认的原因" in response.content.decode()
    assert world.enterprise.agency_memberships.get().agency == world.agency


def test_owner_edits_details_with_validation(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    data = {
        "name": world.enterprise.name,
        "trade": "industrial",
        "postcode": "5101",
        "phone": "abc",
    }
    response = client.post(f"/orgs/{world.enterprise.pk}/edit/", data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "邮政编码应为6位数字" in text
    assert "请输入有效的电话号码" in text
    data.update(
        postcode="510110", phone="020-83341934", employees="1200", legal_representative="梁振华"
    )
    response = client.post(f"/orgs/{world.enterprise.pk}/edit/", data)
    assert response.status_code == 302
    world.enterprise.refresh_from_db()
    assert world.enterprise.employees == 1200
    assert world.enterprise.phone == "020-83341934"


def test_colleague_who_is_not_manager_cannot_edit(world, client):
    client.force_login(world.colleague)
    assert client.get(f"/orgs/{world.enterprise.pk}/").status_code == 200
    assert client.get(f"/orgs/{world.enterprise.pk}/edit/").status_code == 403


def test_staff_invite_through_the_form_and_the_invitee_accepts(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.post(
        "/invitations/new/",
        {
            "email": "kexin@example.cn",
            "full_name": "柯新",
            "organisation": world.agency.pk,
            "role": Role.AGENCY_STAFF,
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="kexin@example.cn")
    body = OutboxMessage.objects.get(to="kexin@example.cn").body_text
    token = body.split("/invite/")[1].split("/")[0]
    client.logout()
    page = client.get(f"/invite/{token}/")
    assert "推进机构工作人员" in page.content.decode()
    response = client.post(
        f"/invite/{token}/",
        {"full_name": "柯新", "password1": "Quality-2026!x", "password2": "Quality-2026!x"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user__email="kexin@example.cn", organisation=world.agency
    ).exists()
    assert ActivityLog.objects.filter(
        action="invitation.accept", object_id=str(invitation.pk)
    ).exists()
    # The new agency user must now set up two-factor login before working.
    assert client.get("/dashboard/").status_code == 302
    # The link does not work twice.
    client.logout()
    assert client.get(f"/invite/{token}/").status_code == 404


def test_mismatched_passwords_are_refused(world, client):
    _inv, token = invite_member(
        by=world.users[Role.ASSOCIATION_ADMIN],
        email="z@example.cn",
        organisation=world.enterprise,
        role=Role.ENTERPRISE_USER,
    )
    response = client.post(
        f"/invite/{token}/",
        {"full_name": "张", "password1": "Quality-2026!x", "password2": "other-2026!x"},
    )
    assert response.status_code == 200
    assert "两次输入的密码不一致" in response.content.decode()
    assert not Membership.objects.filter(user__email="z@example.cn").exists()


def test_invite_form_offers_only_allowed_organisations(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    page = client.get("/invitations/new/").content.decode()
    assert world.enterprise.name in page
    assert world.other_enterprise.name not in page
    response = client.post(
        "/invitations/new/",
        {
            "email": "q@example.cn",
            "organisation": world.other_enterprise.pk,
            "role": Role.ENTERPRISE_USER,
        },
    )
    assert response.status_code == 200
    assert not Invitation.objects.filter(email="q@example.cn").exists()


def test_expert_profile_is_saved_and_listed(world, client):
    client.force_login(world.users[Role.EXPERT])
    client.post(
        "/expert/profile/",
        {
            "title": "教授",
            "employer": "华南理工大学",
            "specialties": "质量管理",
            "industries": "家电",
            "district": "tianhe",
        },
    )
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    page = client.get("/experts/").content.decode()
    assert "华南理工大学" in page
    assert "质量管理" in page


def test_manager_sees_and_withdraws_pending_invitations_of_the_organisation(world, client):
    owner = world.users[Role.ENTERPRISE_USER]
    invitation, _token = invite_member(
        by=owner, email="later@example.cn", organisation=world.enterprise, role=Role.ENTERPRISE_USER
    )
    client.force_login(owner)
    page = client.get(f"/orgs/{world.enterprise.pk}/").content.decode()
    assert "later@example.cn" in page
    assert "撤回" in page
    response = client.post(f"/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{world.enterprise.pk}/"
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # A colleague who is not a manager does not see the invitations.
    client.force_login(world.colleague)
    assert "later@example.cn" not in client.get(f"/orgs/{world.enterprise.pk}/").content.decode()
