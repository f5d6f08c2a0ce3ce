"""The worker's timetable, collected from each app's ``schedules`` module.

Installed after every ``migrate`` (the ``post_migrate`` signal, connected in ``apps.py``), so a
new database, a test database and an upgraded one all have it, without a data migration and
without anyone running a command. Idempotent: each schedule is found by its name; what the app
says (function, frequency) is brought up to date, the next run is set only when created.
"""

from datetime import timedelta

from django.db import connections
from django.utils import timezone

from manyi.common.registry import app_modules


def wanted_schedules() -> list[dict]:
    return [
        entry
        for module in app_modules("schedules")
        if module.__name__.startswith("manyi.")
        for entry in getattr(module, "SCHEDULES", ())
    ]


def install_schedules(*, using: str = "default", now=None, **_signal) -> int:
    """Create or update every app's schedule in django_q; returns how many there are."""
    from django_q.models import Schedule

    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return 0  # django_q's tables are not there (yet): nothing to install into
    now = now or timezone.now()
    entries = wanted_schedules()
    for entry in entries:
        wanted = {
            "func": entry["func"],
            "schedule_type": entry["schedule_type"],
            "minutes": entry.get("minutes"),  # for Schedule.MINUTES: every this many minutes
            "repeats": -1,
        }
        Schedule.objects.using(using).update_or_create(
            name=entry["name"],
            defaults=wanted,
            create_defaults={
                **wanted,
                "next_run": now if "minutes" in entry else _next_at_hour(now, entry.get("hour", 0)),
            },
        )
    return len(entries)


def _next_at_hour(now, hour: int):
    """The next time it is `hour` o'clock, local time."""
    local = timezone.localtime(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)
