"""Signing up for an event: places, the waiting list, cancelling with the signed link, and the emails each sends."""

import re
from datetime import timedelta

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from events.models import EventRegistration
from events.services import make_cancel_token, registration_from_cancel_token
from outbox.models import OutboxMessage

Status = EventRegistration.Status


def sign_up(client, event, data, capture):
    """As a teacher does it: the event page's "Sign up" link, then the form on the sign-up page."""
    event_page = BeautifulSoup(client.get(event.url).content, "html.parser")
    link = event_page.select_one(".event__signup a.button")
    assert link is not None and link["href"] == event.url + "register/"
    form = BeautifulSoup(client.get(link["href"]).content, "html.parser").select_one("form.form")
    assert form["method"] == "post" and form["action"] == event.url + "register/"
    with capture(execute=True):
        return client.post(form["action"], data, follow=True)


def cancel_link(message):
    return re.search(r"http://testserver(/events/[^\s]+/cancel/[\w-]+/)", message.body).group(1)


def test_valid_signup_books_a_place_and_says_what_happens_next(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    response = sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your place is booked" in html
    assert "What happens next" in html
    assert "emailed a confirmation" in html
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.email, registration.school, registration.status) == (
        "Amira Hassan",
        "a.hassan@school.example.org",
        "Whitley Primary",
        Status.CONFIRMED,
    )
    assert registration.consent is True

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["a.hassan@school.example.org"]
    assert message.subject == f"Your place is booked: {event.title}"
    assert event.display_dates in message.body
    assert "https://teams.example.org/join/SECRET-JOIN-123" in message.body  # online: the joining link
    assert cancel_link(message).startswith(event.url + "cancel/")
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"{event.slug}.ics" and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.start
    assert vevent.decoded("DTEND") == event.end
    assert "SECRET-JOIN" not in str(content)  # the attachment may be forwarded: no joining link in it


def test_in_person_confirmation_has_the_venue_and_no_joining_link(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event(event_format="in_person", venue="Council House\nEarl Street", joining_link="")
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    body = mail.outbox[0].body
    assert "Council House" in body and "Earl Street" in body
    assert "Join online" not in body


def test_invalid_signup_shows_errors_beside_fields_keeps_input_and_stores_nothing(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event()
    data = {**signup_data, "email": "not-an-email", "name": "   "}
    del data["consent"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "register/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    soup = BeautifulSoup(html, "html.parser")
    email_field = soup.find("input", id="id_email").find_parent(class_="field")
    assert "Enter a valid email address." in email_field.find(class_="field__error").get_text()
    assert "Tick the box to agree to the privacy notice" in html
    assert 'value="Whitley Primary"' in html  # what was typed is kept
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_full_event_puts_people_on_the_waiting_list_and_tells_them(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    page_html = client.get(event.url).content.decode()
    assert "All places are taken" in page_html
    assert "Join the waiting list" in page_html  # the button says what will happen

    response = sign_up(
        client, event, {**signup_data, "email": "second@school.example.org"}, django_capture_on_commit_callbacks
    )
    html = response.content.decode()
    assert "You are on the waiting list" in html
    assert "number 1 on the waiting list" in html
    assert EventRegistration.objects.get(email="second@school.example.org").status == Status.WAITING
    waiting_email = mail.outbox[-1]
    assert waiting_email.subject.startswith("You are on the waiting list")
    assert "SECRET-JOIN" not in waiting_email.body  # no joining link without a place
    assert waiting_email.attachments == []


def test_cancelling_promotes_the_first_person_waiting_and_emails_them(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    for email in ("first.waiting@school.example.org", "second.waiting@school.example.org"):
        sign_up(client, event, {**signup_data, "email": email}, django_capture_on_commit_callbacks)
    link = cancel_link(mail.outbox[0])
    mail.outbox.clear()

    # Opening the link (or a mail scanner fetching it) cancels nothing: it asks first.
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Cancel your place?" in confirm_page.content.decode()
    assert EventRegistration.objects.get(email=signup_data["email"]).status == Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert "Your sign-up is cancelled" in response.content.decode()
    statuses = dict(EventRegistration.objects.values_list("email", "status"))
    assert statuses == {
        signup_data["email"]: Status.CANCELLED,
        "first.waiting@school.example.org": Status.CONFIRMED,
        "second.waiting@school.example.org": Status.WAITING,
    }
    assert len(mail.outbox) == 1
    promotion = mail.outbox[0]
    assert promotion.to == ["first.waiting@school.example.org"]
    assert promotion.subject == f"A place is now yours: {event.title}"
    assert "SECRET-JOIN-123" in promotion.body
    assert promotion.attachments[0][0].endswith(".ics")

    # Using the link again is harmless.
    again = client.post(link)
    assert "Already cancelled" in again.content.decode()
    assert EventRegistration.objects.filter(status=Status.CONFIRMED).count() == 1


def main_text(response):
    return BeautifulSoup(response.content, "html.parser").find("main").get_text(" ", strip=True)


@pytest.mark.parametrize("capacity", [10, 1], ids=["places-left", "full"])
def test_a_duplicate_signup_is_answered_as_a_new_one_and_the_address_is_emailed(
    client, make_event, signup_data, django_capture_on_commit_callbacks, capacity
):
    """Nobody learns from the page whether an address is signed up; only the address's owner is told, by email."""
    event = make_event(capacity=capacity)
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    if capacity == 1:
        sign_up(
            client,
            event,
            {**signup_data, "email": "first.waiting@school.example.org"},
            django_capture_on_commit_callbacks,
        )
    first_email = mail.outbox[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        duplicate = client.post(event.url + "register/", {**signup_data, "email": "A.Hassan@School.Example.org"})
    duplicate_page = client.get(duplicate["Location"])
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(event.url + "register/", {**signup_data, "email": "someone.new@school.example.org"})
    new_page = client.get(new["Location"])

    assert duplicate.status_code == new.status_code == 302
    assert duplicate["Location"].rsplit("/", 2)[0] == new["Location"].rsplit("/", 2)[0] == event.url + "registered"
    assert duplicate_page.status_code == new_page.status_code == 200
    assert main_text(duplicate_page) == main_text(new_page)
    assert "already" not in main_text(duplicate_page).split("Signed up for this event before")[0]

    assert EventRegistration.objects.filter(email=signup_data["email"]).count() == 1  # nothing new stored
    already = next(message for message in mail.outbox if message.to == [signup_data["email"]])
    assert already.subject == f"You are already signed up: {event.title}"
    assert "You are already registered and your place is booked, so nothing has changed" in already.body
    assert event.title in already.body and event.display_dates in already.body
    # The links carry a timestamp, so they differ by the second; both must cancel the one stored place.
    stored = EventRegistration.objects.get(email=signup_data["email"])
    for message in (already, first_email):
        token = cancel_link(message).rstrip("/").rsplit("/", 1)[1]
        assert registration_from_cancel_token(token, event) == stored


def test_someone_who_cancelled_can_sign_up_again(client, make_event, signup_data, django_capture_on_commit_callbacks):
    event = make_event()
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    client.post(cancel_link(mail.outbox[0]))
    response = sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    assert "Your place is booked" in response.content.decode()
    assert EventRegistration.objects.filter(status=Status.CONFIRMED).count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"signup_closes": "past"},  # closing time has passed
        {"start": "past"},  # the event has started
    ],
    ids=["closing-time-passed", "event-started"],
)
def test_closed_signup_shows_no_form_and_refuses_posts(
    client, make_event, signup_data, django_capture_on_commit_callbacks, fields
):
    now = timezone.now()
    if "start" in fields:
        event = make_event(start=now - timedelta(minutes=10), end=now + timedelta(hours=1))
    else:
        event = make_event(signup_closes=now - timedelta(minutes=1))
    html = client.get(event.url).content.decode()
    assert "Sign-up for this event has closed." in html
    assert 'href="' + event.url + 'register/"' not in html
    # Someone who kept the sign-up page's address is told why, with a way back, and gets no form.
    register_page = client.get(event.url + "register/")
    register_html = register_page.content.decode()
    assert register_page.status_code == 200
    assert "Sign-up for this event has closed." in register_html
    assert "<form" not in register_html.split("<main")[1] and "csrfmiddlewaretoken" not in register_html
    assert f'<a href="{event.url}">Back to {event.title}</a>' in register_html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "register/", signup_data)
    assert response.status_code == 409
    assert "Sign-up for this event has closed, so we could not book a place." in response.content.decode()
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_signup_not_yet_open_says_when_it_opens(client, make_event, signup_data):
    opens = timezone.now() + timedelta(days=2)
    event = make_event(signup_opens=opens)
    html = client.get(event.url).content.decode()
    assert "Sign-up opens" in html
    assert 'href="' + event.url + 'register/"' not in html
    register_html = client.get(event.url + "register/").content.decode()
    assert "Sign-up opens" in register_html and "csrfmiddlewaretoken" not in register_html
    assert client.post(event.url + "register/", signup_data).status_code == 409
    assert EventRegistration.objects.count() == 0


def test_tampered_or_foreign_cancel_links_are_refused(
    client, make_event, signup_data, django_capture_on_commit_callbacks
):
    event = make_event()
    other = make_event()
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    registration = EventRegistration.objects.get()
    token = make_cancel_token(registration)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for url in (
        event.url + f"cancel/{tampered}/",
        event.url + "cancel/not-a-token/",
        other.url + f"cancel/{token}/",  # a genuine token used on another event
    ):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400, url
            assert "This cancel link does not work" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_cancel_after_the_event_started_is_refused(client, make_event, signup_data, django_capture_on_commit_callbacks):
    event = make_event()
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    link = cancel_link(mail.outbox[0])
    type(event).objects.filter(pk=event.pk).update(start=timezone.now() - timedelta(minutes=5))
    response = client.post(link)
    assert "already started" in response.content.decode()
    assert EventRegistration.objects.get().status == Status.CONFIRMED


def test_honeypot_signup_is_silently_dropped(client, make_event, signup_data, django_capture_on_commit_callbacks):
    event = make_event()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "register/", {**signup_data, "website_url": "http://spam.example"})
    assert response.status_code == 200
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_refuses_kindly_and_keeps_the_form(client, make_event, signup_data, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    event = make_event(capacity=10)
    for number in range(2):
        client.post(event.url + "register/", {**signup_data, "email": f"p{number}@school.example.org"})
    response = client.post(event.url + "register/", {**signup_data, "email": "p3@school.example.org"})
    assert response.status_code == 429
    assert "several times in a short time" in response.content.decode()
    assert 'value="p3@school.example.org"' in response.content.decode()
    assert EventRegistration.objects.count() == 2


def test_event_page_links_to_a_sign_up_page_that_has_the_form(client, make_event):
    event = make_event(capacity=5, title="Welcome webinar")
    event_html = client.get(event.url).content.decode()
    # The event page has no form and no CSRF token (so it can be served from the page cache), only the link.
    assert "csrfmiddlewaretoken" not in event_html and 'method="post"' not in event_html
    soup = BeautifulSoup(event_html, "html.parser")
    link = soup.select_one(".event__signup a.button")
    assert link["href"] == event.url + "register/"
    assert link.get_text(" ", strip=True) == "Sign up for Welcome webinar"
    assert "5 of 5 left" in event_html

    response = client.get(link["href"])
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.get_text().startswith("Sign up: Welcome webinar")
    assert [h1.get_text(strip=True) for h1 in page.find_all("h1")] == ["Sign up: Welcome webinar"]
    main = page.find("main").get_text(" ", strip=True)
    assert event.display_dates in main and "Online" in main and "5 of 5 left" in main
    assert "we delete your details 180 days after the event" in main
    assert page.find("a", href="/privacy/") is not None
    form = page.select_one("main form")
    assert form["method"] == "post" and form["action"] == event.url + "register/"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    for field in ("id_name", "id_email", "id_school", "id_role", "id_access_needs", "id_consent"):
        assert page.find("label", attrs={"for": field}) is not None, field
    assert page.find("a", href=event.url, string=f"Back to {event.title}") is not None
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert client.head(event.url + "register/").status_code == 200


def test_sign_up_page_of_a_full_event_offers_the_waiting_list(client, make_event, signup_data):
    event = make_event(capacity=1)
    client.post(event.url + "register/", signup_data)
    event_link = BeautifulSoup(client.get(event.url).content, "html.parser").select_one(".event__signup a.button")
    assert event_link.get_text(" ", strip=True).startswith("Join the waiting list")
    page = BeautifulSoup(client.get(event.url + "register/").content, "html.parser")
    assert page.find("h1").get_text(strip=True) == f"Join the waiting list: {event.title}"
    assert "This event is full" in page.find("main").get_text()
    assert page.select_one("main form button[type=submit]").get_text(strip=True) == "Join the waiting list"


def test_sign_up_page_of_a_past_event_says_so_without_a_form(client, make_event):
    start = timezone.now() - timedelta(days=3)
    event = make_event(start=start, end=start + timedelta(hours=1))
    assert 'href="' + event.url + 'register/"' not in client.get(event.url).content.decode()
    response = client.get(event.url + "register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This event has taken place" in html
    assert "csrfmiddlewaretoken" not in html
    assert f'<a href="{event.url}">Back to {event.title}</a>' in html


def test_errors_are_in_the_page_title_and_other_methods_are_refused(client, make_event, signup_data):
    event = make_event()
    response = client.post(event.url + "register/", {**signup_data, "email": "nope"})
    title = BeautifulSoup(response.content, "html.parser").title.get_text()
    assert title.startswith("Error: Sign up: ")
    fresh = BeautifulSoup(client.get(event.url + "register/").content, "html.parser")
    assert fresh.title.get_text().startswith("Sign up: ")
    for method in (client.put, client.patch, client.delete):
        assert method(event.url + "register/").status_code == 405
    assert EventRegistration.objects.count() == 0


def test_confirmation_page_link_is_signed(client, make_event):
    event = make_event()
    assert client.get(event.url + "registered/MTIz/").status_code == 404
    assert client.get(event.url + "registered/junk-token/").status_code == 404


def test_markup_in_a_signup_is_escaped(client, make_event, signup_data):
    event = make_event()
    response = client.post(event.url + "register/", {**signup_data, "email": "", "school": "<script>x()</script>"})
    html = response.content.decode()
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_broken_mail_server_does_not_fail_the_signup(
    client, make_event, signup_data, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DELIVERY_BACKEND = "tests.events.test_signup.BrokenEmailBackend"
    event = make_event()
    response = sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "Your place is booked" in response.content.decode()
    assert EventRegistration.objects.get().status == Status.CONFIRMED
    # The email is not lost: it waits in the outbox for its next try, with the reason (tests/outbox has the rest).
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts, message.to) == ("queued", 1, [signup_data["email"]])
    assert message.last_error == "ConnectionRefusedError: mail server down"


@pytest.mark.parametrize("someone_waiting", [False, True], ids=["nobody-waiting", "someone-waiting"])
def test_cancel_page_says_the_place_goes_to_the_waiting_list_only_when_someone_is_waiting(
    client, make_event, signup_data, django_capture_on_commit_callbacks, someone_waiting
):
    event = make_event(capacity=1 if someone_waiting else 5)
    sign_up(client, event, signup_data, django_capture_on_commit_callbacks)
    if someone_waiting:
        sign_up(
            client, event, {**signup_data, "email": "waiting@school.example.org"}, django_capture_on_commit_callbacks
        )
    with django_capture_on_commit_callbacks(execute=True):
        text = main_text(client.post(cancel_link(mail.outbox[0])))
    assert "Your sign-up is cancelled" in text
    if someone_waiting:
        assert "Your place goes to the next person on the waiting list" in text
        assert EventRegistration.objects.get(email="waiting@school.example.org").status == Status.CONFIRMED
    else:
        assert "waiting list" not in text
        assert "Your place is free again for someone else to book" in text
