"""Each kind of job after its worker was killed: run again to the same result, once, or given up
with a message the person sees (the real handlers; see test_jobs.py for the machinery).

A kill is played by ``Killed``, a BaseException like the signal's: it passes the handlers'
own ``except Exception`` and rolls back the open transaction, as the dead connection would.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.applications.customers import progress as customer_progress
from manyi.applications.customers import services as customer_lists
from manyi.applications.models import Customer, CustomerList, CustomerListStatus
from manyi.common.jobs import JobKind, JobLost, JobState, claims, job_for
from manyi.common.jobs.sweeper import sweep
from manyi.common.jobs.worker import run_job
from manyi.common.models import ActivityLog, BackgroundJob, OutboxMessage
from manyi.fieldwork.web import services as web
from manyi.reviews.models import RunStatus as SimilarityStatus
from manyi.reviews.similarity import services as similarity
from manyi.surveys import services as surveys
from manyi.surveys.models import RunStatus
from tests.applications.helpers import open_campaign
from tests.applications.test_customer_lists import as_upload, good_list, make_application
from tests.fieldwork.factories import make_survey
from tests.surveys.conftest import csv_bytes, dataset  # noqa: F401 - fixtures used below

pytestmark = pytest.mark.django_db

INTERRUPTED_IMPORT = "导入多次中断，请重新上传该文件；如仍失败请联系用户委员会办公室"


class Killed(BaseException):
    """kill -9, as far as the code under test can tell."""


def stall(job: BackgroundJob, *, attempts: int | None = None) -> BackgroundJob:
    """What the dead worker left: running, its heartbeat a minute old."""
    fields = {"heartbeat_at": timezone.now() - timedelta(minutes=1)}
    if job.state != JobState.RUNNING:
        fields |= {"state": JobState.RUNNING, "claim": uuid.uuid4(), "worker": "host:9"}
    if attempts is not None:
        fields["attempts"] = attempts
    BackgroundJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


# --- the customer import ---------------------------------------------------------------------


@pytest.fixture
def application(world):
    return make_application(world)


@pytest.fixture
def applicant(world):
    return world.users[Role.ENTERPRISE_USER]


@pytest.fixture
def queued_list(django_capture_on_commit_callbacks, application, applicant, tmp_path):
    with django_capture_on_commit_callbacks(execute=False):
        return customer_lists.upload_customer_list(
            application=application, by=applicant, upload=as_upload(good_list(tmp_path))
        )


def kill_during_the_insert(monkeypatch, after_batches=2):
    """The worker dies after a few batches of the insert (its transaction is rolled back); the
    note it wrote stays behind, as a dead process leaves it."""
    monkeypatch.setattr(customer_lists, "BATCH_SIZE", 10)
    write = customer_progress.write_progress_note
    written = []

    def write_then_die(path, percent):
        write(path, percent)
        written.append(percent)
        if len(written) == after_batches:
            path.with_suffix(".left-behind").write_text(str(percent))
            raise Killed

    monkeypatch.setattr(customer_lists, "write_progress_note", write_then_die)
    return written


def test_an_import_killed_mid_insert_is_run_again_and_accepted_once(
    queued_list, django_capture_on_commit_callbacks, monkeypatch
):
    job = job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk)
    kill_during_the_insert(monkeypatch)
    with pytest.raises(Killed):
        run_job(job.pk)
    note = customer_progress.progress_note_path(queued_list)
    note.with_suffix(".left-behind").rename(note)  # what the dead attempt left on disk
    queued_list.refresh_from_db()
    assert queued_list.status == CustomerListStatus.CHECKING
    assert customer_progress.import_progress(queued_list) == 84  # the frozen bar
    assert not Customer.objects.exists()  # the insert was rolled back

    monkeypatch.undo()
    seen = []
    check = customer_lists.check_customer_list

    def look_then_check(*args, **kwargs):
        seen.append(customer_progress.import_progress(CustomerList.objects.get(pk=queued_list.pk)))
        return check(*args, **kwargs)

    monkeypatch.setattr(customer_lists, "check_customer_list", look_then_check)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(sweep(now=timezone.now() + timedelta(minutes=1)).requeued) == 1

    assert seen == [1]  # the second attempt starts its bar again, the old note gone
    queued_list.refresh_from_db()
    assert queued_list.status == CustomerListStatus.ACCEPTED
    assert queued_list.row_count == 35
    assert Customer.objects.filter(customer_list=queued_list).count() == 35
    assert ActivityLog.objects.filter(action="customer_list.accept").count() == 1
    assert not note.exists()
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)


def test_an_attempt_whose_job_was_taken_cannot_commit_the_import(queued_list):
    """A worker that only seemed dead (its job requeued and claimed again) reaches the end of
    its insert: confirm_claim rolls it back, and the new owner imports the list once."""
    job = job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk)
    old = claims.take(job.pk, worker="host:1")
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, claim=None)
    new = claims.take(job.pk, worker="host:2")

    with claims.holding(old), pytest.raises(JobLost):
        customer_lists.run_import(customer_list=CustomerList.objects.get(pk=queued_list.pk))
    assert not Customer.objects.exists()
    assert CustomerList.objects.get(pk=queued_list.pk).status == CustomerListStatus.CHECKING

    with claims.holding(new):
        done = customer_lists.run_import(customer_list=CustomerList.objects.get(pk=queued_list.pk))
    assert done.status == CustomerListStatus.ACCEPTED
    assert Customer.objects.count() == 35
    assert ActivityLog.objects.filter(action="customer_list.accept").count() == 1


def test_run_job_reports_a_lost_claim_and_leaves_the_job_to_its_new_owner(queued_list, monkeypatch):
    job = job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk)

    def taken_meanwhile():
        BackgroundJob.objects.filter(pk=job.pk).update(claim=uuid.uuid4())
        raise JobLost(job.pk)

    monkeypatch.setattr(customer_lists, "confirm_claim", taken_meanwhile)
    assert run_job(job.pk) == "lost"
    assert not Customer.objects.exists()


def test_after_the_last_attempt_the_list_is_rejected_with_what_to_do(
    queued_list, client_for, settings
):
    job = stall(job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk), attempts=3)
    assert len(sweep().failed) == 1
    queued_list.refresh_from_db()
    assert queued_list.status == CustomerListStatus.REJECTED
    assert queued_list.errors == [{"row": None, "column": None, "message": INTERRUPTED_IMPORT}]
    assert not queued_list.file_path  # nothing left to import: the applicant uploads again
    job.refresh_from_db()
    assert job.message == INTERRUPTED_IMPORT
    assert ActivityLog.objects.filter(action="job.fail").count() == 1
    assert ActivityLog.objects.filter(action="customer_list.reject").count() == 1
    assert OutboxMessage.objects.filter(template="customer_list_rejected").exists()
    page = client_for(Role.ENTERPRISE_USER).get(
        reverse("applications:customers", args=[queued_list.application_id])
    )
    html = page.content.decode()
    assert f'<p class="mb-0" id="import-failed">{INTERRUPTED_IMPORT}</p>' in html
    assert "处问题，请改正后重新上传" not in html


def test_the_progress_poll_requeues_a_stalled_import_at_once(
    queued_list, client_for, django_capture_on_commit_callbacks
):
    job = stall(job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk), attempts=1)
    url = reverse("applications:customer_status", args=[queued_list.application_id])
    with django_capture_on_commit_callbacks(execute=False) as handed_over:
        page = client_for(Role.ENTERPRISE_USER).get(url, HTTP_HX_REQUEST="true")
    assert 'id="import-restarted"' in page.content.decode()
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert ActivityLog.objects.filter(action="job.requeue").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        for callback in handed_over:
            callback()  # the commit: the new message runs in-line
    queued_list.refresh_from_db()
    assert queued_list.status == CustomerListStatus.ACCEPTED


def test_the_progress_poll_shows_the_message_when_the_last_attempt_died(queued_list, client_for):
    stall(job_for(JobKind.CUSTOMER_IMPORT, queued_list.pk), attempts=3)
    url = reverse("applications:customer_status", args=[queued_list.application_id])
    page = client_for(Role.ENTERPRISE_USER).get(url, HTTP_HX_REQUEST="true")
    assert page["HX-Refresh"] == "true"
    assert INTERRUPTED_IMPORT in page.content.decode()


# --- measurement runs ------------------------------------------------------------------------


@pytest.fixture
def queued_run(world, dataset, django_capture_on_commit_callbacks):  # noqa: F811 - a fixture
    with django_capture_on_commit_callbacks(execute=False):
        return surveys.request_run(
            by=world.users[Role.COMMITTEE_STAFF],
            dataset=dataset,
            title="中断的测评",
            model_name="ecsi",
            model_spec=measurement.load_preset("ecsi").to_dict(),
            options={"scheme": "path", "scaling": "standardized", "missing": "mean"},
            seed=42,
        )


def test_a_run_left_running_by_a_dead_worker_is_computed_by_the_next_attempt(
    queued_run, django_capture_on_commit_callbacks
):
    job = job_for(JobKind.MEASUREMENT_RUN, queued_run.pk)
    claims.take(job.pk, worker="host:9")
    queued_run.__class__.objects.filter(pk=queued_run.pk).update(status=RunStatus.RUNNING)
    stall(job)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=timezone.now() + timedelta(minutes=1))
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.DONE
    assert ActivityLog.objects.filter(action="measurement.done").count() == 1


def test_a_run_whose_every_attempt_died_fails_with_a_message_and_a_way_on(queued_run, client_for):
    stall(job_for(JobKind.MEASUREMENT_RUN, queued_run.pk), attempts=3)
    page = client_for(Role.COMMITTEE_STAFF).get(
        reverse("surveys:run_status", args=[queued_run.pk]), HTTP_HX_REQUEST="true"
    )
    assert page["HX-Refresh"] == "true"
    queued_run.refresh_from_db()
    assert queued_run.status == RunStatus.FAILED
    assert queued_run.error_code == "interrupted"
    assert queued_run.error_message.startswith("计算多次中断，未保存任何结果")
    detail = client_for(Role.COMMITTEE_STAFF).get(
        reverse("surveys:run_detail", args=[queued_run.pk])
    )
    html = detail.content.decode()
    assert queued_run.error_message in html
    assert reverse("surveys:run_rerun", args=[queued_run.pk]) in html
    assert ActivityLog.objects.filter(action="measurement.failed").count() == 1


# --- similarity runs -------------------------------------------------------------------------


def test_a_similarity_run_given_up_fails_and_another_may_be_requested(
    world, django_capture_on_commit_callbacks
):
    campaign = open_campaign()
    staff = world.users[Role.COMMITTEE_STAFF]
    with django_capture_on_commit_callbacks(execute=False):
        run = similarity.request_similarity_run(campaign=campaign, by=staff)
    stall(job_for(JobKind.SIMILARITY_RUN, run.pk), attempts=3)
    sweep()
    run.refresh_from_db()
    assert run.status == SimilarityStatus.FAILED
    assert run.error == "比对多次中断，未保存任何结果，请重新发起比对"
    with django_capture_on_commit_callbacks(execute=False):
        assert similarity.request_similarity_run(campaign=campaign, by=staff).pk != run.pk


# --- survey sends and mail -------------------------------------------------------------------


def test_a_send_killed_after_its_first_batch_mails_nobody_twice(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    survey = make_survey(world, category="brand")
    staff = world.users[Role.COMMITTEE_STAFF]
    expected = set(
        survey.contacts.filter(is_reserve=False).exclude(email="").values_list("email", flat=True)
    )
    assert len(expected) > 5
    monkeypatch.setattr(web, "BATCH_SIZE", 5)
    with django_capture_on_commit_callbacks(execute=False):
        web.send_invitations(survey=survey, by=staff)
    job = job_for(JobKind.SURVEY_SEND, survey.pk)
    assert job.params == {"mode": "invite", "by": staff.pk}

    def die_after_the_first_batch(survey, done):
        raise Killed

    monkeypatch.setattr(web, "_progress", die_after_the_first_batch)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Killed):
        run_job(job.pk)
    assert OutboxMessage.objects.filter(template="fieldwork_invitation").count() == 5

    monkeypatch.setattr(web, "_progress", lambda survey, done: None)
    stall(job)
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=timezone.now() + timedelta(minutes=1))
    sent = list(
        OutboxMessage.objects.filter(template="fieldwork_invitation").values_list("to", flat=True)
    )
    assert sorted(sent) == sorted(expected)  # each once
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.DONE, 2)


def test_a_send_given_up_lets_staff_press_again(world, django_capture_on_commit_callbacks):
    survey = make_survey(world, category="brand")
    with django_capture_on_commit_callbacks(execute=False):
        web.send_invitations(survey=survey, by=world.users[Role.COMMITTEE_STAFF])
    assert web.run_of(survey) is not None
    stall(job_for(JobKind.SURVEY_SEND, survey.pk), attempts=3)
    sweep()
    assert web.run_of(survey) is None


def test_a_sent_message_is_not_sent_again_by_a_second_attempt(django_capture_on_commit_callbacks):
    from django.core import mail

    from manyi.common.services import hold_message

    with django_capture_on_commit_callbacks(execute=False):
        message = hold_message(to="b@example.cn", subject="一次", body_text="……")
    job = job_for(JobKind.MAIL, message.pk)
    run_job(job.pk)
    BackgroundJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED)  # delivered again
    assert run_job(job.pk) == "done: sent"
    assert len(mail.outbox) == 1
