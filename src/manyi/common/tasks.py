"""Worker tasks: thin, they take ids, load, and call the service."""

from manyi.common.models import OutboxMessage
from manyi.common.services import deliver_message


def deliver_outbox_message(message_id: int) -> str:
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if message is None:
        return "missing"
    return deliver_message(message=message).status
