"""Every posting path through the real view: valid, each invalid field, honeypot, rate limits, word list,
posting code right/wrong/closed, uploads, author edit/delete, edit after approval."""

import io

import pytest
from django.test import override_settings
from PIL import Image

from board.models import BlockedWord, BoardPage, BoardPost
from board.services import approve
from tests.factories import CODE, PDF, image_bytes, jpeg_with_gps, make_post, ooxml, post_data, upload

pytestmark = [pytest.mark.django_db, pytest.mark.slow(17)]


def submit(client, board, **overrides):
    return client.post(board.url + "post/", post_data(board, **overrides))


def test_form_shows_consent_guidance_and_all_fields(client, board):
    response = client.get(board.url + "post/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Do not give the full names of pupils in a post with photos" in html
    assert "Do not show anyone’s face without their consent" in html
    for name in [
        "posting_code",
        "section",
        "title",
        "message",
        "link",
        "image",
        "image_alt",
        "attachment",
        "display_name",
        "school",
        "email",
        "website_url",
    ]:
        assert f'name="{name}"' in html


def test_valid_post_waits_for_approval_and_its_author_sees_it_marked(client, board):
    response = submit(client, board)
    assert response.status_code == 302
    post = BoardPost.objects.get()
    assert post.status == BoardPost.Status.PENDING
    assert (post.title, post.email, post.section.slug) == ("Our welcome assembly", "begum@school.example.org", "learn")
    detail = client.get(response["Location"])
    text = detail.content.decode()
    assert "your post is awaiting approval" in text
    assert "Awaiting approval" in text
    assert f"/posts/{post.pk}/edit/" in text  # the private edit link
    board_page = client.get(board.url).content.decode()
    assert "Your posts awaiting approval" in board_page and "Our welcome assembly" in board_page
    # Another browser sees nothing of it.
    other = client.__class__()
    assert "Our welcome assembly" not in other.get(board.url).content.decode()
    assert other.get(f"{board.url}posts/{post.pk}/").status_code == 404


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("section", "", "This field is required."),
        ("section", "99999", "Select a valid choice."),
        ("title", "", "This field is required."),
        ("title", "x" * 121, "Ensure this value has at most 120 characters"),
        ("message", "", "This field is required."),
        ("message", "   \u200b", "Write a message."),
        ("message", "x" * 2001, "Ensure this value has at most 2000 characters"),
        ("link", "javascript:alert(1)", "Links must start with https:// or http://."),
        ("link", "ftp://example.org/file", "Links must start with https:// or http://."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("display_name", "x" * 81, "at most 80 characters"),
        ("school", "x" * 121, "at most 120 characters"),
        ("posting_code", "WRONG", "That posting code is not right."),
        ("posting_code", "", "This field is required."),
    ],
)
def test_each_invalid_field_gets_its_message_and_keeps_the_form(client, board, field, value, message):
    response = submit(client, board, **{field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "Pupils said hello in twelve languages." in html or field == "message"  # values kept
    assert BoardPost.objects.count() == 0


def test_link_is_kept_and_shown_with_its_domain(client, open_board):
    submit(client, open_board, link="https://www.schools.cityofsanctuary.org/resources")
    post = BoardPost.objects.get()
    assert post.status == BoardPost.Status.APPROVED
    html = client.get(open_board.url).content.decode()
    assert 'href="https://www.schools.cityofsanctuary.org/resources"' in html
    assert "Visit schools.cityofsanctuary.org" in html


def test_honeypot_stores_nothing(client, board):
    response = submit(client, board, website_url="http://spam.example")
    assert response.status_code == 302
    assert BoardPost.objects.count() == 0


def test_right_code_with_spaces_is_accepted_and_anyone_boards_need_no_code(client, board, open_board):
    assert submit(client, board, posting_code=f"  {CODE} ").status_code == 302
    data = post_data(open_board)
    del data["posting_code"]
    assert client.post(open_board.url + "post/", data).status_code == 302
    assert BoardPost.objects.count() == 2


def test_closed_board_refuses_posts(client, board):
    board.posting_mode = BoardPage.PostingMode.CLOSED
    board.save_revision().publish()
    assert "is not taking new posts" in client.get(board.url + "post/").content.decode()
    response = submit(client, board)
    assert response.status_code == 403
    assert BoardPost.objects.count() == 0
    assert "Add a post" not in client.get(board.url).content.decode()


def test_rate_limit_per_address(client, board):
    for _ in range(5):
        assert submit(client, board).status_code == 302
    response = submit(client, board, title="Sixth post")
    assert response.status_code == 429
    assert "Please wait a few minutes" in response.content.decode()
    assert "Sixth post" in response.content.decode()  # nothing lost from the form
    assert BoardPost.objects.count() == 5


@override_settings(BOARD_POST_RATE_LIMIT=100, BOARD_POSTS_PER_BOARD_LIMIT=3)
def test_rate_limit_per_board_across_addresses(client, board):
    for n in range(3):
        assert client.post(board.url + "post/", post_data(board), REMOTE_ADDR=f"10.0.0.{n}").status_code == 302
    response = client.post(board.url + "post/", post_data(board), REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 429
    assert BoardPost.objects.count() == 3


def test_blocked_word_holds_a_post_on_a_board_without_approval(client, open_board):
    BlockedWord.objects.create(phrase="Badword")
    submit(client, open_board, title="Fine title", message="This has a BADWORD in it")
    submit(client, open_board, title="Clean", message="Badwordless is a different word")
    held, clean = BoardPost.objects.order_by("pk")
    assert held.status == BoardPost.Status.PENDING
    assert clean.status == BoardPost.Status.APPROVED
    html = client.__class__().get(open_board.url).content.decode()
    assert "Fine title" not in html and "Clean" in html


def test_image_upload_stores_a_re_encoded_copy_without_gps(client, open_board):
    response = submit(
        client, open_board, image=upload("photo.jpg", jpeg_with_gps(), "image/jpeg"), image_alt="Pupils' art"
    )
    assert response.status_code == 302
    post = BoardPost.objects.get()
    assert post.image.collection.name == "Community board uploads"
    post.image.file.open("rb")
    stored = post.image.file.read()
    post.image.file.close()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Whitley" not in stored and b"PhoneMaker" not in stored
    assert post.image.file.name.startswith("original_images/board-")  # random name, not the upload's
    html = client.get(open_board.url).content.decode()
    assert 'alt="Pupils&#x27; art"' in html and 'loading="lazy"' in html


def test_image_needs_alt_text(client, board):
    response = submit(client, board, image=upload("photo.png", image_bytes("PNG"), "image/png"))
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert BoardPost.objects.count() == 0


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "cannot be used as images"),
        ("page.png", b"<html><body onload=alert(1)>", "This file is not one of those"),
        ("cut.jpg", image_bytes("JPEG", size=(300, 300))[:300], "This file is not one of those"),
        ("photo.exe", image_bytes("JPEG"), "cannot be used as images"),
    ],
)
def test_bad_images_are_refused_with_a_message_and_no_500(client, board, name, content, message):
    response = submit(client, board, image=upload(name, content), image_alt="alt")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BoardPost.objects.count() == 0


def test_decompression_bomb_through_the_view(client, board):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    response = submit(client, board, image=upload("bomb.png", buffer.getvalue()), image_alt="alt")
    assert response.status_code == 200
    assert "too large" in response.content.decode()
    assert BoardPost.objects.count() == 0


def test_attachment_is_stored_and_downloaded_with_safe_headers(client, open_board):
    submit(client, open_board, attachment=upload("Welcome plan.docx", ooxml("docx")))
    post = BoardPost.objects.get()
    assert post.attachment_type == "docx" and post.attachment_name == "Welcome-plan.docx"
    response = client.get(f"{open_board.url}posts/{post.pk}/attachment/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "wordprocessingml" in response["Content-Type"]


def test_attachment_of_a_pending_post_is_not_served_to_others(client, board):
    submit(client, board, attachment=upload("plan.pdf", PDF))
    post = BoardPost.objects.get()
    assert client.get(f"{board.url}posts/{post.pk}/attachment/").status_code == 200  # its author
    assert client.__class__().get(f"{board.url}posts/{post.pk}/attachment/").status_code == 404


@pytest.mark.parametrize("status", [BoardPost.Status.REJECTED, BoardPost.Status.HIDDEN])
def test_a_rejected_or_hidden_post_and_its_attachment_are_gone_even_for_its_author(client, board, status):
    """Its author sees a post alone only while it awaits approval (`BoardPost.is_visible_to`): once a moderator
    has rejected or hidden it, nobody sees it or its file on the site."""
    submit(client, board, attachment=upload("plan.pdf", PDF))
    post = BoardPost.objects.get()
    assert client.get(f"{board.url}posts/{post.pk}/").status_code == 200
    BoardPost.objects.filter(pk=post.pk).update(status=status)
    assert client.get(f"{board.url}posts/{post.pk}/").status_code == 404
    assert client.get(f"{board.url}posts/{post.pk}/attachment/").status_code == 404


def test_bad_attachment_is_refused(client, board):
    response = submit(client, board, attachment=upload("notes.pdf", b"<script>alert(1)</script>"))
    assert "Attach a PDF, Word (.docx) or PowerPoint (.pptx) file" in response.content.decode()
    assert BoardPost.objects.count() == 0


def test_author_edits_pending_post_from_the_same_browser(client, board):
    submit(client, board)
    post = BoardPost.objects.get()
    edit_url = f"{board.url}posts/{post.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    data = post_data(board, title="Corrected title")
    del data["posting_code"]
    assert client.post(edit_url, data).status_code == 302
    post.refresh_from_db()
    assert post.title == "Corrected title" and post.status == BoardPost.Status.PENDING
    # Someone else cannot.
    assert client.__class__().get(edit_url).status_code == 404
    assert client.__class__().post(edit_url, data).status_code == 404


def test_edit_after_approval_goes_back_to_moderation(client, board, editor):
    submit(client, board)
    post = BoardPost.objects.get()
    approve(post, editor)
    assert "Our welcome assembly" in client.__class__().get(board.url).content.decode()
    # Approved posts are edited through the private link (the author's browser still holds the key).
    data = post_data(board, title="Changed after approval")
    del data["posting_code"]
    client.post(f"{board.url}posts/{post.pk}/edit/", data)
    post.refresh_from_db()
    assert post.status == BoardPost.Status.PENDING
    assert post.approved_at is None
    assert "Changed after approval" not in client.__class__().get(board.url).content.decode()


def test_private_edit_link_works_in_another_browser(client, board):
    response = submit(client, board)
    post = BoardPost.objects.get()
    detail = client.get(response["Location"]).content.decode()
    start = detail.index("http://testserver" + board.url + f"posts/{post.pk}/edit/")
    link = detail[start : detail.index("</code>", start)]
    other = client.__class__()
    response = other.get(link)
    assert response.status_code == 302
    assert other.get(response["Location"]).status_code == 200
    assert other.get(link[:-5] + "wrong-token/").status_code == 404


def test_author_deletes_own_pending_post(client, board):
    submit(client, board)
    post = BoardPost.objects.get()
    assert client.get(f"{board.url}posts/{post.pk}/delete/").status_code == 200
    assert client.__class__().post(f"{board.url}posts/{post.pk}/delete/").status_code == 404
    assert client.post(f"{board.url}posts/{post.pk}/delete/").status_code == 302
    assert BoardPost.objects.count() == 0


def _uploads_of(post):
    from django.core.files.storage import default_storage
    from wagtail.images import get_image_model

    image = get_image_model().objects.filter(pk=post.image_id).first()
    return {
        "attachment": default_storage.exists(post.attachment.name),
        "image": image is not None and default_storage.exists(image.file.name),
    }


def test_a_deleted_post_takes_its_photo_and_attachment_with_it(client, board, django_capture_on_commit_callbacks):
    submit(
        client,
        board,
        image=upload("p.png", image_bytes("PNG"), "image/png"),
        image_alt="A red square",
        attachment=upload("plan.pdf", PDF),
    )
    post = BoardPost.objects.get()
    assert _uploads_of(post) == {"attachment": True, "image": True}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{board.url}posts/{post.pk}/delete/").status_code == 302
    assert _uploads_of(post) == {"attachment": False, "image": False}


def test_a_post_a_moderator_deletes_in_the_admin_takes_its_uploads_too(
    client, board, editor, django_capture_on_commit_callbacks
):
    submit(client, board, image=upload("p.png", image_bytes("PNG"), "image/png"), image_alt="A red square")
    submit(client, board, title="Second", attachment=upload("plan.pdf", PDF))
    with_image, with_attachment = BoardPost.objects.order_by("pk")
    client.force_login(editor)
    for post in (with_image, with_attachment):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/admin/snippets/board/boardpost/delete/{post.pk}/")
        assert response.status_code == 302
    assert BoardPost.objects.count() == 0
    assert _uploads_of(with_image)["image"] is False
    assert _uploads_of(with_attachment)["attachment"] is False


def test_rejected_post_cannot_be_edited_by_its_author(client, board, editor):
    from board.services import reject

    submit(client, board)
    post = BoardPost.objects.get()
    reject(post, editor, "Shows a pupil's face")
    assert client.get(f"{board.url}posts/{post.pk}/edit/").status_code == 404


def test_author_removes_image_and_alt_is_then_not_required(client, board):
    submit(client, board, image=upload("p.png", image_bytes("PNG"), "image/png"), image_alt="A red square")
    post = BoardPost.objects.get()
    assert post.image_id
    data = post_data(board, remove_image="on", image_alt="")
    del data["posting_code"]
    response = client.post(f"{board.url}posts/{post.pk}/edit/", data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.image_id is None


def test_make_post_helper_is_approved(board):
    assert make_post(board).status == BoardPost.Status.APPROVED
