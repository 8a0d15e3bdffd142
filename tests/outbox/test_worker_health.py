"""/healthz/worker: for monitoring, whether the mail queue is draining. 200 while no email has waited longer than
OUTBOX_STALL_SECONDS to be delivered, 503 once one has (no worker running, or the mail server down that long); the
body tells the two apart (`oldest_due_seconds`: due now and not going is the worker's problem); cheap, no personal
data, never kept by a proxy or the page cache."""

import json
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone

from outbox.mail import queue_email
from outbox.models import OutboxMessage
from scheduler.jobs import run_due_jobs
from tests.outbox.conftest import time_passes

pytestmark = pytest.mark.django_db
URL = "/healthz/worker"
ADDRESS = "amira.private@school.example.org"


def health():
    response = Client().get(URL)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def queue(subject="Your place is booked: Induction"):
    """Queued in the test's transaction, which never commits: nothing delivers it, as when no worker runs."""
    return queue_email(EmailMessage(subject, "Join at https://teams.example.org/join/1", to=[ADDRESS]), purpose="Test")


def test_the_queue_is_draining_while_nothing_due_has_waited_too_long(settings):
    settings.OUTBOX_STALL_SECONDS = 300
    assert health() == (
        200,
        {
            "draining": True,
            "oldest_queued_seconds": 0,
            "oldest_due_seconds": 0,
            "queued": 0,
            "failed": 0,
            "last_scheduled_run": None,
        },
    )
    queue()
    time_passes(299)
    status, body = health()
    assert status == 200
    assert body["draining"] is True and body["queued"] == 1 and 299 <= body["oldest_due_seconds"] <= 300
    assert 299 <= body["oldest_queued_seconds"] <= 300


def test_a_due_message_older_than_the_stall_time_answers_503(settings):
    settings.OUTBOX_STALL_SECONDS = 300
    queue()
    time_passes(301)
    status, body = health()
    assert status == 503
    assert body["draining"] is False and body["queued"] == 1 and body["oldest_due_seconds"] >= 301


def test_mail_undelivered_for_too_long_answers_503_even_when_it_waits_for_its_next_try(settings):
    """The mail server has been down for an hour: the worker is doing its job (nothing is due: each email waits for
    its retry, `oldest_due_seconds` 0), but no email is going out, and whoever watches must know. Failed mail is
    over (the admin's outbox and dashboard show it) and only counted."""
    settings.OUTBOX_STALL_SECONDS = 300
    waiting, failed = queue(), queue("Failed")
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxMessage.Status.FAILED)
    OutboxMessage.objects.filter(pk=waiting.pk).update(attempts=5, next_attempt_at=timezone.now() + timedelta(hours=1))
    time_passes(3000)  # both were queued long ago; the waiting one is due in ten minutes
    status, body = health()
    assert status == 503
    assert (body["queued"], body["failed"], body["oldest_due_seconds"]) == (1, 1, 0)
    assert body["oldest_queued_seconds"] >= 3000 and body["draining"] is False


def test_a_retry_within_the_stall_time_is_still_draining(settings):
    settings.OUTBOX_STALL_SECONDS = 300
    waiting = queue()
    OutboxMessage.objects.filter(pk=waiting.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    time_passes(120)  # queued two minutes ago, its retry due in three
    status, body = health()
    assert status == 200 and body["oldest_queued_seconds"] >= 120 and body["oldest_due_seconds"] == 0


def test_it_names_when_a_scheduler_last_ran():
    run_due_jobs(only=["outbox_sweep"])
    _, body = health()
    assert body["last_scheduled_run"] is not None


def test_it_holds_no_personal_data_and_is_never_kept_by_a_proxy_or_the_page_cache(page_cache_on, settings):
    settings.OUTBOX_STALL_SECONDS = 300
    queue()
    response = Client().get(URL)
    text = response.content.decode()
    assert ADDRESS not in text and "amira" not in text and "Induction" not in text and "teams" not in text
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control and "public" not in cache_control
    assert "X-Page-Cache" not in response
    time_passes(301)
    assert Client().get(URL).status_code == 503  # the second answer is fresh, not a copy of the first


def test_it_is_cheap_and_refuses_anything_but_get(client, django_assert_max_num_queries):
    queue()
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
    assert client.post(URL).status_code == 405
