"""The outbox's personal data (docs/privacy.md): `manage.py personal_data export|erase` find the emails to an address
(or answering to it) in any case and any form, erasure takes the address out of other people's emails that mention
it, and `apply_retention` deletes old sent and failed mail while keeping what still waits."""

import io
import json
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone

from outbox.mail import queue_email
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
EMAIL = "amira.hassan@school.example.org"


def run(*args):
    output = io.StringIO()
    call_command(*args, stdout=output, stderr=output)
    return output.getvalue()


def queue(subject, body="Hello", **addresses):
    return queue_email(EmailMessage(subject, body, **addresses), purpose="Test")


@pytest.fixture
def mail_about_her():
    return {
        "named": queue("Your place is booked", to=["Amira Hassan <Amira.Hassan@School.example.org>"]),
        "bcc": queue("Digest", bcc=["mod@coventry.example.org", EMAIL.upper()]),
        "enquiry": queue(
            "New enquiry", body=f"Name: Amira\nEmail: {EMAIL}", to=["emas@coventry.example.org"], reply_to=[EMAIL]
        ),  # fmt: skip
        "mention": queue("Slides", body=f"Ask {EMAIL.upper()} for the slides.", to=["colleague@example.org"]),
        "other": queue("Your place is booked", to=["someone.else@example.org"]),
        "similar": queue("Not hers", to=[f"x{EMAIL}"]),
    }


def exported(email):
    return json.loads(run("personal_data", "export", email))["data"]["outbox"]


def test_export_finds_her_emails_in_any_case_and_form_and_those_that_mention_her(mail_about_her):
    outbox = exported(EMAIL.upper())
    assert [row["subject"] for row in outbox["emails"]] == ["Your place is booked", "Digest", "New enquiry"]
    assert outbox["emails"][0]["to"] == ["Amira Hassan <Amira.Hassan@School.example.org>"]
    assert outbox["emails"][2]["reply_to"] == [EMAIL] and EMAIL in outbox["emails"][2]["body"]
    assert [row["subject"] for row in outbox["emails_mentioning_the_address"]] == ["Slides"]


def test_erase_deletes_her_emails_and_takes_her_address_out_of_other_peoples(mail_about_her):
    output = run("personal_data", "erase", EMAIL, "--yes")
    assert "outbox.emails deleted: 3" in output and "outbox.emails redacted: 1" in output
    assert exported(EMAIL) == {"emails": [], "emails_mentioning_the_address": []}
    kept = {message.pk: message for message in OutboxMessage.objects.all()}
    assert set(kept) == {mail_about_her[name].pk for name in ("mention", "other", "similar")}
    assert kept[mail_about_her["mention"].pk].body == "Ask [email removed] for the slides."
    assert kept[mail_about_her["mention"].pk].status == Status.QUEUED  # still goes to the colleague, without it


def test_retention_deletes_old_sent_and_failed_mail_and_keeps_what_is_recent_or_still_waiting(settings):
    settings.OUTBOX_SENT_RETENTION_DAYS, settings.OUTBOX_FAILED_RETENTION_DAYS = 30, 90
    now = timezone.now()
    ages = {
        "sent long ago": (Status.SENT, 31),
        "sent lately": (Status.SENT, 29),
        "failed long ago": (Status.FAILED, 91),
        "failed lately": (Status.FAILED, 89),
        "still queued": (Status.QUEUED, 400),
    }
    for subject, (status, days) in ages.items():
        message = queue(subject, to=[EMAIL])
        when = now - timedelta(days=days)
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=status, created_at=when, sent_at=when if status == Status.SENT else None
        )
    dry_run = run("apply_retention", "--dry-run")
    assert "outbox_sent: 1 delivered emails deleted from the outbox after 30 days" in dry_run
    assert "outbox_failed: 1 failed emails deleted from the outbox after 90 days" in dry_run
    assert OutboxMessage.objects.count() == 5

    run("apply_retention")
    assert set(OutboxMessage.objects.values_list("subject", flat=True)) == {
        "sent lately",
        "failed lately",
        "still queued",
    }
