"""Fixtures of the mail tests: a real SMTP server on loopback the outbox delivers to, an event to sign up for, and
time passing for the messages that wait (the outbox's clock is the database's timestamps: a test moves them back
rather than sleeping through a retry delay or a lease)."""

from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.db.models import F

from outbox.mail import queue_email
from outbox.models import OutboxMessage
from tests import factories
from tests.smtp_server import SMTPServer


@pytest.fixture
def mail_server(settings):
    """A running SMTP server on a free loopback port, with the outbox delivering to it over SMTP (2 s timeout)."""
    server = SMTPServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.close()


@pytest.fixture
def event(db):
    """An open online event with five places, under a bare home page (no demo: the fewest pages a sign-up needs)."""
    from events.models import EventIndexPage

    index = EventIndexPage(title="Events", slug="events")
    factories.make_home().add_child(instance=index)
    return factories.make_event(index, capacity=5)


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Queue an email as the site does (in a transaction) and let the commit hand it to delivery."""

    def send(subject="Hello", body="Body", to=("t@example.org",), key=None):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue_email(EmailMessage(subject, body, to=list(to)), purpose="Test", key=key)
        message.refresh_from_db()
        return message

    return send


def time_passes(seconds):
    """Every outbox message's clock moves `seconds` back, as if that long had passed since it was written."""
    delta = timedelta(seconds=seconds)
    OutboxMessage.objects.update(created_at=F("created_at") - delta, next_attempt_at=F("next_attempt_at") - delta)
    OutboxMessage.objects.filter(lease_expires_at__isnull=False).update(lease_expires_at=F("lease_expires_at") - delta)
    OutboxMessage.objects.filter(task_due_at__isnull=False).update(task_due_at=F("task_due_at") - delta)


def sign_up_data(email="a.hassan@school.example.org"):
    return {**factories.SIGNUP, "email": email}
