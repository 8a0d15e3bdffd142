"""Settings for `make test`: SQLite by default, PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set."""

import tempfile

from .base import *  # noqa: F403
from .base import CACHES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105 - tests only  # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="sanctuary-test-media-")
# Tests must not depend on collectstatic having run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
# Keep test keys apart from anything else using the same Redis.
CACHES["default"]["KEY_PREFIX"] = "sanctuary-test"
WAGTAILADMIN_BASE_URL = "http://testserver"
BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]

# --- Scale-out (issue 8) ---
# Renditions fall back to the default cache, which every test clears; a separate alias would keep rendition
# rows from a rolled-back test alive for the next one.
CACHES.pop("renditions", None)

# Page cache (issue 7): off so other tests see fresh renders; tests/perf turns it on where it is the point.
PAGE_CACHE_ENABLED = False
