"""What the public sends without an account (objections to a 公示, complaints about a title
holder): a limit per network address and hour, and the hash kept of a private follow-up link.

Each form counts in its own scope ("titles:objections", "supervision:complaints"), so an
objection does not use up the complaints of the same address, nor the other way round. The
counts live in the cache, not with the data: losing them is harmless to a limit against floods.
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

WINDOW_SECONDS = 3600
# Set by `waived()`: the demo loader sends what the public would, but it is not the public.
_waived: ContextVar[bool] = ContextVar("ratelimit_waived", default=False)


@contextmanager
def waived():
    """No limit and no count inside (``manage.py load_demo``): loading the demo twice within
    an hour with a shared cache (Redis) must not run into the public's hourly limits."""
    token = _waived.set(True)
    try:
        yield
    finally:
        _waived.reset(token)


def hash_token(token: str) -> str:
    """The SHA-256 stored in place of a follow-up token, so the table alone opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def _key(scope: str, ip: str | None) -> str:
    return f"{scope}:{ip or 'unknown'}"


def allowed(scope: str, ip: str | None, per_hour: int) -> bool:
    """Whether the address may still send one more in `scope` this hour."""
    if _waived.get():
        return True
    return (cache.get(_key(scope, ip)) or 0) < per_hour


def count(scope: str, ip: str | None) -> None:
    """Count one accepted sending; the hour runs from the first one of the address."""
    if _waived.get():
        return
    key = _key(scope, ip)
    if cache.add(key, 1, WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS)
