"""Persons (Art. 27): an expert removed from the pool (no draw picks them; their open
assignments listed for staff to replace) and an account disabled (no more login)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.models import ExpertProfile
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.experts.eligibility import pool
from manyi.supervision.models import Sanction, SanctionKind
from manyi.supervision.sanctions import services
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from tests.reviews.factories import accepted, assign_experts, make_expert
from tests.supervision.factories_sanctions import admin

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------
# Expert removed from the pool


def test_remove_expert_takes_them_out_of_the_pool_and_records_it(world):
    expert = make_expert(world, name="王专家")
    assert expert in pool()
    before = OutboxMessage.objects.count()

    sanction = services.remove_expert(expert=expert, by=admin(world), reason="泄露评审信息")

    assert expert not in pool()
    assert ExpertProfile.objects.get(user=expert).in_pool is False
    assert sanction.kind == SanctionKind.EXPERT_REMOVED
    assert sanction.person == expert
    assert sanction.public is False
    assert sanction.decided_on == timezone.localdate()
    entry = ActivityLog.objects.get(action="sanction.expert_remove")
    assert entry.after["in_pool"] is False
    assert entry.note == "泄露评审信息"
    sent = list(OutboxMessage.objects.order_by("pk")[before:])
    assert [m.to for m in sent] == [expert.email]  # no open assignment: staff are not asked
    assert sent[0].subject == "【满意】您已被移出评审专家库"
    assert "泄露评审信息" in sent[0].body_text


def test_an_expert_without_a_profile_stays_out_once_removed(world):
    expert = UserFactory()
    MembershipFactory(user=expert, organisation=world.committee, role=Role.EXPERT)
    services.remove_expert(expert=expert, by=admin(world), reason="x", public=True)
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.in_pool is False
    assert Sanction.objects.get(person=expert).public is True


def test_open_assignments_are_listed_for_staff_to_replace(world, client_for):
    application = accepted(world)
    expert = make_expert(world, campaign=application.campaign, name="李专家")
    [assignment] = assign_experts(world, application, experts=[expert])
    before = OutboxMessage.objects.count()
    sanction = services.remove_expert(expert=expert, by=admin(world), reason="利益冲突未申报")
    entry = ActivityLog.objects.get(action="sanction.expert_remove")
    assert entry.after["assignments"] == [assignment.pk]
    asked = OutboxMessage.objects.order_by("pk")[before:].filter(
        to=world.users[Role.COMMITTEE_STAFF].email
    )
    assert asked.count() == 1
    assert "需更换专家" in asked.get().subject
    page = client_for(Role.COMMITTEE_STAFF).get(
        reverse("supervision:sanction_detail", args=[sanction.pk])
    )
    html = page.content.decode()
    assert f'data-assignment="{assignment.pk}"' in html
    assert reverse("reviews:detail", args=[application.pk]) in html


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF, Role.EXPERT])
def test_only_the_administrator_removes_an_expert(world, role):
    expert = make_expert(world)
    with pytest.raises(PermissionDenied):
        services.remove_expert(expert=expert, by=world.users[role], reason="x")
    assert expert in pool()


def test_remove_expert_refusals(world):
    expert = make_expert(world)
    with pytest.raises(ValidationError, match="不是评审专家"):
        services.remove_expert(
            expert=world.users[Role.ENTERPRISE_USER], by=admin(world), reason="x"
        )
    with pytest.raises(ValidationError) as no_reason:
        services.remove_expert(expert=expert, by=admin(world), reason="")
    assert "请写明移出专家库的事由" in no_reason.value.message_dict["reason"]
    with pytest.raises(ValidationError) as future:
        services.remove_expert(
            expert=expert,
            by=admin(world),
            reason="x",
            decided_on=timezone.localdate() + timedelta(days=3),
        )
    assert "decided_on" in future.value.message_dict
    assert expert in pool()
    services.remove_expert(expert=expert, by=admin(world), reason="x")
    with pytest.raises(ValidationError, match="已移出评审专家库"):
        services.remove_expert(expert=expert, by=admin(world), reason="x")
    assert Sanction.objects.count() == 1


def test_the_remove_expert_form(world, client_for):
    expert = make_expert(world, name="赵专家", employer="中山大学")
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("supervision:sanction_remove_expert")
    form = client.get(url, {"expert": expert.pk}).content.decode()
    assert "赵专家（中山大学）" in form
    response = client.post(
        url,
        {"expert": expert.pk, "reason": "多次无故缺席评审", "decided_on": timezone.localdate()},
        follow=True,
    )
    assert "已将该专家移出评审专家库" in response.content.decode()
    assert expert not in pool()
    again = client.get(url).content.decode()
    assert "赵专家" not in again


# ------------------------------------------------------------------------------------------
# Account disabled


def test_disable_account_stops_the_login_and_records_it(world, client):
    person = world.users[Role.ENTERPRISE_USER]
    client.force_login(person)
    assert client.get(reverse("applications:list")).status_code == 200

    sanction = services.disable_account(person=person, by=admin(world), reason="冒用他人身份")

    person.refresh_from_db()
    assert person.is_active is False
    assert sanction.kind == SanctionKind.ACCOUNT_DISABLED
    assert sanction.public is False
    assert ActivityLog.objects.filter(action="sanction.account_disable").count() == 1
    assert OutboxMessage.objects.filter(to=person.email, subject="【满意】您的账号已停用").exists()
    # The open session ends with the next request; the password no longer logs in.
    assert client.get(reverse("applications:list")).status_code == 302
    assert not client.login(username=person.email, password=PASSWORD)


def test_disable_account_refusals(world):
    with pytest.raises(ValidationError, match="不能停用自己的账号"):
        services.disable_account(person=admin(world), by=admin(world), reason="x")
    with pytest.raises(PermissionDenied):
        services.disable_account(
            person=world.outsider, by=world.users[Role.COMMITTEE_STAFF], reason="x"
        )
    with pytest.raises(ValidationError) as no_reason:
        services.disable_account(person=world.outsider, by=admin(world), reason=" ")
    assert "reason" in no_reason.value.message_dict
    world.outsider.refresh_from_db()
    assert world.outsider.is_active is True
    services.disable_account(person=world.outsider, by=admin(world), reason="x")
    with pytest.raises(ValidationError, match="该账号已停用"):
        services.disable_account(person=world.outsider, by=admin(world), reason="x")
    assert Sanction.objects.count() == 1


def test_disabling_an_expert_lists_their_assignments(world):
    application = accepted(world)
    expert = make_expert(world, campaign=application.campaign)
    assign_experts(world, application, experts=[expert])
    services.disable_account(person=expert, by=admin(world), reason="x")
    assert expert not in pool()
    assert OutboxMessage.objects.filter(
        to=world.users[Role.COMMITTEE_STAFF].email, template="supervision/sanction_replace_expert"
    ).exists()


def test_the_disable_account_form(world, client_for):
    client = client_for(Role.ASSOCIATION_ADMIN)
    url = reverse("supervision:sanction_disable_account")
    unknown = client.post(
        url,
        {"email": "nobody@example.cn", "reason": "x", "decided_on": timezone.localdate()},
    )
    assert "没有该电子邮箱的账号" in unknown.content.decode()
    response = client.post(
        url,
        {
            "email": world.outsider.email.upper(),
            "reason": "冒用他人身份",
            "decided_on": timezone.localdate(),
            "public": "on",
        },
        follow=True,
    )
    assert "账号已停用" in response.content.decode()
    sanction = Sanction.objects.get()
    assert sanction.person == world.outsider
    assert sanction.public is True


def test_the_forms_are_the_administrators(world, client_for):
    for role in (Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF):
        client = client_for(role)
        for name in (
            "supervision:sanction_disqualify",
            "supervision:sanction_remove_expert",
            "supervision:sanction_disable_account",
        ):
            assert client.get(reverse(name)).status_code == 403
