"""Settings of the IKONE Portal.

One module, configured by the environment. With nothing set it runs embedded (SQLite under
``var/``, mail written to ``var/mail/``, Celery tasks run eagerly); ``DATABASE_URL`` and
``REDIS_URL`` switch it to the production shape (PostgreSQL, Redis cache and Celery broker).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("IKONE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.smart_cast = False

# --- Mode -----------------------------------------------------------------------------------
# Embedded: no DATABASE_URL given. Production: a DATABASE_URL (and normally a REDIS_URL).
EMBEDDED = not env.str("DATABASE_URL", default="")
# IKONE_PROFILE=production switches on everything `manage.py check --deploy` asks for (see
# Security); it is separate from DATABASE_URL so tests run on PostgreSQL over plain HTTP.
PRODUCTION = env.str("IKONE_PROFILE", default="") == "production"
DEBUG = env.bool("DEBUG", default=False)

# A required secret has no default outside the embedded mode and fails loudly.
if EMBEDDED:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-only-insecure-key-change-me-0123456789")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications ---------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    # field history of the coordinators' edits (ikone.audit; each app registers its models)
    "auditlog",
]
LOCAL_APPS = [
    "ikone",
    "ikone.outbox",
    "members",
    "circulars",
    "meetings",
    "news",
    "surveys",
    "projects",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "ikone.security.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ikone.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ikone.middleware.RejectNulMiddleware",
    # Cached anonymous pages, before everything a cache hit does not need (ikone.pagecache).
    "ikone.pagecache.AnonymousPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ikone.security.SessionTimeoutMiddleware",
    "ikone.audit.AuditMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "members.middleware.StaffTwoFactorMiddleware",
    "ikone.middleware.AdminDateLookupMiddleware",
]

ROOT_URLCONF = "ikone.urls"
WSGI_APPLICATION = "ikone.wsgi.application"

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
                "members.context_processors.membership",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ yet
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "ikone.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
else:
    DATABASES = {"default": env.db("DATABASE_URL")}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: the portal's queries are short, and PostgreSQL's cost estimate for
    # an evidence sum or a search over thousands of rows crosses jit_above_cost, compiling
    # for ~90 ms a query that then runs in 20 (IKONE_PG_JIT=1 allows it).
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env.bool(
        "IKONE_PG_JIT", default=False
    ):
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# The cache may live on its own Redis (with an eviction policy, see docker-compose.yml).
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
# The Redis cache (ikone.cache): an unreachable Redis reads as a miss and skips writes, so
# pages render without it; short socket timeouts bound what the first failing call costs,
# after which the process leaves Redis alone for retry_seconds.
IKONE_CACHE_TIMEOUT = env.float("IKONE_CACHE_TIMEOUT", default=0.25)
REDIS_CACHE = {
    "BACKEND": "ikone.cache.RedisCache",
    "KEY_PREFIX": "ikone",
    "OPTIONS": {
        "socket_connect_timeout": IKONE_CACHE_TIMEOUT,
        "socket_timeout": IKONE_CACHE_TIMEOUT,
        "retry_seconds": env.float("IKONE_CACHE_RETRY_SECONDS", default=5.0),
    },
}
if CACHE_URL:
    CACHES = {"default": {**REDIS_CACHE, "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Embedded: an in-memory broker that is never used (tasks run eagerly). Celery still opens
# a producer for eager calls; the host name keeps kombu from warning about a missing one.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Berlin"
# Publishing never hangs a request: the database is the source of truth, the beat sweep
# picks up whatever could not be published.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker keeps reconnecting however long Redis is away (Celery's default gives up after
# 100 attempts, about 50 minutes, and exits).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# kombu's Redis transport with a fix for a worker that exits when Redis goes away during a
# task (see ikone/celery.py). Only for plain redis:// (rediss:// keeps kombu's own, which
# also sets up TLS from the scheme).
if CELERY_BROKER_URL.startswith("redis://"):
    CELERY_BROKER_TRANSPORT = "ikone.celery:RedisTransport"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    "visibility_timeout": 3600,
}
# Beat: how often the outbox sweep returns the claims of dead workers and re-publishes.
IKONE_OUTBOX_SWEEP_SECONDS = env.int("IKONE_OUTBOX_SWEEP_SECONDS", default=10)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "ikone.outbox.tasks.sweep_outbox",
        "schedule": timedelta(seconds=IKONE_OUTBOX_SWEEP_SECONDS),
    },
    # --- Meetings: the reminder the day before (idempotent, so an hourly run is safe).
    "meetings-reminders": {
        "task": "meetings.tasks.send_meeting_reminders",
        "schedule": timedelta(hours=1),
    },
    # --- Meetings: minutes whose deadline for corrections passed without objection.
    "meetings-approve-minutes": {
        "task": "meetings.tasks.approve_due_minutes",
        "schedule": timedelta(hours=1),
    },
    # --- Meetings: one reminder per action item a few days before it is due (idempotent).
    "meetings-action-item-reminders": {
        "task": "meetings.tasks.remind_action_items",
        "schedule": timedelta(hours=1),
    },
    # --- Surveys ---
    "surveys-reminders": {
        "task": "surveys.tasks.send_survey_reminders",
        "schedule": timedelta(hours=1),
    },
    # --- Circular letters whose send time has come; progress of those going out
    # (circulars.tasks, under the name it had in members/ so queued messages still run).
    "circulars-due": {
        "task": "members.tasks.send_due_circulars",
        "schedule": timedelta(minutes=1),
    },
    # --- News: posts a coordinator scheduled for publication.
    "news-publish-due": {
        "task": "news.tasks.publish_due_posts",
        "schedule": timedelta(minutes=1),
    },
    # --- Projects: the yearly reminder to update a profile (idempotent, daily is enough).
    "projects-update-reminders": {
        "task": "projects.tasks.send_update_reminders",
        "schedule": timedelta(hours=24),
    },
    # --- Projects: the evidence of "Wen fragen?" recreated (writes that bypassed signals).
    "projects-expertise-index": {
        "task": "projects.tasks.rebuild_expertise_index",
        "schedule": timedelta(hours=24),
    },
}

# --- Authentication (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:area"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IKONE DS] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IKONE Portal"
# A code used a second time within its 30 seconds is told apart from a wrong one.
MFA_FORMS = {"authenticate": "members.mfa_forms.TOTPAuthenticateForm"}
# allauth refuses a second factor while an address is unverified (it guards against a
# stranger signing up with somebody else's address). Here every login is created by the
# coordination team or through an invitation link sent to that address, so the guard only
# locked coordinators out of setting up the TOTP the admin requires.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Staff must have a second factor before they reach the admin (members.middleware).
IKONE_STAFF_REQUIRE_MFA = env.bool("IKONE_STAFF_REQUIRE_MFA", default=True)
# Invitation links expire after this many days and work once.
IKONE_INVITATION_DAYS = env.int("IKONE_INVITATION_DAYS", default=14)

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private uploads (application letters, circular attachments, slides): never under MEDIA_ROOT,
# served only through views that check access (ikone.storage). Must not lie inside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Hashed, compressed static files (after collectstatic) in production images; everywhere
# else (embedded, tests on PostgreSQL, benchmarks) straight from the source folders.
STATIC_MANIFEST = env.bool("IKONE_STATIC_MANIFEST", default=PRODUCTION)
# collectstatic writes here (production images only); without it whitenoise serves the sources.
STATIC_ROOT = BASE_DIR / "staticfiles" if STATIC_MANIFEST else None
STORAGES = {
    "default": {"BACKEND": "ikone.storage.PublicStorage"},
    "private": {"BACKEND": "ikone.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = not STATIC_MANIFEST and DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IKONE_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Images (logos, covers) are decoded with at most this many pixels (16 MP: 4000 x 4000, a
# 12 MP phone photo); baseline JPEGs may be 4x larger: decoded reduced (ikone.uploads).
IKONE_MAX_IMAGE_PIXELS = env.int("IKONE_MAX_IMAGE_PIXELS", default=16_000_000)
# Images decoded at the same time per process, and how long an upload waits for a slot.
IKONE_IMAGE_CONCURRENCY = env.int("IKONE_IMAGE_CONCURRENCY", default=2)
IKONE_IMAGE_WAIT_SECONDS = env.float("IKONE_IMAGE_WAIT_SECONDS", default=20)
# `manage.py backup` writes here unless given a path.
IKONE_BACKUP_DIR = Path(env.str("IKONE_BACKUP_DIR", default=str(VAR_DIR / "backups")))

# --- E-mail ---------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IKONE DS <koordination@ikone-ds.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The outbox sends at most this many messages per second per worker (0: no limit).
IKONE_OUTBOX_RATE_LIMIT = env.float("IKONE_OUTBOX_RATE_LIMIT", default=0)
IKONE_OUTBOX_BATCH_SIZE = env.int("IKONE_OUTBOX_BATCH_SIZE", default=100)
IKONE_OUTBOX_MAX_ATTEMPTS = env.int("IKONE_OUTBOX_MAX_ATTEMPTS", default=8)
# A row claimed by a worker longer ago than this is taken to be orphaned (worker died). A
# live worker renews its claims every sixth of this from a helper thread, however long one
# message takes; the sweep (IKONE_OUTBOX_SWEEP_SECONDS) hands orphaned rows to another worker.
IKONE_OUTBOX_CLAIM_SECONDS = env.int("IKONE_OUTBOX_CLAIM_SECONDS", default=30)
# ... unless one message has been in flight this long: a hung connection gives its batch up.
IKONE_OUTBOX_STALL_SECONDS = env.int("IKONE_OUTBOX_STALL_SECONDS", default=600)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# A login ends after 12 hours in total or 30 minutes without a request (ikone.security).
IKONE_SESSION_MAX_SECONDS = env.int("IKONE_SESSION_MAX_SECONDS", default=12 * 60 * 60)
IKONE_SESSION_IDLE_SECONDS = env.int("IKONE_SESSION_IDLE_SECONDS", default=30 * 60)
# Content-Security-Policy (ikone.security.SecurityHeadersMiddleware), the same in every mode.
IKONE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # data: for the TOTP QR code that allauth renders inline as an SVG data URI
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if PRODUCTION:
    if DEBUG:
        raise environ.ImproperlyConfigured("DEBUG must be off with IKONE_PROFILE=production.")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")  # required: no default in production
    # __Host- cookies: only over HTTPS, only for this exact host, path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating reverse proxy: "HTTP_X_FORWARDED_PROTO,https". Set it only when the
# proxy always overwrites that header, otherwise clients can claim HTTPS.
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER"))
# Number of reverse proxies in front of the web containers; allauth's rate limits then use
# the client address from X-Forwarded-For instead of the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# Login rate limits (allauth, on the shared cache: Redis when REDIS_URL is set); merged into
# allauth's defaults. "login_failed" also counts wrong TOTP codes.
# Failed logins (members/adapters.py): "login_failed" counts per client address over all
# accounts ("ip") and per account *and* client address ("key"), so whoever knows an address
# locks out only their own attempts; "login_failed_account" is a ceiling per account over
# all addresses against guessing from many. A refused attempt is answered with 429.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "300/h/key",
}
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed" etc., through the outbox
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
MFA_TOTP_TOLERANCE = 0

# --- Audit trail (ikone.audit) --------------------------------------------------------------
# Field history is django-auditlog's; each app registers its models in AppConfig.ready()
# (members.User with only its name, address and role fields: never passwords or logins).
# No IP addresses or ports in the trail (GDPR: no table of the portal keeps client addresses).
AUDITLOG_DISABLE_REMOTE_ADDR = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "ikone": {"level": "INFO"},
        "ikone.security": {"level": "INFO"},
        "members": {"level": "INFO"},
    },
}

# --- Outbox and circular letters ------------------------------------------------------------
# Temporary SMTP failures are retried after base, 2×base, 4×base … seconds (at most an hour).
IKONE_OUTBOX_BACKOFF_SECONDS = env.int("IKONE_OUTBOX_BACKOFF_SECONDS", default=60)
# A worker re-publishes itself with a countdown only for mail due this soon; anything later
# waits for the beat sweep (long countdowns on Redis are re-delivered past the visibility
# timeout).
IKONE_OUTBOX_MAX_COUNTDOWN = env.int("IKONE_OUTBOX_MAX_COUNTDOWN", default=120)
# Replies to any portal mail go to the coordination team unless set otherwise.
IKONE_OUTBOX_REPLY_TO = env.str("IKONE_OUTBOX_REPLY_TO", default=DEFAULT_FROM_EMAIL)
# Where a recipient switches non-essential mail off, and who wants essential mail only.
IKONE_OUTBOX_PREFERENCES_URL_NAME = "members:mail_preferences"
IKONE_OUTBOX_OPT_OUT = "members.services.essential_only_addresses"
# Where coordinators anonymise a person who asked for it (the link in their mail).
IKONE_PRIVACY_ADMIN_URL_NAME = "admin:members_contact_changelist"
# Signed reply links of circular letters stay valid this long at most (plus the closing date).
IKONE_CIRCULAR_LINK_DAYS = env.int("IKONE_CIRCULAR_LINK_DAYS", default=365)

# --- Surveys --------------------------------------------------------------------------------
# Members and the public may filter results only down to groups of at least this many
# responses (smaller groups would reveal single municipalities' answers).
IKONE_SURVEY_MIN_GROUP = env.int("IKONE_SURVEY_MIN_GROUP", default=3)

# --- News -----------------------------------------------------------------------------------
# Posts on the homepage and per page of the news list.
IKONE_NEWS_HOME_COUNT = 5
IKONE_NEWS_PAGE_SIZE = 12
# Project catalogue: profiles per page, and when a profile counts as stale (reminder).
IKONE_PROJECTS_PAGE_SIZE = 20
IKONE_PROJECT_STALE_DAYS = 365
IKONE_PUBLICCODE_MAX_BYTES = 256 * 1024
# Talks and posts listed on a project's, a topic's and a municipality's page (newest first).
IKONE_TALKS_PER_SECTION = 20
IKONE_POSTS_PER_SECTION = 10
# How long a process trusts its last reading of the page-cache version (seconds): the delay
# until another process's publication shows on cached pages. 0: ask the cache every time.
IKONE_NEWS_VERSION_SECONDS = env.float("IKONE_NEWS_VERSION_SECONDS", default=1.0)
