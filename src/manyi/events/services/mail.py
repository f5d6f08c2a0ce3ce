"""The events' messages: one template pair per message under `templates/emails/events/`,
held in the outbox by `common.services.queue_email` and sent by the worker after commit."""

from django.conf import settings
from django.urls import reverse

from manyi.common.services import queue_email


def event_url(event) -> str:
    return settings.SITE_URL + reverse("events:detail", args=[event.pk])


def registration_url(token: str) -> str:
    return settings.SITE_URL + reverse("events:registration", args=[token])


def send(*, to: str, template: str, context: dict, language: str | None = None):
    """Hold the message `emails/events/<template>` for `to` (in Chinese unless told). Side
    effect: one OutboxMessage; its delivery is queued after the surrounding transaction
    commits."""
    return queue_email(to=to, template=f"events/{template}", context=context, language=language)
