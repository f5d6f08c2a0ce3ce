"""The task the broker runs: ``run_job(job_id)``."""

from __future__ import annotations

import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.utils import translation

from manyi.common.jobs import claims
from manyi.common.jobs.heartbeat import Heartbeat
from manyi.common.jobs.kinds import BROKEN, SYSTEM, handler_for
from manyi.common.jobs.sweeper import sweep
from manyi.common.models import BackgroundJob, JobState
from manyi.common.services import log_activity

logger = logging.getLogger(__name__)


def worker_label() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(job_id: int) -> str:
    """Claim the job, run its handler with a heartbeat, mark it done or failed.

    Returns "skipped" when the job is not queued: a second delivery of the same message (the
    broker redelivering after its lock expired, after the sweeper had already requeued the
    job), which is what makes each job run to completion once. Never raises: a failure is
    recorded on the job and shown to the person, so django-q's own retry is not needed and the
    broker deletes the message at once.
    """
    claim = claims.take(job_id, worker=worker_label())
    if claim is None:
        return "skipped"
    job = BackgroundJob.objects.get(pk=job_id)
    handler = handler_for(job.kind)
    # Inside an outer transaction (tasks run in-line in tests) another connection could not see
    # the claim: there is nothing for a heartbeat to keep alive.
    beat = None
    if transaction.get_autocommit():
        beat = Heartbeat(
            claim,
            every=settings.JOB_HEARTBEAT_SECONDS,
            sweep=sweep,
            sweep_every=settings.JOB_STALL_SECONDS,
        )
        beat.start()
    try:
        with claims.holding(claim):
            result = handler.call(job.object_id, job.params)
    except claims.JobLost:
        logger.warning(
            "job %s (%s) was taken from this worker; its effect rolled back", job_id, job
        )
        return "lost"
    except Exception:
        logger.exception("job %s (%s) failed", job_id, job)
        _failed(job, claim, handler)
        return "failed"
    finally:
        if beat is not None:
            beat.stop()
    if not claims.finish(claim, state=JobState.DONE, result=str(result)):
        logger.warning("job %s (%s) finished after it was taken from this worker", job_id, job)
        return "lost"
    return f"done: {result}"


def _failed(job: BackgroundJob, claim: claims.Claim, handler) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        message = str(BROKEN)
    with transaction.atomic():
        if not claims.finish(claim, state=JobState.FAILED, message=message):
            return
        log_activity(actor=SYSTEM, action="job.fail", obj=job, after={"attempts": job.attempts})
        handler.call_failed(job, message)
