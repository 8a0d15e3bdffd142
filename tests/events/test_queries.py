"""Public pages' SQL query counts are pinned and do not grow with the number of events or registrations."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import EventRegistration, EventSpeaker

# Pinned maxima, as measured: Wagtail's routing, site and settings lookups, the menu, and our own 1-3 queries.
# (The home page is checked for independence only: other apps add their own slots to it.)
# The index counts both of its paged lists (upcoming and past), one COUNT each.
# An event page costs one query for the event and its image (EventIndexPage.route), the places count and its tags;
# its sign-up page the same without the tags.
# +2 on every HTML page for languages: its versions (switcher, hreflang) and Wagtail's locale lookup.
MAX_QUERIES = {"index": 17, "event": 15, "register": 14, "webinars": 16, "webinars_search": 16}
# An event with an image, tags, speakers and a body (as the bench events have): the image comes with the event.
MAX_QUERIES_EVENT_WITH_IMAGE = 15


def add_events(make_event, count):
    now = timezone.now()
    events = []
    for number in range(count):
        upcoming = make_event(capacity=3, start=now + timedelta(days=number + 1))
        for person in range(4):
            EventRegistration.objects.create(
                event=upcoming,
                name=f"P{person}",
                email=f"p{person}@school.example.org",
                status="confirmed" if person < 3 else "waiting",
            )
        start = now - timedelta(days=400 + 30 * number)
        past = make_event(start=start, end=start + timedelta(hours=1), video_url="https://youtu.be/dQw4w9WgXcQ")
        EventSpeaker.objects.create(event=past, name=f"Speaker {number}", organisation="City of Sanctuary UK")
        EventSpeaker.objects.create(event=past, name=f"Co-speaker {number}")
        events.append(upcoming)
    return events


def count_queries(client, url):
    client.get(url)  # warm per-process caches (site root paths, settings) the same way for both runs
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def urls(event):
    return {
        "index": "/events/",
        "event": event.url,
        "register": event.url + "register/",
        "webinars": "/events/webinars/",
        "webinars_search": "/events/webinars/?q=speaker",
        "home": "/",
    }


def test_query_counts_are_pinned_and_independent_of_data(client, make_event):
    few = add_events(make_event, 2)
    first = {name: count_queries(client, url) for name, url in urls(few[0]).items()}
    many = add_events(make_event, 20)
    second = {name: count_queries(client, url) for name, url in urls(many[-1]).items()}
    assert first == second, (first, second)
    for name, limit in MAX_QUERIES.items():
        assert second[name] <= limit, (name, second[name])


@pytest.mark.parametrize("page", ["index", "event", "register", "webinars"])
def test_pinned_maximum_with_many_events(client, make_event, django_assert_max_num_queries, page):
    events = add_events(make_event, 15)
    url = urls(events[-1])[page]
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        assert client.get(url).status_code == 200


def _image(number):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from demo.files import make_banner_image

    image = get_image_model()(
        title=f"Event image {number}", file=ImageFile(io.BytesIO(make_banner_image(480, 320)), name=f"e{number}.jpg")
    )
    image.save()
    return image


def add_illustrated_events(make_event, count):
    """Upcoming in-person events as the bench has them: an image each, tags, a speaker, a body, registrations."""
    events = []
    for number in range(count):
        event = make_event(
            capacity=30,
            event_format="in_person",
            venue="Council House\nEarl Street",
            image=_image(number),
            image_alt="Teachers at a welcome session",
            body=[("paragraph", "<p>The programme for the morning.</p>")],
            start=timezone.now() + timedelta(days=number + 1),
        )
        event.tags.add("induction", "award")
        event.save_revision().publish()
        EventSpeaker.objects.create(event=event, name=f"Speaker {number}")
        EventRegistration.objects.create(event=event, name="P", email=f"p{number}@school.example.org")
        events.append(event)
    return events


def test_event_page_with_an_image_costs_no_more_queries(client, make_event, django_assert_max_num_queries):
    few = add_illustrated_events(make_event, 1)[0]
    first = count_queries(client, few.url)
    assert "<picture>" in client.get(few.url).content.decode()
    many = add_illustrated_events(make_event, 8)[-1]
    second = count_queries(client, many.url)
    plain = count_queries(client, add_events(make_event, 1)[0].url)
    assert first == second == plain, (first, second, plain)
    client.get(many.url + "register/")
    with django_assert_max_num_queries(MAX_QUERIES_EVENT_WITH_IMAGE):
        html = client.get(many.url).content.decode()
    assert 'alt="Teachers at a welcome session"' in html and "Topics: induction, award" in html
    with django_assert_max_num_queries(MAX_QUERIES["register"]):
        assert client.get(many.url + "register/").status_code == 200
