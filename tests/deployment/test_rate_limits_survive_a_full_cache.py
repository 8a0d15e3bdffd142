"""Rate limits live in a Redis that pages cannot fill (issue 14, item 5).

Two real Redis servers on loopback, as docs/deployment.md asks for production: the page cache's, small and
`allkeys-lru`, and the rate limits' own, `noeviction`. An address that has used up its enquiries fills the page
cache until Redis evicts; it must still be refused.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import ENQUIRY as VALID

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]
PAGE_CACHE_PORT, RATELIMIT_PORT = 8331, 8332


def _start_redis(port, policy):
    process = subprocess.Popen(  # noqa: S603 - fixed arguments  # nosec B603
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "2mb",
            "--maxmemory-policy",
            policy,
        ],  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"redis-server did not start on port {port}")


@pytest.fixture
def two_redis(settings):
    servers = [_start_redis(PAGE_CACHE_PORT, "allkeys-lru"), _start_redis(RATELIMIT_PORT, "noeviction")]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{PAGE_CACHE_PORT}/0",
        },
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{RATELIMIT_PORT}/0",
        },
    }
    yield
    for process in servers:
        process.kill()
        process.wait(timeout=10)


def test_an_address_at_its_limit_stays_limited_when_pages_fill_the_cache(demo_home, two_redis, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 3
    visitor = Client()
    assert [visitor.post("/contact/", VALID).status_code for _ in range(4)] == [302, 302, 302, 429]

    # Pages (here 20 kB each, 700 of them: far more than the 2 MB Redis holds) push everything else out.
    page_cache = caches["default"]
    page = "x" * 20_000
    for n in range(700):
        page_cache.set(f"page-cache:filler:{n}", page, 300)
    client = page_cache._cache.get_client()
    assert int(client.info("stats")["evicted_keys"]) > 0

    assert visitor.post("/contact/", VALID).status_code == 429
