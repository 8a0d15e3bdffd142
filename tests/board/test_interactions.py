"""Reactions (one per browser), reports (auto-hide after N), comments (moderated like posts)."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from board.models import BoardComment, BoardPost, BoardReaction, BoardReport
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def like(client, board, post, **kwargs):
    return client.post(f"{board.url}posts/{post.pk}/like/", {"next": board.url}, **kwargs)


def test_like_counts_once_per_browser_and_toggles(client, board):
    post = make_post(board, title="Likeable")
    response = like(client, board, post)
    assert response.status_code == 302 and response["Location"] == f"{board.url}#post-{post.pk}"
    assert response.cookies["board_browser"]["httponly"]
    post.refresh_from_db()
    assert post.reaction_count == 1
    body = client.get(board.url).content.decode()
    assert 'aria-pressed="true"' in body
    # The same browser liking again takes its like back: never two from one browser.
    like(client, board, post)
    post.refresh_from_db()
    assert post.reaction_count == 0 and BoardReaction.objects.count() == 0
    like(client, board, post)
    other = client.__class__()
    like(other, board, post)
    post.refresh_from_db()
    assert post.reaction_count == 2 and BoardReaction.objects.count() == 2
    assert ">2</span>" in client.__class__().get(board.url).content.decode()


def test_like_answers_json_for_the_script(client, board):
    post = make_post(board)
    data = like(client, board, post, HTTP_ACCEPT="application/json").json()
    assert data == {"liked": True, "count": 1, "count_unit": "like"}


def test_like_needs_post_and_reactions_switched_on(client, board):
    post = make_post(board)
    for method in (client.put, client.patch, client.delete):
        assert method(f"{board.url}posts/{post.pk}/like/").status_code == 405
    board.reactions_enabled = False
    board.save_revision().publish()
    assert like(client, board, post).status_code == 404
    assert client.get(f"{board.url}posts/{post.pk}/like/").status_code == 404
    assert "Like" not in client.get(board.url).content.decode().split("board-posts")[1]


def test_like_button_is_a_get_form_to_the_like_page_so_the_board_holds_no_token(client, board):
    post = make_post(board, title="Welcome wall")
    for url in (board.url, f"{board.url}posts/{post.pk}/", f"{board.url}?section=learn"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        form = soup.select_one(f"#post-{post.pk} form[data-board-like]")
        assert form["method"] == "get" and form["action"] == f"{board.url}posts/{post.pk}/like/", url
        assert form.select_one("input[name=next]")["value"] == url
        assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is None, url
    # The board itself (comments live on the detail page) has no token anywhere.
    assert "csrfmiddlewaretoken" not in client.get(board.url).content.decode()


def test_like_page_asks_first_and_a_get_changes_nothing(client, board):
    post = make_post(board, title="Welcome wall")
    url = f"{board.url}posts/{post.pk}/like/"
    for method in (client.get, client.head):
        response = method(url, {"next": board.url + "?section=learn"})
        assert response.status_code == 200
        assert "board_browser" not in response.cookies  # no key is handed out by looking
    assert BoardReaction.objects.count() == 0
    assert BoardPost.objects.get(pk=post.pk).reaction_count == 0

    soup = BeautifulSoup(client.get(url, {"next": board.url + "?section=learn"}).content, "html.parser")
    assert soup.find("h1").get_text() == "Like “Welcome wall”?"
    assert soup.title.get_text().startswith("Like “Welcome wall”? – Test board")
    form = soup.select_one("main form[data-board-like-confirm]")
    assert form["method"] == "post" and form["action"] == url
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    assert form.select_one("input[name=next]")["value"] == board.url + "?section=learn"
    assert form.find("button").get_text(strip=True) == "Like this post"
    back = soup.find("a", string="Back without changing anything")
    assert back["href"] == f"{board.url}?section=learn#post-{post.pk}"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    # Step two: the form's POST likes it and returns to where the visitor was.
    response = client.post(url, {"next": form.select_one("input[name=next]")["value"]})
    assert response.status_code == 302 and response["Location"] == f"{board.url}?section=learn#post-{post.pk}"
    assert BoardPost.objects.get(pk=post.pk).reaction_count == 1
    # Now the page offers to take the like back.
    again = BeautifulSoup(client.get(url).content, "html.parser")
    assert again.find("h1").get_text() == "Take back your like for “Welcome wall”?"
    assert again.select_one("main form button").get_text(strip=True) == "Take back my like"
    assert again.find("a", string="Back without changing anything")["href"] == f"{board.url}posts/{post.pk}/"


def test_like_page_ignores_off_site_and_odd_next_urls(client, board):
    post = make_post(board)
    url = f"{board.url}posts/{post.pk}/like/"
    for bad in ("https://evil.example/", "//evil.example/", board.url + "\\evil", board.url + "\nSet-Cookie: x=1"):
        soup = BeautifulSoup(client.get(url, {"next": bad}).content, "html.parser")
        assert soup.select_one("main form input[name=next]") is None, bad
        assert soup.find("a", string="Back without changing anything")["href"] == f"{board.url}posts/{post.pk}/"
        response = client.post(url, {"next": bad})
        assert response.status_code == 302 and response["Location"] == f"{board.url}posts/{post.pk}/", bad


def test_like_page_escapes_the_post(client, board):
    post = make_post(board, title="<script>alert(1)</script> & co")
    html = client.get(f"{board.url}posts/{post.pk}/like/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


def test_someone_who_liked_gets_their_own_page_with_the_like_shown(client, board, settings):
    """The like key cookie makes the page cache pass them by, so their liked state is never a shared copy."""
    settings.PAGE_CACHE_ENABLED = True
    post = make_post(board, title="Likeable")
    first, second = Client().get(board.url), Client().get(board.url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    like(client, board, post)
    assert "board_browser" in client.cookies
    own = client.get(board.url)
    assert "X-Page-Cache" not in own  # bypassed: rendered for this browser
    assert 'aria-pressed="true"' in own.content.decode()
    other = Client().get(board.url)
    assert 'aria-pressed="true"' not in other.content.decode()
    assert ">1</span>" in other.content.decode()  # the like changed the content: the shared copy was replaced


def test_like_ignores_off_site_next_urls(client, board):
    post = make_post(board)
    response = client.post(f"{board.url}posts/{post.pk}/like/", {"next": "https://evil.example/"})
    assert response["Location"] == f"{board.url}posts/{post.pk}/"


def test_report_reaches_editors_and_enough_reports_hide_the_post(client, board, editor):
    post = make_post(board, title="Reported post")
    url = f"{board.url}posts/{post.pk}/report/"
    assert "What is wrong with this post?" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert "This field is required." in response.content.decode()
    for n in range(2):  # three different people (issue 14: one person reporting again does not count)
        response = Client().post(url, {"reason": f"Shows a pupil's full name ({n})"}, REMOTE_ADDR=f"10.4.{n}.1")
        assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == BoardPost.Status.APPROVED and post.report_count == 2
    client.post(url, {"reason": "Third report"})
    post.refresh_from_db()
    assert post.status == BoardPost.Status.HIDDEN
    assert "Reported post" not in client.get(board.url).content.decode()
    assert ModelLogEntry.objects.for_instance(post).filter(action="board.auto_hide").exists()
    client.force_login(editor)
    queue = client.get("/admin/snippets/board/boardpost/?reported=true").content.decode()
    assert "Reported post" in queue
    moderation = client.get(reverse("board_moderate", args=[post.pk])).content.decode()
    assert "Shows a pupil&#x27;s full name (0)" in moderation and "Reports (3)" in moderation
    # Reviewed and approved again: the reports are resolved and the post is back.
    client.post(reverse("board_moderate", args=[post.pk]), {"action": "approve"})
    assert not BoardReport.objects.filter(resolved=False).exists()
    assert "Reported post" in client.__class__().get(board.url).content.decode()


@override_settings(BOARD_REPORTS_TO_HIDE=1)
def test_reports_to_hide_is_a_setting(client, board):
    post = make_post(board)
    client.post(f"{board.url}posts/{post.pk}/report/", {"reason": "spam"})
    post.refresh_from_db()
    assert post.status == BoardPost.Status.HIDDEN


@override_settings(BOARD_LIKE_RATE_LIMIT=2)
def test_likes_from_one_address_are_limited_by_a_setting(client, board):
    """Past BOARD_LIKE_RATE_LIMIT likes in the window, one address (whichever browser) is refused with 429 and
    nothing changes."""
    post = make_post(board)
    assert [like(client, board, post).status_code for _ in range(2)] == [302, 302]  # liked, then taken back
    refused = like(Client(), board, post)  # another browser at the same address
    assert refused.status_code == 429
    assert "a lot of likes from here" in refused.content.decode()
    post.refresh_from_db()
    assert post.reaction_count == 0 and BoardReaction.objects.count() == 0


def test_report_honeypot_stores_nothing(client, board):
    post = make_post(board)
    client.post(f"{board.url}posts/{post.pk}/report/", {"reason": "x", "website_url": "spam"})
    assert BoardReport.objects.count() == 0


def test_comments_are_moderated_like_posts(client, board, editor):
    post = make_post(board, title="Discussed")
    url = f"{board.url}posts/{post.pk}/comment/"
    response = client.post(url, {"display_name": "Mr Ali", "message": "Lovely idea!\nWe did it too."})
    assert response.status_code == 302
    comment = BoardComment.objects.get()
    assert comment.status == BoardComment.Status.PENDING
    detail = client.get(response["Location"]).content.decode()
    assert "your comment will appear when a moderator has checked it" in detail
    assert "Lovely idea!" not in detail
    client.force_login(editor)
    client.post(reverse("board_moderate", args=[post.pk]), {"action": "approve_comment", "comment": comment.pk})
    detail = client.__class__().get(f"{board.url}posts/{post.pk}/").content.decode()
    assert "Lovely idea!<br>We did it too." in detail and "Mr Ali" in detail
    assert "1 comment" in client.__class__().get(board.url).content.decode()


def test_comment_errors_are_shown_and_comments_can_be_switched_off(client, board):
    post = make_post(board)
    url = f"{board.url}posts/{post.pk}/comment/"
    response = client.post(url, {"message": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    board.comments_enabled = False
    board.save_revision().publish()
    assert client.post(url, {"message": "hi"}).status_code == 404
    assert "Add a comment" not in client.get(f"{board.url}posts/{post.pk}/").content.decode()


def test_blocked_word_holds_a_comment_on_a_board_without_approval(client, open_board):
    from board.models import BlockedWord

    BlockedWord.objects.create(phrase="rude phrase")
    post = make_post(open_board)
    client.post(f"{open_board.url}posts/{post.pk}/comment/", {"message": "fine"})
    client.post(f"{open_board.url}posts/{post.pk}/comment/", {"message": "a RUDE   phrase here"})
    statuses = list(BoardComment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["approved", "pending"]
