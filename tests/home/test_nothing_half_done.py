"""Nothing lost, nothing half-done: a real database failure in the middle of each multi-step write.

The failure is a trigger in the database itself (SQLite and PostgreSQL), so the error comes from the driver
exactly as an outage, a full disk or a constraint would: no code of ours is patched. Each test asserts that
no partial rows and no orphan files remain, that no email went out, and that the visitor sees a clear message
(HTTP 503 with the form still filled in), never a stack trace.
"""

import os
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from board.models import BoardComment, BoardPost, BoardReport
from events.models import EventIndexPage, EventPage, EventRegistration
from events.services import fill_free_places, make_cancel_token, register_for_event
from security.public_input import SAVE_FAILED_MESSAGE
from tests.factories import PDF, SIGNUP, jpeg_with_gps, make_board, make_post, post_data, upload

pytestmark = pytest.mark.django_db

Status = EventRegistration.Status
SAVE_FAILED_START = SAVE_FAILED_MESSAGE.split(",")[0]  # "Sorry" ... the rest has HTML-escaped quotes


@pytest.fixture
def fail_writes():
    """Install a database trigger that aborts matching writes: `fail_writes(table, "INSERT", when="NEW.x = 'y'")`."""
    installed = []

    def install(table, operation, when=None):
        name = f"inject_failure_{len(installed)}"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                condition = f"WHEN {when}" if when else ""
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW {condition} "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
                )
            else:
                condition = f"WHEN ({when})" if when else ""
                # 53100 = disk_full: psycopg raises OperationalError, as for a real outage.
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                    "BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = '53100'; END $$"
                )
                cursor.execute(
                    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW {condition} "
                    f"EXECUTE FUNCTION {name}()"
                )
        installed.append((name, table))

    yield install
    with connection.cursor() as cursor:
        for name, table in installed:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def media_files():
    found = set()
    for root, _dirs, files in os.walk(django_settings.MEDIA_ROOT):
        found.update(os.path.join(root, name) for name in files)
    return found


def table(model):
    return model._meta.db_table


# --- the community board ------------------------------------------------------------------------------------


@pytest.fixture
def board(demo_home, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1000
    return make_board(demo_home, comments_enabled=True, requires_approval=True)


def post_with_files(board, **fields):
    """A post with an image (with its description) and an attachment: the most a post writes."""
    return post_data(
        board,
        image=upload("photo.jpg", jpeg_with_gps()),
        image_alt="Pupils painting a mural",
        attachment=upload("plan.pdf", PDF),
        **fields,
    )


@pytest.mark.parametrize(
    "failing_table,operation",
    [
        ("board_boardpost", "INSERT"),  # the post itself, after the image and attachment are stored
        ("wagtailcore_modellogentry", "INSERT"),  # the very last step: the audit-log entry
    ],
)
def test_board_post_with_image_and_attachment_is_stored_whole_or_not_at_all(
    client, board, fail_writes, failing_table, operation, django_capture_on_commit_callbacks, editor
):
    Image = get_image_model()
    images_before, files_before, logs_before = Image.objects.count(), media_files(), ModelLogEntry.objects.count()
    fail_writes(failing_table, operation)
    data = post_with_files(board, title="A post that meets a broken database")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board.url + "post/", data)

    assert response.status_code == 503
    html = response.content.decode()
    assert SAVE_FAILED_START in html
    assert 'value="A post that meets a broken database"' in html  # what they wrote is still there
    assert BoardPost.objects.count() == 0
    assert Image.objects.count() == images_before
    assert ModelLogEntry.objects.count() == logs_before
    assert media_files() == files_before  # no orphan image or attachment on disk
    assert mail.outbox == []  # no moderator digest for a post that does not exist


def test_board_post_is_stored_when_the_database_works(client, board):
    """The control for the test above: the same post with the same files does land, with both files."""
    files_before = media_files()
    data = post_with_files(board)
    assert client.post(board.url + "post/", data).status_code == 302
    post = BoardPost.objects.get()
    assert post.image_id and post.attachment
    assert len(media_files() - files_before) == 2


@pytest.fixture
def section_deleted_as_a_post_is_written():
    """A trigger deleting a post's section as the post is inserted, as an editor deleting it meanwhile would: the
    foreign key then fails only where the database checks deferred constraints, at the commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER delete_section AFTER INSERT ON board_boardpost FOR EACH ROW "
                "BEGIN DELETE FROM board_boardsection WHERE id = NEW.section_id; END"
            )
        else:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION delete_section() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN DELETE FROM board_boardsection WHERE id = NEW.section_id; RETURN NEW; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER delete_section AFTER INSERT ON board_boardpost FOR EACH ROW "
                "EXECUTE FUNCTION delete_section()"
            )
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS delete_section")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS delete_section ON board_boardpost")
            cursor.execute("DROP FUNCTION IF EXISTS delete_section()")


def test_a_post_failing_a_deferred_foreign_key_leaves_no_files(client, board, section_deleted_as_a_post_is_written):
    """The pipeline runs the post's save inside its own transaction, so the post's file clean-up checks the deferred
    constraints itself before the commit it no longer sees."""
    Image = get_image_model()
    images_before, files_before = Image.objects.count(), media_files()
    response = client.post(board.url + "post/", post_with_files(board, title="A post whose section goes"))
    assert response.status_code == 503
    assert 'value="A post whose section goes"' in response.content.decode()
    assert BoardPost.objects.count() == 0
    assert Image.objects.count() == images_before
    assert media_files() == files_before


def test_author_edit_with_a_new_image_leaves_the_post_as_it_was(client, board, fail_writes):
    client.post(board.url + "post/", post_data(board, title="Before"))
    post = BoardPost.objects.get()
    files_before = media_files()
    fail_writes("board_boardpost", "UPDATE")
    response = client.post(
        f"{board.url}posts/{post.pk}/edit/",
        post_data(board, title="After", image=upload("p.jpg", jpeg_with_gps()), image_alt="A mural"),
    )
    assert response.status_code == 503 and SAVE_FAILED_START in response.content.decode()
    post.refresh_from_db()
    assert (post.title, post.image_id) == ("Before", None)
    assert media_files() == files_before


def test_report_is_counted_whole_or_not_at_all(client, board, fail_writes):
    post = make_post(board)
    fail_writes("board_boardpost", "UPDATE")  # the report row is written first, then the post's count
    response = client.post(f"{board.url}posts/{post.pk}/report/", {"reason": "It names a pupil"})
    assert response.status_code == 503 and SAVE_FAILED_START in response.content.decode()
    assert "It names a pupil" in response.content.decode()
    assert BoardReport.objects.count() == 0
    post.refresh_from_db()
    assert post.report_count == 0


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_like_the_database_refuses_changes_nothing_and_says_so(client, board, fail_writes, accept):
    from board.models import BoardReaction
    from board.views import BROWSER_COOKIE, LIKE_SAVE_FAILED_MESSAGE

    post = make_post(board)
    fail_writes("board_boardpost", "UPDATE")  # the like row is written first, then the post's count
    response = client.post(f"{board.url}posts/{post.pk}/like/", {"next": board.url}, HTTP_ACCEPT=accept)
    assert response.status_code == 503
    if accept == "application/json":
        assert response.json() == {"error": LIKE_SAVE_FAILED_MESSAGE}
    else:
        html = response.content.decode()
        assert "could not save your like just now" in html and "<title>Error: " in html
        assert 'name="next"' in html  # the form is there to try again, back to the same place
    assert BROWSER_COOKIE not in response.cookies  # no like key handed out for a like that was not stored
    assert BoardReaction.objects.count() == 0
    post.refresh_from_db()
    assert post.reaction_count == 0


def test_comment_and_its_audit_entry_are_one_write(client, board, fail_writes, django_capture_on_commit_callbacks):
    post = make_post(board)
    fail_writes("wagtailcore_modellogentry", "INSERT")  # after the comment row
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{board.url}posts/{post.pk}/comment/", {"message": "Lovely idea"})
    assert response.status_code == 503 and SAVE_FAILED_START in response.content.decode()
    assert BoardComment.objects.count() == 0
    assert mail.outbox == []


def test_moderation_decision_is_all_or_nothing(client, board, editor, fail_writes):
    post = make_post(board, status=BoardPost.Status.PENDING)
    client.force_login(editor)
    fail_writes("wagtailcore_modellogentry", "INSERT")  # after the status change and resolving reports
    response = client.post(f"/admin/board/moderate/{post.pk}/", {"action": "approve"}, follow=True)
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    post.refresh_from_db()
    assert post.status == BoardPost.Status.PENDING and post.approved_at is None


def test_bulk_rejection_is_all_or_nothing_and_emails_no_one_when_rolled_back(
    client, board, editor, fail_writes, django_capture_on_commit_callbacks
):
    first = make_post(board, status=BoardPost.Status.PENDING, title="First", email="first@school.example.org")
    second = make_post(board, status=BoardPost.Status.PENDING, title="Second", email="second@school.example.org")
    client.force_login(editor)
    # The second post's update fails after the first was rejected and its email queued for after commit.
    # (Wagtail runs a bulk action in one transaction; this pins that down for our reject-with-email action.)
    fail_writes("board_boardpost", "UPDATE", when=f"NEW.id = {second.pk} AND NEW.status = 'rejected'")
    client.raise_request_exception = False
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(
            f"/admin/bulk/board/boardpost/reject/?id={first.pk}&id={second.pk}&next=/admin/",
            {"reason": "Shows a pupil's face"},
        )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (BoardPost.Status.PENDING, BoardPost.Status.PENDING)
    assert callbacks == [] and mail.outbox == []


# --- events -------------------------------------------------------------------------------------------------


@pytest.fixture
def event(demo_home, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1000
    index = EventIndexPage(title="Events", slug="events")
    demo_home.add_child(instance=index)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    page = EventPage(
        title="Atomic event",
        slug="atomic-event",
        summary="An event.",
        start=start,
        end=start + timedelta(hours=1),
        event_format=EventPage.Format.ONLINE,
        joining_link="https://teams.example.org/join/x",
        capacity=1,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def test_signup_that_the_database_refuses_is_not_booked_and_not_emailed(
    client, event, fail_writes, django_capture_on_commit_callbacks
):
    fail_writes("events_eventregistration", "INSERT")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "register/", SIGNUP)
    html = response.content.decode()
    assert response.status_code == 503
    assert SAVE_FAILED_START in html
    assert "already signed up" not in html  # a database error is not reported as a duplicate
    assert 'value="Amira Hassan"' in html
    assert EventRegistration.objects.count() == 0
    assert mail.outbox == []


def test_cancel_with_promotion_is_one_write(client, event, fail_writes, django_capture_on_commit_callbacks):
    booked = register_for_event(event, SIGNUP)
    waiting = register_for_event(event, {**SIGNUP, "email": "waiting@school.example.org"})
    assert (booked.status, waiting.status) == (Status.CONFIRMED, Status.WAITING)
    # Cancelling writes two rows: the cancellation, then the promotion of the first person waiting.
    fail_writes(table(EventRegistration), "UPDATE", when="OLD.status = 'waiting' AND NEW.status = 'confirmed'")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{event.url}cancel/{make_cancel_token(booked)}/")
    assert response.status_code == 503
    assert "Your sign-up is not cancelled yet" in response.content.decode()
    assert dict(EventRegistration.objects.values_list("pk", "status")) == {
        booked.pk: Status.CONFIRMED,
        waiting.pk: Status.WAITING,
    }
    assert mail.outbox == []


def test_filling_new_places_promotes_everyone_or_no_one_and_emails_only_after_commit(
    event, fail_writes, django_capture_on_commit_callbacks
):
    register_for_event(event, SIGNUP)
    first = register_for_event(event, {**SIGNUP, "email": "first@school.example.org"})
    second = register_for_event(event, {**SIGNUP, "email": "second@school.example.org"})
    EventPage.objects.filter(pk=event.pk).update(capacity=3)
    # The second promotion fails after the first was saved and its email queued for after commit.
    fail_writes(table(EventRegistration), "UPDATE", when=f"NEW.id = {second.pk}")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Exception, match="injected"):
        fill_free_places(event)
    assert callbacks == [] and mail.outbox == []
    first.refresh_from_db()
    assert first.status == Status.WAITING


# --- the enquiry form ---------------------------------------------------------------------------------------


def test_enquiry_the_database_refuses_is_not_emailed_and_the_form_keeps_its_text(
    client, demo_home, fail_writes, django_capture_on_commit_callbacks
):
    fail_writes(table(FormSubmission), "INSERT")
    data = {
        "your_name": "Amira Hassan",
        "work_email_address": "a.hassan@school.example.org",
        "school_or_setting": "Whitley Primary",
        "what_is_your_enquiry_about": "Resources",
        "your_message": "Where are the Learn resources?",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", data)
    html = response.content.decode()
    assert response.status_code == 503
    assert SAVE_FAILED_START in html
    assert "Where are the Learn resources?" in html
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []
