"""Putting a job in the queue: the row in the caller's transaction, the message after commit."""

from __future__ import annotations

import logging
from functools import partial

from django.db import DatabaseError, transaction
from django.utils import timezone

from manyi.common.models import BackgroundJob, JobKind

logger = logging.getLogger(__name__)

TASK = "manyi.common.jobs.worker.run_job"


def enqueue(kind: JobKind | str, object_id: int, **params) -> BackgroundJob:
    """Queue ``kind`` for ``object_id``: the one door to the task workers.

    Side effects, in order: a BackgroundJob (queued) in the caller's transaction; after it
    commits, the broker's message "run job N" and the job's ``handed_over_at``. If the process
    stops between the two, the sweeper finds the job without ``handed_over_at`` and hands it
    over. ``params`` must be JSON (ids, short words).
    """
    job = BackgroundJob.objects.create(kind=JobKind(kind), object_id=object_id, params=params)
    transaction.on_commit(partial(hand_over, job.pk, job.task_name))
    return job


def hand_over(job_id: int, task_name: str) -> None:
    """Give the broker the job's message; noted on the job only once the broker has it."""
    from django_q.tasks import async_task

    try:
        async_task(TASK, job_id, task_name=task_name)
    except DatabaseError:
        # The job is committed: the sweeper hands it over later. The person's action stands.
        logger.exception("job %s: not handed to the broker", job_id)
        return
    BackgroundJob.objects.filter(pk=job_id, handed_over_at__isnull=True).update(
        handed_over_at=timezone.now()
    )


def drop_stale_delivery(task_name: str) -> int:
    """Remove the broker's message of a dead attempt, so the broker does not hand it out again
    when its lock expires (a redelivery would be a no-op anyway). Only messages being worked
    on (locked) are looked at: a handful, whatever the length of the queue."""
    from django_q.models import OrmQ

    removed = 0
    for message in OrmQ.objects.filter(lock__gt=timezone.now()):
        if message.name() == task_name:
            message.delete()
            removed += 1
    return removed


def job_for(kind: JobKind | str, object_id: int) -> BackgroundJob | None:
    """The latest job of this object (one indexed read), or None (queued before jobs existed)."""
    return BackgroundJob.objects.filter(kind=kind, object_id=object_id).order_by("-pk").first()
