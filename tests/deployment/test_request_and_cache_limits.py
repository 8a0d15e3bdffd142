"""Limits that hold under attack (issue 14): request bodies refused unread, and no page cache without a shared cache."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client

from page_cache.checks import page_cache_needs_a_shared_cache
from tests.deployment.test_settings_switches import REPO, SECRET, SWITCHES


class CountingInput(io.BytesIO):
    """A request body that records how much of it anybody read."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.django_db
def test_a_400_mb_upload_is_refused_with_413_before_its_body_is_read(demo_home):
    body = CountingInput(b"--x\r\n" + b"a" * 1024)
    response = Client().generic(
        "POST",
        "/contact/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(400 * 1024 * 1024),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert body.bytes_read == 0


@pytest.mark.django_db
def test_a_body_under_the_limit_still_reaches_the_form(demo_home, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1024 * 1024
    response = Client().post("/contact/", {"your_name": "Amira"})
    assert response.status_code == 200  # the form, with its errors


def test_page_cache_in_local_memory_is_an_error_with_debug_off_and_a_warning_with_it_on(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_ENABLED = True
    settings.DEBUG = False
    [error] = page_cache_needs_a_shared_cache()
    assert error.id == "page_cache.E001"
    assert "stale pages" in error.msg
    with pytest.raises(Exception, match="page_cache.E001"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    settings.DEBUG = True
    assert [message.id for message in page_cache_needs_a_shared_cache()] == ["page_cache.W001"]
    settings.PAGE_CACHE_ENABLED = False
    assert page_cache_needs_a_shared_cache() == []


def _production_start(**env):
    ignored = {*SWITCHES, "PAGE_CACHE_ENABLED", "PAGE_CACHE_LOCAL_MEMORY_OK", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    child_env = {key: value for key, value in os.environ.items() if key not in ignored}
    child_env.update(DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY=SECRET, **env)
    code = "import django; django.setup(); print('started')"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=child_env, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_with_the_page_cache_and_no_redis():
    refused = _production_start(PAGE_CACHE_ENABLED="true")
    assert refused.returncode != 0
    assert "PAGE_CACHE_ENABLED is true but REDIS_URL is not set" in refused.stderr
    assert _production_start(PAGE_CACHE_ENABLED="true", REDIS_URL="redis://cache.internal:6379/0").returncode == 0
    assert _production_start().returncode == 0  # without Redis the page cache is simply off
