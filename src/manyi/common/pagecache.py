"""Finished pages kept for their reader until the data changes: the lists and dashboards that
people open again and again (issue 15).

A page is rendered for one session (the user, the CSRF secret its forms carry), one language,
one day and one URL, and kept in the cache under the *data generation*: a token that every
committed write to the database replaces. So a page is served again only while nothing it
could show has changed; the first request after any change renders it afresh.

How a write is noticed: every database connection passes its statements through
``_notice_writes`` (installed when the connection opens). An INSERT, UPDATE or DELETE
replaces the generation once its transaction commits (at once in autocommit). The reader takes
the generation *before* it renders, so a page rendered while a write commits is stored under
the old generation and never served (``GenerationMiddleware`` reads it before the session,
the user and their memberships are read). Writes that change nothing a page shows are left out:
the database cache's table, the task broker's bookkeeping and a running job's heartbeat. A
write that bypasses Django's cursor (PostgreSQL COPY in ``grow_world``) calls
``new_generation()``. Pages are kept only in a cache of their own (Redis, or memory in the
tests): see ``is_on``.

Safety rails: a request that runs inside a transaction (the tests' own transaction) neither
reads nor stores; a request with a message waiting for it (a flash after a redirect), a
response that is not a plain 200 or that sets a cookie, and every method but GET are not
cached; pages are kept for ``PAGE_CACHE_SECONDS`` at most (clock-driven text such as
"剩余 3 天" is at most that old); a request without its CSRF cookie is rendered afresh (its
forms need the secret that response sets); a cache that fails is a page rendered as if there
were none.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

GENERATION_KEY = "manyi:data-generation"
# The statements that change rows, and the table they change ("INSERT OR IGNORE INTO" is
# SQLite's bulk_create(ignore_conflicts=True); TRUNCATE is `manage.py flush` on PostgreSQL).
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([\w.]+)"?',
    re.IGNORECASE,
)
# Tables whose writes no page shows: the database cache's table, django-q's queue, results and
# schedule (the task workers write them all the time).
_QUIET_TABLES = {"manyi_cache", "django_q_ormq", "django_q_task", "django_q_schedule"}
# A running job's heartbeat (common.jobs.heartbeat): every few seconds, and no page shows it.
_HEARTBEAT = re.compile(
    r'^\s*UPDATE\s+"common_backgroundjob"\s+SET\s+"heartbeat_at"\s*=\s*\S+\s+WHERE', re.I
)
# What a stored response keeps of the view's headers (the middleware adds the rest each time).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "HX-Trigger", "HX-Redirect")


# --- the generation ------------------------------------------------------------------------


def generation() -> str | None:
    """The current data generation, or None when the cache cannot be read (then no page is
    read or stored)."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # After a flush or at first start: a new token, so nothing older can match.
            cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            value = cache.get(GENERATION_KEY)
        return value
    except Exception:
        logger.warning("page cache: the generation could not be read", exc_info=True)
        return None


def new_generation() -> None:
    """Every kept page is out of date (a write committed). A fresh random token rather than an
    increment: two writers racing cannot leave the generation a reader already saw."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # The pages are then kept up to PAGE_CACHE_SECONDS: say so loudly, never fail the write.
        logger.exception("page cache: the generation could not be replaced")


def _is_noticed(sql: str) -> bool:
    found = _WRITE.match(sql)
    if found is None:
        return False
    return found.group(1) not in _QUIET_TABLES and not _HEARTBEAT.match(sql)


def is_on() -> bool:
    """Pages are kept only in a cache of their own (Redis in production, or memory).

    Never in the database cache (the dev server on SQLite without Redis): replacing the
    generation there would be a statement on the very connection whose write has just run,
    and SQLite has not finished an ``INSERT … RETURNING`` until its row is read.
    """
    return bool(settings.PAGE_CACHE_SECONDS) and not isinstance(caches["default"], DatabaseCache)


def _notice_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    try:
        if isinstance(sql, str) and _is_noticed(sql) and is_on():
            db = context["connection"]
            if not db.in_atomic_block:
                new_generation()
            elif not any(hook[1] is new_generation for hook in db.run_on_commit):
                db.on_commit(new_generation)
    except Exception:
        # The write has run: never fail it for the sake of kept pages (they age out).
        logger.exception("page cache: a write could not be noticed")
    return result


def _install(sender, connection, **kwargs):
    if _notice_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_notice_writes)


def install() -> None:
    """Watch every connection, those already open too (CommonConfig.ready); retire every kept
    page after ``migrate`` (a deploy), whose templates may draw them differently."""
    connection_created.connect(_install, dispatch_uid="manyi.pagecache")
    post_migrate.connect(_after_migrate, dispatch_uid="manyi.pagecache")
    for db in connections.all(initialized_only=True):
        _install(None, db)


def _after_migrate(sender, **kwargs):
    if is_on():
        new_generation()


class GenerationMiddleware:
    """Reads the data generation before anything of the request reads the database.

    Placed before the session and authentication middleware: the person's memberships, read
    by the two-factor middleware and the access decorators, must not be older than the
    generation the page is kept under (a membership ended between the two reads would be kept
    in the page under the new generation).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _may_ask(request):
            request.page_generation = generation()
        return self.get_response(request)


# --- the pages -----------------------------------------------------------------------------


def _key(request, current: str) -> str:
    parts = "\n".join(
        (
            current,
            str(request.user.pk),
            request.session.session_key or "",
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            request.headers.get("HX-Request", ""),
            request.headers.get("HX-Target", ""),
            request.get_full_path(),
        )
    )
    return "manyi:page:" + hashlib.sha256(parts.encode()).hexdigest()


def _may_ask(request) -> bool:
    """What can be told before the request reads anything (GenerationMiddleware): a GET from a
    browser with a session and its CSRF cookie, and a cache of our own to ask.

    Without its CSRF cookie, the page's forms would carry a secret made for this response,
    which only this response sets as a cookie: kept, the page would give a later request a
    token it cannot match.
    """
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and settings.CSRF_COOKIE_NAME in request.COOKIES
        and is_on()
    )


def _may_use(request) -> bool:
    if not _may_ask(request):
        return False
    if not request.user.is_authenticated or connection.in_atomic_block:
        return False
    waiting = getattr(request, "_messages", None)
    return not waiting  # a flash message is shown once: that page is not kept


def kept_for_reader(view):
    """Serve the view's page again to the same reader until the data changes (see above).

    Only for a page that is a pure function of the database, the reader and the URL: never a
    form that shows what was posted, a file, or a page that writes.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_use(request):
            return view(request, *args, **kwargs)
        current = getattr(request, "page_generation", None)  # GenerationMiddleware's
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, current)
        try:
            kept = cache.get(key)
        except Exception:
            logger.warning("page cache: %s could not be read", key, exc_info=True)
            kept = None
        if isinstance(kept, tuple) and len(kept) == 2:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not getattr(request, "_messages", None)
        ):
            headers = [(h, response[h]) for h in _KEPT_HEADERS if h in response]
            try:
                cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("page cache: %s could not be stored", key, exc_info=True)
        return response

    return wrapper
