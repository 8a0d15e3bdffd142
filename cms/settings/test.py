"""Settings for `make test`: SQLite by default, PostgreSQL + Redis when DATABASE_URL/REDIS_URL are set."""

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, STORAGES

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105 - tests only  # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Delivered from the outbox into django.core.mail.outbox (Django points EMAIL_BACKEND there too in tests).
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="sanctuary-test-media-")
# Tests must not depend on collectstatic having run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
# Keep test keys apart from anything else using the same Redis.
CACHES["default"]["KEY_PREFIX"] = "sanctuary-test"
CACHES["ratelimit"]["KEY_PREFIX"] = "sanctuary-test-ratelimit"
# `make test` runs pytest-xdist workers (gw0, gw1…), each with its own test database. Each test clears the caches
# (Redis FLUSHDB), and Wagtail caches ids of its own database there, so each worker gets a Redis database of its
# own: the next numbers after REDIS_URL's.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
for _cache in CACHES.values():
    if _cache["BACKEND"].endswith("RedisCache") and _worker.isdigit() and int(_worker):
        _url = urlsplit(_cache["LOCATION"])
        _number = (int(_url.path.strip("/") or 0) + int(_worker)) % 16
        _cache["LOCATION"] = urlunsplit(_url._replace(path=f"/{_number}"))
WAGTAILADMIN_BASE_URL = "http://testserver"
BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# The browser tests restore their database between tests (tests/browser/snapshots.py), which ends any
# connection the live server kept: a kept connection is checked before it is used again.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database is thrown away: no commit need wait for its WAL to reach the disk. Transactional and browser
    # tests commit thousands of times; nothing they assert depends on durability across a crash.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

# Renditions fall back to the default cache, which every test clears; a separate alias would keep rendition
# rows from a rolled-back test alive for the next one.
CACHES.pop("renditions", None)

# Page cache: off so other tests see fresh renders; tests/perf turns it on where it is the point.
PAGE_CACHE_ENABLED = False
