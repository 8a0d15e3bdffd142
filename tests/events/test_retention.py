"""Retention: personal details of registrations go a set time after the event; the counts stay.

The rule runs alone as `manage.py apply_retention --only registrations` (tests/privacy/test_retention.py runs
every rule together)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from events.models import EventRegistration

Status = EventRegistration.Status


@pytest.fixture
def old_and_recent(make_event):
    now = timezone.now()
    old = make_event(start=now - timedelta(days=200), end=now - timedelta(days=200) + timedelta(hours=1))
    recent = make_event(start=now - timedelta(days=20), end=now - timedelta(days=20) + timedelta(hours=1))
    for event in (old, recent):
        for number, status in enumerate([Status.CONFIRMED, Status.CONFIRMED, Status.WAITING, Status.CANCELLED]):
            EventRegistration.objects.create(
                event=event,
                name=f"Person {number}",
                email=f"p{number}@school.example.org",
                school="Whitley Primary",
                access_needs="Step-free access",
                status=status,
            )
    return old, recent


def run(*args):
    out = []

    class Out:
        def write(self, text, *a, **k):
            out.append(text)

    call_command("apply_retention", "--only", "registrations", *args, stdout=Out())
    return "".join(out)


def test_default_180_days_blanks_old_personal_details_and_keeps_counts(old_and_recent):
    old, recent = old_and_recent
    assert run().strip() == "registrations: 4 registrations anonymised (days after the event ended) after 180 days"
    for registration in EventRegistration.objects.filter(event=old):
        assert (registration.name, registration.email, registration.school, registration.access_needs) == (
            "",
            "",
            "",
            "",
        )
        assert registration.anonymised
        assert str(registration) == f"Anonymised registration #{registration.pk}"
    counts = dict(EventRegistration.objects.filter(event=old).values_list("status").annotate(n=Count("pk")))
    assert counts == {"confirmed": 2, "waiting": 1, "cancelled": 1}
    assert all(r.email for r in EventRegistration.objects.filter(event=recent))  # within the period: kept
    assert "registrations: 0 registrations anonymised" in run()  # running daily is harmless


def test_setting_and_days_option(old_and_recent, settings):
    old, recent = old_and_recent
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 365
    run()
    assert not EventRegistration.objects.filter(anonymised=True).exists()
    run("--days", "10")
    assert EventRegistration.objects.filter(anonymised=True).count() == 8


def test_negative_days_are_refused(db):
    with pytest.raises(CommandError, match="0 or more"):
        run("--days", "-1")


def test_privacy_notice_on_the_sign_up_page_states_the_retention(client, make_event, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 90
    event = make_event()
    html = client.get(event.url + "register/").content.decode()
    assert "we delete your details 90 days after the event" in html
