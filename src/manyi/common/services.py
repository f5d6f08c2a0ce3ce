"""The only code that writes activity-log entries and outbox messages."""

import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from manyi.common.context import current_ip
from manyi.common.jobs import enqueue
from manyi.common.models import ActivityLog, JobKind, OutboxMessage

logger = logging.getLogger(__name__)


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The concrete field values of a model instance, as JSON-safe data, for before/after."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in instance._meta.concrete_fields if f.name not in {"password"}]
    )
    return {name: _jsonable(getattr(instance, name)) for name in names}


def log_activity(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    organisation=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> ActivityLog:
    """Append one entry to the activity log.

    The IP comes from the current request, if any. Called inside the caller's transaction so
    that the entry exists exactly when the change does.
    """
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    label = ""
    if actor_obj is not None:
        label = f"{actor_obj.display_name} <{actor_obj.email}>"
    elif isinstance(actor, str):
        label = actor
    return ActivityLog.objects.create(
        actor=actor_obj,
        actor_label=label[:200],
        organisation=organisation,
        ip=current_ip.get(),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        note=note,
    )


def queue_email(
    *, to: str, template: str, context: dict, language: str | None = None
) -> OutboxMessage:
    """Render `emails/<template>_subject.txt` and `_body.txt` and hold the message in the outbox.

    Side effects, in order: one OutboxMessage row; its job (``common.jobs``), handed to the
    worker that sends it after the surrounding transaction commits.
    """
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", ctx)
        body = render_to_string(f"emails/{template}_body.txt", ctx)
    return hold_message(to=to, subject=subject, body_text=body, template=template)


def hold_message(
    *, to: str, subject: str, body_text: str, body_html: str = "", template: str = ""
) -> OutboxMessage:
    """Store an already rendered message in the outbox and queue its delivery (a job)."""
    subject = " ".join(subject.split())
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject[:300],
        body_text=body_text.strip(),
        body_html=body_html,
        template=template,
    )
    enqueue(JobKind.MAIL, message.pk)
    return message


def deliver_message(*, message: OutboxMessage) -> OutboxMessage:
    """Send one outbox message with the configured email backend and record the outcome.

    A message that is already sent is not sent again (a retried task must not duplicate it).
    A worker killed during ``send`` leaves it queued, and the retry sends it again: the mail
    server may then get it twice, which is better than never.
    """
    claimed = (
        OutboxMessage.objects.filter(pk=message.pk)
        .exclude(status=OutboxMessage.Status.SENT)
        .update(attempts=models.F("attempts") + 1)
    )
    if not claimed:
        return message
    email = EmailMultiAlternatives(
        message.subject, message.body_text, settings.DEFAULT_FROM_EMAIL, [message.to]
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as exc:  # noqa: BLE001 - any transport error is recorded and shown to staff
        logger.warning("email %s to %s failed: %s", message.pk, message.to, exc)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED, last_error=str(exc)[:2000]
        )
    else:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
        )
    message.refresh_from_db()
    return message


def retry_message(*, message: OutboxMessage, by) -> None:
    """Put a failed message back in the queue (staff action)."""
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.FAILED).update(
            status=OutboxMessage.Status.QUEUED
        )
        log_activity(actor=by, action="outbox.retry", obj=message)
        enqueue(JobKind.MAIL, message.pk)


def abandon_delivery(*, message: OutboxMessage, reason: str) -> None:
    """Every delivery attempt was interrupted (the worker died each time): the message fails
    with the reason, so staff see it under 发件箱 and can send it again."""
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.QUEUED).update(
        status=OutboxMessage.Status.FAILED, last_error=reason
    )
