"""The site cannot be used to mail somebody else's words: mail to an address a visitor typed carries no text
the visitor typed.

Anyone can sign up with any address, so a sign-up named "Claim your prize at http://evil.example" would have
the site deliver that line, from our domain, to a stranger. Every email about a registration (booked, waiting
list, already signed up, a place given, an editor's message to attendees) says "Hello," and only what EMAS
wrote: the event's facts, its joining link and the cancel link.
"""

import pytest
from django.core import mail
from django.urls import reverse

from events.models import EventRegistration
from events.services import cancel_registration

SPAM = "Claim your prize at http://evil.example"
SPAM_WORDS = ("Claim your prize", "evil.example")
HOSTILE_SIGNUP = {
    "name": SPAM,
    "email": "stranger@school.example.org",
    "school": "Free tablets: http://evil.example/school",
    "role": "teacher",
    "access_needs": "Reply to http://evil.example/access to confirm your prize",
    "consent": "on",
}


def assert_no_typed_text(message):
    for text in (message.subject, message.body):
        for words in SPAM_WORDS:
            assert words not in text, (words, text)


def sign_up(client, event, capture, **changes):
    with capture(execute=True):
        response = client.post(event.url + "register/", {**HOSTILE_SIGNUP, **changes}, follow=True)
    assert response.status_code == 200
    return response


def test_confirmation_with_a_place_has_the_joining_link_but_nothing_the_signer_typed(
    client, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5)
    sign_up(client, event, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["stranger@school.example.org"]
    assert_no_typed_text(message)
    assert message.body.startswith("Hello,\n")
    assert "https://teams.example.org/join/SECRET-JOIN-123" in message.body
    assert event.title in message.body and "/cancel/" in message.body


def test_waiting_list_already_signed_up_and_promotion_emails_carry_nothing_typed(
    client, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    sign_up(client, event, django_capture_on_commit_callbacks, email="first@school.example.org")
    sign_up(client, event, django_capture_on_commit_callbacks)  # the waiting list
    sign_up(client, event, django_capture_on_commit_callbacks, name="Claim your prize again at http://evil.example")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(EventRegistration.objects.get(email="first@school.example.org"))  # a place is given
    kinds = [message.subject.split(":")[0] for message in mail.outbox]
    assert kinds == [
        "Your place is booked",
        "You are on the waiting list",
        "You are already signed up",
        "A place is now yours",
    ]
    for message in mail.outbox:
        assert_no_typed_text(message)


def test_an_editors_message_to_attendees_does_not_greet_them_by_the_name_they_typed(
    client, make_event, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    event = make_event(capacity=5)
    sign_up(client, event, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(get_user_model().objects.create_superuser("editor", "editor@coventry.example.org", "pw-1234"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events_email_attendees", args=[event.pk]), {"subject": "Room", "message": "Room 2."})
    (message,) = mail.outbox
    assert_no_typed_text(message)
    assert message.body.startswith("Hello,\n") and "Room 2." in message.body


@pytest.mark.parametrize("field", ["name", "school", "access_needs"])
def test_each_free_text_field_stays_out_of_the_confirmation(
    client, make_event, django_capture_on_commit_callbacks, field
):
    event = make_event(capacity=5)
    typed = {"name": "Amira Hassan", "school": "Whitley Primary", "access_needs": "Captions"}
    typed[field] = SPAM
    sign_up(client, event, django_capture_on_commit_callbacks, **typed)
    assert_no_typed_text(mail.outbox[0])
