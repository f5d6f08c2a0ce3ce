"""Cross-cutting promises: cookies, CSRF on every POST, rate-limited logins, CSP, error pages."""

import pytest
from django.test import Client
from django.urls import reverse

from manyi.accounts.roles import Role
from tests.access_matrix import MATRIX
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_session_and_csrf_cookie_flags(world, client, settings):
    response = client.post(
        reverse("account_login"),
        {"login": world.users[Role.ENTERPRISE_USER].email, "password": PASSWORD},
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY


def test_production_cookies_are_secure():
    import subprocess
    import sys

    code = (
        "import os;os.environ.update(MANYI_ENV='production',SECRET_KEY='x'*60,DEBUG='0',ALLOWED_HOSTS='a.cn');"
        "import manyi.settings as s;print(s.SESSION_COOKIE_SECURE,s.CSRF_COOKIE_SECURE,s.SECURE_SSL_REDIRECT,s.DEMO_SKIP_MFA)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": "src", "PATH": ""},
    )
    assert out.stdout.split() == ["True", "True", "True", "False"]


def test_production_refuses_the_demo_mfa_shortcut():
    import subprocess
    import sys

    code = "import os;os.environ.update(MANYI_ENV='production',SECRET_KEY='x'*60,DEBUG='0',MANYI_DEMO_SKIP_MFA='1');import manyi.settings"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": "src", "PATH": ""},
    )
    assert out.returncode != 0
    assert "MANYI_DEMO_SKIP_MFA" in out.stderr


def test_csrf_is_enforced_on_every_post(world, matrix_extras):
    """With CSRF checks on, every POST without a token is refused before the view runs."""
    from tests.conftest import ROLES

    failures = []
    for name, rule in MATRIX.items():
        kwargs = rule["kwargs"](world, matrix_extras) if "kwargs" in rule else {}
        url = reverse(name, kwargs=kwargs)
        for role in ROLES:
            client = Client(enforce_csrf_checks=True)
            if role != "anonymous":
                client.force_login(world.users[role])
            response = client.post(url, {})
            if response.status_code != 403:
                failures.append(f"POST {url} as {role}: {response.status_code}")
            elif "CSRF" not in response.content.decode() and "403" not in response.content.decode():
                failures.append(f"POST {url} as {role}: refused, but not by the CSRF check")
    assert not failures, "\n".join(failures)


def _login_error(response) -> str:
    import re

    found = re.findall(r"alert-danger[^>]*>\s*(?:<div>)?([^<]*)", response.content.decode())
    return found[0].strip() if found else ""


def test_failed_logins_are_rate_limited_without_telling_whether_the_account_exists(world, client):
    known = world.users[Role.ENTERPRISE_USER].email
    answers = {}
    for email, ip in ((known, "198.51.100.7"), ("nobody-here@example.cn", "198.51.100.8")):
        answers[email] = [
            _login_error(
                client.post(
                    reverse("account_login"),
                    {"login": email, "password": "wrong-password"},
                    REMOTE_ADDR=ip,
                )
            )
            for _ in range(7)
        ]
    # A real and an unknown address get the very same answers, attempt by attempt.
    assert answers[known] == answers["nobody-here@example.cn"]
    assert "不正确" in answers[known][0]
    assert "登录失败次数过多" in answers[known][-1]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": known, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 200
    assert "登录失败次数过多" in _login_error(response)
    assert "_auth_user_id" not in client.session


def test_content_security_policy_forbids_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_friendly_errors_in_chinese(world, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.get("/staff/outbox/")
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()


def test_server_error_page_renders_without_a_database():
    from manyi.common.errors import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "系统出现错误" in response.content.decode()


def test_other_organisations_objects_are_not_found(world, client):
    client.force_login(world.outsider)
    assert client.get(f"/orgs/{world.enterprise.pk}/").status_code == 404
    assert client.get(f"/orgs/{world.enterprise.pk}/edit/").status_code == 404
    client.force_login(world.other_agency_staff)
    assert client.get(f"/orgs/{world.enterprise.pk}/").status_code == 404
    assert (
        client.post(
            f"/agency/members/{world.enterprise.pk}/decide/", {"decision": "accept"}
        ).status_code
        == 404
    )
    world.enterprise.refresh_from_db()
    assert world.enterprise.agency_memberships.get().confirmed_at is None


def test_a_refused_csrf_post_says_so_in_chinese_and_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(f"/orgs/{world.enterprise.pk}/edit/", {"name": "被篡改的名称"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    world.enterprise.refresh_from_db()
    assert world.enterprise.name != "被篡改的名称"
