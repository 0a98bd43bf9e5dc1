"""Dangjian settings: one file, small env helpers, SQLite by default."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from dangjian.core.secrets import load_previous_keys, load_secrets

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("DANGJIAN_VAR_DIR", PROJECT_DIR / "var"))


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


_secrets = load_secrets(VAR_DIR / "secrets.json")
SECRET_KEY = _secrets["django_secret_key"]
FIELD_ENCRYPTION_KEY = _secrets["field_encryption_key"]
BLIND_INDEX_KEY = _secrets["blind_index_key"]
# The audit chain's HMAC key; its signed checkpoint lives outside the database.
AUDIT_KEY = _secrets["audit_key"]
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("DANGJIAN_AUDIT_CHECKPOINT_DIR", VAR_DIR))
# While rotate_keys runs, the keys it rotates away from are still accepted for reading.
_previous = load_previous_keys(VAR_DIR / "secrets.json")
PREVIOUS_FIELD_ENCRYPTION_KEYS = _previous["previous_field_encryption_keys"]
PREVIOUS_BLIND_INDEX_KEYS = _previous["previous_blind_index_keys"]

DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "treebeard",
    "django_q",  # the task queue and its scheduler (docs/operations.md)
    "ninja",  # bundled Swagger UI assets for /api/docs
    "csp",
    "dangjian.core",
    "dangjian.accounts",
    "dangjian.audit",
    "dangjian.orgs",
    "dangjian.imports",
    "dangjian.api",
    "dangjian.dues",
    "dangjian.recruitment",
    # Committees seed their terms before meetings seed attendance (a committee meeting expects its committee).
    "dangjian.committees",
    "dangjian.meetings",
    "dangjian.grids",
    "dangjian.appeals",
    "dangjian.departments",
    "dangjian.projects",
    "dangjian.duty",
    "dangjian.surveys",
    "dangjian.assessment",
    "dangjian.resources",
    "dangjian.volunteering",
    "dangjian.funds",
    "dangjian.learning",
    "dangjian.evaluation",
    "dangjian.dashboards",
    "dangjian.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "dangjian.core.security_headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dangjian.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangjian.core.middleware.RequestContextMiddleware",
    # Axes last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.platform",
            ],
        },
    }
]

# SQLite in WAL mode by default; DATABASE_URL=postgres://… for PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dangjian.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Brute-force throttling: 5 failures lock the username+IP pair for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Two-factor sign-in: always for superusers, and for holders of these roles
# (comma-separated role codes, e.g. "org_officer,secretary,auditor").
TWO_FACTOR_REQUIRED_ROLES = [r for r in os.environ.get("DANGJIAN_2FA_ROLES", "").split(",") if r.strip()]
# API tokens lapse after this many days (the creator may choose fewer, up to API_TOKEN_MAX_DAYS).
API_TOKEN_DAYS = envint("DANGJIAN_API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = envint("DANGJIAN_API_TOKEN_MAX_DAYS", 365)

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# SECURE_COOKIES=1: the site is served over HTTPS only (see README, production).
HTTPS_ONLY = envbool("SECURE_COOKIES")
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
# Behind a TLS-terminating proxy: DANGJIAN_PROXY_SSL_HEADER=X-Forwarded-Proto (the proxy must set it).
if os.environ.get("DANGJIAN_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["DANGJIAN_PROXY_SSL_HEADER"].upper().replace("-", "_"), "https")
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (static/js/site.js); inline styles remain in a few templates
# and in what ECharts and Swagger UI draw, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads and generated files (import error workbooks hold ID numbers in plain text) are read only by
# this service's own user: the views serve them, never the web server.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Roster import: larger files are refused before parsing.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 30 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 200_000)
# Uploaded spreadsheets are parsed in a child process with these limits (dangjian.core.sheets).
SHEET_READER_MEMORY_MB = envint("SHEET_READER_MEMORY_MB", 2048)
SHEET_READER_SECONDS = envint("SHEET_READER_SECONDS", 300)
# Import error workbooks hold identifiers in plain text: purge_import_files
# (run daily) deletes them this many days after the import.
IMPORT_ERROR_FILE_DAYS = envint("DANGJIAN_IMPORT_ERROR_FILE_DAYS", 7)

# The task queue (django-q2, docs/operations.md): `python -m dangjian.manage qcluster`
# runs the worker and the scheduler. The queue lives in the database by default
# (SQLite or PostgreSQL, no other server); REDIS_URL moves it to Redis.
JOB_TIMEOUT = envint("DANGJIAN_JOB_TIMEOUT", 3600)
Q_CLUSTER = {
    "name": "dangjian",
    "workers": envint("DANGJIAN_WORKERS", 2),
    "recycle": 200,
    "timeout": JOB_TIMEOUT,
    # A task whose worker died is handed out again after this many seconds.
    "retry": JOB_TIMEOUT + 120,
    # A task that raised is tried again, up to this many times in all.
    "max_attempts": envint("DANGJIAN_TASK_ATTEMPTS", 3),
    "ack_failures": False,
    # A schedule missed while the machine was off runs once, not once per missed slot.
    "catch_up": False,
    "save_limit": 2000,
    "poll": 1,
    "guard_cycle": 1,
    "label": "Task queue",
}
if os.environ.get("REDIS_URL"):
    Q_CLUSTER["redis"] = os.environ["REDIS_URL"]
else:
    Q_CLUSTER["orm"] = "default"
# A running job whose heartbeat (every 10 s) is older than this lost its worker: jobs_reap fails it.
JOB_DEAD_AFTER = envint("DANGJIAN_JOB_DEAD_AFTER", 90)
# Job files (exports hold identifiers) are deleted this many days after the job finished.
JOB_RESULT_DAYS = envint("DANGJIAN_JOB_RESULT_DAYS", 7)
# Tests run jobs in the calling thread (the queue's own tests start a real worker).
JOBS_RUN_INLINE = envbool("DANGJIAN_JOBS_INLINE")

# Installation switches (against formalism: rankings and points can be off).
DANGJIAN = {
    "RANKINGS_ENABLED": envbool("DANGJIAN_RANKINGS"),
    "INSTALLATION_NAME": os.environ.get("DANGJIAN_NAME", "党建工作平台"),
    # Appeals' 三率 (docs/appeals.md): the composite's weights, and which answers at 回访 count as satisfied.
    "APPEAL_RATE_WEIGHTS": {"response": 0.30, "resolution": 0.35, "satisfaction": 0.35},
    "APPEAL_SATISFIED_RATINGS": ["satisfied", "basic"],
    # Notifications (core/notify.py): the sender class; HttpSmsGateway reads SMS_GATEWAY_URL/TOKEN/SIGN.
    "NOTIFY_SENDER": os.environ.get("DANGJIAN_NOTIFY_SENDER", "dangjian.core.notify.LogSender"),
    "SMS_GATEWAY_URL": os.environ.get("DANGJIAN_SMS_GATEWAY_URL", ""),
    "SMS_GATEWAY_TOKEN": os.environ.get("DANGJIAN_SMS_GATEWAY_TOKEN", ""),
    "SMS_SIGN": os.environ.get("DANGJIAN_SMS_SIGN", ""),
}

# One JSON object per line on stderr (journald keeps it), with the request id, identifiers masked;
# LOG_FORMAT=text for a terminal. docs/operations.md.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dangjian.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dangjian.core.logs.JsonFormatter"},
        "text": {"()": "dangjian.core.logs.TextFormatter",
                 "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": os.environ.get("LOG_FORMAT", "json")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django-q": {"level": os.environ.get("QUEUE_LOG_LEVEL", "WARNING")}},
}
# DANGJIAN_AUDIT_SYSLOG=/dev/log (or host:port) sends each new audit head to the
# system log as well: a second anchor of the chain outside the database.
if os.environ.get("DANGJIAN_AUDIT_SYSLOG"):
    _target = os.environ["DANGJIAN_AUDIT_SYSLOG"]
    _host, _, _port = _target.rpartition(":")
    LOGGING["handlers"]["audit_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": _target if _target.startswith("/") else (_host, int(_port)),
    }
    LOGGING["loggers"]["dangjian.audit.anchor"] = {
        "handlers": ["audit_syslog"], "level": "INFO", "propagate": False}
