"""Moderation in the Wagtail admin: the queue, each decision, the audit log, emails, bulk actions, dashboard."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from board.emails import send_moderator_digest
from board.models import BoardPost, BoardReport, ModeratorDigest
from tests.factories import make_post, post_data

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/board/boardpost/"


def moderate(client, post, action, **extra):
    return client.post(reverse("board_moderate", args=[post.pk]), {"action": action, **extra})


def actions_logged(post):
    return list(ModelLogEntry.objects.for_instance(post).order_by("timestamp").values_list("action", flat=True))


def test_queue_lists_pending_posts_with_preview_filters_and_search(client, board, editor):
    make_post(
        board,
        status=BoardPost.Status.PENDING,
        title="Waiting idea",
        message="Read this first",
        link="https://example.org/x",
    )
    make_post(board, title="Already live")
    client.force_login(editor)
    html = client.get(QUEUE + "?status=pending").content.decode()
    assert "Waiting idea" in html and "Read this first" in html and "Link: example.org" in html
    assert "Already live" not in html
    assert "Waiting idea" in client.get(QUEUE + "?q=first").content.decode()
    assert "Waiting idea" not in client.get(QUEUE + "?q=nomatchword").content.decode()
    section = board.sections.get(slug="embed")
    assert "Waiting idea" not in client.get(f"{QUEUE}?section={section.pk}").content.decode()
    assert "Waiting idea" in client.get(f"{QUEUE}?board={board.pk}").content.decode()


def test_reported_filter_shows_reported_posts(client, board, editor):
    reported = make_post(board, title="Reported one")
    make_post(board, title="Quiet one")
    BoardReport.objects.create(post=reported, reason="spam")
    client.force_login(editor)
    html = client.get(QUEUE + "?reported=true").content.decode()
    assert "Reported one" in html and "Quiet one" not in html


def test_approve_publishes_and_logs_who_and_when(client, board, editor):
    post = make_post(board, status=BoardPost.Status.PENDING, title="Assembly idea")
    client.force_login(editor)
    response = moderate(client, post, "approve")
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == BoardPost.Status.APPROVED and post.approved_at
    entry = ModelLogEntry.objects.for_instance(post).get(action="board.approve")
    assert entry.user == editor and entry.timestamp
    assert "Assembly idea" in client.get(board.url).content.decode()
    # Visible on the post: our moderation screen and Wagtail's history view.
    page = client.get(reverse("board_moderate", args=[post.pk])).content.decode()
    assert "Approved" in page and "Mo Derator" in page
    history = client.get(f"{QUEUE}history/{post.pk}/").content.decode()
    assert "Post approved" in history


def test_reject_with_reason_emails_the_poster_in_the_background(
    client, board, editor, django_capture_on_commit_callbacks
):
    post = make_post(board, status=BoardPost.Status.PENDING, email="poster@school.example.org")
    client.force_login(editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, post, "reject", reason="Please blur the pupils' faces and post again.")
    post.refresh_from_db()
    assert post.status == BoardPost.Status.REJECTED
    assert post.rejection_reason == "Please blur the pupils' faces and post again."
    rejection = [m for m in mail.outbox if m.to == ["poster@school.example.org"]]
    assert len(rejection) == 1 and "Please blur the pupils' faces" in rejection[0].body
    entry = ModelLogEntry.objects.for_instance(post).get(action="board.reject")
    assert entry.user == editor and entry.data["reason"].startswith("Please blur")


def test_rejection_email_carries_nothing_the_poster_typed(client, board, editor, django_capture_on_commit_callbacks):
    """The address was typed by whoever posted: the email must not deliver their words to a stranger."""
    post = make_post(
        board,
        status=BoardPost.Status.PENDING,
        email="stranger@school.example.org",
        title="Claim your prize at http://evil.example",
        display_name="Prize desk http://evil.example/claim",
        school="Free tablets at http://evil.example/school",
    )
    client.force_login(editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, post, "reject", reason="This looks like spam.")
    (message,) = [m for m in mail.outbox if m.to == ["stranger@school.example.org"]]
    for text in (message.subject, message.body):
        assert "evil.example" not in text and "Claim your prize" not in text and "Prize desk" not in text
    assert message.body.startswith("Hello,\n")
    assert board.title in message.body and "This looks like spam." in message.body


def test_reject_without_email_sends_nothing(client, board, editor, django_capture_on_commit_callbacks):
    post = make_post(board, status=BoardPost.Status.PENDING, email="")
    client.force_login(editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, post, "reject", reason="Off topic")
    assert mail.outbox == []


def test_hide_and_pin(client, board, editor):
    first = make_post(board, title="Older post")
    second = make_post(board, title="Newer post")
    client.force_login(editor)
    html = client.get(board.url).content.decode()
    assert html.index("Newer post") < html.index("Older post")
    moderate(client, first, "pin")
    html = client.get(board.url).content.decode()
    assert html.index("Older post") < html.index("Newer post") and "Pinned" in html
    moderate(client, second, "hide")
    second.refresh_from_db()
    assert second.status == BoardPost.Status.HIDDEN
    assert "Newer post" not in client.__class__().get(board.url).content.decode()
    assert actions_logged(first)[-1] == "board.pin"
    assert actions_logged(second)[-1] == "board.hide"
    moderate(client, first, "unpin")
    first.refresh_from_db()
    assert not first.pinned


def test_edit_before_approving(client, board, editor):
    post = make_post(board, status=BoardPost.Status.PENDING, title="Tpyo in title")
    client.force_login(editor)
    edit_url = f"{QUEUE}edit/{post.pk}/"
    assert client.get(edit_url).status_code == 200
    data = {
        "board": board.pk,
        "section": post.section_id,
        "title": "Typo fixed",
        "message": post.message,
        "link": "",
        "image": "",
        "image_alt": "",
        "attachment_name": "",
        "display_name": "",
        "school": "",
        "email": "",
    }
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.title == "Typo fixed" and post.status == BoardPost.Status.PENDING
    moderate(client, post, "approve")
    assert "Typo fixed" in client.get(board.url).content.decode()
    assert "wagtail.edit" in actions_logged(post)


def test_bulk_approve_and_reject(client, board, editor):
    posts = [make_post(board, status=BoardPost.Status.PENDING, title=f"Bulk {n}") for n in range(3)]
    client.force_login(editor)
    ids = "&".join(f"id={p.pk}" for p in posts[:2])
    url = f"/admin/bulk/board/boardpost/approve/?{ids}&next={QUEUE}"
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert BoardPost.objects.filter(status=BoardPost.Status.APPROVED).count() == 2
    url = f"/admin/bulk/board/boardpost/reject/?id={posts[2].pk}&next={QUEUE}"
    assert client.post(url, {"reason": "Duplicate"}).status_code == 302
    posts[2].refresh_from_db()
    assert posts[2].status == BoardPost.Status.REJECTED and posts[2].rejection_reason == "Duplicate"
    assert ModelLogEntry.objects.filter(action="board.approve", user=editor).count() == 2


def test_people_without_permission_cannot_moderate(client, board):
    post = make_post(board, status=BoardPost.Status.PENDING)
    user = get_user_model().objects.create_user("viewer", "v@example.org", "pw-123456789")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = moderate(client, post, "approve")
    # Wagtail's admin turns the refusal into a redirect to the dashboard with a "no permission" message.
    assert response.status_code in {302, 403}
    assert response.get("Location", "/admin/") == "/admin/"
    post.refresh_from_db()
    assert post.status == BoardPost.Status.PENDING


def test_dashboard_shows_the_number_waiting(client, board, editor):
    make_post(board, status=BoardPost.Status.PENDING)
    make_post(board, status=BoardPost.Status.PENDING)
    make_post(board)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "<strong>2</strong> posts waiting for approval" in html


def test_new_pending_post_notifies_moderators_at_most_once_per_15_minutes(
    client, board, editor, django_capture_on_commit_callbacks
):
    group = Group.objects.create(name="Board moderators")
    group.permissions.add(Permission.objects.get(codename="change_boardpost"))
    moderator = get_user_model().objects.create_user("mod2", "mod2@coventry.example.org", "pw-123456789")
    moderator.groups.add(group)
    mail.outbox.clear()
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(board.url + "post/", post_data(board, title=f"Post {n}"))
    digests = [m for m in mail.outbox if "waiting for approval" in m.subject]
    assert len(digests) == 1
    assert set(digests[0].bcc) == {"moderator@coventry.example.org", "mod2@coventry.example.org"}
    assert "begum@school.example.org" not in digests[0].body  # no private data in the digest
    # 15 minutes later the next post triggers the next digest.
    ModeratorDigest.objects.update(last_sent_at=timezone.now() - timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(board.url + "post/", post_data(board, title="Later"))
    assert len([m for m in mail.outbox if "waiting for approval" in m.subject]) == 2


def test_digest_task_sends_nothing_when_nothing_waits(editor):
    mail.outbox.clear()
    assert send_moderator_digest() is False
    assert mail.outbox == []
