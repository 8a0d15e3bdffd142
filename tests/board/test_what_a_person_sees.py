"""What a person sees on the board: one h1 on a post page, a chosen file that an error dropped is named beside
its field, the posting code in any case, "1 like" not "1 likes", and responsive images never stretched."""

import re

import pytest
from bs4 import BeautifulSoup

from board.models import BoardPost
from tests.factories import CODE, PDF, image_bytes, make_post, post_data, upload

pytestmark = pytest.mark.django_db

NOT_KEPT = "was not kept because the form had an error: choose it again."


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def _headings(soup):
    return [int(tag.name[1]) for tag in soup.select("main h1, main h2, main h3, main h4, main h5, main h6")]


def test_a_post_page_has_exactly_one_h1_and_it_is_the_posts_title(client, board):
    post = make_post(board, title="Twelve languages of hello")
    soup = _soup(client.get(f"{board.url}posts/{post.pk}/"))
    h1s = soup.find_all("h1")
    assert [h1.get_text(strip=True) for h1 in h1s] == ["Twelve languages of hello"]
    levels = _headings(soup)
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False)), levels


def test_the_board_keeps_its_own_h1_with_section_h2s_and_card_h3s(client, board):
    make_post(board, title="Twelve languages of hello")
    soup = _soup(client.get(board.url))
    assert [h1.get_text(strip=True) for h1 in soup.find_all("h1")] == ["Test board"]
    assert soup.find("h3", string=None, class_="board-post__title").get_text(strip=True) == "Twelve languages of hello"
    levels = _headings(soup)
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False)), levels


def test_a_chosen_image_and_attachment_dropped_by_an_error_are_named_beside_their_fields(client, board):
    data = post_data(
        board,
        title="",  # required: the form comes back with an error
        image=upload("assembly.png", image_bytes("PNG"), "image/png"),
        image_alt="Pupils at the welcome assembly",
        attachment=upload("slides.pdf", PDF, "application/pdf"),
    )
    response = client.post(board.url + "post/", data)
    assert response.status_code == 200
    assert not BoardPost.objects.exists()
    soup = _soup(response)
    for name, file_name in (("image", "assembly.png"), ("attachment", "slides.pdf")):
        note = soup.find(id=f"id_{name}_not_kept")
        assert note is not None, name
        assert file_name in note.get_text() and NOT_KEPT in note.get_text()
        field = soup.find("input", id=f"id_{name}")
        assert f"id_{name}_not_kept" in field["aria-describedby"].split()
        assert note.find_parent(class_="field") is field.find_parent(class_="field")  # beside its own field
    # The other fields keep what the person typed.
    assert soup.find("input", id="id_image_alt")["value"] == "Pupils at the welcome assembly"
    assert soup.find("input", id="id_display_name")["value"] == "Mrs Begum"
    assert soup.find("textarea", id="id_message").get_text(strip=True) == "Pupils said hello in twelve languages."


def test_no_dropped_file_note_when_no_file_was_chosen_or_the_file_itself_was_refused(client, board):
    response = client.post(board.url + "post/", post_data(board, title=""))
    assert NOT_KEPT not in response.content.decode()
    assert "Enter a title" in response.content.decode() or "This field is required" in response.content.decode()
    # A refused image has its own error message; the note would only repeat it.
    response = client.post(
        board.url + "post/", post_data(board, title="", image=upload("notes.txt", b"hello"), image_alt="x")
    )
    soup = _soup(response)
    assert soup.find(id="id_image_error") is not None
    assert soup.find(id="id_image_not_kept") is None
    assert client.get(board.url + "post/").content.decode().count(NOT_KEPT) == 0


@pytest.mark.parametrize("typed", [CODE.lower(), f"  {CODE.lower()}  ", CODE.title(), f"\t{CODE}\n"])
def test_the_posting_code_works_in_any_case_and_with_spaces_around_it(client, board, typed):
    response = client.post(board.url + "post/", post_data(board, posting_code=typed))
    assert response.status_code == 302
    assert BoardPost.objects.filter(title="Our welcome assembly").count() == 1


def test_a_wrong_code_is_still_refused_whatever_its_case(client, board):
    response = client.post(board.url + "post/", post_data(board, posting_code=CODE.lower() + "x"))
    assert "That posting code is not right" in response.content.decode()
    assert not BoardPost.objects.exists()


def _like(client, board, post, **kwargs):
    return client.post(f"{board.url}posts/{post.pk}/like/", {"next": board.url}, **kwargs)


def _like_text(soup, post):
    """What a screen reader hears for the like count: the number and the word after it."""
    count = soup.select_one(f"#post-{post.pk} [data-like-count]")
    return count.get_text() + count.find_next_sibling("span").get_text()


def test_like_counts_read_one_like_and_two_likes(client, board):
    post = make_post(board, title="Likeable")
    other = client.__class__()
    for url in (board.url, f"{board.url}posts/{post.pk}/"):
        assert _like_text(_soup(other.get(url)), post) == "0 likes"
    data = _like(client, board, post, HTTP_ACCEPT="application/json").json()
    assert data == {"liked": True, "count": 1, "count_unit": "like"}
    for url in (board.url, f"{board.url}posts/{post.pk}/"):
        assert _like_text(_soup(other.get(url)), post) == "1 like"
    assert "1 like so far" in other.get(f"{board.url}posts/{post.pk}/like/").content.decode()
    data = _like(other, board, post, HTTP_ACCEPT="application/json").json()
    assert data == {"liked": True, "count": 2, "count_unit": "likes"}
    assert _like_text(_soup(client.__class__().get(board.url)), post) == "2 likes"
    assert "2 likes so far" in client.__class__().get(f"{board.url}posts/{post.pk}/like/").content.decode()


def _post_with_image(client, open_board, size):
    client.post(
        open_board.url + "post/",
        post_data(
            open_board,
            image=upload("wide.png", image_bytes("PNG", size=size), "image/png"),
            image_alt="A wide blue picture",
        ),
    )
    return BoardPost.objects.get(title="Our welcome assembly")


def _srcset_widths(img):
    return [int(width) for width in re.findall(r" (\d+)w", img["srcset"])]


def test_a_post_page_image_is_responsive_with_several_widths_sizes_and_dimensions(client, open_board):
    post = _post_with_image(client, open_board, (1600, 900))
    img = _soup(client.get(f"{open_board.url}posts/{post.pk}/")).select_one(".board-post__image img")
    assert _srcset_widths(img) == [1200, 800, 400]
    assert img["sizes"]
    # The width and height of the largest source: no layout shift, and CSS (max-width: 100%) never shows it wider.
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["alt"] == "A wide blue picture"
    card = _soup(client.get(open_board.url)).select_one(".board-post__image img")
    assert _srcset_widths(card) == [800, 400] and card["sizes"] and card["width"] == "800"


def test_a_small_image_is_offered_at_its_own_size_only_never_stretched(client, open_board):
    post = _post_with_image(client, open_board, (640, 480))
    img = _soup(client.get(f"{open_board.url}posts/{post.pk}/")).select_one(".board-post__image img")
    assert _srcset_widths(img) == [640, 400]  # no duplicate 640w for the 800 and 1200 sizes
    assert img["width"] == "640"
