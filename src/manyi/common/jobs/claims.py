"""The claim: which attempt of a job may still change anything.

A worker claims a queued job by moving it to running with a new token, in one UPDATE that
names the old state, so of two deliveries of the same message only one gets it. Every later
write of that worker (heartbeat, done, failed, ``confirm_claim``) names the token: once the
sweeper has taken the job back, the old worker's writes match no row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from manyi.common.models import BackgroundJob, JobState


@dataclass(frozen=True)
class Claim:
    job_id: int
    token: uuid.UUID


class JobLost(BaseException):
    """The job was taken from this worker (it stalled; another attempt owns it now).

    A BaseException, like KeyboardInterrupt, so that it passes through the handlers' own
    ``except Exception`` (which would record a failure the new owner is about to overwrite)
    and rolls back the transaction it is raised in; ``worker.run_job`` catches it.
    """


_current: ContextVar[Claim | None] = ContextVar("manyi_job_claim", default=None)


def current_claim() -> Claim | None:
    """The claim of the job this code runs for, or None outside a job (a test, a shell)."""
    return _current.get()


@contextmanager
def holding(claim: Claim) -> Iterator[None]:
    token = _current.set(claim)
    try:
        yield
    finally:
        _current.reset(token)


def take(job_id: int, *, worker: str) -> Claim | None:
    """Claim a queued job for one attempt; None when it is not queued (a duplicate delivery)."""
    token = uuid.uuid4()
    now = timezone.now()
    taken = BackgroundJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING,
        claim=token,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        worker=worker[:100],
    )
    return Claim(job_id, token) if taken else None


def mine(claim: Claim):
    """The job's row, if this attempt still owns it."""
    return BackgroundJob.objects.filter(pk=claim.job_id, claim=claim.token, state=JobState.RUNNING)


def confirm_claim() -> None:
    """Call inside the transaction that commits a job's effect, as its last statement.

    Raises JobLost (rolling the transaction back) when another attempt owns the job. On
    PostgreSQL the UPDATE also locks the job's row until the commit, so the sweeper cannot
    take the job between this check and the commit. Outside a job it does nothing.
    """
    claim = _current.get()
    if claim is not None and not mine(claim).update(heartbeat_at=timezone.now()):
        raise JobLost(claim.job_id)


def finish(claim: Claim, *, state: str, result: str = "", message: str = "") -> bool:
    """Done or failed, if this attempt still owns the job; False when it was taken."""
    return bool(
        mine(claim).update(
            state=state,
            claim=None,
            finished_at=timezone.now(),
            result=result[:200],
            message=message,
        )
    )
