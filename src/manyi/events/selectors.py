"""Reads of events, scoped by who asks."""

from django.utils import timezone

from manyi.events.models import Event, EventStatus


def upcoming_public(limit: int = 3) -> list[Event]:
    """Published events still to come, soonest first (the home page shows them)."""
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("organiser", "host")
        .order_by("starts_at")[:limit]
    )
