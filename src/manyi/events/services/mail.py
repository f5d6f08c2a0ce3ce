"""The events' messages: one template pair per message under `templates/events/emails/`,
held in the outbox (`common.services.hold_message`) and sent by the worker after commit."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from manyi.common.services import hold_message


def event_url(event) -> str:
    return settings.SITE_URL + reverse("events:detail", args=[event.pk])


def registration_url(token: str) -> str:
    return settings.SITE_URL + reverse("events:registration", args=[token])


def send(*, to: str, template: str, context: dict, language: str | None = None):
    """Render `events/emails/<template>_subject.txt` and `_body.txt` (in Chinese unless told)
    and hold the message in the outbox. Side effect: one OutboxMessage; its delivery is queued
    after the surrounding transaction commits."""
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"events/emails/{template}_subject.txt", ctx)
        body = render_to_string(f"events/emails/{template}_body.txt", ctx)
    return hold_message(to=to, subject=subject, body_text=body, template=f"events/{template}")
