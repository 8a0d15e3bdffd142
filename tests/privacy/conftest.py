"""Fixtures for the personal-data tests: one teacher's data spread over every app of the demo site."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from board.models import BoardPage, BoardPost
from board.services import approve, report, submit_post
from events.models import EventPage, EventRegistration
from events.services import register_for_event
from home.models import FormPage
from tests.factories import load_demo_part

EMAIL = "Amira.Hassan@School.example.org"  # stored in mixed case on purpose: matching ignores case


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@coventry.example.org", "a-long-passw0rd!")


def post_to_board(board, email, title, **extra):
    data = {
        "section": board.sections.first(),
        "title": title,
        "message": extra.pop("message", "Our Year 5 class wrote welcome cards in twelve languages."),
        "display_name": "Amira H.",
        "school": "Whitley Primary",
        "email": email,
        **extra,
    }
    post, _token = submit_post(board, data)
    return post


def open_future_event():
    now = timezone.now()
    return next(event for event in EventPage.objects.filter(start__gt=now) if event.signup_state(now) == "open")


@pytest.fixture
def demo_with_events_and_board(demo_home):
    """The demo's home pages, events and board (the library holds no personal data and is slow to load)."""
    load_demo_part(demo_home, "events")
    load_demo_part(demo_home, "board")
    return demo_home


@pytest.fixture
def teacher_everywhere(demo_with_events_and_board, editor, client):
    """The same teacher as an enquirer, a board poster (public and pending), a registrant, and an account."""
    board = BoardPage.objects.get()
    public = post_to_board(board, EMAIL, "Welcome cards")
    approve(public, editor)
    pending = post_to_board(board, EMAIL.lower(), "Our refugee week assembly")
    assert pending.status == BoardPost.Status.PENDING  # the demo board holds posts for approval
    other = post_to_board(board, "someone.else@example.org", "Not hers", message=f"Ask {EMAIL.upper()} for slides")
    report(other, f"This gives out {EMAIL}'s address without asking")  # copied into the audit log's data too
    event = open_future_event()
    event.capacity = 1
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)
    EventRegistration.objects.filter(event=event).delete()
    registration = register_for_event(
        event, {"name": "Amira Hassan", "email": EMAIL, "school": "Whitley Primary", "consent": True}
    )
    waiting = register_for_event(event, {"name": "Next Person", "email": "next@example.org", "consent": True})
    contact = FormPage.objects.get()
    response = client.post(
        contact.url,
        {
            "your_name": "Amira Hassan",
            "work_email_address": EMAIL.upper(),
            "school_or_setting": "Whitley Primary",
            "what_is_your_enquiry_about": "Applying for the award",
            "your_message": "How do we start?",
        },
    )
    assert response.status_code == 302  # sent: on to the thank-you page
    user = get_user_model().objects.create_user("amira", EMAIL, "a-long-passw0rd!", first_name="Amira")
    return {
        "public_post": public,
        "pending_post": pending,
        "other_post": other,
        "event": event,
        "registration": registration,
        "waiting": waiting,
        "enquiry": FormSubmission.objects.get(),
        "user": user,
    }


def make_old(model, pk, field, days):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - timedelta(days=days)})
