"""Settings shared by every environment; every value that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from samordning.db import logins

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's own .env wins over the URLs of the embedded services that `make run` started.
for env_file in (BASE_DIR / ".env", BASE_DIR / ".data" / "services.env"):
    if env_file.exists():
        env.read_env(env_file, overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Our apps first: their management commands (migrate, flush) override Django's.
    "apps.tenancy",
    "apps.core",
    "apps.members",
    "apps.insatser",
    "apps.goals",
    "apps.plans",
    "apps.budgets",
    "apps.reports",
    "apps.dataio",
    "apps.tertial",
    "apps.followup",
    "apps.demo",
    "apps.home",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "apps.accounts",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "import_export",
    "pgtrigger",
    "pghistory",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Cache-Control: no-store on every response to a logged-in user.
    "apps.tenancy.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # A user who owes a second factor reaches only the second-factor pages (apps/accounts).
    "apps.accounts.middleware.SecondFactorMiddleware",
    # Opens the request transaction, resolves /f/<slug>/ and opens the tenant scope.
    "apps.tenancy.middleware.TenantMiddleware",
    # Records the acting user on every audited write (inside the tenant transaction).
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "samordning.urls"
WSGI_APPLICATION = "samordning.wsgi.application"

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
                "csp.context_processors.nonce",
                "apps.tenancy.context_processors.tenancy",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Every environment logs in as DB_APP_ROLE (owns nothing, bound by row-level security) for all
# ordinary work and as DB_OWNER_ROLE for migrate/flush. When DATABASE_URL names another login
# (the superuser of development, CI and the embedded PostgreSQL), that login only creates the
# roles and the test databases; see samordning/db/logins.py.
DB_APP_ROLE = env.str("DB_APP_ROLE", default=logins.DEFAULT_APP_ROLE)
DB_OWNER_ROLE = env.str("DB_OWNER_ROLE", default=logins.DEFAULT_OWNER_ROLE)
DATABASES = {
    "default": logins.database_settings(
        env.db_url_config(
            env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/samordning"),
            engine="samordning.db.postgresql",
        ),
        app_role=DB_APP_ROLE,
        owner_role=DB_OWNER_ROLE,
        app_password=env.str("DB_APP_PASSWORD", default=""),
        owner_password=env.str("DB_OWNER_PASSWORD", default=""),
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side prepared statements for the few hot queries that ask for them
# (apps.core.db.prepared_cursor). Off behind a transaction-mode pooler that cannot keep them.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
# The tenant middleware owns the request transaction (see apps/tenancy/middleware.py).
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Stockholm"
# Beat: draft each tertial's report on the first days after it ends (idempotent, so a missed day
# is caught up): 1–7 January (T3), May (T1) and September (T2) at 06:00.
CELERY_BEAT_SCHEDULE = {
    "tertial-drafts": {
        "task": "apps.tertial.tasks.create_tertial_drafts",
        "schedule": crontab(minute="0", hour="6", day_of_month="1-7", month_of_year="1,5,9"),
    },
    # Daily: delete follow-up participants past the förbund's retention time (after snapshots).
    "followup-retention": {
        "task": "apps.followup.tasks.delete_expired_participants",
        "schedule": crontab(minute="30", hour="3"),
    },
    # Every minute: compute the cached page content of förbund whose data changed, so the first
    # reader after a write does not wait for it (apps.tenancy.datacache, "Warming").
    "warm-changed-caches": {
        "task": "apps.tenancy.tasks.warm_changed_caches",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes, two limits (apps/accounts/lockout.py): five failures for one user name from one
# address lock that user out at that address, and 50 failures from one address (password
# spraying) lock the address out, for 15 minutes. Failures elsewhere never lock a user out.
AXES_HANDLER = "apps.accounts.lockout.UserAndAddressHandler"
AXES_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 50
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Behind the reverse proxy the client address is the last hop it adds to X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Second factor (django-otp): TOTP apps and recovery codes; who must use it: apps/accounts/policy.py.
OTP_TOTP_ISSUER = "Samordning"
# Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s, ...).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
AXES_VERBOSE = False

# Sessions end after 30 minutes without activity.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-guardian: no anonymous user row (it would be a user without a förbund).
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Content-Security-Policy: everything is served from our own origin. ---------------------
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT: Path | None = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / ".data" / "media"))

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samordning <noreply@samordning.local>")
# The site's address for links in e-mail sent without a request (tertial reports from beat).
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
INVITATION_MAX_AGE = timedelta(days=7)

# --- Audit trail: pghistory triggers on every tenant table (see tenancy.models.audited). ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # axes logs every login at INFO; lockouts are still logged as warnings.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
