"""No double-booking: simultaneous sign-ups for one event are counted one after another."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events.models import EventIndexPage, EventPage, EventRegistration
from events.services import register_for_event
from tests.factories import build_demo_home

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

    barrier = threading.Barrier(50)
    outcomes, errors = [], []

    def sign_up(number):
        try:
            barrier.wait(timeout=30)  # all threads start their transaction together
            registration = register_for_event(
                event,
                {
                    "name": f"Teacher {number}",
                    "email": f"teacher{number}@school.example.org",
                    "school": "Whitley Primary",
                    "role": "teacher",
                    "consent": True,
                },
            )
            outcomes.append(registration.status)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(error))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=sign_up, args=(number,)) for number in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Counter(outcomes) == {"confirmed": 20, "waiting": 30}
    stored = Counter(EventRegistration.objects.filter(event=event).values_list("status", flat=True))
    assert stored == {"confirmed": 20, "waiting": 30}
