"""The page cache under attack (issue 14): made-up query strings cannot fill it, and visitors' own writes (a
like, a sign-up, an enquiry) make stale only the pages they change, while an editor's change still reaches all.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from home.models import ContentPage
from tests.factories import ENQUIRY, SIGNUP, make_board, make_post

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def anonymous_get(url):
    return Client().get(url)


def stored_pages():
    """How many pages the cache holds now (the keys that hold a page, not the bookkeeping ones)."""
    if hasattr(cache, "_cache") and isinstance(cache._cache, dict):  # local memory
        keys = [key for key in cache._cache if "page-cache:" in key]
    else:  # Redis
        client = cache._cache.get_client()
        keys = [key.decode() for key in client.scan_iter(match=f"{cache.key_prefix}*page-cache:*", count=1000)]
    page = re.compile(r"page-cache:[0-9a-f]{32}:[a-z]{2,3}(-[a-z]+)?:[0-9a-f]{64}$")  # generation, language, address
    return len([key for key in keys if page.search(key)])


def test_four_hundred_tracking_variants_of_a_page_leave_one_stored_page(demo_home):
    about = ContentPage.objects.get(slug="about").url
    assert anonymous_get(about)["X-Page-Cache"] == "miss"
    before = stored_pages()
    states = {anonymous_get(f"{about}?utm_source={n}")["X-Page-Cache"] for n in range(400)}
    # Every one is the stored page: a mail-out's tracked links are as cheap as the plain address.
    assert states == {"hit"}
    assert stored_pages() == before == 1


def test_made_up_query_parameters_are_rendered_but_never_stored(demo_home):
    about = ContentPage.objects.get(slug="about").url
    states = [anonymous_get(f"{about}?x={n}")["X-Page-Cache"] for n in range(30)]
    assert set(states) == {"bypass"}
    assert stored_pages() == 0


def test_known_parameters_in_a_different_order_share_one_stored_page(demo_home):
    first = anonymous_get("/search/?q=sanctuary&page=1")
    second = anonymous_get("/search/?page=1&q=sanctuary")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert stored_pages() == 1


def test_one_path_keeps_at_most_its_cap_of_query_strings_and_always_its_plain_page(demo_home, settings):
    settings.PAGE_CACHE_MAX_VARIANTS = 3
    states = [anonymous_get(f"/search/?q=word{n}")["X-Page-Cache"] for n in range(8)]
    assert states == ["miss"] * 3 + ["bypass"] * 5
    # A variant already stored is stored again after an invalidation without taking a second place.
    assert anonymous_get("/search/?q=word0")["X-Page-Cache"] == "hit"
    # The path without a query string is never crowded out.
    assert [anonymous_get("/search/")["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    assert stored_pages() == 4


def like(liker, board, post):
    like_page = liker.get(f"{board.url}posts/{post.pk}/like/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', like_page.content.decode()).group(1)
    response = liker.post(f"{board.url}posts/{post.pk}/like/", {"next": board.url, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_like_re_renders_only_the_boards_pages(demo_home):
    board = make_board(demo_home, reactions_enabled=True)
    post = make_post(board, title="Twelve languages of hello")
    about = ContentPage.objects.get(slug="about").url
    pages = ["/", about, board.url, f"{board.url}posts/{post.pk}/"]
    for url in pages:
        assert [anonymous_get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"], url

    liker = Client(enforce_csrf_checks=True)
    for _ in range(3):  # a visitor liking and unliking in a loop: liked, not liked, liked
        like(liker, board, post)
    assert anonymous_get("/")["X-Page-Cache"] == "hit"
    assert anonymous_get(about)["X-Page-Cache"] == "hit"
    fresh = anonymous_get(board.url)
    assert fresh["X-Page-Cache"] == "miss"
    assert '<span class="board-like__count" data-like-count>1</span>' in fresh.content.decode()
    assert anonymous_get(f"{board.url}posts/{post.pk}/")["X-Page-Cache"] == "miss"
    assert anonymous_get(board.url)["X-Page-Cache"] == "hit"


def test_a_sign_up_re_renders_the_pages_showing_places_and_leaves_the_others_cached(make_event, demo_home):
    event = make_event(capacity=1, title="Welcome webinar")
    about = ContentPage.objects.get(slug="about").url
    index_url = event.get_parent().url
    for url in ("/", about, index_url, event.url):
        assert [anonymous_get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"], url

    assert Client().post(event.url + "register/", SIGNUP).status_code == 302
    assert anonymous_get(about)["X-Page-Cache"] == "hit"
    for url in ("/", index_url, event.url):  # each shows the places left
        response = anonymous_get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "1 place left" not in response.content.decode()
    assert "All places are taken" in anonymous_get(event.url).content.decode()


def test_an_enquiry_leaves_every_cached_page_cached(demo_home):
    about = ContentPage.objects.get(slug="about").url
    for url in ("/", about):
        assert [anonymous_get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"]
    assert Client().post("/contact/", ENQUIRY).status_code == 302
    assert [anonymous_get(url)["X-Page-Cache"] for url in ("/", about)] == ["hit", "hit"]


def test_an_editors_publish_still_makes_every_page_stale(demo_home, make_event):
    board = make_board(demo_home, reactions_enabled=True)
    make_post(board)
    event = make_event()
    about_page = ContentPage.objects.get(slug="about")
    pages = ["/", about_page.url, board.url, event.url]
    for url in pages:
        assert [anonymous_get(url)["X-Page-Cache"] for _ in range(2)] == ["miss", "hit"], url
    about_page.title = "About us, updated"
    about_page.save_revision().publish()
    assert [anonymous_get(url)["X-Page-Cache"] for url in pages] == ["miss"] * 4
