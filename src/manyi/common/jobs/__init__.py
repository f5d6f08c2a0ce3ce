"""Background work that survives a crash: every job the task workers run is a row first.

``enqueue(kind, object_id)`` is the one door: it writes a ``BackgroundJob`` in the caller's
transaction and hands the broker a message "run job N" after commit (``queue``). The worker's
``run_job`` claims the job once per attempt, beats its heartbeat from a thread while the
kind's handler works, and marks it done or failed (``worker``, ``claims``, ``heartbeat``).
Handlers whose effect is one transaction call ``confirm_claim()`` inside it, so a job taken
from a worker that only seemed dead cannot commit twice. The sweeper finds a job whose
heartbeat stopped and requeues it, or after ``JOB_MAX_ATTEMPTS`` fails it with a message the
person sees (``sweeper``); pages that poll a job call ``sweeper.recover_if_stalled`` so nobody
waits for the next sweep. ``kinds`` says, for each kind, which task function is its handler.
See docs/operations.md, "后台任务与崩溃恢复".

The sweeper is imported from ``manyi.common.jobs.sweeper``, not from here: it writes the
activity log, and ``common.services`` (the log's module) enqueues mail through this package.
"""

from manyi.common.jobs.claims import JobLost, confirm_claim, current_claim
from manyi.common.jobs.queue import enqueue, job_for
from manyi.common.models import BackgroundJob, JobKind, JobState

__all__ = [
    "BackgroundJob",
    "JobKind",
    "JobLost",
    "JobState",
    "confirm_claim",
    "current_claim",
    "enqueue",
    "job_for",
]
