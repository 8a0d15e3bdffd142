"""Editors' registration admin: listing, filters, search, counts, exports, cancel/promote, places given to people
waiting when a higher capacity is published (now or on schedule), email attendees."""

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import EventPage, EventRegistration
from scheduler.jobs import run_due_jobs
from security.spreadsheets import spreadsheet_safe

Status = EventRegistration.Status
INDEX = "/admin/events/eventregistration/"
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("editor", "editor@coventry.example.org", "correct horse 12")


@pytest.fixture
def editor_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def registrations(make_event):
    event = make_event(title="Induction", capacity=2)
    other = make_event(title="Twilight")
    rows = [
        (event, "Amira Hassan", "amira@school.example.org", "Whitley Primary", Status.CONFIRMED),
        (event, "Sam Okoro", "sam@school.example.org", "Caludon Castle", Status.CONFIRMED),
        (event, '=HYPERLINK("http://evil")', "evil@school.example.org", "+cmd|' /C calc'!A0", Status.WAITING),
        (event, "Lee Chen", "lee@school.example.org", "Whitley Primary", Status.CANCELLED),
        (other, "Priya Shah", "priya@school.example.org", "Stoke Park", Status.CONFIRMED),
    ]
    for target, name, email, school, status in rows:
        EventRegistration.objects.create(event=target, name=name, email=email, school=school, status=status)
    return event, other


def test_listing_shows_registrations_and_counts(editor_client, registrations):
    response = editor_client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Amira Hassan", "Sam Okoro", "Priya Shah"):
        assert name in html
    assert "<strong>3</strong> confirmed" in html
    assert "<strong>1</strong> waiting list" in html
    assert "<strong>1</strong> cancelled" in html


def test_filter_by_event_and_status_updates_counts(editor_client, registrations):
    event, other = registrations
    html = editor_client.get(INDEX, {"event__page_ptr__exact": event.pk, "status__exact": "confirmed"}).content.decode()
    assert "Amira Hassan" in html and "Sam Okoro" in html
    assert "Priya Shah" not in html and "Lee Chen" not in html
    assert "<strong>2</strong> confirmed" in html
    assert reverse("events_email_attendees", args=[event.pk]) in html  # email the attendees of this event


def test_search_by_name_and_school(editor_client, registrations):
    html = editor_client.get(INDEX, {"q": "Whitley"}).content.decode()
    assert "Amira Hassan" in html and "Lee Chen" in html and "Sam Okoro" not in html
    html = editor_client.get(INDEX, {"q": "Okoro"}).content.decode()
    assert "Sam Okoro" in html and "Amira Hassan" not in html


def test_xlsx_export_is_the_default_button_and_has_every_row(editor_client, registrations):
    html = editor_client.get(INDEX).content.decode()
    assert html.index("export=xlsx") < html.index("export=csv")  # XLSX offered first
    response = editor_client.get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Event", "Name", "Work Email", "School")
    names = {row[1] for row in rows[1:]}
    assert {"Amira Hassan", "Sam Okoro", "Priya Shah", "Lee Chen"} <= names
    # Nothing arrives as a formula: the cell holds text starting with a quote.
    evil = next(row for row in rows[1:] if row[2] == "evil@school.example.org")
    assert evil[1] == '\'=HYPERLINK("http://evil")'
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_csv_export_is_safe_against_formula_injection(editor_client, registrations):
    response = editor_client.get(INDEX, {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(content)))
    evil = next(row for row in rows if row[2] == "evil@school.example.org")
    assert evil[1] == '\'=HYPERLINK("http://evil")'
    assert evil[3] == "'+cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_spreadsheet_safe_prefixes_formula_starts(value):
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("Whitley Primary") == "Whitley Primary"
    assert spreadsheet_safe(3) == 3


def test_cancel_action_asks_then_cancels_and_promotes_with_email(
    editor_client, registrations, django_capture_on_commit_callbacks
):
    amira = EventRegistration.objects.get(name="Amira Hassan")
    url = reverse("events_registration_action", args=[amira.pk, "cancel"])
    assert url in editor_client.get(INDEX).content.decode()
    assert "Yes, cancel it" in editor_client.get(url).content.decode()
    assert EventRegistration.objects.get(pk=amira.pk).status == Status.CONFIRMED  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, follow=True)
    assert response.status_code == 200
    assert EventRegistration.objects.get(pk=amira.pk).status == Status.CANCELLED
    promoted = EventRegistration.objects.get(email="evil@school.example.org")
    assert promoted.status == Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [["evil@school.example.org"]]
    assert "was promoted from the waiting list" in response.content.decode()


def test_promote_action_gives_a_place_beyond_capacity(editor_client, registrations, django_capture_on_commit_callbacks):
    waiting = EventRegistration.objects.get(status=Status.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("events_registration_action", args=[waiting.pk, "promote"]))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert mail.outbox[0].subject.startswith("A place is now yours")


def test_email_all_attendees_sends_one_email_each_in_the_background(
    editor_client, registrations, django_capture_on_commit_callbacks
):
    event, _ = registrations
    url = reverse("events_email_attendees", args=[event.pk])
    page = editor_client.get(url).content.decode()
    assert "2 with a place, 1 on the waiting list" in page
    invalid = editor_client.post(url, {"subject": "", "message": ""})
    assert invalid.status_code == 200 and "This field is required" in invalid.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"subject": "Room change", "message": "We are now in room 2."})
    assert response.status_code == 302
    assert sorted(message.to[0] for message in mail.outbox) == ["amira@school.example.org", "sam@school.example.org"]
    assert all(len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox)
    assert "We are now in room 2." in mail.outbox[0].body
    assert "/cancel/" in mail.outbox[0].body


@pytest.fixture
def ordinary_user(db):
    return get_user_model().objects.create_user("teacher", "teacher@school.example.org", "correct horse 12")


def test_ordinary_users_are_refused(client, ordinary_user, registrations, django_capture_on_commit_callbacks):
    event, _ = registrations
    amira = EventRegistration.objects.get(name="Amira Hassan")
    urls = [
        INDEX,
        INDEX + "?export=csv",
        INDEX + "?export=xlsx",
        reverse("events_registration_action", args=[amira.pk, "cancel"]),
        reverse("events_email_attendees", args=[event.pk]),
    ]
    for logged_in in (False, True):
        if logged_in:
            client.force_login(ordinary_user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), url
            assert b"Amira" not in response.content
            if response.status_code == 302:
                assert "/admin/login/" in response["Location"]
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("events_registration_action", args=[amira.pk, "cancel"]))
            client.post(reverse("events_email_attendees", args=[event.pk]), {"subject": "x", "message": "y"})
    assert EventRegistration.objects.get(pk=amira.pk).status == Status.CONFIRMED
    assert mail.outbox == []


def test_admin_user_without_registration_permission_is_refused(client, registrations):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("moderator", "m@coventry.example.org", "correct horse 12")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    event, _ = registrations
    amira = EventRegistration.objects.get(name="Amira Hassan")
    for method, url in (
        (client.get, INDEX),
        (client.post, reverse("events_registration_action", args=[amira.pk, "cancel"])),
        (client.get, reverse("events_email_attendees", args=[event.pk])),
    ):
        response = method(url)
        # Wagtail turns "permission denied" in the admin into a redirect to the dashboard with a message.
        assert response.status_code in (302, 403), url
        assert b"Amira" not in response.content
        if response.status_code == 302:
            assert response["Location"] == "/admin/"
    assert EventRegistration.objects.get(pk=amira.pk).status == Status.CONFIRMED


def test_publishing_a_higher_capacity_gives_places_to_people_waiting(
    editor_client, make_event, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    event = make_event(capacity=1)
    for number, status in enumerate(["confirmed", "waiting", "waiting", "waiting"]):
        EventRegistration.objects.create(
            event=event, name=f"P{number}", email=f"p{number}@s.example.org", status=status
        )
    data = nested_form_data(
        {
            "title": event.title,
            "slug": event.slug,
            "summary": event.summary,
            "body": streamfield([]),
            "start": event.start.astimezone().strftime("%Y-%m-%d %H:%M"),
            "end": event.end.astimezone().strftime("%Y-%m-%d %H:%M"),
            "event_format": "online",
            "joining_link": event.joining_link,
            "capacity": 3,
            "transcript": rich_text(""),
            "speakers": inline_formset([]),
            "action-publish": "publish",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)
    assert response.status_code == 302
    assert statuses_in_order(event) == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@s.example.org", "p2@s.example.org"]
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert "2 people on the waiting list were given a place and emailed." in told


def statuses_in_order(event):
    return list(EventRegistration.objects.filter(event=event).order_by("pk").values_list("status", flat=True))


def test_a_scheduled_higher_capacity_gives_places_to_people_waiting_when_it_goes_live(
    make_event, django_capture_on_commit_callbacks
):
    """A scheduled revision goes live through the scheduler's `publish_scheduled` job (Wagtail's command, run every
    minute by `run_scheduled_jobs`), with no admin view and
    so no `after_publish_page` hook: the places are filled on Wagtail's `page_published` signal, which every way
    of publishing sends."""
    event = make_event(capacity=1)
    for number, status in enumerate(["confirmed", "waiting", "waiting", "waiting"]):
        EventRegistration.objects.create(
            event=event, name=f"P{number}", email=f"p{number}@s.example.org", status=status
        )
    event.capacity = 3
    event.go_live_at = timezone.now() + timedelta(hours=1)
    revision = event.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()  # what "Publish" with a go-live date in the future does: schedules it
    assert EventPage.objects.get(pk=event.pk).capacity == 1
    assert statuses_in_order(event) == ["confirmed", "waiting", "waiting", "waiting"]
    assert mail.outbox == []

    # An hour later the revision is due: its go-live moment has passed.
    due = timezone.now() - timedelta(minutes=1)
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    revision.content["go_live_at"] = due.isoformat()
    revision.approved_go_live_at = due
    revision.save(update_fields=["content", "approved_go_live_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert "publish_scheduled" in run_due_jobs(only=["publish_scheduled"])

    assert EventPage.objects.get(pk=event.pk).capacity == 3
    assert statuses_in_order(event) == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@s.example.org", "p2@s.example.org"]
    assert {m.subject for m in mail.outbox} == {f"A place is now yours: {event.title}"}


def test_editor_can_correct_a_name_but_not_the_booking_fields(editor_client, registrations):
    amira = EventRegistration.objects.get(name="Amira Hassan")
    url = f"{INDEX}edit/{amira.pk}/"
    form_html = editor_client.get(url).content.decode()
    assert 'name="name"' in form_html
    for field in ("email", "status", "event", "anonymised"):
        assert f'name="{field}"' not in form_html
    response = editor_client.post(url, {"name": "Amira Hassan-Ali", "school": "Whitley Primary", "role": "teacher"})
    assert response.status_code == 302
    amira.refresh_from_db()
    assert amira.name == "Amira Hassan-Ali" and amira.status == Status.CONFIRMED


def test_nobody_adds_registrations_by_hand_in_the_admin(editor_client, registrations):
    assert editor_client.get(INDEX + "create/").status_code in (302, 403)


def _exported_rows(editor_client, **params):
    response = editor_client.get(INDEX, {"export": "xlsx", **params})
    assert response.status_code == 200
    content = b"".join(response.streaming_content if response.streaming else [response.content])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_xlsx_export_has_empty_cells_empty_and_the_labels_the_admin_shows(editor_client, make_event):
    event = make_event(title="Induction", start=datetime(2024, 10, 1, 15, 30, tzinfo=LONDON))
    EventRegistration.objects.create(
        event=event, name="Amira Hassan", email="amira@school.example.org", school="", role="headteacher"
    )
    EventRegistration.objects.create(
        event=event,
        name="-Sam",
        email="sam@school.example.org",
        school="@Whitley",
        role="",
        access_needs="=1+1",
        status=Status.WAITING,
    )
    rows = {row["Work Email"]: row for row in _exported_rows(editor_client)}
    amira, sam = rows["amira@school.example.org"], rows["sam@school.example.org"]
    # Nothing typed: an empty cell (it was "'-", Wagtail's "-" for empty behind the formula guard).
    assert amira["School"] is None and amira["Access Or Dietary Needs"] is None and sam["Role"] is None
    # Role and status as the admin listing shows them, not the stored codes.
    assert amira["Role"] == "Headteacher or senior leader"
    assert (amira["Status"], sam["Status"]) == ("Confirmed", "Waiting list")
    # The event tells same-titled events apart, as the "By event" filter does.
    assert amira["Event"] == "Induction – 1 October 2024"
    # What the public typed is still kept from running as a formula.
    assert (sam["Name"], sam["School"], sam["Access Or Dietary Needs"]) == ("'-Sam", "'@Whitley", "'=1+1")


def test_exports_write_times_in_local_time_in_a_dated_file_excel_reads_as_utf8(editor_client, make_event):
    """Wagtail writes XLSX times in UTC and CSV times as Python prints them; a sign-up at 10:05 in Coventry (summer
    time) must read 10:05. Without a byte-order mark Excel garbles a CSV's non-English names."""
    event = make_event(title="Induction")
    registration = EventRegistration.objects.create(event=event, name="Zoë Ó Briain", email="zoe@school.example.org")
    EventRegistration.objects.filter(pk=registration.pk).update(created=datetime(2025, 6, 2, 9, 5, tzinfo=UTC))
    [row] = _exported_rows(editor_client)
    assert row["Signed Up"] == datetime(2025, 6, 2, 10, 5)  # a date cell, in local time
    response = editor_client.get(INDEX, {"export": "csv"})
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())
    [row] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert (row["Name"], row["Signed Up"]) == ("Zoë Ó Briain", "2025-06-02 10:05")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="event-registrations-{today:%Y-%m-%d}.csv"'


def test_by_event_filter_tells_same_titled_events_apart_by_date_newest_first(editor_client, make_event):
    from bs4 import BeautifulSoup

    title = "Introduction to Schools of Sanctuary"
    older = make_event(title=title, start=datetime(2024, 10, 1, 15, 30, tzinfo=LONDON))
    newer = make_event(title=title, start=datetime(2025, 9, 30, 15, 30, tzinfo=LONDON))
    EventRegistration.objects.create(event=older, name="Amira Hassan", email="amira@school.example.org")
    html = editor_client.get(INDEX).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.find(string=lambda text: text and "By event" in text)
    assert heading is not None
    choices = [a.get_text(" ", strip=True) for a in heading.find_parent("div").find_all("a")]
    ours = [choice for choice in choices if choice.startswith(title + " –")]
    assert ours == [f"{title} – 30 September 2025", f"{title} – 1 October 2024"]
    # Choosing one filters to it.
    filtered = editor_client.get(INDEX, {"event__page_ptr__exact": older.pk}).content.decode()
    assert "Amira Hassan" in filtered
    assert editor_client.get(INDEX, {"event__page_ptr__exact": newer.pk}).content.decode().count("Amira Hassan") == 0
