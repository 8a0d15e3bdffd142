"""Issue 19: mail that is never lost, against a real SMTP server on loopback (tests/smtp_server.py).

The mail server down, dropping the connection mid-message, answering "try later" or refusing for good: the
promise is kept in the outbox, retried, delivered exactly once (counted at the server by Message-ID), or given up
on as "failed" with the reason. Delivery here runs as in development (django-tasks' immediate backend, after the
request's transaction commits), by `deliver`, and by the scheduled sweep; test_workers.py runs the real worker.
"""

import pytest

from events.emails import queue_registration_email
from events.models import EventRegistration
from outbox.mail import deliver, retry_delay, sweep
from outbox.models import OutboxMessage
from tests.factories import make_superuser
from tests.outbox.conftest import sign_up_data, time_passes

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def sign_up(client, event, capture, email="a.hassan@school.example.org"):
    """A teacher signs up through the sign-up page; the email goes wherever the outbox sends it after the commit."""
    with capture(execute=True):
        return client.post(event.url + "register/", sign_up_data(email), follow=True)


def test_with_the_mail_server_down_a_signup_is_booked_at_once_and_its_email_is_delivered_once_the_server_is_back(
    client, event, mail_server, django_capture_on_commit_callbacks
):
    mail_server.stop()
    response = sign_up(client, event, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Your place is booked" in response.content.decode()
    assert EventRegistration.objects.get().status == EventRegistration.Status.CONFIRMED

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.to) == (Status.QUEUED, 1, ["a.hassan@school.example.org"])
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.subject == f"Your place is booked: {event.title}"
    assert mail_server.messages == []

    mail_server.start()
    assert sweep() == 0  # not due yet: the first retry waits a minute
    time_passes(retry_delay(1) + 60)
    assert sweep() == 1  # the scheduled sweep (every minute) enqueues it; here it is delivered at once

    [received] = mail_server.messages
    assert received.message_id == message.message_id()
    assert received.rcpt_tos == ("a.hassan@school.example.org",)
    assert received.message["Subject"] == f"Your place is booked: {event.title}"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 2, "")
    assert message.sent_at is not None

    # Whatever runs again (a duplicate task, the sweep), it is not sent again.
    assert deliver(message.pk) is None
    time_passes(3600)
    assert sweep() == 0
    assert len(mail_server.messages) == 1


def test_a_server_that_drops_the_connection_mid_message_is_retried_and_the_message_arrives_once(mail_server, send):
    mail_server.mode = "drop"
    message = send()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert message.last_error.startswith("SMTPServerDisconnected")
    assert mail_server.messages == []

    mail_server.mode = "normal"
    time_passes(retry_delay(1) + 60)
    sweep()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert mail_server.message_ids() == [message.message_id()]
    assert mail_server.attempted == [message.message_id()] * 2  # the same Message-ID on every try


def test_a_server_that_says_try_later_is_retried_with_a_growing_delay_then_the_message_fails(
    mail_server, send, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 60
    mail_server.mode = "tempfail"
    message = send()
    waits = []
    for attempt in (1, 2):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.QUEUED, attempt)
        assert message.last_error == "SMTPDataError: (421, b'4.3.2 Service not available, try again later')"
        waits.append(round((message.next_attempt_at - message.created_at).total_seconds()))
        assert deliver(message.pk) is None  # not due yet
        time_passes(retry_delay(attempt))
        assert deliver(message.pk) in (Status.QUEUED, Status.FAILED)
    assert waits[0] in (60, 61) and 120 <= waits[1] - waits[0] <= 121  # 60 s, then 120 s: doubling
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert "421" in message.last_error
    assert len(mail_server.attempted) == 3 and mail_server.messages == []
    time_passes(24 * 3600)
    assert deliver(message.pk) is None  # failed is final until someone resends it
    assert len(mail_server.attempted) == 3


def test_a_message_the_server_refuses_for_good_fails_at_once_without_retries(mail_server, send):
    mail_server.mode = "refuse"
    message = send(to=["gone@example.org"])
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error == "SMTPDataError: (550, b'5.7.1 Message refused')"
    time_passes(24 * 3600)
    sweep()
    assert len(mail_server.attempted) == 1


def test_the_delivered_email_is_the_one_that_was_queued(client, event, mail_server, django_capture_on_commit_callbacks):
    """Everything the sign-up's email holds survives the outbox: recipients, subject, body, the .ics attachment."""
    sign_up(client, event, django_capture_on_commit_callbacks)
    [received] = mail_server.messages
    message = received.message
    assert message["To"] == "a.hassan@school.example.org"
    assert message["From"] == "Coventry Schools of Sanctuary <no-reply@coventry.gov.uk>"
    body, attachment = [part for part in message.walk() if not part.is_multipart()]
    assert "https://teams.example.org/join/SECRET-JOIN-123" in body.get_payload(decode=True).decode()
    assert attachment.get_filename() == f"{event.slug}.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert b"BEGIN:VCALENDAR" in attachment.get_payload(decode=True)


def test_queuing_the_same_key_twice_stores_one_message_and_sends_it_once(mail_server, send):
    mail_server.stop()
    first = send("Hello", "First", key="promise-1")
    second = send("Hello again", "Second", key="promise-1")
    assert second.pk == first.pk
    assert OutboxMessage.objects.get().body == "First"  # the promise as first made
    mail_server.start()
    time_passes(retry_delay(1) + 60)
    sweep()
    assert [received.message["Subject"] for received in mail_server.messages] == ["Hello"]


def test_a_registration_confirmed_twice_is_emailed_once(client, event, mail_server, django_capture_on_commit_callbacks):
    sign_up(client, event, django_capture_on_commit_callbacks)
    registration = EventRegistration.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        queue_registration_email(registration.pk, "confirmed")  # a retried job, a second confirmation
    assert OutboxMessage.objects.filter(key=f"event-registration-{registration.pk}-confirmed").count() == 1
    assert len(mail_server.messages) == 1


def test_mail_sent_by_code_that_does_not_know_the_outbox_goes_through_it_too(
    client, mail_server, settings, django_capture_on_commit_callbacks
):
    """Wagtail's password reset sends with Django's send_mail: EMAIL_BACKEND is the outbox's backend (Django's test
    runner swaps in its own, so it is set back here), so that email is stored, retried and delivered like ours."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    make_superuser(email="editor@coventry.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/password_reset/", {"email": "editor@coventry.example.org"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert (message.purpose, message.status, message.to) == (
        "Account and system",
        Status.SENT,
        ["editor@coventry.example.org"],
    )
    [received] = mail_server.messages
    assert received.message_id == message.message_id()
    assert "/admin/password_reset/confirm/" in received.message.get_payload(decode=True).decode()
