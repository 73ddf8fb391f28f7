"""Settings for the Kent right-to-bid portal, read from the environment (12-factor).

One module serves every environment. With nothing set it runs on its embedded default: an SQLite
file, Celery tasks executed in-process, email printed to the console and uploads in ./media.
Setting DATABASE_URL and REDIS_URL switches to PostgreSQL and Redis (broker, results and cache).
Every variable is documented in .env.example.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A .env file beside manage.py is read if present; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The fallback key only exists so that a fresh checkout runs; `check --deploy` rejects it.
SECRET_KEY = env(
    "SECRET_KEY", default="django-insecure-dev-only-key-never-use-in-production-kcc-rtb"
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "axes",
    "csp",
    "django_ratelimit",
    "rest_framework",
    # API tokens for officers (opendata/api): `manage.py api_token` issues them.
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "services",
    "bids",
    "evaluation",
    "members",
    "opendata",
    # Last: its admin.py adjusts the admins registered by the packages above.
    "kcc_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, whose static files are compressed already and never reach it; above
    # everything else, so that it compresses what they write. Django's answer to BREACH is
    # enough here: CSRF tokens are masked afresh in every response and GZipMiddleware pads each
    # one at random (docs/decisions.md, "HTML compressed on every page").
    "django.middleware.gzip.GZipMiddleware",
    # Before anything reads request.GET: PostgreSQL refuses NUL, and the admin's filters query it.
    "kcc_portal.middleware.StripControlCharactersFromQueryString",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After SessionMiddleware, so that a session it renews is saved on the way out.
    "kcc_portal.sessions.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kcc_portal.urls"
WSGI_APPLICATION = "kcc_portal.wsgi.application"

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
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several requests at once. SQLite's defaults answer "database
    # is locked" when two of them write: a read transaction that later writes cannot wait for
    # another writer, and the busy wait is 5 s. WAL lets readers run beside the writer, every
    # transaction takes the write lock when it begins (so it waits its turn instead of failing
    # half-way), and a writer waits up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results --------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, with one Redis client a process rather than one a call (kcc_portal/cache.py)
            "BACKEND": "kcc_portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kcc",
            # A cache that is down must not hang a page: fail fast and let the page work uncached.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # No broker: tasks run in-process, at the moment they are queued (still after commit).
    # With a host named: Celery 5.7 opens a producer even for an eager task (to learn its
    # serializer), and kombu warns about a memory:// URL without one.
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Celery beat (run exactly one): queue again any submitted business case that was never assessed,
# e.g. because Redis was down at the moment it was submitted.
CELERY_BEAT_SCHEDULE = {
    "sweep-unassessed-business-cases": {
        "task": "evaluation.tasks.sweep_unassessed",
        "schedule": env.float("ASSESSMENT_SWEEP_INTERVAL_SECONDS", default=60.0),
    },
}
# The reliability settings themselves live in kcc_portal/celery.py, beside the reasons for them.

# --- Authentication ----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out address is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes: after AXES_FAILURE_LIMIT wrong passwords, lock that account, from that client
# address only, for an hour. Locking the account alone let anyone shut an officer out by typing
# their address wrongly five times; locking the address alone would shut a whole office out
# (council staff share a few egress addresses). Together, the attacker's address is locked and
# the officer can still sign in from their own. The same lock applies to /admin/login/.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address typed, lower-cased: "Officer@Kent" and "officer@kent" are one account on either form.
AXES_USERNAME_CALLABLE = "accounts.lockout.username"
# The client address as kcc_portal/client_ip.py works it out (the proxy's X-Forwarded-For when
# BEHIND_PROXY is set, else REMOTE_ADDR); the rate limits use the same function.
AXES_CLIENT_IP_CALLABLE = "kcc_portal.client_ip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
# The session lasts SESSION_COOKIE_AGE from the last request, not from sign-in: someone writing a
# business case (and autosaving) is not signed out in the middle of it. It is renewed at most
# once every SESSION_REFRESH_SECONDS (kcc_portal.sessions), not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)

# --- Email ------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kent right to bid <righttobid@kent.gov.uk>")

# --- Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/build/ holds GOV.UK Frontend compiled by `npm run build` (the set-up scripts run it).
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: never served from MEDIA_URL, only through views that check
# who is asking (bids.views.document_download).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed names in production; plain files while developing, so that a
        # rebuilt stylesheet shows without running collectstatic again.
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        ),
    },
}

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Security ----------------------------------------------------------------------------------
# HTTPS=true in production (see .env.example): secure cookies, HSTS and redirects to https.
# It stays off by default only because the embedded default and the tests serve plain http
# on 127.0.0.1; `manage.py check --deploy` fails until it is set.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# A reverse proxy in front sets X-Forwarded-Proto and appends the client's address to
# X-Forwarded-For; PROXY_COUNT says how many proxies append to it (see kcc_portal/client_ip.py).
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: only our own origin; GOV.UK Frontend needs one inline script (the
# `js-enabled` class on <body>), which carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Logging -----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every render at INFO: keep its warnings and errors only.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# --- The portal --------------------------------------------------------------------------------
SERVICE_NAME = "Kent right to bid"
# The portal's own address, for links in emails sent by workers (which have no request to ask).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
PHASE = env("PHASE", default="Beta")
CATALOGUE_PAGE_SIZE = 20
CASES_PAGE_SIZE = 20  # the bidder's own business cases
# Open data (opendata/ocds.py): every OCDS ocid is this prefix, a hyphen and the case's
# reference. Register a prefix with the Open Contracting Partnership before publishing for real.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-kcc000-rtb")
# The licence of the published decisions: the Open Government Licence, as for UK public data.
OCDS_LICENSE = env(
    "OCDS_LICENSE",
    default="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
)
# Supporting documents of a business case (see bids/documents.py).
BID_DOCUMENT_MAX_BYTES = env.int("BID_DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
BID_DOCUMENTS_MAX_BYTES_PER_CASE = env.int(
    "BID_DOCUMENTS_MAX_BYTES_PER_CASE", default=30 * 1024 * 1024
)
BID_DOCUMENTS_MAX_PER_CASE = env.int("BID_DOCUMENTS_MAX_PER_CASE", default=20)

# --- Office files unpacked (zip bombs; see bids/documents.py check_archive) --------------------
# DOCX, XLSX, ODT and ODS are zip archives. A real 10 MB document unpacks to a few times its size
# (pictures do not shrink when packed, text does about 5 to 20 times), so 100 MB leaves room and
# stops a "zip bomb" of 200 KB that unpacks to 200 MB or far more.
BID_DOCUMENT_MAX_UNPACKED_BYTES = env.int(
    "BID_DOCUMENT_MAX_UNPACKED_BYTES", default=100 * 1024 * 1024
)
# Files inside the archive, nested archives included: a Word document holds 10 to 50, a workbook
# a few per sheet, a document full of pictures a few hundred.
BID_DOCUMENT_MAX_ENTRIES = env.int("BID_DOCUMENT_MAX_ENTRIES", default=10_000)
# How many times its packed size one part may unpack to (counted once it passes 1 MB). Office
# XML packs to between a fifth and a fiftieth of its size; deflate can reach about 1,000 times
# only on deliberately repetitive content.
BID_DOCUMENT_MAX_COMPRESSION_RATIO = env.int("BID_DOCUMENT_MAX_COMPRESSION_RATIO", default=100)
# A case submitted this long ago and still not assessed is queued again by the beat sweep
# (which runs every ASSESSMENT_SWEEP_INTERVAL_SECONDS, see CELERY_BEAT_SCHEDULE).
ASSESSMENT_SWEEP_AFTER_SECONDS = env.int("ASSESSMENT_SWEEP_AFTER_SECONDS", default=180)

# --- Decision packs (evaluation/packs/) ----------------------------------------------------------
# A pack is rendered by a worker (evaluation.tasks.render_pack). At the soft limit the render is
# stopped and the pack marked failed, with the reason, for an officer to retry; the hard limit
# kills a render that ignores the soft one. A pack of a few dozen pages takes a second or two.
PACK_RENDER_SOFT_TIME_LIMIT = env.int("PACK_RENDER_SOFT_TIME_LIMIT", default=120)
PACK_RENDER_TIME_LIMIT = env.int("PACK_RENDER_TIME_LIMIT", default=180)
# A pack still queued, or still rendering, this long after it was asked for (or started) is sent
# to a worker again by the beat sweep; so is the pack of a decided case that has none. Must be
# longer than PACK_RENDER_TIME_LIMIT, or a render still running would be started twice.
PACK_SWEEP_AFTER_SECONDS = env.int("PACK_SWEEP_AFTER_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["sweep-decision-packs"] = {
    "task": "evaluation.tasks.sweep_packs",
    "schedule": env.float("PACK_SWEEP_INTERVAL_SECONDS", default=60.0),
}

# --- The pipeline dashboard (members/dashboard.py) ---------------------------------------------
# The savings the bids are set against, in pounds. The default is the £330m over four years of
# the council's plan (Bold Steps), shown as illustrative: not all of it is to come from the right
# to bid.
SAVINGS_TARGET_POUNDS = env.int("SAVINGS_TARGET_POUNDS", default=330_000_000)

# --- Retention of personal data (bids/retention.py, accounts/retention.py) ---------------------
# UK GDPR Article 5(1)(e), storage limitation: personal data is kept no longer than its purpose
# needs. A withdrawn or rejected business case keeps the bidder's text, documents and answers for
# this many days after it was withdrawn or decided (BusinessCase.closed_at), long enough for
# complaints, challenges (judicial review: three months; the Local Government and Social Care
# Ombudsman: usually twelve) and audit; then `purge_personal_data` anonymises it and keeps the
# decision record. Two years is a common council retention period for unsuccessful bids: set it
# to the council's own retention schedule.
PERSONAL_DATA_RETENTION_DAYS = env.int("PERSONAL_DATA_RETENTION_DAYS", default=2 * 365)
# An account nobody has signed in to for this many days (since it was made, if never) is
# anonymised and deactivated, unless it is staff or its organisation has a case under
# consideration; django-axes' sign-in records older than this are deleted too.
ACCOUNT_RETENTION_DAYS = env.int("ACCOUNT_RETENTION_DAYS", default=3 * 365)
# Celery beat runs it every night, at a quiet hour (Europe/London).
CELERY_BEAT_SCHEDULE["purge-personal-data"] = {
    "task": "bids.tasks.purge_personal_data",
    "schedule": crontab(hour=2, minute=30),
}

# --- Rate limits -----------------------------------------------------------------------------
# Forms that can be guessed or flooded, counted in the cache by django-ratelimit (see
# kcc_portal/ratelimits.py, which also names who each limit counts: a user, an address, an email
# address). A rate is "count/period", period s, m, h or d: "10/h" is ten an hour.
RATE_LIMIT_JOIN_ORGANISATION = env("RATE_LIMIT_JOIN_ORGANISATION", default="10/h")
RATE_LIMIT_PASSWORD_RESET = env("RATE_LIMIT_PASSWORD_RESET", default="5/h")
RATE_LIMIT_SIGN_UP = env("RATE_LIMIT_SIGN_UP", default="10/h")
RATE_LIMIT_CONFIRMATION_EMAIL = env("RATE_LIMIT_CONFIRMATION_EMAIL", default="5/h")
RATE_LIMIT_UPLOAD = env("RATE_LIMIT_UPLOAD", default="60/h")
# Autosave runs a moment after typing stops, so a fast typist saves often: keep this generous.
RATE_LIMIT_AUTOSAVE = env("RATE_LIMIT_AUTOSAVE", default="120/m")
RATELIMIT_IP_META_KEY = "kcc_portal.client_ip.client_ip"
# If one count cannot be read back (a key expiring between django-ratelimit's add and incr), let
# the request through rather than refuse it; kcc_portal/ratelimits.py does the same when the
# cache is unreachable, as every other use of the cache here does.
RATELIMIT_FAIL_OPEN = True
# django_ratelimit.W001 lists only memcached and django-redis as "officially supported". Django's
# own RedisCache, used with REDIS_URL, is shared by every process and does add() as SET NX and
# incr() as INCR, which is what the counts need.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    # django_ratelimit.E003: LocMemCache is not shared between processes. The embedded default is
    # one process (manage.py runserver), so its counts are whole; anything run with more than one
    # process sets REDIS_URL, which makes the cache shared.
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# --- Read API (opendata/api/) ------------------------------------------------------------------
# JSON only: the browsable API's pages carry inline scripts and styles that the site's CSP refuses;
# /api/v1/docs/ (Swagger UI, from drf-spectacular-sidecar's files) is the readable front page.
# Anonymous clients read the catalogue and published decisions, counted per address in the cache
# (API_ANON_RATE, "count/period"); officers read cases, by token or by their admin session.
API_ANON_RATE = env("API_ANON_RATE", default="120/min")
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Token first: a client that sends nothing is told 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opendata.api.authentication.OfficerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "opendata.api.pagination.Pages",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["opendata.api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kent right to bid: read API",
    "DESCRIPTION": (
        "Kent County Council's catalogue of services open to challenge, the decisions it has "
        "published on business cases and, for signed-in officers, the business cases with the "
        "machine's assessment. Anonymous clients are rate-limited; officers authenticate with "
        "`Authorization: Token <key>` or their admin session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to swagger.io's online validator: the CSP would refuse it, and nothing leaves.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}
