"""The diagnosis's messages: one template pair per message under
``templates/diagnostics/emails/`` (``<name>_subject.txt``, ``<name>_body.txt``), rendered in the
site's language like every outbox message and held in the outbox, sent after the transaction
commits (`common.services.hold_message`)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from manyi.common.services import hold_message


def link(diagnosis) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("diagnostics:detail", args=[diagnosis.pk])


def send(name: str, to, context: dict) -> int:
    """Hold the message `name` for each address in `to` (duplicates and blanks dropped).
    Returns how many were held."""
    ctx = {"site_url": settings.SITE_URL, **context}
    if "diagnosis" in ctx and "link" not in ctx:
        ctx["link"] = link(ctx["diagnosis"])
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"diagnostics/emails/{name}_subject.txt", ctx)
        body = render_to_string(f"diagnostics/emails/{name}_body.txt", ctx)
    addresses = sorted({a for a in to if a})
    for address in addresses:
        hold_message(to=address, subject=subject, body_text=body, template=f"diagnostics/{name}")
    return len(addresses)
