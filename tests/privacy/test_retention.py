"""Retention: `manage.py apply_retention` removes what is past its period, keeps the rest and public content."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from board.models import BoardPost
from events.models import EventRegistration
from tests.privacy.conftest import make_old, run_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_and_recent(teacher_everywhere):
    """Make a copy of each kind of row old enough to go; the originals stay recent."""
    held = teacher_everywhere
    make_old(BoardPost, held["public_post"].pk, "created_at", 91)  # approved, old: email goes, post stays
    make_old(FormSubmission, held["enquiry"].pk, "submit_time", 366)
    recent_enquiry = FormSubmission.objects.create(page=held["enquiry"].page, form_data={"your_name": "Recent"})
    event = held["event"]
    event.start, event.end = timezone.now() - timedelta(days=200), timezone.now() - timedelta(days=181)
    event.save_revision().publish()
    expired = SessionStore()
    expired.set_expiry(-1)  # already expired
    expired.create()
    live = SessionStore()
    live.create()
    return {**held, "recent_enquiry": recent_enquiry, "expired_session": expired, "live_session": live}


def test_dry_run_counts_and_changes_nothing(old_and_recent):
    output = run_command("apply_retention", "--dry-run")
    assert "enquiries: 1 enquiry form submissions deleted after 365 days" in output
    assert "registrations: 2 registrations anonymised" in output
    assert "board_emails: 1 board posters' email addresses removed" in output
    assert "sessions: 1 expired sessions deleted" in output
    assert "outbox_sent: 0 delivered emails deleted from the outbox after 30 days" in output
    assert "outbox_failed: 0 failed emails deleted from the outbox after 90 days" in output
    assert output.count("[dry run, nothing changed]") == 8
    assert FormSubmission.objects.count() == 2
    assert BoardPost.objects.exclude(email="").count() == 4  # three of ours, one from the demo
    assert not EventRegistration.objects.filter(anonymised=True).exists()


def test_old_rows_go_recent_rows_stay_public_post_survives_without_email(old_and_recent, client):
    held = old_and_recent
    output = run_command("apply_retention")
    assert "[dry run" not in output

    assert list(FormSubmission.objects.all()) == [held["recent_enquiry"]]

    public = BoardPost.objects.get(pk=held["public_post"].pk)
    assert public.email == "" and public.is_public and public.display_name == "Amira H."
    assert "Welcome cards" in client.get(public.get_absolute_url()).content.decode()
    assert BoardPost.objects.get(pk=held["pending_post"].pk).email  # recent: kept for moderation replies

    registrations = EventRegistration.objects.filter(event=held["event"])
    assert registrations.count() == 2 and all(r.anonymised and not r.email for r in registrations)

    assert not Session.objects.filter(session_key=held["expired_session"].session_key).exists()
    assert Session.objects.filter(session_key=held["live_session"].session_key).exists()

    again = run_command("apply_retention")  # daily runs are idempotent
    assert all(" 0 " in line for line in again.strip().splitlines()), again


def test_periods_come_from_settings_and_one_rule_can_be_run_alone(old_and_recent):
    with override_settings(ENQUIRY_RETENTION_DAYS=400):
        assert "enquiries: 0 enquiry" in run_command("apply_retention", "--only", "enquiries")
    output = run_command("apply_retention", "--only", "board_emails", "--days", "0")
    assert output.strip() == "board_emails: 4 board posters' email addresses removed (posts stay) after 0 days"
    assert FormSubmission.objects.count() == 2  # --only touched nothing else
