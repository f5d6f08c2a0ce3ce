"""Finding jobs whose worker died, and the pages' shortcut to the same decision.

A running job whose heartbeat is older than JOB_STALL_SECONDS lost its worker (the heartbeat
thread beats whatever the handler does, so only a dead process or an unreachable database
stops it). It goes back to the queue with a new message, or, after JOB_MAX_ATTEMPTS attempts,
fails with the kind's message and the kind's failure handler takes the domain object out of
"in progress". A queued job that was never handed to the broker (its process stopped right
after the commit) is handed over again. Each decision is an UPDATE that names the state and
claim the sweeper saw, so two sweepers, or a sweeper and a page, decide once; each leaves an
activity-log entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from manyi.common.jobs.kinds import SYSTEM, handler_for
from manyi.common.jobs.queue import drop_stale_delivery, hand_over
from manyi.common.models import BackgroundJob, JobState
from manyi.common.services import log_activity

logger = logging.getLogger(__name__)

# A queued job not handed to the broker this long after its commit never will be by its own
# process (the hand-over follows the commit within milliseconds).
HANDOVER_GRACE = timedelta(minutes=2)
# Jobs decided per sweep: a backlog is worked off over a few minutes, not in one long sweep.
BATCH = 200


@dataclass
class SweepReport:
    requeued: list[BackgroundJob] = field(default_factory=list)
    failed: list[BackgroundJob] = field(default_factory=list)
    handed_over: list[BackgroundJob] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"requeued {len(self.requeued)}, failed {len(self.failed)}, "
            f"handed over {len(self.handed_over)}"
        )


def stall_cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=settings.JOB_STALL_SECONDS)


def sweep(*, now: datetime | None = None) -> SweepReport:
    """One pass over stalled and never-handed-over jobs (every minute, and `manage.py sweep_jobs`)."""
    now = now or timezone.now()
    report = SweepReport()
    stalled = BackgroundJob.objects.filter(
        state=JobState.RUNNING, heartbeat_at__lt=stall_cutoff(now)
    ).order_by("heartbeat_at")[:BATCH]
    for job in stalled:
        outcome = _one(_recover_stalled, job, now)
        if outcome == JobState.QUEUED:
            report.requeued.append(job)
        elif outcome == JobState.FAILED:
            report.failed.append(job)
    unsent = BackgroundJob.objects.filter(
        state=JobState.QUEUED, handed_over_at__isnull=True, queued_at__lt=now - HANDOVER_GRACE
    ).order_by("pk")[:BATCH]
    for job in unsent:
        if _one(_hand_over_again, job, now):
            report.handed_over.append(job)
    for message, taken_at, job in _taken_not_started(now):
        if _one(partial(_take_back, message, taken_at), job, now):
            report.handed_over.append(job)
    return report


def _taken_not_started(now: datetime):
    """Messages a task worker took from the queue long ago whose job it never claimed.

    A worker takes a few messages ahead of its processes (django-q's own queue); when it is
    killed, those messages stay locked in the broker for ``retry`` seconds although their jobs
    never began. The message's lock says when it was taken (lock = taken + retry). Handing such
    a job over again is safe even if its worker is alive but busy: the job is claimed once,
    and the other delivery is skipped.

    Only the delivery of the job's current attempt counts: a message taken before the job was
    last queued belongs to an attempt the sweeper has already requeued (its own hand-over is
    on the way, and ``drop_stale_delivery`` removes the old message). Taking that one back as
    well would hand the job over twice and log the recovery twice: two sweepers, one deciding
    the requeue while the other reads the old message, did exactly that.
    """
    from django_q.conf import Conf
    from django_q.models import OrmQ

    from manyi.common.jobs.queue import TASK

    taken_before = now + timedelta(seconds=Conf.RETRY - 2 * settings.JOB_STALL_SECONDS)
    for message in OrmQ.objects.filter(lock__gt=now, lock__lt=taken_before)[:BATCH]:
        try:
            if message.task.get("func") != TASK:
                continue
            job_id = int(message.task["args"][0])
        except Exception:  # a message we cannot read is not ours to move
            logger.warning("broker message %s unreadable: left alone", message.pk, exc_info=True)
            continue
        taken_at = message.lock - timedelta(seconds=Conf.RETRY)
        job = BackgroundJob.objects.filter(
            pk=job_id, state=JobState.QUEUED, queued_at__lte=taken_at
        ).first()
        if job is not None:
            yield message, taken_at, job


def _take_back(message, taken_at: datetime, job: BackgroundJob, now: datetime) -> bool:
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        if not type(message).objects.filter(pk=message.pk, lock=message.lock).delete()[0]:
            return False  # acknowledged or taken back meanwhile
        log_activity(
            actor=SYSTEM,
            action="job.requeue",
            obj=job,
            before={"taken_at": taken_at},
            after={"handed_over_at": now},
            note=_("任务进程取走后未开始，重新交付"),
        )
        transaction.on_commit(lambda: hand_over(job.pk, job.task_name))
    return True


def _one(decide, job: BackgroundJob, now: datetime):
    """One job's decision; a job that cannot be decided must not keep the others waiting."""
    try:
        return decide(job, now)
    except Exception:
        logger.exception("job %s (%s): the sweeper could not decide", job.pk, job)
        return None


def sweep_task() -> str:
    """The schedule's task (common.schedules)."""
    return str(sweep())


def recover_if_stalled(job: BackgroundJob | None, *, now: datetime | None = None) -> bool:
    """What the sweeper would decide for this one job, at once: for a page that polls it.

    Costs nothing more than the read the page already made while the job is healthy. Returns
    True when the job was requeued, failed or handed over (the page reloads its object).
    """
    if job is None:
        return False
    now = now or timezone.now()
    if job.state == JobState.RUNNING and job.heartbeat_at and job.heartbeat_at < stall_cutoff(now):
        return _recover_stalled(job, now) is not None
    if (
        job.state == JobState.QUEUED
        and job.handed_over_at is None
        and job.queued_at < now - HANDOVER_GRACE
    ):
        return _hand_over_again(job, now)
    return False


def _still_stalled(job: BackgroundJob, now: datetime):
    """The job's row, if it is still the stalled attempt the sweeper looked at."""
    return BackgroundJob.objects.filter(
        pk=job.pk,
        state=JobState.RUNNING,
        claim=job.claim,
        heartbeat_at__lt=stall_cutoff(now),
    )


def _recover_stalled(job: BackgroundJob, now: datetime) -> str | None:
    """Requeue (JobState.QUEUED) or fail (JobState.FAILED); None if someone decided first."""
    # What is stored (the log's note, the person's message) is in the site's language, whoever
    # happened to be watching the page that noticed.
    with translation.override(settings.LANGUAGE_CODE):
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            return JobState.QUEUED if _requeue(job, now) else None
        return JobState.FAILED if _fail(job, now) else None


def _stalled_before(job: BackgroundJob) -> dict:
    return {
        "state": job.state,
        "attempts": job.attempts,
        "worker": job.worker,
        "heartbeat_at": job.heartbeat_at,
    }


def _silence(job: BackgroundJob, **more) -> dict:
    """The words of a stalled job's log note: which worker went silent, since when."""
    return {
        "worker": job.worker or "?",
        "time": timezone.localtime(job.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S"),
        **more,
    }


def _requeue(job: BackgroundJob, now: datetime) -> bool:
    with transaction.atomic():
        moved = _still_stalled(job, now).update(
            state=JobState.QUEUED, claim=None, queued_at=now, handed_over_at=None
        )
        if not moved:
            return False
        log_activity(
            actor=SYSTEM,
            action="job.requeue",
            obj=job,
            before=_stalled_before(job),
            after={"state": JobState.QUEUED},
            note=_("任务进程 %(worker)s 自 %(time)s 起没有心跳，重新排队") % _silence(job),
        )
        transaction.on_commit(lambda: _send_again(job))
    logger.warning("job %s (%s) stalled on %s: requeued", job.pk, job, job.worker)
    return True


def _send_again(job: BackgroundJob) -> None:
    drop_stale_delivery(job.task_name)
    hand_over(job.pk, job.task_name)


def _fail(job: BackgroundJob, now: datetime) -> bool:
    handler = handler_for(job.kind)
    message = str(handler.interrupted)
    with transaction.atomic():
        moved = _still_stalled(job, now).update(
            state=JobState.FAILED, claim=None, finished_at=now, message=message
        )
        if not moved:
            return False
        log_activity(
            actor=SYSTEM,
            action="job.fail",
            obj=job,
            before=_stalled_before(job),
            after={"state": JobState.FAILED},
            note=_("任务进程 %(worker)s 自 %(time)s 起没有心跳，已尝试 %(n)d 次：%(message)s")
            % _silence(job, n=job.attempts, message=message),
        )
        handler.call_failed(job, message)
        transaction.on_commit(lambda: drop_stale_delivery(job.task_name))
    logger.error("job %s (%s) stalled %s times: failed", job.pk, job, job.attempts)
    return True


def _hand_over_again(job: BackgroundJob, now: datetime) -> bool:
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        # A new queued_at, before the hand-over, so that two sweepers do not both send it.
        moved = BackgroundJob.objects.filter(
            pk=job.pk,
            state=JobState.QUEUED,
            handed_over_at__isnull=True,
            queued_at__lt=now - HANDOVER_GRACE,
        ).update(queued_at=now)
        if not moved:
            return False
        log_activity(
            actor=SYSTEM,
            action="job.requeue",
            obj=job,
            before={"queued_at": job.queued_at},
            after={"queued_at": now},
            note=_("排队后未交给任务进程，重新交付"),
        )
        transaction.on_commit(lambda: hand_over(job.pk, job.task_name))
    return True
