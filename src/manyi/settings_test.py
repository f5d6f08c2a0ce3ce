"""Settings for the test suite: the production module with a few test-only overrides.

Tasks run in-line (no worker needed), mail goes to Django's in-memory outbox, the demo MFA
shortcut is off so tests see what production does, and hashing is fast.
"""

import os

os.environ.setdefault("Q_SYNC", "1")
os.environ.setdefault("EMAIL_URL", "locmem://")
os.environ.setdefault("MANYI_DEMO_SKIP_MFA", "0")

from manyi.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
