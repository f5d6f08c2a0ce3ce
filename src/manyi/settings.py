"""Manyi settings: one module, read from the environment, with safe defaults.

Every variable is listed with a comment in `.env.example`. Development defaults (DEBUG on,
SQLite under var/, email to the console) come from `make run`; production sets
MANYI_ENV=production, which refuses the development shortcuts.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from manyi.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SRC_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("MANYI_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("MANYI_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me-" + "x" * 32  # noqa: S105 - development only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Printed demo accounts may skip two-factor set-up, but only on a development server.
DEMO_SKIP_MFA = env_bool("MANYI_DEMO_SKIP_MFA", default=DEBUG and not PRODUCTION)
if DEMO_SKIP_MFA and (PRODUCTION or not DEBUG):
    raise ImproperlyConfigured(
        "MANYI_DEMO_SKIP_MFA is only allowed with DEBUG on, never in production"
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_q",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "manyi.common",
    "manyi.accounts",
    "manyi.campaigns",
    "manyi.applications",
    "manyi.surveys",
    "manyi.selfmeasure",
    "manyi.fieldwork",
    "manyi.reviews",
    "manyi.titles",
    "manyi.supervision",
    "manyi.programme",
    "manyi.agencies",
    "manyi.training",
    "manyi.events",
    "manyi.diagnostics",
    "manyi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: see common.pagecache.
    "manyi.common.pagecache.GenerationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "manyi.common.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "manyi.common.middleware.RequestContextMiddleware",
    "manyi.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "manyi.urls"
WSGI_APPLICATION = "manyi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "manyi.portal.context_processors.site",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            # Without WAL, IMMEDIATE transactions and a busy timeout, concurrent writers
            # (web + worker) fail with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
            "TEST": {"NAME": env_str("SQLITE_TEST_PATH", "") or None},
            # Keep the connection between requests: opening one runs four PRAGMAs, nearly half
            # the cost of a small request (measured by benchmarks/web_responses.py).
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, sessions, queue -----------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Every committed write replaces the kept pages' generation in Redis: a Redis that
            # hangs must cost a write half a second (logged; pages then age out), not forever.
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
    }
else:
    # The database cache is shared by web and worker processes, so rate limits hold.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "manyi_cache",
        }
    }
# The dashboards' count indexes carry the id as a non-key column (INCLUDE) so PostgreSQL can
# count from the index alone; SQLite builds them without it, which is all this warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The lists and dashboards a reader opens again are kept for them until the data changes
# (common.pagecache); this long at most, for text that the clock changes. 0 turns it off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# The queue lives in the database (django-q2's ORM broker) even when REDIS_URL is set: its
# messages have receipts (a message is deleted only after its task ended, and one taken by a
# worker that died is handed out again after `retry` seconds), while django-q2's Redis broker
# loses a message whose worker is killed. Redis serves the cache only. A killed worker's job is
# found much sooner than `retry` by its stopped heartbeat (common.jobs, JOB_* below); a
# redelivered message is then a no-op, because each job is claimed once per attempt.
Q_CLUSTER = {
    "name": "manyi",
    "workers": env_int("Q_WORKERS", 2),
    "orm": "default",
    "timeout": 600,
    "retry": 720,  # must exceed timeout, or the broker hands out a task still running
    "max_attempts": 3,
    "catch_up": False,
    "save_limit": 500,
    "poll": 1,
    # A worker that imported a large customer list keeps tens of MB it no longer uses
    # (allocator arenas): django-q replaces a worker whose peak RSS passed this after its task.
    "max_rss": env_int("Q_WORKER_MAX_RSS_MB", 160) * 1024,  # KiB, as ru_maxrss counts
}
# Tests run tasks in-line unless a test starts a real worker.
Q_CLUSTER["sync"] = env_bool("Q_SYNC", default=False)
# Background jobs (common.jobs): a running job writes its heartbeat every JOB_HEARTBEAT_SECONDS;
# one silent for JOB_STALL_SECONDS lost its worker and is requeued, up to JOB_MAX_ATTEMPTS
# attempts, then failed with a message the person sees. The sweeper runs every minute.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 5)
JOB_STALL_SECONDS = env_int("JOB_STALL_SECONDS", 20)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
# Done jobs are deleted this many days after they finished (failed ones are kept).
JOB_KEEP_DAYS = env_int("JOB_KEEP_DAYS", 30)
if JOB_HEARTBEAT_SECONDS < 1 or JOB_STALL_SECONDS < 3 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "JOB_STALL_SECONDS must be at least three heartbeats (JOB_HEARTBEAT_SECONDS ≥ 1)"
    )

# --- accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "manyi.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_SIGNUP_FORM_CLASS = "manyi.accounts.forms.EnterpriseSignupForm"
ACCOUNT_RATE_LIMITS = {
    # Counted per IP and per attempted email alike, so that neither tells whether an
    # account exists. The per-account lockout is what stops guessing one password; the per-IP
    # limit is high, as a whole office may sign in through one NAT address.
    "login_failed": env_str("LOGIN_RATE_LIMIT", "60/m/ip,5/300s/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Below the per-IP limit, a growing delay (accounts.adapters.login_wait_seconds): after this
# many failed logins from one address within the window, each further failure doubles the wait.
LOGIN_DELAY_AFTER_FAILURES = env_int("LOGIN_DELAY_AFTER_FAILURES", 20)
LOGIN_DELAY_WINDOW_SECONDS = env_int("LOGIN_DELAY_WINDOW_SECONDS", 900)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 60)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "满意 Manyi"

# --- email ----------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL", "console://")


def _email_settings(url: str) -> dict:
    """Turn EMAIL_URL (console://, file:///path, smtp://user:pass@host:port?tls=1) into settings."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parsed.path or str(VAR_DIR / "mail"),
        }
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme in {"smtp", "smtps"}:
        query = parse_qs(parsed.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": parsed.username or "",
            "EMAIL_HOST_PASSWORD": parsed.password or "",
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme {parsed.scheme!r} is not supported")


globals().update(_email_settings(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "满意 Manyi <noreply@manyi.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Uploads live outside any public web root and are served only through checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# --- security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap draws its icons as data: SVG images; QR codes are data: images too.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Per survey firm's key (fieldwork.api.throttling); the cache is shared by all workers.
    "DEFAULT_THROTTLE_RATES": {"firm_token": env_str("API_RATE", "600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Manyi API",
    "DESCRIPTION": (
        "第三方调查机构接口：调查委托、样本、批量提交问卷回答（按调查机构编号幂等）、质量问题。"
        "认证：Authorization: Token <接口密钥>（调查项目经理在系统中创建）。每个密钥每分钟最多 600 次请求。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files: the machine has no internet and the CSP allows
    # only 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # PDF rendering and the queue narrate every step at INFO; only problems are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django-q": {"level": env_str("Q_LOG_LEVEL", "WARNING")},
    },
}

MANYI_ROLES_NEEDING_MFA = (
    "association_admin",
    "committee_staff",
    "workdept_staff",
    "agency_staff",
    "expert",
)
# The site's name in page titles and emails.
SITE_NAME = env_str("SITE_NAME") or _("满意 · 广州市实施用户满意工程")
CSRF_FAILURE_VIEW = "manyi.common.errors.csrf_failure"
