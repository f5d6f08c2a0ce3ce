"""The 后台任务 page: every job for the auditors, filtered, searched, paged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import BackgroundJob, JobKind, JobState

pytestmark = pytest.mark.django_db

URL = reverse("common:jobs")


def job(kind=JobKind.CUSTOMER_IMPORT, object_id=41, **fields) -> BackgroundJob:
    return BackgroundJob.objects.create(kind=kind, object_id=object_id, **fields)


def rows(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-job="')[1:]]


def test_the_auditors_see_each_job_with_its_state_and_message(client_for):
    failed = job(
        state=JobState.FAILED,
        attempts=3,
        worker="web1:4242",
        message="导入多次中断，请重新上传该文件；如仍失败请联系用户委员会办公室",
    )
    mail = job(kind=JobKind.MAIL, object_id=9, state=JobState.DONE, attempts=1, result="sent")
    page = client_for(Role.COMMITTEE_STAFF).get(URL)
    html = page.content.decode()
    assert rows(page) == [str(mail.pk), str(failed.pk)]
    assert "用户名单导入" in html
    assert failed.message in html
    assert "web1:4242" in html
    assert reverse("common:outbox_detail", args=[9]) in html  # a mail job links its message
    assert (
        'href="/staff/jobs/"'
        in client_for(Role.ASSOCIATION_ADMIN).get("/dashboard/").content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "failed"}, ["failed"]),
        ({"kind": "mail"}, ["mail"]),
        ({"object_id": "41"}, ["failed"]),
        ({"object_id": " 9 "}, ["mail"]),
        # Not an object's number: ignored, never a 500.
        ({"object_id": "²"}, ["mail", "failed"]),
        ({"object_id": "9" * 30}, ["mail", "failed"]),
        ({"object_id": "-1"}, ["mail", "failed"]),
        ({"state": "forged"}, ["mail", "failed"]),
        ({"sort": "-attempts"}, ["failed", "mail"]),
    ],
)
def test_filters_search_and_sort(client_for, query, expected):
    jobs = {
        "failed": job(state=JobState.FAILED, attempts=3),
        "mail": job(kind=JobKind.MAIL, object_id=9, state=JobState.DONE, attempts=1),
    }
    page = client_for(Role.COMMITTEE_STAFF).get(URL, query)
    assert page.status_code == 200
    assert rows(page) == [str(jobs[name].pk) for name in expected]


def test_a_page_costs_the_same_queries_for_one_job_or_many(client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    job()
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for n in range(60):
        job(object_id=n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)
    assert len(many) == len(one)
    assert len(rows(page)) == 50


def test_nobody_else_reads_it(client_for):
    job()
    assert client_for(Role.WORKDEPT_STAFF).get(URL).status_code == 403
    assert client_for(Role.ENTERPRISE_USER).get(URL).status_code == 403
