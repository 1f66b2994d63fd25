"""Settings, all read from the environment (see README, "Configuration").

With nothing set, the system runs embedded: SQLite and Celery's filesystem broker under var/.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Local state of the embedded set-up: SQLite database, filesystem broker, uploads.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Public, in this file: links, sessions and signed tokens made with it can be forged by anyone.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (not SECRET_KEY.strip() or SECRET_KEY.startswith("django-insecure-")):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG=0 needs a secret key of its own: set DJANGO_SECRET_KEY to a long random "
        "value (e.g. the output of `python -c 'import secrets; print(secrets.token_urlsafe(50))'`"
        "). The development key is public, so anyone could forge personal links and sessions."
    )
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "accounts.site.RoundtableAdminConfig",  # django.contrib.admin, with our start page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_ratelimit",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ours, lowest layer first
    "api",
    "files",
    "ops",
    "links",
    "notifications",
    "stakeholders",
    "events",
    "pledges",
    "followups",
    "feedback",
    "reports",
    "results",
    "dashboard",
    "accounts",
    "dav",
    "webhooks",
]

MIDDLEWARE = [
    "ops.health.HealthCheckMiddleware",  # first: probes need no host, session or redirect
    "ops.logs.RequestLogMiddleware",
    # Under /api/ every answer is JSON, Django's own error pages too (also with DEBUG).
    "api.middleware.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads a multipart body: files whose names cannot be read are kept, to
    # be refused by the form with a message, not dropped by the parser.
    "files.uploads.ReadableUploadNamesMiddleware",
    # NUL characters and ids beyond any range are a 400 before a view or a query sees them;
    # after the upload handlers are in place, since it reads form bodies.
    "ops.bad_input.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "roundtable.urls"
WSGI_APPLICATION = "roundtable.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside the writer, IMMEDIATE
    # takes the write lock up front and the timeout waits for it instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests on a file too, not Django's in-memory database: its shared cache fails concurrent
    # writers at once ("table is locked") where the file waits for them, as it does in use.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Each web worker and Celery process keeps its connection between requests (opening one costs
# more than most answers); the health check replaces one the server has closed meanwhile.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Client addresses and rate limits (django-ratelimit, counting in the cache) --------------
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=0)
RATELIMIT_IP_META_KEY = "audit.clients.client_address"
# Unknown personal links tried per client address before every link answers 429.
PERSONAL_LINK_GUESS_RATE = env("PERSONAL_LINK_GUESS_RATE", default="20/10m")
# A count the cache cannot give does not lock everyone out.
RATELIMIT_FAIL_OPEN = True
SILENCED_SYSTEM_CHECKS = [
    # Django's own RedisCache increments atomically (Redis INCR) though the library only
    # lists django-redis; without REDIS_URL the embedded set-up counts per process.
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
]

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "Asia/Seoul"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Email ----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# A row left in `sending` this long had its worker die: the scan puts it back in the queue.
# Keep it above the longest batch (20 emails × EMAIL_TIMEOUT) and under 5 minutes.
EMAIL_STUCK_AFTER = datetime.timedelta(seconds=env.int("EMAIL_STUCK_AFTER_SECONDS", default=180))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="roundtable@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
# Korean dates and times as events.dates writes them (roundtable/formats/ko).
FORMAT_MODULE_PATH = ["roundtable.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In production the files are collected (the Docker image runs collectstatic): whitenoise serves
# them under hashed names, cached for ever. Where they were not collected (`make run` with
# DJANGO_DEBUG=0), whitenoise serves them from the apps' folders under their own names.
STATIC_MANIFEST = env.bool(
    "DJANGO_STATIC_MANIFEST", default=not DEBUG and (STATIC_ROOT / "staticfiles.json").is_file()
)
WHITENOISE_USE_FINDERS = DEBUG or not STATIC_MANIFEST
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Companies' attachments: outside MEDIA_ROOT and served by no URL of their own, only
    # through a view that checks the personal link or the staff member's permission.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")),
            "base_url": "/private-files-have-no-public-url/",
        },
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Minutes, slides and press releases that coordinators attach to a meeting.
MEETING_DOCUMENT_MAX_BYTES = env.int("MEETING_DOCUMENT_MAX_BYTES", default=50 * 1024 * 1024)

# --- Content-Security-Policy (django-csp) on every page: nothing from outside the site -----
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Swagger UI and the admin's widgets set styles inline; scripts stay files of the site.
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Personal data (PIPA): contacts untouched this long are anonymised by
# `manage.py anonymise_contacts --apply` (a dry run without it).
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=3 * 365)
# The PIPA Art. 15(1) basis recorded on contacts the system adds (imports, substitutes).
CONTACT_LEGAL_BASIS = env("CONTACT_LEGAL_BASIS", default="public_duty")
# Named on the privacy notice (PIPA Art. 30): who processes the data and whom to ask.
PRIVACY_CONTROLLER = env("PRIVACY_CONTROLLER", default="기획재정부")
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
# Where companies write to the ministry: the Reply-To of answer emails, and the address the
# pages of a closed personal link give.
MINISTRY_CONTACT_EMAIL = env("MINISTRY_CONTACT_EMAIL", default=PRIVACY_CONTACT_EMAIL)

# --- Sign-in protection (django-axes) -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# After this many failed sign-ins in a row for one account from one address, that account is
# locked there for LOGIN_LOCKOUT_MINUTES, or until a coordinator unlocks it (Access attempts).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "audit.clients.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- Two-factor sign-in (django-otp, TOTP) --------------------------------------------------
# Staff who set up an authenticator app give its code at every sign-in. With DJANGO_REQUIRE_2FA
# coordinators and superusers must set one up before they reach anything else.
REQUIRE_TWO_FACTOR = env.bool("DJANGO_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "Roundtable"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
BACKUP_CODE_COUNT = 10

# --- Spreadsheets in and out of the admin (django-import-export) ---------------------------
# Importing adds rows (coordinators); exporting shows what a list shows (every staff role).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The previewed file waits in the shared cache (Redis), so any web process can confirm it.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

# --- Security (production values when DJANGO_DEBUG=0) ---------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    # Behind a TLS-terminating proxy by default; health checks (ops.health) come over plain
    # HTTP and are answered before any redirect.
    if env.bool("DJANGO_BEHIND_PROXY", default=True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns anonymous requests into 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.two_factor.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StableOrderingFilter",
    ],
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # JSON read by orjson, too deep nesting and NUL characters refused (api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Roundtable API",
    # The introduction (how to get a token) and the tags, in the reader's language.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.documented",
    ],
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "QualifierEnum": "pledges.models.Qualifier",
        "MeetingStatusEnum": "events.models.Meeting.Status",
        "AttendanceStatusEnum": "events.models.Attendance.Status",
        "RequestStatusEnum": "followups.models.StakeholderRequest.Status",
        "OrganizationKindEnum": "stakeholders.models.Organization.Kind",
        "CommitmentKindEnum": "pledges.models.Commitment.Kind",
    },
}

# --- Calendar sync -------------------------------------------------------------------------
# How long sync tokens stay valid and the meeting change log is kept: calendar sync
# promises at least 90 days (README, REST API), so a smaller setting is raised to that.
MEETING_SYNC_RETENTION = datetime.timedelta(
    days=max(90, env.int("MEETING_SYNC_RETENTION_DAYS", default=180))
)

# --- Webhooks -------------------------------------------------------------------------------
WEBHOOK_TIMEOUT = env.int("WEBHOOK_TIMEOUT", default=15)
# Loopback, private and link-local receivers: for tests and closed networks only.
WEBHOOK_ALLOW_PRIVATE = env.bool("WEBHOOK_ALLOW_PRIVATE", default=False)
# A delivery left in `sending` this long had its worker die: the scan queues it again. Keep it
# above the longest batch (10 deliveries × WEBHOOK_TIMEOUT).
WEBHOOK_STUCK_AFTER = datetime.timedelta(
    seconds=env.int("WEBHOOK_STUCK_AFTER_SECONDS", default=180)
)

# --- History --------------------------------------------------------------------------------
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# One line per request and per task with its request id; LOG_FORMAT=json for log collectors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env("LOG_FORMAT", default="text") == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes reports every failed sign-in at INFO; lock-outs are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
