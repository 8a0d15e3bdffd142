"""Benchmark data for events: 200 events (past webinars with recordings, upcoming sessions) and 20,000
registrations, bulk-inserted (the sign-up service locks the event row per registration; the bench only
needs the rows to exist for the counts and listings)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from home.bench import image_pool, paragraphs, words

from .models import EventIndexPage, EventPage, EventRegistration, EventSpeaker

EVENTS = 200
PAST_EVENTS = 120
REGISTRATIONS_PER_EVENT = 100
ROLES = [choice for choice, _ in EventRegistration.Role.choices]


def load(home, stdout):
    index = EventIndexPage.objects.child_of(home).first()
    if index is None or EventPage.objects.filter(slug__startswith="bench-event-").exists():
        stdout.write("Bench events are already in place (or there is no events section).")
        return
    rng = random.Random(11)  # noqa: S311 - reproducible bench text, not a secret  # nosec B311
    images = image_pool()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events = []
    with transaction.atomic():
        for number in range(1, EVENTS + 1):
            past = number <= PAST_EVENTS
            start = now - timedelta(days=3 * number) if past else now + timedelta(days=2 * (number - PAST_EVENTS))
            event = EventPage(
                title=f"{words(rng, 3).capitalize()} session {number}",
                slug=f"bench-event-{number}",
                summary=words(rng, 30).capitalize() + ".",
                body=[("paragraph", paragraphs(rng))],
                start=start,
                end=start + timedelta(hours=1, minutes=30),
                event_format=EventPage.Format.ONLINE,
                joining_link="https://teams.example.org/join/bench",
                capacity=150,
                audience="Teachers and school staff",
                image=images[number % len(images)],
                image_alt="Abstract illustration of overlapping coloured circles",
                video_url=f"https://www.youtube.com/watch?v=bench{number:06d}" if past else "",
                transcript=paragraphs(rng, 5, 80) if past else "",
                speakers=[EventSpeaker(name=f"Speaker {number}", organisation="EMAS Teacher Team")],
            )
            event.tags.add(*rng.sample(["induction", "award", "webinar", "training", "refugee-week"], 2))
            index.add_child(instance=event)
            events.append(event)
        EventRegistration.objects.bulk_create(
            (
                EventRegistration(
                    event=event,
                    name=f"Bench Teacher {n}",
                    email=f"teacher{n}@school{n % 90}.example.org",
                    school=f"School {n % 90}",
                    role=rng.choice(ROLES),
                    consent=True,
                    status=EventRegistration.Status.CONFIRMED,
                )
                for event in events
                for n in range(REGISTRATIONS_PER_EVENT)
            ),
            batch_size=1000,
        )
    stdout.write(f"Created {EVENTS} events and {EVENTS * REGISTRATIONS_PER_EVENT} registrations.")
