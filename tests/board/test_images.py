"""Board photos (often of pupils): gone with every rendition and file whenever they leave their post, and never
served while their post is not public (issue 14, items 1 and 2)."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model

from board.models import BoardPost
from tests.factories import image_bytes, post_data, upload

pytestmark = pytest.mark.django_db

Image = get_image_model()
Rendition = Image.get_rendition_model()


def photo(color=(200, 30, 30)):
    # Wider than the card and page widths, so the pages ask for several renditions.
    return upload("photo.png", image_bytes("PNG", size=(900, 600), color=color), "image/png")


def author_posts_a_photo(client, board):
    """The author's browser posts a photo to a board that shows posts at once; the board shows it."""
    response = client.post(board.url + "post/", post_data(board, image=photo(), image_alt="Pupils' welcome wall"))
    assert response.status_code == 302
    post = BoardPost.objects.get()
    assert post.status == BoardPost.Status.APPROVED
    assert client.__class__().get(post.get_absolute_url()).status_code == 200  # makes the page's renditions
    assert client.__class__().get(board.url).status_code == 200  # and the cards'
    return post


def files_of(image_id):
    """Every file an image has in storage: the original and each rendition."""
    image = Image.objects.get(pk=image_id)
    names = [image.file.name] + [rendition.file.name for rendition in Rendition.objects.filter(image=image)]
    assert len(names) >= 3 and all(default_storage.exists(name) for name in names)
    return names


def assert_gone(image_id, names):
    assert not Image.objects.filter(pk=image_id).exists()
    assert not Rendition.objects.filter(image_id=image_id).exists()
    assert [name for name in names if default_storage.exists(name)] == []


def edit(client, board, post, **fields):
    data = post_data(board, **{"image_alt": "Pupils' welcome wall", **fields})
    del data["posting_code"]
    return client.post(f"{board.url}posts/{post.pk}/edit/", data)


def test_a_photo_the_author_removes_goes_with_every_rendition_and_file(
    client, open_board, django_capture_on_commit_callbacks
):
    post = author_posts_a_photo(client, open_board)
    names = files_of(post.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(client, open_board, post, remove_image="on", image_alt="").status_code == 302
    assert_gone(post.image_id, names)


def test_a_photo_the_author_replaces_goes_with_every_rendition_and_file(
    client, open_board, django_capture_on_commit_callbacks
):
    post = author_posts_a_photo(client, open_board)
    names = files_of(post.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(client, open_board, post, image=photo(color=(0, 0, 200))).status_code == 302
    assert_gone(post.image_id, names)
    post.refresh_from_db()
    assert post.image_id is not None and default_storage.exists(post.image.file.name)


def test_a_deleted_post_takes_every_photo_it_ever_showed(client, open_board, django_capture_on_commit_callbacks):
    """The issue's own steps: the author replaces the photo, then deletes the post; neither photo stays."""
    post = author_posts_a_photo(client, open_board)
    first, first_names = post.image_id, files_of(post.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, open_board, post, image=photo(color=(0, 0, 200)))
    post.refresh_from_db()
    assert client.get(post.get_absolute_url()).status_code == 200  # back in moderation: its author still sees it
    second, second_names = post.image_id, files_of(post.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{open_board.url}posts/{post.pk}/delete/").status_code == 302
    assert_gone(first, first_names)
    assert_gone(second, second_names)


def test_a_rejected_post_loses_its_photo(client, open_board, editor, django_capture_on_commit_callbacks):
    post = author_posts_a_photo(client, open_board)
    names = files_of(post.image_id)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("board_moderate", args=[post.pk]), {"action": "reject", "reason": "Faces"})
    assert response.status_code == 302
    assert_gone(post.image_id, names)
    post.refresh_from_db()
    assert post.status == BoardPost.Status.REJECTED and post.image_id is None and post.image_alt == ""


def test_erasure_takes_the_photo_of_a_post_it_keeps_and_of_one_it_deletes(
    client, open_board, board, django_capture_on_commit_callbacks
):
    kept = author_posts_a_photo(client, open_board)
    kept_names = files_of(kept.image_id)
    client.post(board.url + "post/", post_data(board, image=photo(), image_alt="Another wall"))  # pending
    waiting = BoardPost.objects.get(board=board)
    client.get(waiting.get_absolute_url())  # its author sees it, awaiting approval
    waiting_names = files_of(waiting.image_id)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("personal_data", "erase", "begum@school.example.org", "--yes", stdout=io.StringIO())
    assert_gone(kept.image_id, kept_names)
    assert_gone(waiting.image_id, waiting_names)
    kept.refresh_from_db()
    assert kept.is_public and kept.image_id is None and kept.display_name == ""


def image_urls(html):
    """Every image address in a page's <img> tags (src and each srcset source)."""
    urls = set()
    for img in BeautifulSoup(html, "html.parser").select(".board-post__image img"):
        urls.add(img["src"])
        urls.update(source.split()[0] for source in img.get("srcset", "").split(",") if source.strip())
    return urls


def test_a_public_posts_image_is_served_briefly_cacheable_and_never_from_media(client, open_board):
    post = author_posts_a_photo(client, open_board)
    visitor = client.__class__()
    urls = image_urls(visitor.get(post.get_absolute_url()).content) | image_urls(visitor.get(open_board.url).content)
    assert len(urls) >= 3 and all(url.startswith("/board/images/") for url in urls)
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "public, max-age=300"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    page = visitor.get(post.get_absolute_url()).content.decode()
    for rendition in Rendition.objects.filter(image_id=post.image_id):
        assert rendition.file.name.rsplit("/", 1)[-1] not in page  # the storage name is never shown
        assert visitor.get(rendition.url).status_code == 404  # /media/images/board-…: not to the public


@pytest.mark.parametrize("action", ["hide", "reject"])
def test_a_hidden_or_rejected_posts_image_answers_404_at_every_address(
    client, open_board, editor, action, django_capture_on_commit_callbacks
):
    post = author_posts_a_photo(client, open_board)
    visitor = client.__class__()
    urls = image_urls(visitor.get(post.get_absolute_url()).content)
    assert urls and all(visitor.get(url).status_code == 200 for url in urls)
    media = {rendition.url: rendition.file.name for rendition in Rendition.objects.filter(image_id=post.image_id)}
    moderator = client.__class__()
    moderator.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(reverse("board_moderate", args=[post.pk]), {"action": action, "reason": "Faces"})
    assert response.status_code == 302
    assert [url for url in urls if visitor.get(url).status_code != 404] == []
    assert [url for url in media if visitor.get(url).status_code != 404] == []
    # Even where a proxy or bucket serves /media/ itself: the rendition files are gone.
    assert [name for name in media.values() if default_storage.exists(name)] == []


def test_a_pending_posts_image_is_shown_to_its_author_only_and_kept_private(client, board):
    client.post(board.url + "post/", post_data(board, image=photo(), image_alt="Pupils' welcome wall"))
    post = BoardPost.objects.get()
    urls = image_urls(client.get(post.get_absolute_url()).content)
    assert urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"
        assert client.__class__().get(url).status_code == 404
        assert client.__class__().get(url.replace(".png", ".jpg")).status_code == 404
