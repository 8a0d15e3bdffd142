"""Production: DEBUG off, a strong SECRET_KEY required, HTTPS behind a TLS-terminating proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_URL, PAGE_CACHE_ENABLED, PAGE_CACHE_LOCAL_MEMORY_OK, REDIS_URL, STORAGES, env, env_bool, env_list

DEBUG = False


def strong_secret_key(value):
    """Refuse a missing, short or low-variety secret: it signs sessions, CSRF tokens and cancel links."""
    if not value:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    if len(value) < 50 or len(set(value)) < 5 or "insecure" in value or "dev-only" in value:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: use at least 50 random characters, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
        )
    return value


SECRET_KEY = strong_secret_key(env("SECRET_KEY"))

# The page cache needs a cache every worker shares: refused at start-up, not just at `manage.py check`.
if PAGE_CACHE_ENABLED and not REDIS_URL and not PAGE_CACHE_LOCAL_MEMORY_OK:
    raise ImproperlyConfigured(
        "PAGE_CACHE_ENABLED is true but REDIS_URL is not set: each worker would keep its own copy of every page and "
        "serve stale ones after an edit. Set REDIS_URL, or PAGE_CACHE_ENABLED=false."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [BASE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]])

# Static files: hashed names and pre-compressed (gzip + brotli) copies, served by whitenoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The TLS-terminating proxy in front of us sets X-Forwarded-Proto; trust it and redirect plain HTTP.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^healthz/worker$"]  # load balancers and monitors probe over plain HTTP
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Mail is delivered by the worker (`docker-entrypoint.sh worker`) from the database queue.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
