"""Scale-out switches: each environment variable turns on what docs/deployment.md says it does.

Settings are read in a fresh interpreter per case (production settings, as the image runs them), because
settings modules are evaluated once per process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "settings-switch-test-key-0123456789abcdefghijk"

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "CACHES": settings.CACHES,
    "STORAGES": settings.STORAGES,
    "SERVE_MEDIA": settings.SERVE_MEDIA,
    "WAGTAILDOCS_SERVE_METHOD": settings.WAGTAILDOCS_SERVE_METHOD,
    "WAGTAILFRONTENDCACHE": settings.WAGTAILFRONTENDCACHE,
    "frontend_cache_installed": "wagtail.contrib.frontend_cache" in settings.INSTALLED_APPS,
}, default=str))
"""

SWITCHES = (
    "REDIS_URL",
    "RENDITIONS_REDIS_URL",
    "RATELIMIT_REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "SERVE_MEDIA",
    "FRONTEND_CACHE_CLOUDFLARE_ZONEID",
    "FRONTEND_CACHE_CLOUDFLARE_TOKEN",
    "FRONTEND_CACHE_PURGE_URL",
)


def production_settings(**env):
    child_env = {key: value for key, value in os.environ.items() if key not in SWITCHES}
    child_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    child_env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY=SECRET, **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=child_env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults():
    return production_settings()


def test_without_redis_sessions_are_in_the_database_and_there_is_no_renditions_cache(defaults):
    assert defaults["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert "renditions" not in defaults["CACHES"]


def test_redis_shares_sessions_rate_limits_and_renditions():
    settings = production_settings(REDIS_URL="redis://cache.internal:6379/0")
    assert settings["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    renditions = settings["CACHES"]["renditions"]
    assert renditions["LOCATION"] == "redis://cache.internal:6379/0"
    assert renditions["KEY_PREFIX"] != settings["CACHES"]["default"]["KEY_PREFIX"]


def test_renditions_can_have_their_own_redis():
    settings = production_settings(
        REDIS_URL="redis://cache.internal:6379/0", RENDITIONS_REDIS_URL="redis://cache.internal:6379/3"
    )
    assert settings["CACHES"]["renditions"]["LOCATION"] == "redis://cache.internal:6379/3"
    assert settings["CACHES"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"


def test_rate_limits_have_a_cache_of_their_own_that_can_be_a_redis_of_their_own():
    shared = production_settings(REDIS_URL="redis://cache.internal:6379/0")
    assert shared["CACHES"]["ratelimit"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert shared["CACHES"]["ratelimit"]["KEY_PREFIX"] != shared["CACHES"]["default"]["KEY_PREFIX"]
    own = production_settings(
        REDIS_URL="redis://cache.internal:6379/0", RATELIMIT_REDIS_URL="redis://limits.internal:6379/0"
    )
    assert own["CACHES"]["ratelimit"]["LOCATION"] == "redis://limits.internal:6379/0"


def test_media_is_a_local_folder_by_default(defaults):
    assert defaults["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert defaults["SERVE_MEDIA"] is True


def test_s3_bucket_switches_media_to_private_signed_object_storage():
    settings = production_settings(
        AWS_STORAGE_BUCKET_NAME="sanctuary-media", AWS_S3_ENDPOINT_URL="https://objects.example.net"
    )
    storage = settings["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "sanctuary-media"
    assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.net"
    # Never public: private objects, signed URLs, documents only through Wagtail's checking view.
    assert storage["OPTIONS"]["default_acl"] == "private"
    assert storage["OPTIONS"]["querystring_auth"] is True
    assert settings["WAGTAILDOCS_SERVE_METHOD"] == "serve_view"
    assert settings["SERVE_MEDIA"] is False
    # Static files stay with whitenoise in the image.
    assert settings["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_no_cdn_configured_means_no_purging(defaults):
    assert defaults["WAGTAILFRONTENDCACHE"] == {}
    assert defaults["frontend_cache_installed"] is False


def test_cloudflare_purge_on_publish():
    settings = production_settings(FRONTEND_CACHE_CLOUDFLARE_ZONEID="zone123", FRONTEND_CACHE_CLOUDFLARE_TOKEN="tok")
    assert settings["frontend_cache_installed"] is True
    assert settings["WAGTAILFRONTENDCACHE"]["cloudflare"] == {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": "zone123",
        "BEARER_TOKEN": "tok",
    }


def test_generic_http_purge_on_publish():
    settings = production_settings(FRONTEND_CACHE_PURGE_URL="http://varnish.internal:6081")
    assert settings["frontend_cache_installed"] is True
    assert settings["WAGTAILFRONTENDCACHE"]["http"]["LOCATION"] == "http://varnish.internal:6081"
