"""Background jobs: the claim, the heartbeat, the sweeper's decisions (common.jobs).

The kind's handler is replaced by a stand-in (tests/common/job_handlers.py) where the domain
does not matter; tests/common/test_jobs_recovery.py runs the real ones.
"""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.signing import SignedPackage

from manyi.common.jobs import JobKind, JobState, claims, enqueue, job_for, kinds
from manyi.common.jobs.queue import drop_stale_delivery
from manyi.common.jobs.sweeper import HANDOVER_GRACE, recover_if_stalled, sweep
from manyi.common.jobs.worker import run_job
from manyi.common.models import ActivityLog, BackgroundJob, OutboxMessage
from manyi.common.pagecache import new_generation
from manyi.common.services import hold_message
from tests.common import job_handlers

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_in(monkeypatch):
    """The mail kind's handler replaced: ``use("quick" | "slow" | "boom")``."""
    job_handlers.CALLS.clear()

    def use(name: str):
        monkeypatch.setitem(
            kinds.HANDLERS,
            JobKind.MAIL,
            kinds.Handler(
                run=f"tests.common.job_handlers.{name}",
                failed="tests.common.job_handlers.failed",
                interrupted="发送多次中断，请在发件箱中重新发送",
            ),
        )

    return use


def queued_job(capture, object_id=7, **params) -> BackgroundJob:
    """A committed job whose message has not been handed over (the callbacks are dropped)."""
    with capture(execute=False):
        return enqueue(JobKind.MAIL, object_id, **params)


def stall(job: BackgroundJob, *, attempts: int, seconds: int = 60) -> BackgroundJob:
    """The job as a worker killed mid-work leaves it: running, its heartbeat old."""
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING,
        claim=uuid.uuid4(),
        attempts=attempts,
        started_at=timezone.now() - timedelta(seconds=seconds + 5),
        heartbeat_at=timezone.now() - timedelta(seconds=seconds),
        worker="host:4242",
    )
    job.refresh_from_db()
    return job


# --- enqueue and claim -----------------------------------------------------------------------


def test_enqueue_writes_the_job_and_hands_it_over_after_commit(
    django_capture_on_commit_callbacks, stand_in
):
    stand_in("quick")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue(JobKind.MAIL, 7)
    assert job.state == JobState.QUEUED
    assert job.handed_over_at is None
    # Besides the page cache's (common.pagecache), one: the hand-over.
    [hand_over] = [c for c in callbacks if c is not new_generation]
    hand_over()  # the commit: tasks run in-line in tests
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.attempts == 1
    assert job.result == "ok"
    assert job.handed_over_at is not None
    assert job_handlers.CALLS == [("run", 7)]


def test_a_second_delivery_of_the_same_job_is_a_no_op(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = hold_message(to="a@example.cn", subject="一次", body_text="只发一次")
    job = job_for(JobKind.MAIL, message.pk)
    assert run_job(job.pk) == "done: sent"
    assert run_job(job.pk) == "skipped"
    assert len(mail.outbox) == 1
    job.refresh_from_db()
    assert job.attempts == 1


def test_the_claim_names_the_attempt_and_a_taken_job_refuses_its_old_worker(
    django_capture_on_commit_callbacks,
):
    job = queued_job(django_capture_on_commit_callbacks)
    first = claims.take(job.pk, worker="host:1")
    assert first is not None
    assert claims.take(job.pk, worker="host:2") is None
    # The sweeper took the job back and another worker claimed it.
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, claim=None)
    second = claims.take(job.pk, worker="host:2")
    assert second.token != first.token
    with claims.holding(first), pytest.raises(claims.JobLost):
        claims.confirm_claim()
    assert not claims.finish(first, state=JobState.DONE)
    with claims.holding(second):
        claims.confirm_claim()
    assert claims.finish(second, state=JobState.DONE, result="ok")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.worker) == (JobState.DONE, 2, "host:2")


def test_confirm_claim_outside_a_job_does_nothing():
    assert claims.current_claim() is None
    claims.confirm_claim()


def test_a_handler_that_raises_fails_the_job_at_once_with_words_and_calls_on_failed(
    django_capture_on_commit_callbacks, stand_in
):
    stand_in("boom")
    job = queued_job(django_capture_on_commit_callbacks)
    assert run_job(job.pk) == "failed"
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.message == "后台处理出错，请稍后重试；如仍失败请联系用户委员会办公室"
    assert [("run", 7), ("failed", 7, job.message)] == job_handlers.CALLS
    assert ActivityLog.objects.filter(action="job.fail", object_id=str(job.pk)).count() == 1


# --- heartbeat -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_moves_while_the_handler_works_and_stops_after(settings, stand_in):
    """A real thread with its own connection; tasks are not inside an outer transaction here."""
    stand_in("slow")
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = enqueue(JobKind.MAIL, 7)  # autocommit: handed over, so run in-line, at once
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert job.heartbeat_at > job.started_at + timedelta(seconds=0.2)
    assert job.heartbeat_at <= job.finished_at


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_stops_by_itself_once_the_job_is_taken_from_it():
    job = enqueue(JobKind.MAIL, 10**9)  # no such message: the mail handler says "missing"
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)
    claim = claims.take(job.pk, worker="host:1")
    from manyi.common.jobs.heartbeat import Heartbeat

    beat = Heartbeat(claim, every=0.05)
    beat.start()
    BackgroundJob.objects.filter(pk=job.pk).update(claim=uuid.uuid4())  # the sweeper's doing
    beat._thread.join(timeout=2)
    assert not beat._thread.is_alive()
    beat.stop()


@pytest.mark.django_db(transaction=True)
def test_a_working_job_sweeps_the_jobs_of_a_dead_worker(settings, stand_in):
    """The scheduled sweep waits in the queue behind other work; a running job's heartbeat
    does not, so the live workers look after the dead one's job."""
    stand_in("slow")
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    settings.JOB_STALL_SECONDS = 0.1
    dead = BackgroundJob.objects.create(
        kind=JobKind.MAIL,
        object_id=8,
        state=JobState.RUNNING,
        claim=uuid.uuid4(),
        attempts=settings.JOB_MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - timedelta(minutes=1),
    )
    enqueue(JobKind.MAIL, 7)  # runs in-line, beating and sweeping
    dead.refresh_from_db()
    assert dead.state == JobState.FAILED
    assert ("failed", 8, dead.message) in job_handlers.CALLS


# --- the sweeper -----------------------------------------------------------------------------


def test_sweep_requeues_a_stalled_job_and_hands_it_over_again(
    django_capture_on_commit_callbacks, stand_in
):
    stand_in("quick")
    job = stall(queued_job(django_capture_on_commit_callbacks), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep()
    assert [j.pk for j in report.requeued] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.DONE  # the new message ran in-line
    assert job.attempts == 2
    entry = ActivityLog.objects.get(action="job.requeue", object_id=str(job.pk))
    assert entry.actor_label == "系统（后台任务）"
    assert entry.note.startswith("任务进程 host:4242 自 ")
    assert entry.before["attempts"] == 1


def test_a_healthy_running_job_is_left_alone(django_capture_on_commit_callbacks):
    job = stall(queued_job(django_capture_on_commit_callbacks), attempts=1, seconds=2)
    assert str(sweep()) == "requeued 0, failed 0, handed over 0"
    assert not recover_if_stalled(job)
    job.refresh_from_db()
    assert job.state == JobState.RUNNING


def test_after_the_last_attempt_the_job_fails_with_a_message_and_on_failed_runs(
    django_capture_on_commit_callbacks, stand_in, settings
):
    stand_in("quick")
    job = stall(queued_job(django_capture_on_commit_callbacks), attempts=settings.JOB_MAX_ATTEMPTS)
    report = sweep()
    assert [j.pk for j in report.failed] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.claim is None
    assert job.message == "发送多次中断，请在发件箱中重新发送"
    assert [("failed", 7, job.message)] == job_handlers.CALLS
    entry = ActivityLog.objects.get(action="job.fail", object_id=str(job.pk))
    assert "已尝试 3 次" in entry.note
    assert sweep().failed == []  # decided once


def test_a_job_never_handed_over_is_handed_over_by_the_sweeper(
    django_capture_on_commit_callbacks, stand_in
):
    stand_in("quick")
    job = queued_job(django_capture_on_commit_callbacks)
    assert sweep().handed_over == []  # still within the grace
    BackgroundJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - HANDOVER_GRACE - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep()
    assert [j.pk for j in report.handed_over] == [job.pk]
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert ActivityLog.objects.filter(action="job.requeue", object_id=str(job.pk)).count() == 1


def test_the_stale_broker_message_of_a_dead_attempt_is_removed():
    def message(name, lock):
        return OrmQ.objects.create(
            key="manyi", payload=SignedPackage.dumps({"name": name, "id": name}), lock=lock
        )

    later = timezone.now() + timedelta(minutes=10)
    dead = message("mail-7-1", later)
    waiting = message("mail-7-1", timezone.now() - timedelta(seconds=1))
    other = message("mail-8-2", later)
    assert drop_stale_delivery("mail-7-1") == 1
    assert not OrmQ.objects.filter(pk=dead.pk).exists()
    assert OrmQ.objects.filter(pk__in=[waiting.pk, other.pk]).count() == 2


def test_the_sweeper_runs_every_minute_once_migrated():
    schedule = Schedule.objects.get(name="manyi-sweep-jobs")
    assert schedule.func == "manyi.common.jobs.sweeper.sweep_task"
    assert schedule.schedule_type == Schedule.MINUTES
    assert schedule.minutes == 1


def test_done_jobs_are_forgotten_after_the_keeping_days_failed_and_recent_ones_stay(settings):
    from manyi.common.jobs.prune import prune_done

    settings.JOB_KEEP_DAYS = 30
    now = timezone.now()

    def job(state, days_ago):
        return BackgroundJob.objects.create(
            kind=JobKind.MAIL,
            object_id=1,
            state=state,
            finished_at=now - timedelta(days=days_ago) if days_ago is not None else None,
        )

    old_done = job(JobState.DONE, 31)
    recent_done = job(JobState.DONE, 29)
    old_failed = job(JobState.FAILED, 400)
    queued = job(JobState.QUEUED, None)
    assert prune_done(now=now) == 1
    left = set(BackgroundJob.objects.values_list("pk", flat=True))
    assert old_done.pk not in left
    assert {recent_done.pk, old_failed.pk, queued.pk} <= left
    schedule = Schedule.objects.get(name="manyi-prune-jobs")
    assert schedule.func == "manyi.common.jobs.prune.prune_task"
    assert schedule.schedule_type == Schedule.DAILY


def test_the_operator_command_prints_what_it_did(
    django_capture_on_commit_callbacks, stand_in, capsys
):
    stand_in("quick")
    job = stall(queued_job(django_capture_on_commit_callbacks, object_id=12), attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_jobs")
    out = capsys.readouterr().out
    assert f"requeued: job {job.pk} mail #12 (attempts 1, worker host:4242)" in out
    assert out.strip().endswith("requeued 1, failed 0, handed over 0")


def test_mail_given_up_shows_failed_in_the_outbox(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = hold_message(to="a@example.cn", subject="中断", body_text="……")
    job = stall(job_for(JobKind.MAIL, message.pk), attempts=3)
    sweep()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "发送多次中断，请在发件箱中重新发送"
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_a_message_taken_by_a_dead_worker_before_it_began_is_handed_over_again(
    django_capture_on_commit_callbacks, stand_in
):
    from django_q.conf import Conf

    from manyi.common.jobs.queue import TASK

    stand_in("quick")
    job = queued_job(django_capture_on_commit_callbacks)
    BackgroundJob.objects.filter(pk=job.pk).update(
        queued_at=timezone.now() - timedelta(minutes=10),
        handed_over_at=timezone.now() - timedelta(minutes=10),
    )

    def taken(seconds_ago):
        return OrmQ.objects.create(
            key="manyi",
            payload=SignedPackage.dumps(
                {"id": uuid.uuid4().hex, "name": job.task_name, "func": TASK, "args": (job.pk,)}
            ),
            lock=timezone.now() + timedelta(seconds=Conf.RETRY - seconds_ago),
        )

    recent = taken(5)  # its worker may be starting it now
    assert sweep().handed_over == []
    recent.delete()
    dead = taken(120)  # taken two minutes ago, never claimed: its worker is gone
    with django_capture_on_commit_callbacks(execute=True):
        report = sweep()
    assert [j.pk for j in report.handed_over] == [job.pk]
    assert not OrmQ.objects.filter(pk=dead.pk).exists()
    job.refresh_from_db()
    assert job.state == JobState.DONE  # Q_SYNC in tests: the new message ran at once
    assert ActivityLog.objects.filter(action="job.requeue", object_id=str(job.pk)).count() == 1
    # The old worker, were it alive after all, would find the job taken: a no-op.
    assert run_job(job.pk) == "skipped"


def test_the_message_of_an_attempt_already_requeued_is_not_taken_back_a_second_time(
    django_capture_on_commit_callbacks, stand_in
):
    """Two sweepers at once: one requeues the stalled job; the other, reading the old attempt's
    message before it is dropped, must not hand the job over (and log it) a second time."""
    from django_q.conf import Conf

    from manyi.common.jobs.queue import TASK

    stand_in("quick")
    job = queued_job(django_capture_on_commit_callbacks)
    old_delivery = OrmQ.objects.create(
        key="manyi",
        payload=SignedPackage.dumps(
            {"id": uuid.uuid4().hex, "name": job.task_name, "func": TASK, "args": (job.pk,)}
        ),
        # taken by the dead worker a minute before the job was requeued (its queued_at: now)
        lock=timezone.now() + timedelta(seconds=Conf.RETRY - 60),
    )
    BackgroundJob.objects.filter(pk=job.pk).update(handed_over_at=timezone.now())
    assert sweep().handed_over == []
    assert OrmQ.objects.filter(pk=old_delivery.pk).exists()
    assert not ActivityLog.objects.filter(action="job.requeue").exists()
