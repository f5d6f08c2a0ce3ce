"""The heartbeat of a running job: a thread that writes ``heartbeat_at`` every few seconds.

A thread, not the handler, so that a handler busy in one long call (reading a big file, the
engine's bootstrap) still shows it is alive; when the process dies the beats stop, and that is
what the sweeper looks for. The thread has its own database connection (Django's are
per thread), closed when it ends. On SQLite its write waits while the handler holds the write
lock (the customer import's insert transaction, about a second per 100 000 rows); the stall
threshold is far longer than that.

The beat also sweeps now and then (every JOB_STALL_SECONDS): the workers that are alive look
after the jobs of one that died. The scheduled sweep is a message like any other and waits
behind a burst of queued work; a worker busy with a job does not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import DatabaseError, connections
from django.utils import timezone

from manyi.common.jobs.claims import Claim, mine

logger = logging.getLogger(__name__)


class Heartbeat:
    def __init__(
        self,
        claim: Claim,
        *,
        every: float,
        sweep: Callable[[], object] | None = None,
        sweep_every: float = 0,
    ):
        self._claim = claim
        self._every = every
        self._sweep = sweep
        self._sweep_every = sweep_every
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"job-{claim.job_id}-heartbeat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        # A beat stuck behind a lock ends by itself; its write names the claim, so a late one
        # after the job is done changes nothing.
        self._thread.join(timeout=2)

    def _beat(self) -> None:
        swept = time.monotonic()
        try:
            while not self._done.wait(self._every):
                try:
                    alive = mine(self._claim).update(heartbeat_at=timezone.now())
                except DatabaseError as exc:
                    logger.warning("job %s: heartbeat not written: %s", self._claim.job_id, exc)
                    continue
                if not alive:
                    return  # taken back by the sweeper, or finished: nothing to keep alive
                if self._sweep is not None and time.monotonic() - swept >= self._sweep_every:
                    swept = time.monotonic()
                    self._sweep_quietly()
        finally:
            connections.close_all()  # this thread's connections only

    def _sweep_quietly(self) -> None:
        try:
            self._sweep()
        except Exception:  # a failed sweep must not stop the heartbeat of a healthy job
            logger.exception("job %s: sweep from the heartbeat failed", self._claim.job_id)
