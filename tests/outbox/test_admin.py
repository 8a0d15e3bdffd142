"""The outbox in the admin: mail that failed after its last try is shown, with why, to the "Mail" group (and
superusers) and to nobody else; they resend one or all failed; the dashboard counts failures; nobody adds, edits or
deletes a message. Messages fail here for real, at the loopback SMTP server."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from outbox.mail import deliver
from outbox.models import OutboxMessage
from security.admin_groups import EDITORS
from tests.factories import make_staff, make_superuser
from tests.outbox.conftest import time_passes

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status
INDEX = "/admin/outbox/"
ERROR = "SMTPDataError: (421, b'4.3.2 Service not available, try again later')"


@pytest.fixture
def failed_mail(mail_server, send, settings):
    """Two emails that failed after their last try (the server said "try later" twice), one that was sent."""
    call_command("ensure_admin_groups", stdout=io.StringIO())
    settings.OUTBOX_MAX_ATTEMPTS = 2
    mail_server.mode = "tempfail"
    failed = [send("Your place is booked: Induction", to=[f"teacher{n}@school.example.org"]) for n in (1, 2)]
    time_passes(3600)
    for message in failed:
        assert deliver(message.pk) == Status.FAILED
    mail_server.mode = "normal"
    sent = send("Community board: 1 post waiting", to=["moderator@coventry.example.org"])
    assert sent.status == Status.SENT
    mail_server.messages.clear()
    return [OutboxMessage.objects.get(pk=message.pk) for message in failed]


def mail_group_client(client):
    client.force_login(make_staff("Mail", username="mail-watcher"))
    return client


def assert_refused(response, secret):
    """Refused: 403, or Wagtail's redirect to the dashboard with "you do not have permission"; nothing leaked."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or response["Location"].startswith("/admin/login/")
    assert secret not in response.content.decode()


def test_the_mail_group_has_least_privilege():
    call_command("ensure_admin_groups", stdout=io.StringIO())
    permissions = Group.objects.get(name="Mail").permissions.values_list("content_type__app_label", "codename")
    assert sorted(permissions) == [
        ("outbox", "resend_outboxmessage"),
        ("outbox", "view_outboxmessage"),
        ("wagtailadmin", "access_admin"),
    ]


def test_mail_that_failed_after_its_last_try_is_shown_to_the_mail_group_with_why(client, failed_mail):
    client = mail_group_client(client)
    dashboard = client.get("/admin/").content.decode()
    assert "2</strong> emails could not be sent" in dashboard
    assert f'href="{INDEX}?status=failed"' in dashboard

    listing = client.get(INDEX)
    assert listing.status_code == 200
    assert "Community board: 1 post waiting" in listing.text and "teacher1@school.example.org" in listing.text
    failed_only = client.get(INDEX, {"status": "failed"})
    assert failed_only.text.count("Your place is booked: Induction") == 2
    assert "Community board: 1 post waiting" not in failed_only.text
    assert "Resend all 2 failed emails" in failed_only.text
    found = client.get(INDEX, {"q": "TEACHER2@school"})  # search by address, any case
    assert "teacher2@school.example.org" in found.text and "teacher1@school.example.org" not in found.text

    message = failed_mail[0]
    inspect = client.get(reverse("outbox:inspect", args=[message.pk]))
    assert inspect.status_code == 200
    assert "421" in inspect.text and "Service not available, try again later" in inspect.text
    assert message.body in inspect.text and "Resend this email" in inspect.text


def test_an_editor_without_the_mail_permission_is_refused_the_outbox_and_cannot_resend(client, failed_mail):
    client.force_login(make_staff(EDITORS, username="editor"))
    message = failed_mail[0]
    for url in (INDEX, INDEX + "?status=failed", reverse("outbox:inspect", args=[message.pk])):
        assert_refused(client.get(url), "teacher1@school.example.org")
    assert_refused(client.post(reverse("outbox:resend", args=[message.pk])), message.subject)
    assert_refused(client.post(reverse("outbox:resend_failed")), message.subject)
    assert set(OutboxMessage.objects.filter(pk__in=[m.pk for m in failed_mail]).values_list("status", flat=True)) == {
        Status.FAILED
    }
    dashboard = client.get("/admin/").content.decode()
    assert "could not be sent" not in dashboard and INDEX not in dashboard  # no panel, no menu item

    client.logout()
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_mail_group_resends_one_then_all_failed_and_each_is_delivered_once(
    client, failed_mail, mail_server, django_capture_on_commit_callbacks
):
    client = mail_group_client(client)
    first, second = failed_mail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("outbox:inspect", args=[first.pk])
    first.refresh_from_db()
    assert (first.status, first.attempts) == (Status.SENT, 1)  # a fresh set of tries
    assert mail_server.message_ids() == [first.message_id()]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend", args=[first.pk]), follow=True)
    assert "only failed emails can be resent" in response.text  # sent is sent: not again

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:resend_failed"), follow=True)
    assert "1 failed email queued again" in response.text
    assert sorted(mail_server.message_ids()) == sorted([first.message_id(), second.message_id()])
    assert not OutboxMessage.objects.filter(status=Status.FAILED).exists()
    assert "could not be sent" not in client.get("/admin/").content.decode()


def test_nobody_adds_edits_or_deletes_a_message_not_even_a_superuser(client, failed_mail):
    client.force_login(make_superuser())
    message = failed_mail[0]
    listing = client.get(INDEX)
    assert listing.status_code == 200 and message.subject in listing.text
    assert client.get(reverse("outbox:inspect", args=[message.pk])).status_code == 200
    for name in ("add", "edit", "delete", "copy", "delete-multiple"):
        with pytest.raises(NoReverseMatch):
            reverse(f"outbox:{name}", args=[message.pk] if name in ("edit", "delete", "copy") else [])
    for url in (INDEX + "new/", f"{INDEX}edit/{message.pk}/", f"{INDEX}delete/{message.pk}/"):
        assert client.get(url).status_code == 404
        assert client.post(url, {"subject": "Changed"}).status_code == 404
    assert f"{INDEX}new/" not in listing.text and f"{INDEX}edit/" not in listing.text
    assert f"{INDEX}delete/" not in client.get(reverse("outbox:inspect", args=[message.pk])).text
    assert OutboxMessage.objects.get(pk=message.pk).subject == message.subject
