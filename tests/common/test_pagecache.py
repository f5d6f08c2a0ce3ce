"""Pages kept for their reader until the data changes (common.pagecache).

These tests commit for real (``transaction=True``): the generation is replaced when a write
commits, and a request inside a transaction (the other tests' own) never uses kept pages. The
cache is the process's memory here, as Redis is in production; with the database cache (the
dev server without Redis) pages are not kept at all.
"""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.models import Organisation
from manyi.accounts.roles import OrgKind, Role
from manyi.common import pagecache
from manyi.common.models import BackgroundJob, JobKind
from manyi.common.services import log_activity
from tests.conftest import World
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

# A browser after its first page: its session and its CSRF cookie.
BROWSER = {"sessionid": "s" * 32, "csrftoken": "k" * 32}
MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def kept(settings):
    settings.CACHES = MEMORY
    settings.PAGE_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reader(client, kept, settings):
    """Programme staff in a browser that holds its CSRF cookie, as after its first page."""
    world = World()
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    client.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32
    client.world = world
    return client


def queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_page_opened_again_costs_what_the_bare_view_costs(reader):
    bare, _ = queries(reader, "/ping/")
    first, page = queries(reader, "/orgs/")
    again, page_again = queries(reader, "/orgs/")
    assert first > bare
    assert again == bare  # the session, the user and the two-factor check: nothing else
    assert page_again == page


def test_any_committed_write_shows_on_the_next_view(reader):
    queries(reader, "/orgs/")
    OrganisationFactory(kind=OrgKind.ENTERPRISE, name="新来的家具有限公司")
    _, page = queries(reader, "/orgs/?q=新来的")
    assert "新来的家具有限公司" in page
    # An UPDATE that sends no signal (QuerySet.update) is noticed too.
    Organisation.objects.filter(name="新来的家具有限公司").update(name="改名的家具有限公司")
    _, page = queries(reader, "/orgs/?q=家具")
    assert "改名的家具有限公司" in page and "新来的家具有限公司" not in page


def test_with_the_database_cache_no_page_is_kept(client, settings):
    # The production settings' cache without Redis: the dev server on SQLite.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "manyi_cache",
        }
    }
    assert pagecache.is_on() is False
    world = World()
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    client.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32
    first, _ = queries(client, "/orgs/")
    again, _ = queries(client, "/orgs/")
    assert again == first


def test_a_write_inside_a_transaction_replaces_the_generation_at_commit(kept):
    before = pagecache.generation()
    with transaction.atomic():
        OrganisationFactory(kind=OrgKind.ENTERPRISE, name="事务中的公司")
        assert pagecache.generation() == before  # a reader now still sees the old rows
    assert pagecache.generation() != before


def test_a_rolled_back_write_changes_nothing(kept):
    before = pagecache.generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrganisationFactory(kind=OrgKind.ENTERPRISE, name="回滚的公司")
        raise RuntimeError
    assert pagecache.generation() == before


def test_a_running_jobs_heartbeat_changes_nothing_its_other_columns_do(kept):
    job = BackgroundJob.objects.create(kind=JobKind.MAIL, object_id=1)
    before = pagecache.generation()
    BackgroundJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert pagecache.generation() == before
    BackgroundJob.objects.filter(pk=job.pk).update(state="running")
    assert pagecache.generation() != before


def test_an_activity_log_entry_is_a_change(reader):
    _, page = queries(reader, reverse("common:activity_log"))
    world = reader.world
    log_activity(actor=world.users[Role.COMMITTEE_STAFF], action="test.kept", obj=world.agency)
    _, page_after = queries(reader, reverse("common:activity_log"))
    assert page_after != page


def test_each_reader_language_and_address_has_its_own_page(reader, settings):
    from django.test import Client

    world = reader.world
    _, staff_page = queries(reader, "/dashboard/")
    admin = Client()
    admin.force_login(world.users[Role.ASSOCIATION_ADMIN])
    admin.cookies[settings.CSRF_COOKIE_NAME] = "k" * 32  # the same secret: still another reader
    _, admin_page = queries(admin, "/dashboard/")
    assert admin_page != staff_page
    assert world.users[Role.ASSOCIATION_ADMIN].display_name in admin_page
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _, english_page = queries(reader, "/dashboard/")
    assert '<html lang="en">' in english_page and '<html lang="en">' not in staff_page
    _, filtered = queries(reader, "/orgs/?kind=agency")
    _, unfiltered = queries(reader, "/orgs/")
    assert filtered != unfiltered


def test_without_its_csrf_cookie_a_page_is_rendered_afresh(reader, settings):
    del reader.cookies[settings.CSRF_COOKIE_NAME]
    first, _ = queries(reader, "/orgs/")
    again, _ = queries(reader, "/orgs/")
    assert again == first


def test_a_page_with_a_message_waiting_is_neither_served_nor_kept(kept, rf: RequestFactory):
    world = World()
    request = rf.get("/orgs/")
    request.user = world.users[Role.COMMITTEE_STAFF]
    request.COOKIES.update(BROWSER)
    request.session = {}
    request._messages = FallbackStorage(request)
    assert pagecache._may_use(request)
    request._messages.add(20, "已保存")
    assert not pagecache._may_use(request)
    assert len(get_messages(request)) == 1  # looking did not use the message up


def test_a_post_and_a_request_inside_a_transaction_never_use_kept_pages(kept, rf):
    world = World()
    request = rf.post("/orgs/")
    request.user = world.users[Role.COMMITTEE_STAFF]
    request.COOKIES.update(BROWSER)
    assert not pagecache._may_use(request)
    request = rf.get("/orgs/")
    request.user = world.users[Role.COMMITTEE_STAFF]
    request.COOKIES.update(BROWSER)
    assert pagecache._may_use(request)
    with transaction.atomic():
        assert not pagecache._may_use(request)


def test_only_a_plain_200_is_kept(reader):
    # Another role's page is a 403 or a redirect: not kept, and still refused next time.
    assert reader.get("/applications/agency/queue/").status_code in (302, 403, 404)
    assert reader.get("/applications/agency/queue/").status_code in (302, 403, 404)


@pytest.mark.parametrize(
    ("sql", "noticed"),
    [
        ('INSERT INTO "accounts_organisation" ("name") VALUES (%s)', True),
        ('UPDATE "applications_application" SET "status" = %s WHERE id = 1', True),
        ('DELETE FROM "accounts_membership" WHERE id = 1', True),
        ('INSERT OR IGNORE INTO "training_enrolment" ("class_id") VALUES (%s)', True),
        ('TRUNCATE "accounts_organisation", "accounts_membership";', True),
        ('SELECT * FROM "accounts_organisation"', False),
        ('INSERT INTO "manyi_cache" (cache_key) VALUES (%s)', False),
        ('UPDATE "django_q_ormq" SET "lock" = %s WHERE id = 1', False),
        ('UPDATE "common_backgroundjob" SET "heartbeat_at" = %s WHERE id = 1', False),
        ('UPDATE "common_backgroundjob" SET "state" = %s WHERE id = 1', True),
    ],
)
def test_which_statements_are_changes(sql, noticed):
    assert pagecache._is_noticed(sql) is noticed


def test_the_generation_is_read_before_the_session_and_the_user(settings):
    order = settings.MIDDLEWARE
    generation = order.index("manyi.common.pagecache.GenerationMiddleware")
    assert generation < order.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert generation < order.index("django.contrib.auth.middleware.AuthenticationMiddleware")


def test_a_membership_ended_while_a_page_renders_is_not_kept_under_the_new_generation(
    reader, monkeypatch
):
    """The generation the page is kept under is the one read before the request's first
    query; a write committed after it (here: before the view) leaves the page unreachable."""
    from manyi.portal import views

    real = views.panels_for

    def panels_after_a_write(user):
        OrganisationFactory(kind=OrgKind.ENTERPRISE, name="渲染中写入的公司")
        return real(user)

    monkeypatch.setattr(views, "panels_for", panels_after_a_write)
    first, _ = queries(reader, "/dashboard/")
    monkeypatch.setattr(views, "panels_for", real)
    again, _ = queries(reader, "/dashboard/")
    bare, _ = queries(reader, "/ping/")
    assert again > bare  # rendered afresh: the first page was kept under the old generation


def test_migrate_retires_every_kept_page(kept):
    from django.db.models.signals import post_migrate

    assert pagecache._after_migrate in [r[1]() for r in post_migrate.receivers]
    before = pagecache.generation()
    pagecache._after_migrate(sender=None)
    assert pagecache.generation() != before


def test_a_kept_value_of_another_shape_is_a_miss_not_a_500(reader):
    from django.core.cache import cache

    _, page = queries(reader, "/orgs/")
    kept = [k.split(":", 2)[2] for k in list(cache._cache) if ":manyi:page:" in k]
    assert kept
    for key in kept:  # as an older release might have stored it
        cache.set(key, "a page of another shape", 60)
    rendered, again = queries(reader, "/orgs/")  # queries() asserts the 200
    bare, _ = queries(reader, "/ping/")
    assert rendered > bare  # rendered afresh
    assert (
        again.split('name="csrfmiddlewaretoken"')[0] == page.split('name="csrfmiddlewaretoken"')[0]
    )


def test_a_write_is_never_failed_by_the_page_cache(kept, monkeypatch):
    def broken():
        raise RuntimeError("cache down")

    monkeypatch.setattr(pagecache, "new_generation", broken)
    OrganisationFactory(kind=OrgKind.ENTERPRISE, name="缓存坏了也能写入的公司")
    assert Organisation.objects.filter(name="缓存坏了也能写入的公司").exists()
