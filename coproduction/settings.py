"""Settings for the Co-production Portal: one module, driven by environment variables.

Defaults give the embedded set-up (SQLite, a server-less Celery broker, console email) so a fresh
clone runs with no servers. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL and DEBUG=false.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # embedded database, broker queue and uploads; never committed

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str(
    "SECRET_KEY",
    # Only DEBUG gets a built-in key; production must set its own or start-up fails.
    default="embedded-development-key-not-for-production-use-0123456789abcdef" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = "Co-production Portal"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "django_celery_beat",
    "rules.apps.AutodiscoverRulesConfig",
    "coproduction",
    "programmes",
    "people",
    "recognition",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "coproduction.middleware.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Deny by default: every view needs a signed-in user unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coproduction.middleware.PrivilegedSessionTimeout",
    "coproduction.middleware.RequireMFAForPrivilegedRoles",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# `make bench` points this at bench.urls, which adds a floor page to compare against.
ROOT_URLCONF = env.str("ROOT_URLCONF", default="coproduction.urls")
WSGI_APPLICATION = "coproduction.wsgi.application"

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
                "coproduction.navigation.navigation",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A new PostgreSQL connection costs ~9 ms here; keep them open and check them before use.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "coproduction.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "coproduction.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
# Sign-up and reset answer the same whether or not the address has an account.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_SIGNUP_FORM_CLASS = "coproduction.accounts.SignupDetailsForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Co-production Portal] "
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Co-production Portal"
# Unverified sign-ups are removed after this many days (see the privacy notice).
UNVERIFIED_SIGNUP_RETENTION_DAYS = 7
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)

# Sessions: staff-side roles time out after 30 minutes idle (see coproduction.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 3)
PRIVILEGED_SESSION_IDLE_SECONDS = 30 * 60

# Cache: sign-in rate limits must be shared by every worker process, so production (with REDIS_URL)
# keeps the cache in Redis, in a database apart from Celery's queues, and reads sessions from it
# (written through to the database: one query less a page). The embedded default keeps the cache in
# each process's memory and sessions in the database only: a session signed out in one process must
# not live on in another's cache.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Forms and templates --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["nhsuk"]
CRISPY_TEMPLATE_PACK = "nhsuk"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The portal is in British English only and has no translation catalogues. With translation on,
# every {% translate %} and choice label looked up a catalogue per call: a third of the time of a
# 50-row page. Dates and numbers still use the en-GB formats.
USE_I18N = False
USE_TZ = True

# Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "uploads")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names need `collectstatic`; development and tests serve straight from the finders.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", default=not DEBUG)

# Email ----------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Co-production Portal <noreply@coproduction.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery (broker: REDIS_URL, read above) ---------------------------------------------------------
CELERY_QUEUE_DIR = VAR_DIR / "celery"
# A task still running after this many seconds is killed; the soft limit warns it a tenth earlier.
# A report claim older than the limit plus a tenth is taken to be a dead worker's (reporting/services.py).
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=10 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 9 // 10
# Redis hands an unacknowledged task (its worker died) to another worker only after this many seconds.
# It must stay above the task time limit (plus a tenth), or a slow task still running is run twice
# and a re-delivered report finds its dead worker's claim not yet stale.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT * 11 / 10:
    raise environ.ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be above CELERY_TASK_TIME_LIMIT plus a tenth")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # Look for such tasks every 10 s (kombu's default scans only every tenth time, ~100 s).
        "unacked_restore_throttle": 1,
    }
else:
    # Server-less broker for the embedded default: a queue folder polled by the worker and beat.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_QUEUE_DIR / "queue"),
        "data_folder_out": str(CELERY_QUEUE_DIR / "queue"),
        "control_folder": str(CELERY_QUEUE_DIR / "control"),
    }
    for folder in ("queue", "control"):  # kombu does not create them
        (CELERY_QUEUE_DIR / folder).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = CELERY_TASK_ALWAYS_EAGER
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A failed email is tried again after this many seconds, then twice as long each time (coproduction/tasks.py).
EMAIL_RETRY_BACKOFF = env.float("EMAIL_RETRY_BACKOFF", default=5)

# Security -------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # At DEBUG Django's template engine logs every failed variable lookup with the whole page
    # context, people's access needs and equality answers included. Those records are dropped,
    # whatever level anyone sets (tests/quality/test_no_special_data_in_logs.py).
    "filters": {
        "drop_debug": {"()": "django.utils.log.CallbackFilter", "callback": lambda record: record.levelname != "DEBUG"},
    },
    "loggers": {"django.template": {"filters": ["drop_debug"]}},
}

# Disclosure control (coproduction/disclosure.py): counts from 1 to DISCLOSURE_SUPPRESS_BELOW - 1 are
# shown as "*", others rounded to the nearest DISCLOSURE_ROUND_TO (NHS Digital, below national level).
DISCLOSURE_SUPPRESS_BELOW = env.int("DISCLOSURE_SUPPRESS_BELOW", default=8)
DISCLOSURE_ROUND_TO = env.int("DISCLOSURE_ROUND_TO", default=5)

# SQLite (the embedded default) cannot add covering columns to an index; it builds the index
# without them, which is all the embedded default needs. PostgreSQL uses them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The seven-steps review page keeps its figures this long (reporting/indicators.py); 0 works them
# out on every visit. Scheduled reports always work them out afresh.
REVIEW_FIGURES_SECONDS = env.int("REVIEW_FIGURES_SECONDS", default=5 * 60)
