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


# POSTs that carry their own secret and no cookie authority, so a forged cross-site POST gains
# nothing: the web questionnaire (the link's token is the only credential) and the survey
# firms' API (`api:…`, a key in the Authorization header; sessions are not accepted there),
# and the public register's read-only API (`titles_api:…`: no session, nothing to write).
CSRF_NOT_APPLICABLE = {"survey:answer", "survey:save"}
API_NAMESPACES = ("api:", "titles_api:")


def test_csrf_is_enforced_on_every_post(world, matrix_extras):
    """With CSRF checks on, every POST without a token is refused before the view runs."""
    from tests.conftest import ROLES

    failures = []
    for name, rule in MATRIX.items():
        if name in CSRF_NOT_APPLICABLE or name.startswith(API_NAMESPACES):
            continue
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


def test_an_office_behind_one_address_is_slowed_down_not_locked_out(world, client, time_machine):
    """Twenty people mistyping behind one NAT address: no block, then a short growing wait."""
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    office = "198.51.100.20"

    def attempt(email, password="wrong-password"):  # noqa: S107 - a wrong one, on purpose
        return client.post(
            reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=office
        )

    answers = [_login_error(attempt(f"person{i}@example.cn")) for i in range(20)]
    # Twice the old per-IP limit of ten, all in the same second: each is told the password is wrong.
    assert all("不正确" in answer for answer in answers)
    assert "请 1 秒后再试" in _login_error(attempt("person20@example.cn"))
    time_machine.shift(1)
    assert "不正确" in _login_error(attempt("person20@example.cn"))
    # Each further failure doubles the wait.
    assert "请 2 秒后再试" in _login_error(attempt("person21@example.cn"))
    time_machine.shift(2)
    known = world.users[Role.ENTERPRISE_USER].email
    response = attempt(known, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users[Role.ENTERPRISE_USER].pk)


def test_the_wait_is_the_same_for_known_and_unknown_accounts(world, client, settings, time_machine):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    settings.LOGIN_DELAY_AFTER_FAILURES = 2
    for email in ("a@example.cn", "b@example.cn"):
        client.post(
            reverse("account_login"),
            {"login": email, "password": "wrong-password"},
            REMOTE_ADDR="198.51.100.30",
        )
    answers = [
        _login_error(
            client.post(
                reverse("account_login"),
                {"login": email, "password": "wrong-password"},
                REMOTE_ADDR="198.51.100.30",
            )
        )
        for email in (world.users[Role.ENTERPRISE_USER].email, "nobody-here@example.cn")
    ]
    assert answers[0] == answers[1]
    assert "秒后再试" in answers[0]


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


# --- downloads and caching ---------------------------------------------------------------


def _pdf_named_as_a_page():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.test_uploads import pdf_bytes

    return SimpleUploadedFile("poly.html", pdf_bytes(), content_type="text/html")


def test_evidence_is_downloaded_under_the_extension_of_its_checked_type(world, client):
    from manyi.applications.models import AttachmentKind
    from manyi.applications.services import add_attachment
    from tests.applications.helpers import make_application

    application = make_application(world)
    attachment = add_attachment(
        application=application,
        by=world.users[Role.ENTERPRISE_USER],
        upload=_pdf_named_as_a_page(),
        kind=AttachmentKind.values[0],
    )
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.get(
        reverse("applications:attachment_download", args=[application.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_appraisal_scan_is_downloaded_under_the_extension_of_its_checked_type(world, client):
    from manyi.applications.appraisals.services import submit_appraisal
    from tests.applications.test_appraisals import answers, ask, engineering_application

    application = engineering_application(world)
    _appraisal, token = ask(world, application)
    submit_appraisal(token=token, data=answers(), scan_upload=_pdf_named_as_a_page())
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.get(reverse("applications:appraisal_scan", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="poly.pdf"'
    assert response["Content-Type"] == "application/pdf"


def test_download_names_never_keep_an_untrusted_extension():
    from manyi.applications.evidence import download_name

    assert download_name("扫描件.JPG.exe", "image/png") == "扫描件.JPG.png"
    assert download_name("", "application/pdf", fallback="evidence-3") == "evidence-3.pdf"
    assert download_name("a.html", "text/html") == "a"


def test_pages_for_a_logged_in_person_are_not_stored(world, client):
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"
    export = client.get(reverse("common:activity_log_export"))
    assert export["Cache-Control"] == "no-store"


def test_a_downloaded_file_for_a_logged_in_person_is_not_stored(world, client):
    from manyi.applications.models import AttachmentKind
    from manyi.applications.services import add_attachment
    from tests.applications.helpers import make_application

    application = make_application(world)
    attachment = add_attachment(
        application=application,
        by=world.users[Role.ENTERPRISE_USER],
        upload=_pdf_named_as_a_page(),
        kind=AttachmentKind.values[0],
    )
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.get(
        reverse("applications:attachment_download", args=[application.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_public_pages_and_a_views_own_cache_header_are_left_alone(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from manyi.common.middleware import PrivateCacheMiddleware
    from tests.factories import UserFactory

    def chosen(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private, max-age=60"
        return response

    request = rf.get("/")
    request.user = UserFactory.build()
    assert PrivateCacheMiddleware(chosen)(request)["Cache-Control"] == "private, max-age=60"
    request.user = AnonymousUser()
    assert not PrivateCacheMiddleware(lambda r: HttpResponse("x"))(request).has_header(
        "Cache-Control"
    )
