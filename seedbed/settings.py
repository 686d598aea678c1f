"""Seedbed settings, read from environment variables (documented in docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from seedbed.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("SEEDBED_DEBUG", False)
TESTING = env_bool("SEEDBED_TESTING", False)

_INSECURE_DEV_KEY = "dev-only-insecure-key-do-not-use-in-production-5c1f0e0b"
SECRET_KEY = env_str("SEEDBED_SECRET_KEY", _INSECURE_DEV_KEY if (DEBUG or TESTING) else None)
if not (DEBUG or TESTING) and (SECRET_KEY == _INSECURE_DEV_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SEEDBED_SECRET_KEY must be a random string of at least 50 characters"
    )

ALLOWED_HOSTS = env_list(
    "SEEDBED_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if (DEBUG or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = env_list("SEEDBED_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "seedbed.core",
    "seedbed.accounts",
    "seedbed.audit",
    "seedbed.ideas",
    "seedbed.strategy",
    "seedbed.notifications",
    "seedbed.pipeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "seedbed.core.middleware.RequestContextMiddleware",
    "seedbed.core.middleware.ApiErrorBodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "seedbed.urls"
WSGI_APPLICATION = "seedbed.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "seedbed" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "seedbed.core.context_processors.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR = Path(env_str("SEEDBED_DATA_DIR", str(BASE_DIR / "var")))
_database_url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'seedbed.sqlite3'}")
try:
    _db = dj_database_url.parse(_database_url, conn_max_age=env_int("SEEDBED_DB_CONN_MAX_AGE", 0))
except Exception as exc:  # dj-database-url raises several types for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at BEGIN
    # so two writers queue on the busy timeout instead of failing with "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SEEDBED_SQLITE_TIMEOUT", 20, minimum=1),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
    }
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
else:
    # Only these two have the audit trail's append-only triggers (seedbed/audit/triggers.py).
    raise ImproperlyConfigured("DATABASE_URL must name an SQLite or a PostgreSQL database")
# The test database's name (SQLite: a file path; default in-memory). Lets parallel runs coexist.
_db["TEST"] = {"NAME": env_str("SEEDBED_TEST_DB", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------
_cache_url = env_str("SEEDBED_CACHE_URL", "locmem://")
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": _cache_url}}
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif _cache_url == "db://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "seedbed_cache"}}
else:
    raise ImproperlyConfigured("SEEDBED_CACHE_URL must be locmem://, db:// or redis://…")
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SEEDBED_SESSION_AGE", 60 * 60 * 12, minimum=300)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("SEEDBED_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SEEDBED_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "seedbed.accounts.throttle.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# --- E-mail ---------------------------------------------------------------------------------
_email_url = urlsplit(env_str("SEEDBED_EMAIL_URL", "console://"))
if _email_url.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email_url.scheme in {"smtp", "smtps"}:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email_url.hostname or ""
    if not EMAIL_HOST:
        raise ImproperlyConfigured("SEEDBED_EMAIL_URL needs a host, e.g. smtp://user:pw@host:587")
    EMAIL_PORT = _email_url.port or (465 if _email_url.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_email_url.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email_url.password or "")
    _email_query = parse_qs(_email_url.query)
    EMAIL_USE_SSL = _email_url.scheme == "smtps"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and _email_query.get("tls", ["1"])[0] != "0"
else:
    raise ImproperlyConfigured("SEEDBED_EMAIL_URL must start with console:// or smtp(s)://")
DEFAULT_FROM_EMAIL = env_str("SEEDBED_FROM_EMAIL", "seedbed@localhost")
# Where people reach Seedbed: links in e-mails and webhook messages are built from it.
SEEDBED_BASE_URL = env_str("SEEDBED_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SEEDBED_BASE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SEEDBED_BASE_URL must start with http:// or https://")

# --- Background work (django-tasks; Django 6's tasks framework backported) -------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("SEEDBED_TASKS_IMMEDIATE", TESTING)
        else "django_tasks_db.DatabaseBackend"
    }
}

# --- Security -------------------------------------------------------------------------------
_secure = not DEBUG and not TESTING
SECURE_SSL_REDIRECT = env_bool("SEEDBED_SSL_REDIRECT", _secure)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "SEEDBED_BEHIND_PROXY", False) else None
# How many reverse proxies in front of Seedbed append to X-Forwarded-For. With N > 0 the client
# address (for the audit trail and login throttling) is the N-th entry from the right; with 0
# the header is ignored, because anyone can send it.
TRUSTED_PROXY_COUNT = env_int("SEEDBED_TRUSTED_PROXIES", 0, minimum=0)
SECURE_HSTS_SECONDS = env_int("SEEDBED_HSTS_SECONDS", 31536000 if _secure else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = env_bool("SEEDBED_HSTS_PRELOAD", _secure)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Request-size limits: forms and JSON bodies above this are refused with 413 / a form error.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SEEDBED_MAX_REQUEST_BYTES", 1024 * 1024, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

# --- Uploaded files (idea attachments) -------------------------------------------------------
# Kept outside the web root and never given a URL of their own: a view checks who may see the
# idea before it streams a file. MEDIA_URL is deliberately unset.
MEDIA_ROOT = Path(env_str("SEEDBED_MEDIA_ROOT", str(DATA_DIR / "media")))
ATTACHMENT_MAX_BYTES = env_int("SEEDBED_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Importing ideas from CSV: the largest file and the most rows one import may hold.
IMPORT_MAX_BYTES = env_int("SEEDBED_IMPORT_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
IMPORT_MAX_ROWS = env_int("SEEDBED_IMPORT_MAX_ROWS", 5000, minimum=1)
# Uploads above this go to a temporary file instead of memory while Django reads them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Internationalisation and static files --------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("SEEDBED_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("SEEDBED_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "seedbed" / "static"]

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SEEDBED_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
