"""What the public sees: only approved posts, never emails, inert markup, and pages whose cost does not grow."""

import json
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board.models import BoardPost
from tests.factories import make_post, post_data

pytestmark = pytest.mark.django_db

XSS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "'><svg/onload=alert(1)>",
]
SECRET_EMAIL = "private.teacher@school.example.org"


class _MarkupScanner(HTMLParser):
    """Collects what a browser would run: event-handler attributes, javascript: URLs, scripts that alert."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")
        if tag in {"iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.found.append("<script>alert")


def active_markup(html):
    scanner = _MarkupScanner()
    scanner.feed(html)
    return scanner.found


@pytest.fixture
def mixed_board(board):
    """One post in each state; only the approved one may ever be seen publicly."""
    make_post(board, title="APPROVED-POST", message="approved text", school="Visible School", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.PENDING, title="PENDING-POST", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.REJECTED, title="REJECTED-POST", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.HIDDEN, title="HIDDEN-POST", email=SECRET_EMAIL)
    return board


def _public_responses(client, board, editor=None):
    urls = [
        "/",
        board.url,
        board.url + "?section=learn",
        board.url + "print/",
        board.url + "feed/rss/",
        board.url + "feed/atom/",
        board.url + "updates/?since=2000-01-01T00:00:00%2B00:00",
        "/sitemap.xml",
        "/search/?q=POST",
    ]
    post = BoardPost.objects.get(title="APPROVED-POST")
    urls.append(f"{board.url}posts/{post.pk}/")
    return {url: client.get(url) for url in urls}


def test_only_approved_posts_and_never_emails_in_pages_feeds_search_sitemap(client, mixed_board):
    for url, response in _public_responses(client, mixed_board).items():
        body = response.content.decode()
        assert response.status_code == 200, url
        for hidden in ["PENDING-POST", "REJECTED-POST", "HIDDEN-POST", SECRET_EMAIL, "school.example.org"]:
            assert hidden not in body, (url, hidden)
    assert "APPROVED-POST" in client.get(mixed_board.url).content.decode()
    assert "APPROVED-POST" in client.get(mixed_board.url + "feed/rss/").content.decode()
    assert "APPROVED-POST" in client.get("/").content.decode()  # the home page slot


def test_unapproved_post_pages_are_404_for_the_public(client, mixed_board):
    for title in ["PENDING-POST", "REJECTED-POST", "HIDDEN-POST"]:
        post = BoardPost.objects.get(title=title)
        assert client.get(f"{mixed_board.url}posts/{post.pk}/").status_code == 404
        assert client.get(f"{mixed_board.url}posts/{post.pk}/report/").status_code == 404
        assert client.post(f"{mixed_board.url}posts/{post.pk}/like/").status_code == 404
        assert client.get(f"{mixed_board.url}posts/{post.pk}/like/").status_code == 404


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_every_text_field_is_rendered_inert(client, open_board, editor, payload):
    data = post_data(
        open_board,
        title=f"T {payload}",
        message=f"M {payload}\nhttps://example.org/ok",
        display_name=f"N {payload}"[:80],
        school=f"S {payload}",
    )
    del data["posting_code"]
    assert client.post(open_board.url + "post/", data).status_code == 302
    post = BoardPost.objects.get()
    assert post.status == BoardPost.Status.APPROVED
    make_post(open_board, title="comment target")
    client.post(f"{open_board.url}posts/{post.pk}/comment/", {"display_name": payload[:80], "message": payload})
    post.comments.update(status="approved")
    client.force_login(editor)
    pages = [
        open_board.url,
        f"{open_board.url}posts/{post.pk}/",
        open_board.url + "print/",
        "/",
        f"/admin/board/moderate/{post.pk}/",
        "/admin/snippets/board/boardpost/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "onerror=alert(1)" in body.replace("&quot;", '"') or "alert" in body  # the payload is there, as text
        assert active_markup(body) == [], url
    updates = json.loads(client.get(open_board.url + "updates/?since=2000-01-01T00:00:00").content)
    assert updates["posts"] and all(active_markup(item["html"]) == [] for item in updates["posts"])
    feed = client.get(open_board.url + "feed/rss/").content.decode()
    assert "<script>alert" not in feed


def test_message_links_and_line_breaks(client, board):
    make_post(board, message="Line one\nLine two https://refugeeweek.org.uk/ideas and www.example.org")
    body = client.get(board.url).content.decode()
    assert 'Line one<br>Line two <a href="https://refugeeweek.org.uk/ideas" rel="nofollow">' in body


def test_filters_by_section_school_and_text(client, board):
    make_post(board, title="Learn at Whitley", school="Whitley Primary", section="learn")
    make_post(board, title="Embed at Earlsdon", school="Earlsdon Primary", section="embed", message="quilt project")
    body = client.get(board.url + "?section=embed").content.decode()
    assert "Embed at Earlsdon" in body and "Learn at Whitley" not in body
    body = client.get(board.url + "?school=Whitley+Primary").content.decode()
    assert "Learn at Whitley" in body and "Embed at Earlsdon" not in body
    body = client.get(board.url + "?q=QUILT").content.decode()
    assert "Embed at Earlsdon" in body and "Learn at Whitley" not in body
    assert "No posts match these filters" in client.get(board.url + "?q=xylophone").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?page=999",
        "?page=-1",
        "?page=abc",
        "?section=nope&page=2",
        "?school=%00",
        "?q=a%00b",
        "?q=" + "x" * 5000,
        "?section=learn&page=99999999999999999999",
        "?q=%22unbalanced'+OR+1=1",
    ],
)
def test_junk_query_strings_never_500(client, board, query):
    make_post(board)
    assert client.get(board.url + query).status_code == 200


def test_updates_endpoint_returns_only_newly_approved_posts(client, board):
    make_post(board, title="Old news")
    since = timezone.now().isoformat()
    make_post(board, title="Fresh idea")
    make_post(board, status=BoardPost.Status.PENDING, title="Not yet")
    data = client.get(board.url + "updates/", {"since": since}).json()
    assert [item["html"].count("Fresh idea") > 0 for item in data["posts"]] == [True]
    assert data["posts"][0]["section"] == "learn"
    assert client.get(board.url + "updates/?since=yesterday").status_code == 400


def test_board_page_works_without_javascript_markers(client, board):
    make_post(board, title="Card")
    body = client.get(board.url).content.decode()
    assert 'data-board-poll="' in body  # the script's hook; the page itself needs no script
    assert '<button type="submit"' in body and 'aria-pressed="false"' in body


def test_columns_paginate_per_section(client, board):
    board.posts_per_section = 2
    board.save_revision().publish()
    for n in range(5):
        make_post(board, title=f"Learn {n}", section="learn")
    body = client.get(board.url).content.decode()
    assert "Learn 4" in body and "Learn 3" in body and "Learn 2" not in body
    assert "More posts in Learn" in body
    body = client.get(board.url + "?section=learn&page=2").content.decode()
    assert "Learn 2" in body and "Learn 1" in body and "Learn 4" not in body
    assert "Page 2 of 3" in body


def _bulk_posts(board, count):
    sections = list(board.sections.all())
    now = timezone.now()
    BoardPost.objects.bulk_create(
        [
            BoardPost(
                board=board,
                section=sections[n % len(sections)],
                status=BoardPost.Status.APPROVED,
                title=f"Bulk post {n}",
                message="Text " * 20,
                school=f"School {n % 7}",
                approved_at=now,
                pinned=n % 50 == 0,
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The most queries each public view may make, whatever the number of posts (3 sections on the board).
# +2 for languages on each HTML page (its versions for the switcher and hreflang; Wagtail's locale lookup).
QUERY_PINS = {"board": {"columns": 17, "wall": 17}, "filtered": 17, "detail": 14, "like": 13, "rss": 8, "print": 15}


def test_columns_cost_the_same_queries_with_three_sections_or_six(client, board):
    """Every section's first posts come in one query (and their counts in one), not a page per section."""
    from board.models import BoardSection

    _bulk_posts(board, 30)
    client.get(board.url)
    with_three = _count_queries(client, board.url)
    for number in range(3):
        BoardSection.objects.create(board=board, name=f"Extra {number}", slug=f"extra-{number}", sort_order=10 + number)
    _bulk_posts(board, 30)
    html = client.get(board.url).content.decode()
    assert html.count('class="board-column"') == 6
    assert _count_queries(client, board.url) == with_three


@pytest.mark.parametrize("layout", ["columns", "wall"])
def test_board_page_query_count_does_not_grow_with_posts(client, board, layout):
    board.layout = layout
    board.save_revision().publish()
    _bulk_posts(board, 10)
    post = BoardPost.objects.filter(board=board).first()
    urls = {
        "board": board.url,
        "filtered": board.url + "?section=learn&page=2&school=School+3&q=Text",
        "detail": f"{board.url}posts/{post.pk}/",
        "like": f"{board.url}posts/{post.pk}/like/?next={board.url}",
        "rss": board.url + "feed/rss/",
        "print": board.url + "print/",
    }
    client.get(board.url)  # warm the site-root cache, as on a running server
    few = {name: _count_queries(client, url) for name, url in urls.items()}
    _bulk_posts(board, 1990)
    assert BoardPost.objects.filter(board=board, status="approved").count() == 2000
    many = {name: _count_queries(client, url) for name, url in urls.items()}
    assert few == many
    assert many["board"] <= QUERY_PINS["board"][layout]
    for name in ["filtered", "detail", "like", "rss", "print"]:
        assert many[name] <= QUERY_PINS[name], name
