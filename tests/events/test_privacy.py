"""The joining link and sign-ups' personal details never reach a public page, feed, search index or sitemap."""

import pytest
from django.core import mail
from wagtail.search.models import IndexEntry

from events.models import EventRegistration

SECRET = "SECRET-JOIN-123"


@pytest.fixture
def booked_online_event(client, make_event, signup_data, django_capture_on_commit_callbacks):
    event = make_event(title="Online induction", capacity=5)
    past = make_event(
        title="Past online webinar",
        start=event.start.replace(year=event.start.year - 2),
        end=event.end.replace(year=event.end.year - 2),
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "register/", signup_data, follow=True)
    assert SECRET in mail.outbox[0].body  # the only place it goes
    return event, past, response


def public_urls(event, past):
    return [
        "/",
        "/events/",
        "/events/?page=2",
        "/events/webinars/",
        "/events/webinars/?q=online",
        "/events/feed/",
        event.url,
        event.url + "ics/",
        past.url,
        past.url + "ics/",
        "/sitemap.xml",
        "/search/?q=online",
        "/search/?q=induction",
    ]


def test_joining_link_and_attendees_are_on_no_public_page_or_feed(client, booked_online_event, signup_data):
    event, past, confirmation = booked_online_event
    assert SECRET not in confirmation.content.decode()
    registration = EventRegistration.objects.get()
    cancel_page = client.get(registration.cancel_url().removeprefix("http://testserver"))
    assert SECRET not in cancel_page.content.decode()
    for url in public_urls(event, past):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert SECRET not in body, url
        assert "teams.example.org" not in body, url
        assert signup_data["email"] not in body, url
        assert signup_data["name"] not in body, url


def test_joining_link_is_not_in_the_search_index(booked_online_event, client):
    # Find the event by its title through site search, but never by its joining link.
    assert "Online induction" in client.get("/search/?q=induction").content.decode()
    assert "No results" in client.get(f"/search/?q={SECRET}").content.decode()
    assert "No results" in client.get("/search/?q=teams.example.org").content.decode()
    # The index holds raw text on SQLite and tsvector lexemes on PostgreSQL: compare lower-cased either way.
    indexed = " ".join(f"{entry.title} {entry.body} {entry.autocomplete}" for entry in IndexEntry.objects.all()).lower()
    assert "induct" in indexed  # the event is indexed...
    assert "secret" not in indexed  # ...but not its joining link
    assert "teams.example" not in indexed
    assert "hassan" not in indexed


def test_sitemap_lists_events_but_not_their_private_routes(client, booked_online_event):
    event, past, _ = booked_online_event
    sitemap = client.get("/sitemap.xml").content.decode()
    assert event.url + "</loc>" in sitemap
    assert "/cancel/" not in sitemap
    assert "/registered/" not in sitemap
