"""Demo content: the launch webinars, the October 2024 introduction and upcoming events, loaded idempotently."""

import io
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from demo import loader
from events.models import EventIndexPage, EventPage
from tests.factories import load_demo_part


def test_demo_has_the_launch_webinars_and_the_introduction(events_index):
    assert events_index.slug == "events" and events_index.show_in_menus and events_index.live
    launch = EventPage.objects.get(slug="schools-of-sanctuary-launch-2023-24")
    assert launch.has_recording
    assert [(s.name, s.organisation) for s in launch.speakers.all()] == [("Megan Greenwood", "City of Sanctuary UK")]
    transcript = launch.transcript.lower()
    for topic in ("minimum criteria and process", "opportunities", "time efficient and meaningful"):
        assert topic in transcript or topic in launch.summary.lower()
    assert EventPage.objects.get(slug="schools-of-sanctuary-launch-2024-25").academic_year == "2024/25"
    intro = EventPage.objects.get(title="Introduction to Schools of Sanctuary for Coventry Schools", start__year=2024)
    assert intro.display_dates == "Tue 1 Oct 2024, 3:30pm–5:00pm"


def test_demo_always_has_upcoming_events_and_is_idempotent(demo_home):
    load_demo_part(demo_home, "events")
    upcoming = EventPage.objects.filter(start__gte=timezone.now())
    assert upcoming.count() == 3
    assert all(event.signup_state() == "open" for event in upcoming)
    before = EventPage.objects.count()
    load_demo_part(demo_home, "events")
    assert EventPage.objects.count() == before
    # Months later the demo's upcoming events are past: a new dated copy of each is added, so the site
    # never looks stale, and the old ones stay as past events.
    long_ago = timezone.now() - timedelta(days=60)
    upcoming.update(start=long_ago, end=long_ago + timedelta(hours=1))
    load_demo_part(demo_home, "events", today=timezone.localdate() + timedelta(days=90))
    assert EventPage.objects.count() == before + 3
    assert EventPage.objects.filter(start__gte=timezone.now()).count() == 3


def test_editor_changes_survive_a_reload(demo_home):
    load_demo_part(demo_home, "events")
    launch = EventPage.objects.get(slug="schools-of-sanctuary-launch-2023-24")
    launch.title = "Launch 2023/24 (edited)"
    launch.save_revision().publish()
    load_demo_part(demo_home, "events")
    assert EventPage.objects.get(slug="schools-of-sanctuary-launch-2023-24").title == "Launch 2023/24 (edited)"
    assert EventIndexPage.objects.count() == 1


def test_upcoming_dates_are_after_school_on_weekdays():
    upcoming = [entry["upcoming"] for entry in loader.page_entries(loader.read("events")) if "upcoming" in entry]
    assert len(upcoming) == 3
    for dates in upcoming:
        start, _end = loader.upcoming_dates(dates, date(2026, 3, 20))
        local = timezone.localtime(start)
        assert local.date() > date(2026, 3, 20) and local.weekday() in (1, 2) and local.hour == 15


def test_load_demo_content_command_includes_events(db):
    call_command("load_demo_content", stdout=io.StringIO())
    assert EventPage.objects.filter(slug="schools-of-sanctuary-launch-2023-24").exists()


def test_privacy_notice_says_what_sign_ups_keep_and_for_how_long(client, events_index):
    html = client.get("/privacy/").content.decode()
    assert "Event sign-ups" in html
    assert "We delete these details 180 days after the event" in html
    load_demo_part(events_index.get_parent().specific, "events")  # not added twice
    assert client.get("/privacy/").content.decode().count("Event sign-ups") == 1
