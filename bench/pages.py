"""Run inside the benchmark's Django environment (production settings): find one URL of each public page
type in the bench data and count the SQL queries of an uncached render. Prints JSON for run_bench.py.

The counting uses Django's test client with CaptureQueriesContext, a separate instrumented request: the
responses gunicorn serves carry no debug information.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402


def page_urls():
    from board.models import BoardPage
    from events.models import EventIndexPage, EventPage
    from home.models import ContentPage
    from resources.models import ResourceIndexPage, ResourcePage, ResourceType

    library = ResourceIndexPage.objects.live().first()
    events = EventIndexPage.objects.live().first()
    resource_type = ResourceType.objects.order_by("pk").first()
    upcoming = EventPage.objects.live().filter(start__gt=timezone.now()).order_by("start").first()
    return {
        "home": "/",
        "content page": ContentPage.objects.live().filter(slug__startswith="bench-page-").first().url,
        "resource library": library.url,
        "library filtered": f"{library.url}?type={resource_type.slug}" if resource_type else library.url,
        "library searched": f"{library.url}?q=welcome+school",
        "resource page": ResourcePage.objects.live().filter(slug__startswith="bench-resource-").first().url,
        "event index": events.url,
        "event page": upcoming.url,
        "webinar archive": events.url + "webinars/",
        "board": BoardPage.objects.live().order_by("path").first().url,
        "search": "/search/?q=welcome+school",
        "static file": staticfiles_storage.url("css/site.css"),
        "healthz": "/healthz",
    }


def count_queries(url):
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.get(url)  # the first render may create image renditions: not what a visitor usually costs
    with override_settings(PAGE_CACHE_ENABLED=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def main():
    settings.ALLOWED_HOSTS.append("testserver")
    result = {}
    for name, url in page_urls().items():
        status, queries = count_queries(url)
        result[name] = {"url": url, "status": status, "queries": queries}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
