"""The shared small rules for what visitors send (security/public_input.py), each written once and tested here once:
page numbers, search text, search terms and `next` addresses. The pages that use them keep their own tests of
junk values (tests/security/test_hostile_input.py, each app's listing tests).
"""

import pytest
from django.test import RequestFactory

from security.public_input import paginate, safe_next_url, search_terms, search_text

ITEMS = list(range(25))  # three pages of ten


@pytest.mark.parametrize(
    "raw,number",
    [
        ("2", 2),
        (None, 1),
        ("", 1),
        ("abc", 1),
        ("2.0", 1),
        ("0", 1),
        ("-1", 1),  # below the first page is the first page, not the last
        ("9" * 5000, 1),  # more digits than int() reads
        ("999", 3),  # past the end is the last page
        ("99999999999999999999", 3),
    ],
)
def test_any_page_number_gives_a_page(raw, number):
    page = paginate(ITEMS, 10, raw)
    assert page.number == number
    assert list(page.object_list) == ITEMS[(number - 1) * 10 : number * 10]


def test_an_empty_list_has_an_empty_first_page():
    page = paginate([], 10, "5")
    assert page.number == 1 and list(page.object_list) == []


@pytest.mark.parametrize(
    "raw,text",
    [
        ("  welcome   pack\t", "welcome pack"),
        ("welcome\u00a0pack\u3000guide", "welcome pack guide"),  # no-break and ideographic spaces are spaces
        ("abc\u202edef\u2066", "abcdef"),  # direction overrides and isolates cannot reorder the page
        ("\ufeffwelcome\u00ad", "welcome"),  # nor a byte-order mark or soft hyphen hide in it
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"),
        (None, ""),
    ],
)
def test_search_text_is_plain_words(raw, text):
    assert search_text(raw, 200) == (text, False)


def test_search_text_is_cut_and_says_so():
    assert search_text("refugee " * 30, 20) == ("refugee refugee refu", True)
    assert search_text("refugee week", 12) == ("refugee week", False)


def test_search_terms_leave_out_what_search_backends_read_as_syntax():
    assert search_terms('"unbalanced (((welcome | pack) & !week') == "unbalanced welcome pack week"
    assert search_terms("year-7 pupils' voices") == "year-7 pupils' voices"


def get(url="/", secure=False, **query):
    return RequestFactory().get(url, query, secure=secure)


@pytest.mark.parametrize(
    "next_url",
    [
        "/admin/events/?status=waiting",
        "http://testserver/admin/",
    ],
)
def test_next_on_this_site_is_kept(next_url):
    assert safe_next_url(get(next=next_url)) == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/admin/\nSet-Cookie: x=1",
        "/admin/" + "x" * 2000,
        "",
    ],
)
def test_next_elsewhere_or_odd_is_refused(next_url):
    assert safe_next_url(get(next=next_url)) == ""


def test_next_is_read_from_the_form_on_a_post():
    request = RequestFactory().post("/?next=/from-the-query/", {"next": "/from-the-form/"})
    assert safe_next_url(request) == "/from-the-form/"


def test_next_is_https_only_when_the_request_was():
    assert safe_next_url(get(secure=True, next="http://testserver/admin/")) == ""
    assert safe_next_url(get(secure=True, next="https://testserver/admin/")) == "https://testserver/admin/"


OWN = {"/board/", "/board/posts/7/"}


@pytest.mark.parametrize("next_url", ["/board/", "/board/?section=learn", "/board/posts/7/"])
def test_next_among_own_paths_is_kept(next_url):
    assert safe_next_url(get(next=next_url), own_paths=OWN) == next_url


@pytest.mark.parametrize(
    "next_url",
    [
        "/board/../admin/",
        "/board/%2e%2e/admin/",
        "/board/./../admin/",
        "/board/posts/8/",
        "/board/#top",
        "http://testserver/board/",  # own paths are path-only addresses
        "/admin/",
    ],
)
def test_next_outside_own_paths_is_refused(next_url):
    assert safe_next_url(get(next=next_url), own_paths=OWN) == ""
