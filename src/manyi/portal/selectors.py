from django.db.models import QuerySet

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage


def activity_entries(user, filters: dict) -> QuerySet[ActivityLog]:
    """The log for auditors; nobody else reads it."""
    if not has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return ActivityLog.objects.none()
    qs = ActivityLog.objects.select_related("organisation")
    if filters.get("action"):
        qs = qs.filter(action__icontains=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("organisation"):
        qs = qs.filter(organisation__name__icontains=filters["organisation"])
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("date_from"):
        qs = qs.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(at__date__lte=filters["date_to"])
    return qs


def outbox_messages(user, *, status: str = "") -> QuerySet[OutboxMessage]:
    if not has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        return OutboxMessage.objects.none()
    qs = OutboxMessage.objects.all()
    if status in OutboxMessage.Status.values:
        qs = qs.filter(status=status)
    return qs
