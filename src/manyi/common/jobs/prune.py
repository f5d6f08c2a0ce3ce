"""Forgetting jobs that finished well: one row per mail would otherwise grow without end.

A job that is done has said all it has to say: its effect is in the domain's own rows (the
list accepted, the run computed, the message sent) and in the activity log. After
JOB_KEEP_DAYS it is deleted, a batch at a time, by the daily schedule. Failed jobs are kept:
they are what an operator looks at on 后台任务, and there are few of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from manyi.common.models import BackgroundJob, JobState

# Rows deleted per statement: a short lock, whatever the backlog (a backlog takes a few days).
BATCH = 5000


def prune_done(*, now: datetime | None = None, batches: int = 20) -> int:
    """Delete done jobs finished more than JOB_KEEP_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_KEEP_DAYS)
    removed = 0
    for _batch in range(batches):
        ids = list(
            BackgroundJob.objects.filter(state=JobState.DONE, finished_at__lt=cutoff)
            .order_by("pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        removed += BackgroundJob.objects.filter(pk__in=ids).delete()[0]
    return removed


def prune_task() -> str:
    """The schedule's task (common.schedules)."""
    return f"pruned {prune_done()} done jobs"
