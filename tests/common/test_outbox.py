import pytest
from django.core import mail
from django.db import transaction

from manyi.accounts.roles import Role
from manyi.common.models import OutboxMessage
from manyi.common.services import deliver_message, hold_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_message_is_sent_only_after_commit():
    with transaction.atomic():
        message = hold_message(to="a@example.cn", subject="主题", body_text="正文")
        assert len(mail.outbox) == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 1
    assert mail.outbox[0].subject == "主题"


def test_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        hold_message(to="a@example.cn", subject="主题", body_text="正文")
        raise RuntimeError
    assert OutboxMessage.objects.count() == 0
    assert len(mail.outbox) == 0


def test_failures_are_recorded_and_a_sent_message_is_not_sent_twice(settings):
    settings.EMAIL_BACKEND = "tests.common.failing_backend.FailingBackend"
    message = hold_message(to="a@example.cn", subject="主题", body_text="正文")
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "refused" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_message(message=message)
    deliver_message(message=message)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert len(mail.outbox) == 1


def test_staff_see_the_outbox_but_not_credential_mail(world, client):
    hold_message(
        to="a@example.cn",
        subject="重置密码",
        body_text="链接 https://x/reset/SECRET",
        template="account/email/password_reset_key",
    )
    hold_message(to="b@example.cn", subject="普通通知", body_text="正文内容")
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    listing = client.get("/staff/outbox/").content.decode()
    assert "重置密码" in listing
    assert "普通通知" in listing
    secret = OutboxMessage.objects.get(subject="重置密码")
    assert "SECRET" not in client.get(f"/staff/outbox/{secret.pk}/").content.decode()
    plain = OutboxMessage.objects.get(subject="普通通知")
    assert "正文内容" in client.get(f"/staff/outbox/{plain.pk}/").content.decode()
