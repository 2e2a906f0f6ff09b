"""Django settings for fazhi, read from the environment (see docs/operations.md).

SQLite (WAL) is the embedded default; set DATABASE_URL=postgres://… for PostgreSQL.
FAZHI_PRODUCTION=1 switches on the hardened settings that pass `manage.py check --deploy`.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from fazhi.env import env_bool, env_int, env_list, env_path, env_str
from fazhi.openapi_enums import enum_name_overrides

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env_path("FAZHI_VAR_DIR", BASE_DIR / "var")

PRODUCTION = env_bool("FAZHI_PRODUCTION", False)
DEBUG = env_bool("FAZHI_DEBUG", False)
if PRODUCTION:
    SECRET_KEY = env_str("FAZHI_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "FAZHI_SECRET_KEY must be at least 50 random characters in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))"); '
            "FAZHI_SECRET_KEY 在生产环境中至少需要 50 个随机字符。"
        )
else:
    SECRET_KEY = env_str(
        "FAZHI_SECRET_KEY", "dev-only-not-secret-7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f8a0c"
    )
ALLOWED_HOSTS = env_list("FAZHI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("FAZHI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "fazhi.core",
    "fazhi.indicators",
    "fazhi.reports",
    "fazhi.portal",
    "fazhi.parties",
    "fazhi.disputes",
    "fazhi.petitions",
    "fazhi.enforcement",
    "fazhi.inspections",
    "fazhi.governance",
    "fazhi.outreach",
    "fazhi.legal",
    "fazhi.decisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fazhi.core.middleware.RequestIdMiddleware",
    "fazhi.core.middleware.PathIdRangeMiddleware",
    "axes.middleware.AxesMiddleware",
    "fazhi.core.security.AccountSecurityMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"

# every form: no "---------" options, errors tied to their fields, searchable multi-selects
FORM_RENDERER = "fazhi.core.forms_render.FazhiRenderer"
FILTERS_EMPTY_CHOICE_LABEL = "全部"
FILTERS_NULL_CHOICE_LABEL = "（空）"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fazhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi.core.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_SQLITE_PATH = VAR_DIR / "fazhi.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{_SQLITE_PATH}"),
        conn_max_age=env_int("FAZHI_CONN_MAX_AGE", 60, minimum=0),
        # a health check costs a `SELECT 1` per request; useful behind a pooler that drops
        # connections, so off unless FAZHI_CONN_HEALTH_CHECKS=1
        conn_health_checks=env_bool("FAZHI_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers proceed during a write; IMMEDIATE takes the write lock at BEGIN so
        # that two writers queue instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "FAZHI_PG_JIT", False
):
    # PostgreSQL's JIT compiles a statement whose estimated cost passes jit_above_cost; the
    # registry's one statement per township (~40 tables) then spends 4 s to minutes compiling
    # what runs in 20 ms (docs/performance.md, "Province scale"). Off unless FAZHI_PG_JIT=1.
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth and security ----------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# password policy, idle timeout, login log (fazhi/core/security.py; docs/operations.md)
FAZHI_PASSWORD_MIN_LENGTH = env_int("FAZHI_PASSWORD_MIN_LENGTH", 8, minimum=6)
FAZHI_PASSWORD_CHAR_CLASSES = env_int("FAZHI_PASSWORD_CHAR_CLASSES", 3, minimum=1, maximum=4)
FAZHI_PASSWORD_MAX_AGE_DAYS = env_int("FAZHI_PASSWORD_MAX_AGE_DAYS", 0, minimum=0)
FAZHI_IDLE_TIMEOUT_MINUTES = env_int("FAZHI_IDLE_TIMEOUT_MINUTES", 30, minimum=0)
FAZHI_LOGIN_LOG_DAYS = env_int("FAZHI_LOGIN_LOG_DAYS", 180, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": FAZHI_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "fazhi.core.security.ComplexityValidator",
        "OPTIONS": {"min_classes": FAZHI_PASSWORD_CHAR_CLASSES},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # counts each attempt atomically before the password is checked (concurrent attempts)
    "fazhi.core.security.AttemptGateBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("FAZHI_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("FAZHI_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env_int("FAZHI_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    DEBUG = False
    SECURE_SSL_REDIRECT = env_bool("FAZHI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("FAZHI_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "fazhi" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = env_path("FAZHI_ATTACHMENT_DIR", VAR_DIR / "attachments")
ATTACHMENT_MAX_BYTES = env_int("FAZHI_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
ATTACHMENT_ALLOWED_TYPES = env_list(
    "FAZHI_ATTACHMENT_TYPES",
    [
        ".pdf",
        ".docx",
        ".doc",
        ".xlsx",
        ".xls",
        ".jpg",
        ".jpeg",
        ".png",
        ".mp3",
        ".mp4",
        ".txt",
        ".wps",
    ],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JOB_RESULT_DIR = VAR_DIR / "jobs"
BACKUP_DIR = env_path("FAZHI_BACKUP_DIR", VAR_DIR / "backups")
#: authenticates backup archives (HMAC); keep it apart from the backups. Empty: derived from the
#: secret key (then a restore on another installation needs the same secret key, or --digest)
FAZHI_BACKUP_KEY = env_str("FAZHI_BACKUP_KEY", "")
# signs evidence entries and checkpoints (docs/history-and-evidence.md); else derived from SECRET_KEY
FAZHI_EVIDENCE_KEY = env_str("FAZHI_EVIDENCE_KEY", "")

# --- API ------------------------------------------------------------------------------------
#: API tokens stop working this many hours after they were issued (then ask for a new one)
FAZHI_TOKEN_TTL_HOURS = env_int("FAZHI_TOKEN_TTL_HOURS", 24 * 7, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "fazhi.core.api.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "fazhi.core.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "fazhi.core.api.exceptions.exception_handler",
}
#: names kept from before the generated ones (clients may rely on them)
_MANUAL_ENUM_NAMES = {
    "PetitionLevelEnum": "fazhi.petitions.choices.Level",
    "OpinionLevelEnum": "fazhi.petitions.choices.OpinionLevel",
    "CommitteeLevelEnum": "fazhi.disputes.choices.CommitteeLevel",
    "PetitionChannelEnum": "fazhi.petitions.choices.Channel",
    "OutreachChannelEnum": "fazhi.outreach.choices.Channel",
    "AdvisorKindEnum": "fazhi.legal.choices.AdvisorKind",
    "ReviewKindEnum": "fazhi.legal.choices.ReviewKind",
    "ContractKindEnum": "fazhi.legal.choices.ContractKind",
    "DocumentKindEnum": "fazhi.legal.choices.DocumentKind",
}


SPECTACULAR_SETTINGS = {
    "TITLE": "fazhi API",
    "DESCRIPTION": "法治政府建设平台接口：台账、期限、指标与年度报告。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],  # no anonymous schema
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # choice sets that share a field name across apps get stable names of their own
    "ENUM_NAME_OVERRIDES": enum_name_overrides(BASE_DIR / "fazhi", _MANUAL_ENUM_NAMES),
}

# Django's cache, shared by every gunicorn worker, so it lives in the database (table created by
# migration core.0005; no extra server needed). The limits on wrong codes and portal comments do
# not use it: they are atomic counters (core.limits, table core_ratecounter). docs/operations.md.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "fazhi_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("FAZHI_LOG_LEVEL", "WARNING")},
}

# --- fazhi ----------------------------------------------------------------------------------
FAZHI_DEADLINE_DUE_SOON_DAYS = env_int("FAZHI_DEADLINE_DUE_SOON_DAYS", 3, minimum=0)
FAZHI_SEEDS_DIR = env_path("FAZHI_SEEDS_DIR", BASE_DIR.parent / "shared" / "seeds")
