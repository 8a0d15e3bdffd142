"""Subject access and erasure: `manage.py personal_data export|erase EMAIL` across every app, ignoring case."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import ModelLogEntry

from board.models import BoardPost, BoardReport
from events.models import EventRegistration
from outbox.models import OutboxMessage
from tests.privacy.conftest import EMAIL, run_command

pytestmark = pytest.mark.django_db


def export(email, tmp_path):
    path = tmp_path / "export.json"
    run_command("personal_data", "export", email, "--output", str(path))
    return json.loads(path.read_text())["data"]


def test_export_finds_everything_held_about_the_address_in_any_case(teacher_everywhere, tmp_path):
    data = export(EMAIL.lower(), tmp_path)
    assert [row["title"] for row in data["board"]["posts"]] == ["Welcome cards", "Our refugee week assembly"]
    assert [row["title"] for row in data["board"]["posts_mentioning_the_address"]] == ["Not hers"]
    [registration] = data["events"]["registrations"]
    assert registration["name"] == "Amira Hassan" and registration["school"] == "Whitley Primary"
    [enquiry] = data["home"]["enquiries"]
    assert enquiry["data"]["work_email_address"] == EMAIL.upper()  # found inside the JSON, other case
    assert enquiry["data"]["your_message"] == "How do we start?"
    [account] = data["home"]["user_accounts"]
    assert account["username"] == "amira"
    [reported] = data["board"]["reports_mentioning_the_address"]
    assert reported["reason"].startswith("This gives out")
    assert any(entry["action"] == "board.report" for entry in data["home"]["audit_log_entries"])
    # The outbox: her confirmation, and the enquiry passed on to EMAS (it answers to her address, and holds her words).
    emails = {row["subject"]: row for row in data["outbox"]["emails"]}
    enquiry_subject = teacher_everywhere["enquiry"].page.specific.email_subject
    assert set(emails) == {f"Your place is booked: {teacher_everywhere['event'].title}", enquiry_subject}
    passed_on = emails[enquiry_subject]
    assert passed_on["reply_to"] == [EMAIL.upper()] and "How do we start?" in passed_on["body"]


def test_export_to_standard_output_is_json(teacher_everywhere):
    document = json.loads(run_command("personal_data", "export", EMAIL))
    assert document["email"] == EMAIL.lower()
    assert len(document["data"]["board"]["posts"]) == 2


def test_export_of_an_unknown_address_is_empty(teacher_everywhere, tmp_path):
    data = export("nobody@example.org", tmp_path)
    assert all(rows == [] for kinds in data.values() for rows in kinds.values())


def test_not_an_email_address_is_refused(db):
    with pytest.raises(CommandError, match="not an email address"):
        run_command("personal_data", "export", "amira")


def test_erase_without_yes_changes_nothing(teacher_everywhere):
    output = run_command("personal_data", "erase", EMAIL)
    assert "board.posts: 2" in output and "Nothing changed" in output
    assert BoardPost.objects.filter(email__iexact=EMAIL).count() == 2
    assert FormSubmission.objects.count() == 1


def test_erase_removes_or_anonymises_everything_and_keeps_public_content(teacher_everywhere, client, tmp_path):
    held = teacher_everywhere
    output = run_command("personal_data", "erase", EMAIL.upper(), "--yes")
    assert "board.posts anonymised: 1" in output and "board.posts deleted: 1" in output

    # Nothing is left to export.
    data = export(EMAIL, tmp_path)
    assert all(rows == [] for kinds in data.values() for rows in kinds.values()), data

    # The public post stays on the board, anonymised; the never-public one is gone.
    public = BoardPost.objects.get(pk=held["public_post"].pk)
    assert (public.email, public.display_name, public.school, public.status) == ("", "", "", "approved")
    page = client.get(public.get_absolute_url()).content.decode()
    assert "Welcome cards" in page and "Anonymous" in page
    assert "Whitley Primary" not in page and "Amira H." not in page
    assert not BoardPost.objects.filter(pk=held["pending_post"].pk).exists()
    other = BoardPost.objects.get(pk=held["other_post"].pk)
    assert other.message == "Ask [email removed] for slides" and other.email == "someone.else@example.org"

    # The registration is anonymised; her place went to the person waiting.
    registration = EventRegistration.objects.get(pk=held["registration"].pk)
    assert registration.anonymised and registration.email == "" and registration.name == ""
    assert registration.status == EventRegistration.Status.CANCELLED
    assert EventRegistration.objects.get(pk=held["waiting"].pk).status == EventRegistration.Status.CONFIRMED

    assert not FormSubmission.objects.exists()
    # Her emails are gone from the outbox; the emails to the person who was promoted stay.
    assert not OutboxMessage.objects.filter(recipients=EMAIL.lower()).exists()
    assert OutboxMessage.objects.filter(recipients="next@example.org").count() == 2  # waiting, then promoted
    user = get_user_model().objects.get(pk=held["user"].pk)
    assert (user.email, user.first_name, user.is_active, user.has_usable_password()) == ("", "", False, False)

    # The erasure is in the audit log, which does not keep the address itself.
    assert ModelLogEntry.objects.filter(action="privacy.erase").count() >= 3
    assert not ModelLogEntry.objects.filter(label__icontains=EMAIL).exists()
    assert not [entry.data for entry in ModelLogEntry.objects.all() if EMAIL.lower() in json.dumps(entry.data).lower()]
    assert BoardReport.objects.get().reason == "This gives out [email removed]'s address without asking"
    assert "privacy.erase" in output

    # Running it again finds nothing more to do.
    again = run_command("personal_data", "erase", EMAIL, "--yes")
    assert "board.posts anonymised: 0" in again and "events.registrations anonymised: 0" in again
