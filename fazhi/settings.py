"""Fazhi settings: one module, configured from the environment (see README "Configuration").

Local runs need no configuration at all: without DJANGO_SECRET_KEY the app assumes a
developer machine, turns debug on and generates a secret kept in var/. Production sets
DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS, and then nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fazhi.env import env_bool, env_int, env_list, env_networks, env_str, retention_days
from fazhi.storage import local_storage, s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("FAZHI_VAR_DIR") or BASE_DIR / "var")

_secret_from_env = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", default=not _secret_from_env)

if _secret_from_env:
    SECRET_KEY = _secret_from_env
elif DEBUG:
    # A per-checkout secret, so local sessions survive restarts without a shared key in git.
    _secret_file = VAR_DIR / "dev-secret-key"
    if not _secret_file.exists():
        _secret_file.parent.mkdir(parents=True, exist_ok=True)
        _secret_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _secret_file.read_text().strip()
else:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "accounts",
    "tasks",
    "reports",
    "dashboard",
    "axes",
    "csp",
    "auditlog",
    "audit",
    "exports",
    "govreport",
    "assessment",
    "ops",
    "django_q",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "audit.middleware.DenialAuditMiddleware",
    "fazhi.db_router.DashboardReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Last, as django-axes requires: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
# The URL prefix the site is served under, from the deployment only: gunicorn would otherwise take a client's
# SCRIPT_NAME header as the prefix, and every link built for that request (cached page parts included) would
# carry it.
FORCE_SCRIPT_NAME = env_str("FAZHI_SCRIPT_NAME", "")
# Rendered page parts one user may add to the cache per hour (fazhi.fragments.may_store).
FAZHI_PART_STORE_BUDGET = env_int("FAZHI_PART_STORE_BUDGET", 1000, minimum=0)
# With a read replica, dashboard figures and parts built from it are kept this long, not the hour (it may lag).
FAZHI_REPLICA_CACHE_SECONDS = env_int("FAZHI_REPLICA_CACHE_SECONDS", 30, minimum=1)
# Django's renderer with the input and textarea templates written out in Python (fazhi/renderers.py).
FORM_RENDERER = "fazhi.renderers.FastRenderer"
WSGI_APPLICATION = "fazhi.wsgi.application"

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
                "fazhi.context_processors.site",
                "reports.context_processors.notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite allows one writer. A deferred transaction that reads first and then writes fails at once with
    # "database is locked" when another writer got there in between (approve and return of the same report
    # at the same moment answered 500). IMMEDIATE takes the write lock when the transaction starts, and the
    # busy timeout makes the second writer wait its turn instead of failing; WAL lets readers go on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A read replica for dashboards (README "Deployment"); writes and everything else use the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    # Tests have no real replica: the alias reads the test copy of the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["fazhi.db_router.PrimaryReplicaRouter"]
# Behind pgbouncer in transaction pooling, named server-side cursors break: Django must not use them.
if env_bool("DATABASE_PGBOUNCER", default=False):
    for _db in DATABASES.values():
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.validators.NotCurrentPasswordValidator"},
]
# django-axes must see every authentication attempt first.
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.FazhiAxesBackend",
    # ModelBackend that reads the signed-in user from the cache on later requests (accounts/backends.py).
    "accounts.backends.CachedModelBackend",
]

# --- Identity and sessions (README "Security and audit") ---
# 0 disables expiry; otherwise people must choose a new password after this many days.
FAZHI_PASSWORD_MAX_AGE_DAYS = env_int("FAZHI_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
FAZHI_SESSION_IDLE_MINUTES = env_int("FAZHI_SESSION_IDLE_MINUTES", 30, minimum=1)
FAZHI_SESSION_MAX_HOURS = env_int("FAZHI_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = FAZHI_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Five failures in a row lock the account for 30 minutes (axes' default lock would be permanent);
# a source address is locked after FAZHI_LOGIN_IP_FAILURE_LIMIT failures across accounts within the same
# window (each failure is logged with its time and counts only while it is younger than the window, so the
# per-address count decays instead of being reset by anyone's success). A success resets only the account's
# own counter (accounts/lockout.py). Office NAT addresses listed in FAZHI_LOGIN_IP_ALLOWLIST (addresses or
# networks) are exempt from the per-address limit, never from the per-account one.
AXES_FAILURE_LIMIT = env_int("FAZHI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
FAZHI_LOGIN_IP_FAILURE_LIMIT = env_int("FAZHI_LOGIN_IP_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("FAZHI_LOGIN_LOCK_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.FazhiAxesHandler"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
FAZHI_LOGIN_IP_ALLOWLIST = env_networks("FAZHI_LOGIN_IP_ALLOWLIST")
# axes' own reset on success deletes every failure that shares the username OR the address: one correct login
# from an office would wipe every other account's failures from that address (the lockout bypass).
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind nginx the client address arrives in X-Forwarded-For; it is trusted only for the number of
# proxies configured here (0: use the socket address), and only when the request really came from one of
# FAZHI_TRUSTED_PROXIES (addresses or networks; default this host), so a client cannot forge its address.
FAZHI_PROXY_COUNT = env_int("FAZHI_PROXY_COUNT", 0, minimum=0)
FAZHI_TRUSTED_PROXIES = env_networks("FAZHI_TRUSTED_PROXIES", ["127.0.0.1", "::1"])
AXES_CLIENT_IP_CALLABLE = "audit.services.client_ip"

# Always Simplified Chinese: no LocaleMiddleware, so a browser asking for English still gets Chinese messages
# (Django's own validation texts included) on every page.
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded evidence lives outside the web root and is only ever served by a permission-checked view.
MEDIA_ROOT = Path(env_str("FAZHI_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = None
FAZHI_STORAGE = env_str("FAZHI_STORAGE", "local")
if FAZHI_STORAGE == "s3":
    # Object storage through django-storages (a runtime requirement); options in fazhi/storage.py.
    _default_storage = s3_storage(
        bucket=env_str("FAZHI_S3_BUCKET"), endpoint_url=env_str("FAZHI_S3_ENDPOINT_URL"),
        region=env_str("FAZHI_S3_REGION"), access_key=env_str("FAZHI_S3_ACCESS_KEY"),
        secret_key=env_str("FAZHI_S3_SECRET_KEY"),
    )
elif FAZHI_STORAGE == "local":
    _default_storage = local_storage()
else:
    raise ImproperlyConfigured(f"FAZHI_STORAGE must be 'local' or 's3', got {FAZHI_STORAGE!r}")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "fazhi.cache.FazhiRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi"}}
# The signed-in user is read from the cache (accounts/backends.py) only when that cache is shared by every
# server process: with per-process local memory a deactivation seen by one gunicorn worker would not reach the
# others until the entry expired.
FAZHI_CACHE_USERS = env_bool("FAZHI_CACHE_USERS", default=bool(REDIS_URL))
if REDIS_URL:
    # Several app servers share sessions through Redis; the database copy survives a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "fazhi@localhost")

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# Product settings.
FAZHI_SITE_NAME = env_str("FAZHI_SITE_NAME", "法治政府建设工作管理平台")
FAZHI_DEMO_PASSWORD = env_str("FAZHI_DEMO_PASSWORD", "Fazhi@2026")
# The one size limit of an imported work-point document (upload or pasted text); read by tasks/parsing/readers.py.
FAZHI_IMPORT_MAX_BYTES = env_int("FAZHI_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# 催办: scheduled reminders go this many days before a period's due date, and to late units every N days.
FAZHI_REMIND_DAYS_BEFORE = env_int("FAZHI_REMIND_DAYS_BEFORE", 3, minimum=0)
FAZHI_REMIND_OVERDUE_EVERY_DAYS = env_int("FAZHI_REMIND_OVERDUE_EVERY_DAYS", 7, minimum=1)

# Production logs one JSON object per line on stdout (DJANGO_LOG_FORMAT=json, the default with debug off).
LOG_FORMAT = env_str("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be 'plain' or 'json', got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "fazhi.logformat.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
}

# --- Audit (README "Security and audit") ---
FAZHI_AUDIT_MIN_RETENTION_DAYS = 184
FAZHI_AUDIT_RETENTION_DAYS = retention_days(
    "FAZHI_AUDIT_RETENTION_DAYS", 365, minimum=FAZHI_AUDIT_MIN_RETENTION_DAYS
)
AUDITLOG_STORE_JSON_CHANGES = True
# Fixture loads (restore) are not user actions; the restored entries already carry the history.
AUDITLOG_DISABLE_ON_RAW_SAVE = True
AUDITLOG_INCLUDE_TRACKING_MODELS = ()

# --- HTTP security headers; `manage.py check --deploy` passes with DJANGO_DEBUG=0 ---
# Behind a TLS-terminating proxy set FAZHI_BEHIND_TLS_PROXY=1 (trusts X-Forwarded-Proto from it);
# FAZHI_SSL_REDIRECT=0 only where the proxy itself redirects HTTP to HTTPS.
if env_bool("FAZHI_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("FAZHI_SSL_REDIRECT", default=not DEBUG)
# FAZHI_SECURE_COOKIES=0 only for plain-HTTP test rigs on 127.0.0.1 (the load test); never in production.
SESSION_COOKIE_SECURE = env_bool("FAZHI_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("FAZHI_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("FAZHI_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env_list("FAZHI_SILENCED_SYSTEM_CHECKS")

# Content-Security-Policy (django-csp 4): no inline script or style anywhere, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# --- Background worker (README "Deployment") ---
# FAZHI_WORKER=django-q2: exports and generated documents are queued for the django-q2 cluster
# (`manage.py qcluster`), with Redis as broker when REDIS_URL is set, else the database. Empty (a local
# install): they are built in the request that asks for them. Scheduled commands run from systemd timers.
FAZHI_WORKER = env_str("FAZHI_WORKER", "")
Q_CLUSTER = {
    "name": "fazhi",
    "workers": env_int("FAZHI_WORKER_PROCESSES", 2, minimum=1),
    "timeout": 600,
    "retry": 900,
    "max_attempts": 2,
    "catch_up": False,
    **({"redis": REDIS_URL} if REDIS_URL else {"orm": "default"}),
}
# Generated files (exports app) are kept this many days, then `prune_exports` clears them.
FAZHI_EXPORT_KEEP_DAYS = env_int("FAZHI_EXPORT_KEEP_DAYS", 7, minimum=1)
# Published government reports are readable without login at /public/ (the deployment is reachable from outside).
FAZHI_PUBLIC_REPORTS = env_bool("FAZHI_PUBLIC_REPORTS", default=True)
if FAZHI_WORKER not in ("", "django-q2"):
    raise ImproperlyConfigured(f"FAZHI_WORKER must be empty or 'django-q2', got {FAZHI_WORKER!r}")

# --- Backups (README "Deployment", "Backups") ---
# Portable backups (`manage.py backup`) go here; the restore drill takes the newest one from here.
FAZHI_BACKUP_DIR = Path(env_str("FAZHI_BACKUP_DIR") or BASE_DIR / "backups")
# PostgreSQL-native backups and point-in-time recovery through pgBackRest (`pg_backup`, `restore_drill`).
# FAZHI_PGBACKREST_CONFIG: its configuration file (empty: pgBackRest's own default). FAZHI_PG_RUN_AS: the
# operating-system user that owns the cluster, when the command is not already run as that user.
FAZHI_PGBACKREST_CONFIG = env_str("FAZHI_PGBACKREST_CONFIG", "")
FAZHI_PGBACKREST_STANZA = env_str("FAZHI_PGBACKREST_STANZA", "fazhi")
FAZHI_PG_RUN_AS = env_str("FAZHI_PG_RUN_AS", "")
FAZHI_PG_BINDIR = env_str("FAZHI_PG_BINDIR", "")
# The drill's point-in-time restore starts a scratch cluster on this port under FAZHI_DRILL_DIR (temp).
FAZHI_DRILL_PORT = env_int("FAZHI_DRILL_PORT", 55433, minimum=1024)
FAZHI_DRILL_DIR = env_str("FAZHI_DRILL_DIR", "")
