"""CSRF and method safety of every state-changing public endpoint.

Each endpoint is replayed with no CSRF token, with a wrong one, and with GET/HEAD/PUT/DELETE: the response is a
403/405 (or the form page for GET), never a 500, and nothing is written (rows counted before and after, and no
email). A control posts the same data with a valid token and sees the write happen, so the refusals are proved
to come from the CSRF/method checks and not from bad test data.
"""

import pytest
from django.core import mail
from django.test import Client
from wagtail.contrib.forms.models import FormSubmission
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from board.models import BoardComment, BoardPost, BoardReaction, BoardReport
from board.services import submit_post
from events.models import EventIndexPage, EventPage, EventRegistration
from events.services import make_cancel_token, register_for_event
from tests.factories import CODE, SIGNUP, make_board, make_post

pytestmark = pytest.mark.django_db

# A well-formed CSRF secret (32 characters of the allowed alphabet) and a different, equally well-formed one.
GOOD_TOKEN = "a" * 32
WRONG_TOKEN = "b" * 32


class Endpoints:
    """One board post (the client is its author), one event with a booked place, the enquiry form."""

    def __init__(self, home):
        from datetime import timedelta

        from django.utils import timezone

        self.board = make_board(home, comments_enabled=True, reactions_enabled=True)
        self.public_post = make_post(self.board, title="A public post")
        section = self.board.sections.get(slug="learn")
        self.own_post, self.own_token = submit_post(self.board, {"section": section, "title": "Mine", "message": "x"})
        index = EventIndexPage(title="Events", slug="events")
        home.add_child(instance=index)
        start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
        event = EventPage(
            title="CSRF test event",
            slug="csrf-test-event",
            summary="An event.",
            start=start,
            end=start + timedelta(hours=1),
            event_format=EventPage.Format.ONLINE,
            joining_link="https://teams.example.org/join/x",
            capacity=5,
        )
        index.add_child(instance=event)
        event.save_revision().publish()
        self.event = EventPage.objects.get(pk=event.pk)
        self.registration = register_for_event(self.event, {**SIGNUP, "email": "booked@school.example.org"})
        self.section_id = section.pk

    def request(self, name):
        """(url, valid POST data) for each state-changing endpoint."""
        board, post, own = self.board.url, self.public_post.pk, self.own_post.pk
        post_fields = {
            "section": self.section_id,
            "title": "Written by a forged request",
            "message": "Should never be stored.",
            "website_url": "",
        }
        return {
            "board_post": (f"{board}post/", {**post_fields, "posting_code": CODE}),
            "board_edit": (f"{board}posts/{own}/edit/", post_fields),
            "board_delete": (f"{board}posts/{own}/delete/", {}),
            "board_like": (f"{board}posts/{post}/like/", {"next": board}),
            "board_report": (f"{board}posts/{post}/report/", {"reason": "Forged report", "website_url": ""}),
            "board_comment": (
                f"{board}posts/{post}/comment/",
                {"display_name": "X", "message": "Forged comment", "website_url": ""},
            ),
            "event_signup": (
                self.event.url + "register/",
                {**SIGNUP, "email": "forged@school.example.org", "website_url": ""},
            ),
            "event_cancel": (f"{self.event.url}cancel/{make_cancel_token(self.registration)}/", {}),
            "enquiry": (
                "/contact/",
                {
                    "your_name": "Forged",
                    "work_email_address": "forged@school.example.org",
                    "school_or_setting": "Nowhere",
                    "what_is_your_enquiry_about": "Resources",
                    "your_message": "Forged enquiry",
                    "website_url": "",
                },
            ),
        }[name]

    def author_client(self, **kwargs):
        """A browser that is the author of `own_post` (as after posting), checking CSRF like a real browser."""
        client = Client(**kwargs)
        response = client.get(f"{self.board.url}posts/{self.own_post.pk}/edit/{self.own_token}/")
        assert response.status_code == 302
        return client


ENDPOINTS = [
    "board_post",
    "board_edit",
    "board_delete",
    "board_like",
    "board_report",
    "board_comment",
    "event_signup",
    "event_cancel",
    "enquiry",
]


def snapshot():
    """Everything a public POST could write: rows, their mutable fields, emails."""
    return {
        "posts": sorted(
            BoardPost.objects.values_list("pk", "title", "status", "report_count", "reaction_count", "updated_at")
        ),
        "reports": BoardReport.objects.count(),
        "reactions": BoardReaction.objects.count(),
        "comments": BoardComment.objects.count(),
        "registrations": sorted(EventRegistration.objects.values_list("pk", "email", "status")),
        "submissions": FormSubmission.objects.count(),
        "images": get_image_model().objects.count(),
        "log_entries": ModelLogEntry.objects.count(),
        "emails": len(mail.outbox),
    }


@pytest.fixture
def endpoints(demo_home, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1000
    return Endpoints(demo_home)


def _forms(data, token):
    from urllib.parse import urlencode

    return urlencode({**data, "csrfmiddlewaretoken": token}) if token else urlencode(data)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_forged_and_wrong_method_requests_are_refused_and_write_nothing(
    endpoints, name, django_capture_on_commit_callbacks
):
    """Every refusal for one endpoint, then the control: the same data with a valid token does write.

    One test per endpoint (not per attack) because building the board, event and form costs seconds.
    """
    url, data = endpoints.request(name)
    attempts = []
    author = endpoints.author_client(enforce_csrf_checks=True)
    author.cookies["csrftoken"] = GOOD_TOKEN
    stranger = Client(enforce_csrf_checks=True)  # a cross-site post from a browser that never visited us
    attempts += [
        ("POST, no token", lambda: author.post(url, data), {403}),
        ("POST, wrong token", lambda: author.post(url, {**data, "csrfmiddlewaretoken": WRONG_TOKEN}), {403}),
        ("POST, no cookie", lambda: stranger.post(url, {**data, "csrfmiddlewaretoken": GOOD_TOKEN}), {403}),
        # Link previewers and mail scanners follow links: GET shows the form or a confirm page, or is refused.
        ("GET", lambda: author.get(url, data), {200, 302, 405}),
        ("HEAD", lambda: author.head(url, data), {200, 302, 405}),
    ]
    for method in ("put", "patch", "delete"):
        attempts.append(
            (
                f"{method.upper()} with a valid token",
                lambda method=method: getattr(author, method)(
                    url,
                    _forms(data, GOOD_TOKEN),
                    content_type="application/x-www-form-urlencoded",
                    HTTP_X_CSRFTOKEN=GOOD_TOKEN,
                ),
                {200, 302, 405},
            )
        )
    for label, send, allowed in attempts:
        before = snapshot()
        with django_capture_on_commit_callbacks(execute=True):
            response = send()
        assert response.status_code in allowed, (label, response.status_code)
        assert snapshot() == before, label
        if response.status_code == 403:
            # Our page (templates/403_csrf.html) saying what to do, not Django's technical one.
            assert "This form has expired" in response.content.decode(), label

    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(url, {**data, "csrfmiddlewaretoken": GOOD_TOKEN})
    assert response.status_code in (200, 302), response.content[:2000]
    assert snapshot() != before, "the control request should have written something"


def test_opening_a_cancel_link_shows_a_button_and_cancels_nothing(endpoints):
    url, _ = endpoints.request("event_cancel")
    response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    endpoints.registration.refresh_from_db()
    assert endpoints.registration.status == EventRegistration.Status.CONFIRMED


@pytest.mark.parametrize("name", ["board_like", "event_signup"])
def test_the_like_and_sign_up_links_show_a_form_and_change_nothing(endpoints, name):
    """The board and event pages link (GET) to these: opening one shows a POST form with a token, writes nothing."""
    url, data = endpoints.request(name)
    before = snapshot()
    response = Client(enforce_csrf_checks=True).get(url, {"next": data.get("next", "")})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert "board_browser" not in response.cookies
    assert snapshot() == before


def test_site_search_is_read_only(demo_home):
    client = Client(enforce_csrf_checks=True)
    assert client.get("/search/", {"q": "sanctuary"}).status_code == 200
    assert client.post("/search/", {"q": "sanctuary"}).status_code in (403, 405)
