"""Settings shared by every environment.

Configuration comes from the environment (12-factor): the same code runs on an embedded SQLite database for
development and on PostgreSQL + Redis in production. Every setting our code reads is declared here once, with its
default; the code reads `settings.X` and never supplies a default of its own (tests/test_settings.py). The
variables an operator may set are listed in docs/deployment.md (tests/deployment/test_docs.py) and the README.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def gettext_noop(text):
    """Marks a string for the catalogues (makemessages) without translating it, as Django's global_settings does:
    importing django.utils.translation here would be too early."""
    return text


def env(name, default=None):
    """A setting from the environment; empty strings count as unset."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Applications and middleware ------------------------------------------------------------------------------

# The project's own apps: the platform (security, privacy, page cache, mail outbox, scheduled jobs), the base, the
# features, then the demo (a leaf: demo content and bench data, no models). Wagtail hooks (personal data, site
# structure, home-page slots, scheduled jobs) are called in this order.
LOCAL_APPS = [
    "security",
    "privacy",
    "page_cache",
    "outbox",
    "scheduler",
    "home",
    "events",
    "resources",
    "board",
    "schools",
    "demo",
]

INSTALLED_APPS = [
    *LOCAL_APPS,
    # Translations of pages: the translation editor, syncing from English, and the admin's locales (in place of
    # wagtail.locales). Before Wagtail's own apps, whose admin templates it extends.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    # First, so an oversized body is refused before any middleware reads it.
    "security.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads request.GET (the page cache included): no NUL or control characters, bounded values.
    "security.public_input.QueryStringMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole pages for anonymous visitors, before sessions: a page served from the cache touches no session.
    "page_cache.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the interface from the URL's prefix (/ar/…; none for English): never from a cookie or the
    # browser's Accept-Language, so an address always shows the same language (and the page cache can key on it).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who has passed two-factor: needs the user.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "security.headers.ContentSecurityPolicyMiddleware",
    "security.two_factor.RequireAdminTwoFactorMiddleware",
    # Last, as django-axes's documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------------------

# DATABASE_URL (e.g. postgres://user@host:5432/name), or an SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite does not pool connections; WAL mode lets readers and one writer work side by side.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches and sessions: what every app server must share (docs/deployment.md) --------------------------------


def redis_cache(location, prefix_suffix="", **options):
    """One Redis cache alias; every alias shares CACHE_KEY_PREFIX, each with its own suffix."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", "sanctuary") + prefix_suffix,
        **options,
    }


def local_memory_cache(name):
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


# Redis when REDIS_URL is set (shared by every app server), else local memory.
REDIS_URL = env("REDIS_URL")
# Rate-limit counters have a cache of their own, so nothing else stored (pages, renditions) can evict an address's
# count and let it send again. In production RATELIMIT_REDIS_URL names its own Redis with `maxmemory-policy
# noeviction` (docs/deployment.md); it defaults to REDIS_URL, with its own key prefix.
RATELIMIT_REDIS_URL = env("RATELIMIT_REDIS_URL", REDIS_URL)
# Image renditions: Wagtail looks renditions up in a cache named "renditions" when there is one. Its own Redis (or
# database number) keeps this large, rebuildable data from evicting sessions and rate limits.
RENDITIONS_REDIS_URL = env("RENDITIONS_REDIS_URL", REDIS_URL)
CACHES = {
    "default": redis_cache(REDIS_URL) if REDIS_URL else local_memory_cache("sanctuary"),
    "ratelimit": (
        redis_cache(RATELIMIT_REDIS_URL, "-ratelimit") if RATELIMIT_REDIS_URL else local_memory_cache("ratelimit")
    ),
}
if RENDITIONS_REDIS_URL:
    CACHES["renditions"] = redis_cache(
        RENDITIONS_REDIS_URL, "-renditions", TIMEOUT=int(env("RENDITIONS_CACHE_TIMEOUT", str(60 * 60 * 24 * 7)))
    )

# With Redis, sessions are read from the shared cache and written through to the database, so a restart or
# eviction never logs editors out and every app server sees the same session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"

# --- Accounts ------------------------------------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# AxesBackend (not the standalone one) because it also has get_user(): Wagtail's test helpers log in with the
# first backend. It only refuses locked-out sign-ins; ModelBackend does the signing in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesBackend", "django.contrib.auth.backends.ModelBackend"]

TIME_ZONE = "Europe/London"
USE_TZ = True

# --- Languages (docs/languages.md) ------------------------------------------------------------------------------

USE_I18N = True
LANGUAGE_CODE = "en-gb"
# The languages pages may be written in (Wagtail's locales) and the interface speaks (catalogues in locale/):
# English, the default, at unprefixed addresses; every other at /<code>/. The demo and `configure_site` create the
# first five as locales; an editor adds any other of these in Settings → Locales, without code. Named in English
# here, for the admin (and marked for the catalogues, as Django's own are); the site names each in itself
# (LANG_INFO's name_local, below for those Django lacks).
LANGUAGES = [
    ("en-gb", gettext_noop("English")),
    ("ar", gettext_noop("Arabic")),
    ("fa", gettext_noop("Persian (Farsi, Dari)")),
    ("ps", gettext_noop("Pashto")),
    ("uk", gettext_noop("Ukrainian")),
    ("ckb", gettext_noop("Kurdish (Sorani)")),
    ("ti", gettext_noop("Tigrinya")),
    ("ur", gettext_noop("Urdu")),
    ("so", gettext_noop("Somali")),
    ("tr", gettext_noop("Turkish")),
    ("pl", gettext_noop("Polish")),
    ("ro", gettext_noop("Romanian")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The locales the site starts with (configure_site creates them; the first is the default).
SITE_LOCALES = ["en-gb", "ar", "fa", "ps", "uk"]
LANGUAGES_BIDI = ["ar", "fa", "ps", "ckb", "ur"]
# What Django's LANG_INFO lacks (home/apps.py adds it): each language's name in itself, and its direction.
EXTRA_LANG_INFO = {
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
    "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
}
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = True
# Machine translation in wagtail-localize's editor ("Translate with LibreTranslate"): off unless LIBRETRANSLATE_URL
# names a LibreTranslate server the council runs itself, so no page text is sent to a third party. Editors review
# every machine translation before publishing.
LIBRETRANSLATE_URL = env("LIBRETRANSLATE_URL")
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = (
    {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {"LIBRETRANSLATE_URL": LIBRETRANSLATE_URL.rstrip("/"), "API_KEY": env("LIBRETRANSLATE_API_KEY", "")},
    }
    if LIBRETRANSLATE_URL
    else None
)

# --- Static files, media and request sizes --------------------------------------------------------------------

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# Media: a local folder (MEDIA_ROOT, a volume every app server mounts) by default; S3-compatible object storage
# when AWS_STORAGE_BUCKET_NAME is set. Objects are private and every URL is signed and short-lived: documents are
# served through Wagtail's document view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), which checks collection
# privacy before it streams the file, so a private document is never public. django-storages[s3] and boto3 are
# installed (requirements.txt); tests/deployment/test_s3_storage.py proves it.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
            "region_name": env("AWS_S3_REGION_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": int(env("AWS_QUERYSTRING_EXPIRE", "3600")),
            "file_overwrite": False,
            "location": env("AWS_LOCATION", ""),
        },
    }
# Serve image renditions from the app itself (a single server or shared volume); off when a proxy, CDN or object
# storage serves them. With a bucket, signed URLs expire, so renditions are linked directly, never from a cached
# page that outlives them, and the app does not serve /media/ unless told to.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)
# Image files (by name) the media view serves only to staff who may see the image in the admin: the board serves
# its images itself, only while their post is public (board/images.py). A proxy or CDN that serves /media/
# itself must not serve these either: pass /media/images/board-* to the app.
PRIVATE_IMAGE_FILE_PREFIXES = ["board-"]

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# security.request_limits.RequestBodyLimitMiddleware refuses a body whose declared size is over
# REQUEST_BODY_MAX_BYTES with 413 before anything reads it; the largest real one is an editor's 10 MB upload with
# its form. The proxy in front must cap bodies too (docs/deployment.md).
REQUEST_BODY_MAX_BYTES = int(env("REQUEST_BODY_MAX_BYTES", str(25 * 1024 * 1024)))
# Form fields (not files) held in memory, and the size above which an upload goes to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Email and background work -------------------------------------------------------------------------------

EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Coventry Schools of Sanctuary <no-reply@coventry.gov.uk>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Every email goes into the outbox first (outbox/), in the transaction that promised it; the worker delivers it
# through OUTBOX_DELIVERY_BACKEND (the environment's EMAIL_BACKEND: SMTP in production). Mail sent by code that does
# not know the outbox (Wagtail's password reset) goes there too, through this EMAIL_BACKEND.
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
OUTBOX_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
OUTBOX_MAX_ATTEMPTS = int(env("OUTBOX_MAX_ATTEMPTS", "10"))  # then "failed", shown in the admin's outbox
OUTBOX_RETRY_SECONDS = int(env("OUTBOX_RETRY_SECONDS", "60"))  # first wait; doubles each try, at most 6 hours
OUTBOX_LEASE_SECONDS = int(env("OUTBOX_LEASE_SECONDS", "120"))  # a worker silent this long is taken over
OUTBOX_STALL_SECONDS = int(env("OUTBOX_STALL_SECONDS", "300"))  # /healthz/worker answers 503 beyond this

# Background work: django-tasks. Production runs `manage.py db_worker` on the database queue (django-tasks-db);
# development and tests deliver at once, when the request's transaction commits (one process, no worker to start).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Wagtail -------------------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Coventry Schools of Sanctuary"
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILSEARCH_BACKENDS = {
    # Wagtail's database backend uses PostgreSQL full-text search when on PostgreSQL.
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every document is downloaded, never displayed by the browser from our origin (Wagtail's default shows PDFs
# inline). home.views.serve_document adds `Content-Security-Policy: default-src 'none'; sandbox` to each file.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000
# Adds the longest-side and aspect-ratio limits of the public's uploads (security/uploads.py) to editors' uploads.
WAGTAILIMAGES_IMAGE_FORM_BASE = "security.image_forms.SiteImageForm"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: staff email hashes are not sent to a third party, and the admin loads no outside images.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# CDN purge on publish: wagtail.contrib.frontend_cache purges a page's URLs when it is published or unpublished.
# Cloudflare (zone + API token) or any cache that accepts HTTP PURGE requests (Varnish, Fastly, nginx with a
# purge module) at FRONTEND_CACHE_PURGE_URL.
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_CLOUDFLARE_ZONEID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env("FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
        "BEARER_TOKEN": env("FRONTEND_CACHE_CLOUDFLARE_TOKEN"),
    }
if env("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if WAGTAILFRONTENDCACHE:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")

# Site search: longest query we pass to the search backend.
SEARCH_QUERY_MAX_LENGTH = 200
SEARCH_RESULTS_PER_PAGE = 10

# --- What the public may send, and how often (security/public_input.py) ---------------------------------------

# How many trusted proxies add X-Forwarded-For in front of the app (0 in development, 1 behind the TLS proxy).
NUM_PROXIES = int(env("NUM_PROXIES", "0"))
# Public forms (enquiries, sign-ups, comments, reports): submissions per address in a window of seconds.
PUBLIC_FORM_RATE_LIMIT = int(env("PUBLIC_FORM_RATE_LIMIT", "5"))
PUBLIC_FORM_RATE_WINDOW = int(env("PUBLIC_FORM_RATE_WINDOW", "600"))
# Board posts: per address, and per board from all addresses together, in a window of seconds.
BOARD_POST_RATE_LIMIT = int(env("BOARD_POST_RATE_LIMIT", "5"))
BOARD_POSTS_PER_BOARD_LIMIT = int(env("BOARD_POSTS_PER_BOARD_LIMIT", "60"))
BOARD_POST_RATE_WINDOW = int(env("BOARD_POST_RATE_WINDOW", "600"))
# Likes (and taking them back) per address on one board in a window of seconds.
BOARD_LIKE_RATE_LIMIT = int(env("BOARD_LIKE_RATE_LIMIT", "120"))
BOARD_LIKE_RATE_WINDOW = int(env("BOARD_LIKE_RATE_WINDOW", "600"))
# Board posting codes: wrong codes allowed per address, and per board from all addresses together (a guesser spread
# over many addresses), in a fixed window of BOARD_CODE_FAILURE_WINDOW seconds. Past either limit the form is
# refused with 429, even with the right code, until that window ends.
BOARD_CODE_FAILURES_PER_ADDRESS = int(env("BOARD_CODE_FAILURES_PER_ADDRESS", "5"))
BOARD_CODE_FAILURES_PER_BOARD = int(env("BOARD_CODE_FAILURES_PER_BOARD", "50"))
BOARD_CODE_FAILURE_WINDOW = int(env("BOARD_CODE_FAILURE_WINDOW", "900"))
# Guessing page passwords and flooding password-reset emails (security/secret_guessing.py).
PAGE_PASSWORD_FAILURE_LIMIT = int(env("PAGE_PASSWORD_FAILURE_LIMIT", "10"))
PAGE_PASSWORD_FAILURE_WINDOW = int(env("PAGE_PASSWORD_FAILURE_WINDOW", "900"))
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "security.secret_guessing.RateLimitedPasswordResetForm"  # noqa: S105  # nosec B105
PASSWORD_RESET_LIMIT_PER_EMAIL = int(env("PASSWORD_RESET_LIMIT_PER_EMAIL", "3"))
PASSWORD_RESET_LIMIT_PER_IP = int(env("PASSWORD_RESET_LIMIT_PER_IP", "10"))
PASSWORD_RESET_WINDOW = int(env("PASSWORD_RESET_WINDOW", "3600"))

# --- Community board moderation ------------------------------------------------------------------------------

# Reports from different people (addresses and browsers) that hide an approved post until a moderator looks.
BOARD_REPORTS_TO_HIDE = int(env("BOARD_REPORTS_TO_HIDE", "3"))
# Moderators get at most one "posts waiting" email in this many seconds, however many posts arrive.
BOARD_DIGEST_INTERVAL_SECONDS = int(env("BOARD_DIGEST_INTERVAL_SECONDS", str(15 * 60)))

# --- Schools network -----------------------------------------------------------------------------------------

# Days before a school's award expires on which its leads and EMAS are reminded (`manage.py school_renewals`,
# daily), largest first; each reminder is sent once per award.
SCHOOL_RENEWAL_REMINDER_DAYS = tuple(
    sorted((int(days) for days in env_list("SCHOOL_RENEWAL_REMINDER_DAYS", ["90", "30"])), reverse=True)
)

# The award workspace (schools/sign_in.py): a lead's emailed sign-in link works once, for this many minutes, and a
# signed-in lead is signed out after this many minutes without a request.
SCHOOL_SIGN_IN_LINK_MINUTES = int(env("SCHOOL_SIGN_IN_LINK_MINUTES", "15"))
SCHOOL_LEAD_IDLE_MINUTES = int(env("SCHOOL_LEAD_IDLE_MINUTES", "30"))
# Sign-in links asked for one address (any visitor, lead or not) per window (seconds), besides the per-visitor limit.
SCHOOL_SIGN_IN_LINKS_PER_ADDRESS = int(env("SCHOOL_SIGN_IN_LINKS_PER_ADDRESS", "5"))
SCHOOL_SIGN_IN_ADDRESS_WINDOW = int(env("SCHOOL_SIGN_IN_ADDRESS_WINDOW", "3600"))

# --- Personal data -------------------------------------------------------------------------------------------

# How long personal details are kept; `manage.py apply_retention` (run daily) enforces them.
# See docs/privacy.md for what each one covers and why.
EVENT_REGISTRATION_RETENTION_DAYS = int(env("EVENT_REGISTRATION_RETENTION_DAYS", "180"))  # after the event ends
BOARD_EMAIL_RETENTION_DAYS = int(env("BOARD_EMAIL_RETENTION_DAYS", "90"))  # after the post was made
ENQUIRY_RETENTION_DAYS = int(env("ENQUIRY_RETENTION_DAYS", "365"))  # after the enquiry was sent
OUTBOX_SENT_RETENTION_DAYS = int(env("OUTBOX_SENT_RETENTION_DAYS", "30"))  # after it was delivered
OUTBOX_FAILED_RETENTION_DAYS = int(env("OUTBOX_FAILED_RETENTION_DAYS", "90"))  # after it was queued
# A school's workspace evidence, once the school has left the network (its award lapsed and not restarted).
SCHOOL_EVIDENCE_RETENTION_DAYS = int(env("SCHOOL_EVIDENCE_RETENTION_DAYS", "365"))  # after the award lapsed
# Sign-in links (used or not): only a hash of each, kept a while to answer "this link was used".
SCHOOL_SIGN_IN_LINK_RETENTION_DAYS = int(env("SCHOOL_SIGN_IN_LINK_RETENTION_DAYS", "30"))  # after it was made
# Where `make backup` writes (gitignored, dockerignored).
BACKUP_DIR = Path(env("BACKUP_DIR", BASE_DIR / "backups"))

# --- Security headers and admin sign-in -----------------------------------------------------------------------

# Content-Security-Policy (django-csp 4). Public pages: no inline script or style at all; the nonce is there
# for the day an inline script is really needed ({{ request.csp_nonce }}). Videos play from two providers only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (and the previews it frames) runs inline scripts and styles, so it gets its own policy.
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")
CSP_ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "media-src": [SELF],
    "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}

# Brute force on admin sign-in (django-axes): after AXES_FAILURE_LIMIT failures for one username from one
# address, that pair is refused (even with the right password) for AXES_COOLOFF_TIME. The address is read
# the way public forms read it (NUM_PROXIES), so a client cannot forge X-Forwarded-For to escape.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "security.public_input.client_ip"
AXES_LOCKOUT_CALLABLE = "security.headers.admin_lockout_response"
# Failed attempts are what lockout needs; a log of every successful sign-in would be personal data we do not use.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no banner on every manage.py command

# Two-factor (TOTP, django-otp) for the Wagtail admin. Off by default (development); set it on in production:
# then an admin user who has not passed two-factor in this session is sent to set up or enter a code first.
WAGTAIL_ADMIN_REQUIRE_2FA = env_bool("WAGTAIL_ADMIN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = "Coventry Schools of Sanctuary"

# --- Page cache for anonymous visitors (page_cache/cache.py) --------------------------------------------------

# Whole pages for anonymous GETs, in the default cache (Redis when REDIS_URL is set, so every app server shares
# it); any content change invalidates it. On by default only with a shared cache: with per-process local memory,
# one worker's invalidation would not reach the others' copies.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", bool(REDIS_URL))
# Production refuses the page cache in local memory (page_cache/checks.py); only a run that changes no content (the
# bench) may say it knows.
PAGE_CACHE_LOCAL_MEMORY_OK = env_bool("PAGE_CACHE_LOCAL_MEMORY_OK", False)
# Upper bound on staleness for what changes with time alone (an event moving from upcoming to past).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
# The query parameters public pages read: the library's filters, search and sort; the events index's and
# archive's pages and search; the board's filters and its polling time; site search. A request with any other
# parameter (tracking ones apart) is rendered but never stored, so made-up query strings add no keys.
PAGE_CACHE_QUERY_PARAMETERS = frozenset(
    {"q", "page", "sort", "process", "audience", "type", "language", "tag", "upcoming", "section", "school", "since"}
    | {"status", "phase", "area"}  # the schools directory's filters
)
# At most this many query strings of one path are stored at a time (the path without one always is).
PAGE_CACHE_MAX_VARIANTS = int(env("PAGE_CACHE_MAX_VARIANTS", "50"))

# --- Logging -------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Background tasks and Wagtail log every step at INFO; keep the console readable.
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
        "wagtail": {"level": env("WAGTAIL_LOG_LEVEL", "WARNING")},
        # Failed sign-ins and lockouts are logged at WARNING; every success at INFO would only be noise.
        "axes": {"level": env("AXES_LOG_LEVEL", "WARNING")},
    },
}
