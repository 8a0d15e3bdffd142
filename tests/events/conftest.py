"""Fixtures for the events tests: the events section on the base demo, and a factory for events."""

import io
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage

_slugs = count(1)


@pytest.fixture
def events_index(demo_home):
    from events import demo

    return demo.load(demo_home, io.StringIO())


@pytest.fixture
def make_event(events_index):
    """Create and publish an event under the events index; keyword arguments override the defaults."""

    def _make(**fields):
        start = fields.pop("start", (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0))
        number = next(_slugs)
        defaults = dict(
            title=f"Test event {number}",
            slug=f"test-event-{number}",
            summary="A test event for Coventry schools.",
            start=start,
            end=fields.pop("end", start + timedelta(hours=1, minutes=30)),
            event_format=EventPage.Format.ONLINE,
            joining_link="https://teams.example.org/join/SECRET-JOIN-123",
            capacity=2,
        )
        defaults.update(fields)
        event = EventPage(**defaults)
        EventIndexPage.objects.get().add_child(instance=event)
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return _make


SIGNUP = {
    "name": "Amira Hassan",
    "email": "a.hassan@school.example.org",
    "school": "Whitley Primary",
    "role": "teacher",
    "access_needs": "",
    "consent": "on",
}


@pytest.fixture
def signup_data():
    return dict(SIGNUP)
