"""/ping/: "ok" for anyone logged in, reading nothing but the session, the user and what every
page's two-factor middleware reads (the person's roles; for staff, their authenticator): the
web benchmark's baseline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manyi.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_logged_in_person_gets_ok_as_plain_text(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])

    response = client.get("/ping/")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"


def tables_read(client) -> list[str]:
    client.get("/ping/")  # the first request of a process may fill caches
    with CaptureQueriesContext(connection) as queries:
        client.get("/ping/")
    return [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries.captured_queries]


def test_it_reads_only_the_session_the_user_and_the_roles(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])

    assert tables_read(client) == ["django_session", "accounts_user", "accounts_membership"]


def test_staff_add_only_the_two_factor_check(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])

    assert tables_read(client) == [
        "django_session",
        "accounts_user",
        "accounts_membership",
        "mfa_authenticator",
    ]


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/ping/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_head_is_answered_and_post_is_not(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])

    assert client.head("/ping/").status_code == 200
    assert client.post("/ping/").status_code == 405
