"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.common.models import OutboxMessage
from manyi.common.services import abandon_delivery, deliver_message


def deliver_outbox_message(message_id: int) -> str:
    """The mail job's handler (``common.jobs.kinds``); also the task queued before jobs existed."""
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "missing"
    return deliver_message(message=message).status


def delivery_failed(message_id: int, message: str) -> None:
    outbox_message = OutboxMessage.objects.filter(pk=message_id).first()
    if outbox_message is not None:
        abandon_delivery(message=outbox_message, reason=message)
