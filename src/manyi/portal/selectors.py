from django.db.models import QuerySet

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage


def activity_entries(user) -> QuerySet[ActivityLog]:
    """The log for auditors; nobody else reads it (``portal.filters.ActivityFilter`` narrows
    it, on screen and in the export alike)."""
    if not has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return ActivityLog.objects.none()
    return ActivityLog.objects.select_related("organisation")


def outbox_messages(user) -> QuerySet[OutboxMessage]:
    if not has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.all()
