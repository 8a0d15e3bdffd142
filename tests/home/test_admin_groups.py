"""Least privilege: Editors, Moderators and Event sign-ups, logged in through the admin, can do their job and no more.

Posters' and teachers' emails are personal data: an editor who is not also a moderator (or in Event sign-ups)
must not see them anywhere in the admin, its exports or the board's exports.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from board.models import BoardPost
from events.models import EventIndexPage, EventPage, EventRegistration
from home.admin_groups import EDITORS, EVENT_SIGN_UPS, MODERATORS
from tests.board.conftest import make_board, make_post

POSTER_EMAIL = "poster.private@school.example.org"
TEACHER_EMAIL = "teacher.private@school.example.org"
REGISTRATIONS = "/admin/events/eventregistration/"


@pytest.fixture
def site_with_personal_data(demo_home):
    """A board with a post whose poster left an email, an event with a sign-up, and the admin groups."""
    from events import demo as events_demo

    call_command("ensure_admin_groups", stdout=io.StringIO())
    board = make_board(demo_home)
    post = make_post(board, status=BoardPost.Status.PENDING, title="Our welcome wall", email=POSTER_EMAIL)
    events_demo.load(demo_home, io.StringIO())
    start = timezone.now() + timedelta(days=7)
    event = EventPage(
        title="Induction",
        slug="induction",
        summary="For new staff.",
        start=start,
        end=start + timedelta(hours=1),
        event_format=EventPage.Format.ONLINE,
        joining_link="https://teams.example.org/join/123",
        capacity=20,
    )
    EventIndexPage.objects.get().add_child(instance=event)
    event.save_revision().publish()
    EventRegistration.objects.create(event=event, name="Amira Hassan", email=TEACHER_EMAIL, consent=True)
    return {"board": board, "post": post, "event": event, "page": demo_home}


def logged_in_client(client, *group_names):
    user = get_user_model().objects.create_user(
        "-".join(group_names).lower().replace(" ", ""), "staff@coventry.example.org", "a-long-staff-passphrase"
    )
    user.groups.set(Group.objects.filter(name__in=group_names))
    client.force_login(user)
    return client


def board_admin_urls(post, board):
    return [
        reverse("wagtailsnippets_board_boardpost:list"),
        reverse("wagtailsnippets_board_boardpost:list") + "?q=" + POSTER_EMAIL,
        reverse("wagtailsnippets_board_boardpost:edit", args=[post.pk]),
        reverse("wagtailsnippets_board_boardcomment:list"),
        reverse("board_moderate", args=[post.pk]),
        board.url + "export/csv/",
        board.url + "export/xlsx/",
    ]


def assert_refused(client, url, secret):
    response = client.get(url)
    assert response.status_code in (302, 403), (url, response.status_code)
    if response.status_code == 302:
        assert response["Location"].startswith(("/admin/", "http://testserver/admin/")), url
        response = client.get(response["Location"])
    assert secret not in response.content.decode(errors="replace"), url


def test_ensure_admin_groups_is_idempotent_and_undoes_drift(site_with_personal_data):
    editors = Group.objects.get(name=EDITORS)
    extra = Group.objects.get(name=MODERATORS).permissions.get(codename="change_boardpost")
    editors.permissions.add(extra)  # someone gave editors the board by hand
    call_command("ensure_admin_groups", stdout=io.StringIO())
    call_command("ensure_admin_groups", stdout=io.StringIO())
    assert Group.objects.filter(name__in=[EDITORS, MODERATORS, EVENT_SIGN_UPS]).count() == 3
    assert not editors.permissions.filter(codename="change_boardpost").exists()
    assert editors.page_permissions.count() == 5


def test_an_editor_edits_and_publishes_pages_but_never_sees_posters_or_teachers_emails(client, site_with_personal_data):
    data = site_with_personal_data
    client = logged_in_client(client, EDITORS)
    page = data["page"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("wagtailimages:index")).status_code == 200
    assert client.get(reverse("wagtaildocs:index")).status_code == 200
    assert client.get(reverse("wagtailsnippets_resources_resourcetype:list")).status_code == 200
    event = data["event"]
    assert client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).status_code == 200

    for url in board_admin_urls(data["post"], data["board"]):
        assert_refused(client, url, POSTER_EMAIL)
    for url in (REGISTRATIONS, REGISTRATIONS + "?export=csv", REGISTRATIONS + "?export=xlsx"):
        assert_refused(client, url, TEACHER_EMAIL)
    dashboard = client.get("/admin/").content.decode()
    assert POSTER_EMAIL not in dashboard and TEACHER_EMAIL not in dashboard
    assert "Community board" not in dashboard  # not even in the menu


def test_a_moderator_moderates_the_board_but_cannot_edit_pages_or_see_sign_ups(client, site_with_personal_data):
    data = site_with_personal_data
    client = logged_in_client(client, MODERATORS)
    post = data["post"]
    listing = client.get(reverse("wagtailsnippets_board_boardpost:list"))
    assert listing.status_code == 200 and "Our welcome wall" in listing.text
    moderation = client.get(reverse("board_moderate", args=[post.pk]))
    assert moderation.status_code == 200 and POSTER_EMAIL in moderation.text  # moderators may reply to posters
    response = client.post(reverse("board_moderate", args=[post.pk]), {"action": "approve"})
    assert response.status_code == 302
    assert BoardPost.objects.get(pk=post.pk).status == BoardPost.Status.APPROVED

    page = data["page"]
    title = page.title
    assert_refused(client, reverse("wagtailadmin_pages:edit", args=[page.pk]), "never-present")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {"title": "Taken over", "slug": page.slug}
    )
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.title == title
    assert_refused(client, reverse("wagtailadmin_pages:add_subpage", args=[page.pk]), "never-present")
    assert_refused(client, reverse("wagtailimages:index"), "never-present")
    for url in (REGISTRATIONS, REGISTRATIONS + "?export=csv"):
        assert_refused(client, url, TEACHER_EMAIL)


def test_event_sign_ups_is_a_separate_permission_an_editor_can_be_given(client, site_with_personal_data):
    client = logged_in_client(client, EDITORS, EVENT_SIGN_UPS)
    listing = client.get(REGISTRATIONS)
    assert listing.status_code == 200 and TEACHER_EMAIL in listing.text
    export = client.get(REGISTRATIONS, {"export": "csv"})
    assert export.status_code == 200 and TEACHER_EMAIL in export.getvalue().decode()
    # Sign-ups do not bring the board with them.
    data = site_with_personal_data
    for url in board_admin_urls(data["post"], data["board"]):
        assert_refused(client, url, POSTER_EMAIL)
