"""Site search at /search/: finds live public pages, paginates, caps the query, never fails."""

import pytest

from home.models import ContentPage


def test_search_finds_pages_by_their_words(client, demo_home):
    response = client.get("/search/", {"q": "Equality Act"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/about/"' in html
    assert "result" in html


def test_search_does_not_show_draft_or_private_pages(client, demo_home):
    learn = ContentPage.objects.get(slug="learn")
    learn.unpublish()
    html = client.get("/search/", {"q": "Learn about what it means"}).content.decode()
    assert 'href="/learn/"' not in html


def test_empty_search_explains_what_to_do(client, demo_home):
    html = client.get("/search/").content.decode()
    assert "Type a word or phrase" in html


def test_no_results_state_offers_a_way_on(client, demo_home):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "No results for “xylophone”" in html
    assert 'href="/contact/"' in html


def test_search_paginates_and_keeps_the_query(client, demo_home):
    for number in range(23):
        demo_home.add_child(instance=ContentPage(title=f"Refugee Week idea {number}", slug=f"idea-{number}"))
    first = client.get("/search/", {"q": "Refugee Week idea"}).content.decode()
    assert "Page 1 of 3" in first
    assert 'href="?q=Refugee+Week+idea&amp;page=2"' in first
    last = client.get("/search/", {"q": "Refugee Week idea", "page": "3"}).content.decode()
    assert "Page 3 of 3" in last


@pytest.mark.parametrize("page", ["999", "0", "-1", "abc", ""])
def test_out_of_range_page_numbers_give_a_normal_page(client, demo_home, page):
    response = client.get("/search/", {"q": "sanctuary", "page": page})
    assert response.status_code == 200


def test_very_long_queries_are_shortened_with_a_notice(client, demo_home):
    response = client.get("/search/", {"q": "sanctuary " * 500})
    html = response.content.decode()
    assert response.status_code == 200
    assert "shortened to its first 200 characters" in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "NEAR(a b",
        "title:x",
        "-",
        "'",
        "((",
        "sanctuary*",
        "ŁÓdź café",
        "مدرسة",
        "'; DROP TABLE wagtailcore_page; --",
        "<script>alert(1)</script>",
        "a AND OR NOT",
        "*",
        "\\",
    ],
)
def test_odd_queries_are_handled_and_escaped(client, demo_home, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
