"""The diagnosis's messages: one template pair per message under
``templates/emails/diagnostics/`` (``<name>_subject.txt``, ``<name>_body.txt``), held in the
outbox by `common.services.queue_email` and sent after the transaction commits."""

from django.conf import settings
from django.urls import reverse

from manyi.common.services import queue_email


def link(diagnosis) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("diagnostics:detail", args=[diagnosis.pk])


def send(name: str, to, context: dict) -> int:
    """Hold the message `name` for each address in `to` (duplicates and blanks dropped).
    Returns how many were held."""
    ctx = dict(context)
    if "diagnosis" in ctx and "link" not in ctx:
        ctx["link"] = link(ctx["diagnosis"])
    addresses = sorted({a for a in to if a})
    for address in addresses:
        queue_email(to=address, template=f"diagnostics/{name}", context=ctx)
    return len(addresses)
