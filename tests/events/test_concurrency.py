"""No double-booking: simultaneous sign-ups for one event are counted one after another."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventRegistration
from events.services import register_for_event
from tests.factories import build_demo_home
from tests.together import run_together

pytestmark = pytest.mark.postgresql("needs real row locks and parallel connections.")


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_signups_for_twenty_places():
    demo_home = build_demo_home()  # committed: the threads below read it on their own connections
    index = EventIndexPage(title="Events", slug="events")
    demo_home.add_child(instance=index)
    start = timezone.now() + timedelta(days=7)
    event = EventPage(
        title="Busy induction",
        slug="busy-induction",
        summary="Popular.",
        start=start,
        end=start + timedelta(hours=1),
        event_format=EventPage.Format.ONLINE,
        capacity=20,
    )
    index.add_child(instance=event)
    event = EventPage.objects.get(pk=event.pk)

    def sign_up(number):  # all 50 start their transaction together
        person = {"name": f"Teacher {number}", "email": f"teacher{number}@school.example.org"}
        registration = register_for_event(
            event, {**person, "school": "Whitley Primary", "role": "teacher", "consent": True}
        )
        return registration.status

    outcomes = run_together(sign_up, 50, timeout=120)
    assert Counter(outcomes) == {"confirmed": 20, "waiting": 30}
    stored = Counter(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {"confirmed": 20, "waiting": 30}
