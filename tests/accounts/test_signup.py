"""Sign-up: the same answer whether or not the enterprise is registered; mail in Chinese."""

import re

import pytest
from django.urls import reverse

from manyi.accounts.models import Membership, Organisation, User
from manyi.accounts.roles import Role
from manyi.accounts.uscc import make_uscc
from manyi.common.models import ActivityLog, OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Very-long-pass-123"


def sign_up(client, *, email, org_name, uscc):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "王五",
            "org_name": org_name,
            "uscc": uscc,
            "legal_representative": "王某",
            "trade": "service",
            "industry": "软件",
            "address": "广州市天河区",
            "contact_mobile": "13800138000",
        },
        follow=True,
    )


def page_words(response) -> str:
    """The page's text without markup, its CSRF token and the address typed in."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    text = re.sub(r"\S+@example\.cn", "EMAIL", text)
    return " ".join(text.split())


def test_signup_for_a_registered_uscc_answers_as_for_a_new_enterprise(world, client):
    new = sign_up(
        client,
        email="new@example.cn",
        org_name="广州新注册有限公司",
        uscc=make_uscc("91440101MA1234567"),
    )
    client.logout()
    known = sign_up(
        client, email="asker@example.cn", org_name="另一个名字有限公司", uscc=world.enterprise.uscc
    )
    assert known.redirect_chain == new.redirect_chain
    assert page_words(known) == page_words(new)
    assert "我们已向您的邮箱发送了后续步骤" in page_words(known)
    assert "已注册" not in known.content.decode()


def test_signup_for_a_registered_name_answers_as_for_a_new_enterprise(world, client):
    response = sign_up(
        client,
        email="asker@example.cn",
        org_name=world.enterprise.name,
        uscc=make_uscc("91440101MA7654321"),
    )
    assert "我们已向您的邮箱发送了后续步骤" in page_words(response)
    assert "已注册" not in response.content.decode()
    assert not Organisation.objects.filter(uscc=make_uscc("91440101MA7654321")).exists()


def test_signup_for_a_registered_enterprise_creates_nothing_and_tells_the_person_and_managers(
    world, client
):
    organisations = Organisation.objects.count()
    sign_up(client, email="asker@example.cn", org_name="珠江家电", uscc=world.enterprise.uscc)
    assert Organisation.objects.count() == organisations
    asker = User.objects.get(email="asker@example.cn")
    # The account stays, without an organisation, until a colleague invites it.
    assert not Membership.objects.filter(user=asker).exists()
    assert asker.full_name == "王五"
    to_asker = OutboxMessage.objects.get(to=asker.email, template="signup_enterprise_registered")
    assert "请其在系统中邀请您加入" in to_asker.body_text
    manager = world.users[Role.ENTERPRISE_USER]
    to_manager = OutboxMessage.objects.get(to=manager.email, template="enterprise_join_request")
    assert "王五（asker@example.cn）" in to_manager.body_text
    assert world.enterprise.name in to_manager.subject
    # A colleague who is not a manager is not asked.
    assert not OutboxMessage.objects.filter(to=world.colleague.email).exists()
    entry = ActivityLog.objects.get(action="organisation.join_request")
    assert entry.organisation == world.enterprise


def test_signup_email_is_in_chinese_and_names_the_site_from_the_setting(world, client, settings):
    settings.SITE_NAME = "满意测试站"
    sign_up(
        client,
        email="new@example.cn",
        org_name="广州新注册有限公司",
        uscc=make_uscc("91440101MA1234567"),
    )
    message = OutboxMessage.objects.get(
        to="new@example.cn", template="account/email/email_confirmation_signup"
    )
    assert "满意测试站" in message.subject
    assert "满意测试站" in message.body_text
    assert "Hello" not in message.body_text
    assert "testserver的" not in message.body_text
    assert "/accounts/confirm-email/" in message.body_text


def test_staff_cannot_read_the_email_confirmation_link_in_the_outbox(world, client):
    sign_up(
        client,
        email="new@example.cn",
        org_name="广州新注册有限公司",
        uscc=make_uscc("91440101MA1234567"),
    )
    message = OutboxMessage.objects.get(to="new@example.cn")
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    page = client.get(f"/staff/outbox/{message.pk}/").content.decode()
    assert "/accounts/confirm-email/" not in page
    assert "不予显示正文" in page
