"""The current request's IP, for the activity log, and its reads that many parts share.

Services record who did what without taking a request argument; the middleware puts the
request's IP here and it is read when a log entry is written.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
_request_reads: ContextVar[dict | None] = ContextVar("request_reads", default=None)
T = TypeVar("T")


@contextmanager
def shared_reads(enabled: bool) -> Iterator[None]:
    """Inside, ``once_per_request`` shares its answers if ``enabled`` (the middleware: GETs)."""
    token = _request_reads.set({} if enabled else None)
    try:
        yield
    finally:
        _request_reads.reset(token)


def once_per_request(name: str, read: Callable[[], T]) -> T:
    """``read()`` once for the current request, its answer shared by every caller after that.

    For a read that several panels of one page make (the current campaign: three panels of the
    dashboard asked for it, three queries each). Only a GET shares: in a POST, or outside a
    request (a task, a command, a test calling a selector), it simply reads, so nothing sees
    an answer from before its own change.
    """
    reads = _request_reads.get()
    if reads is None:
        return read()
    if name not in reads:
        reads[name] = read()
    return reads[name]


def client_ip(request) -> str | None:
    """The client address. Behind a proxy, only the proxy's own header is trusted."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")
