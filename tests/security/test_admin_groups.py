"""Least privilege: Editors, Moderators and Event sign-ups, logged in through the admin, can do their job and no more.

Posters' and teachers' emails are personal data: an editor who is not also a moderator (or in Event sign-ups)
must not see them anywhere in the admin, its exports or the board's exports.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from board.models import BoardPost
from events.models import EventIndexPage, EventPage, EventRegistration
from security.admin_groups import EDITORS, EVENT_SIGN_UPS, MODERATORS
from tests.factories import load_demo_part, logged_in_client, make_board, make_post

POSTER_EMAIL = "poster.private@school.example.org"
TEACHER_EMAIL = "teacher.private@school.example.org"
REGISTRATIONS = "/admin/events/eventregistration/"


@pytest.fixture
def site_with_personal_data(demo_home):
    """A board with a post whose poster left an email, an event with a sign-up, and the admin groups."""
    call_command("ensure_admin_groups", stdout=io.StringIO())
    board = make_board(demo_home)
    post = make_post(board, status=BoardPost.Status.PENDING, title="Our welcome wall", email=POSTER_EMAIL)
    load_demo_part(demo_home, "events")
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


def test_board_photos_are_seen_in_the_admin_by_moderators_only_never_by_editors(client, site_with_personal_data):
    """Rejected posts' photos and orphans live in the board's collection: Editors' permissions on the root
    collection do not reach it; Moderators see it (and only it), in the listing, the chooser and the files."""
    from django.test import Client
    from wagtail.images import get_image_model

    from board.services import submit_post
    from security.uploads import clean_uploaded_image
    from tests.factories import image_bytes, upload

    board = site_with_personal_data["board"]
    data = {"section": board.sections.get(slug="learn"), "title": "Pupils at the gate", "message": "Hello"}
    cleaned = clean_uploaded_image(upload("p.png", image_bytes("PNG", size=(300, 200))))
    photo = submit_post(board, {**data, "image_alt": "Pupils"}, cleaned_image=cleaned)[0].image
    site_image = get_image_model().objects.exclude(pk=photo.pk).first()  # the demo's own images, in the root
    thumbnail = photo.get_rendition("max-165x165").url
    editor, moderator = logged_in_client(Client(), EDITORS), logged_in_client(client, MODERATORS)

    listing = editor.get(reverse("wagtailimages:index"))
    assert listing.status_code == 200 and site_image.title in listing.text
    assert photo.title not in listing.text and thumbnail not in listing.text
    assert "Pupils at the gate" not in editor.get(reverse("wagtailimages_chooser:choose")).text
    assert editor.get(reverse("wagtailimages:edit", args=[photo.pk])).status_code in (302, 403)
    assert editor.get(thumbnail).status_code == 404

    listing = moderator.get(reverse("wagtailimages:index"))
    assert listing.status_code == 200 and photo.title in listing.text and site_image.title not in listing.text
    assert moderator.get(reverse("wagtailimages:edit", args=[photo.pk])).status_code == 200
    response = moderator.get(thumbnail)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
