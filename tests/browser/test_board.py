"""The community board in a browser: a teacher posts with the keyboard only, an editor approves it in the
admin, it appears on the board and a visitor likes it; axe-core on the board's pages."""

import io

import pytest
from PIL import Image

from board.models import BoardPost
from tests.factories import demo_posting_code

from .conftest import NARROW, admin_sign_in, axe_violations, tab_until

pytestmark = [pytest.mark.slow(30)]


def _photo(tmp_path):
    path = tmp_path / "assembly.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 110, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _tab_to(page, element_id):
    tab_until(page, f"el.id === {element_id!r}")


def test_post_with_keyboard_editor_approves_visitor_likes(site, page, new_page, tmp_path):
    page.goto(site + "/board/post/")
    page.locator("#id_posting_code").focus()
    page.keyboard.type(demo_posting_code())
    _tab_to(page, "id_section")
    page.keyboard.press("ArrowDown")  # Learn
    _tab_to(page, "id_title")
    page.keyboard.type("Our sanctuary garden")
    _tab_to(page, "id_message")
    page.keyboard.type("Families planted herbs from home.\nCome and see it!")
    _tab_to(page, "id_image")
    # The field is reached by keyboard; opening the native file chooser from it (Space) is the browser's own
    # behaviour, which headless Chromium intermittently drops, so choose the file directly.
    page.locator("#id_image").set_input_files(str(_photo(tmp_path)))
    _tab_to(page, "id_image_alt")
    page.keyboard.type("Pupils and parents planting herbs in raised beds")
    _tab_to(page, "id_display_name")
    page.keyboard.type("Mrs Novak")
    page.keyboard.press("Tab")
    page.keyboard.type("Whitley Primary")
    page.keyboard.press("Tab")
    page.keyboard.type("novak@school.example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send post for approval"
    page.keyboard.press("Enter")
    page.wait_for_selector("text=your post is awaiting approval")
    assert page.locator(".board-badge").first.inner_text() == "Awaiting approval"
    post = BoardPost.objects.get(title="Our sanctuary garden")
    assert post.status == "pending" and post.image_id
    assert axe_violations(page) == []  # the post detail, as its author sees it

    # An editor approves it in the admin.
    admin = admin_sign_in(new_page(), site)
    admin.goto(site + "/admin/snippets/board/boardpost/?status=pending")
    admin.get_by_role("link", name="Moderate Our sanctuary garden").click()
    admin.get_by_role("button", name="Approve").click()
    admin.wait_for_selector("text=It is on the board now")
    post.refresh_from_db()
    assert post.status == "approved"

    # A visitor sees it on the board, with its image, and likes it with the keyboard.
    visitor = new_page()
    visitor.goto(site + "/board/")
    card = visitor.locator(f"#post-{post.pk}")
    assert "Our sanctuary garden" in card.inner_text()
    assert card.locator("img").get_attribute("alt") == "Pupils and parents planting herbs in raised beds"
    assert "novak@school.example.org" not in visitor.content()
    visitor.evaluate("window.__marker = 1")
    card.get_by_role("button", name="Like").focus()
    visitor.keyboard.press("Enter")
    visitor.wait_for_function(  # two round trips (the like page for a token, then the like): allow a busy machine
        f"document.querySelector('#post-{post.pk} .board-like__button').getAttribute('aria-pressed') === 'true'",
        timeout=30_000,
    )
    assert card.locator("[data-like-count]").inner_text() == "1"
    assert card.locator("[data-like-label]").inner_text() == "Liked"
    # What a screen reader hears after the number, updated by the script: "1 like", not "1 likes".
    assert card.locator("[data-like-unit]").text_content() == " like"
    # In place: the script fetched the like page for a token and posted; the visitor never left the board.
    assert visitor.evaluate("window.__marker") == 1 and visitor.url == site + "/board/"
    assert visitor.evaluate("document.activeElement.classList.contains('board-like__button')")
    visitor.reload()
    assert visitor.locator(f"#post-{post.pk} [data-like-count]").inner_text() == "1"
    post.refresh_from_db()
    assert post.reaction_count == 1


def test_like_works_without_javascript_in_two_steps_by_keyboard(site, page_without_js):
    page = page_without_js
    page.goto(site + "/board/?section=learn")
    card = page.locator("article.board-post").first
    post_id = int(card.get_attribute("id").removeprefix("post-"))
    title = BoardPost.objects.get(pk=post_id).title
    card.locator(".board-like__button").focus()
    page.keyboard.press("Enter")
    # Step one: the like page asks, with the post's title, and a way back.
    page.wait_for_url(f"{site}/board/posts/{post_id}/like/**")
    assert page.locator("h1").inner_text() == f"Like “{title}”?"
    assert BoardPost.objects.get(pk=post_id).reaction_count == 0
    tab_until(page, "el.textContent.trim() === 'Like this post'")
    page.keyboard.press("Enter")
    # Step two done: back where the visitor was, at the post, shown as liked.
    page.wait_for_url(f"{site}/board/?section=learn#post-{post_id}")
    liked = page.locator(f"#post-{post_id} .board-like__button")
    assert liked.get_attribute("aria-pressed") == "true"
    assert page.locator(f"#post-{post_id} [data-like-count]").inner_text() == "1"
    assert BoardPost.objects.get(pk=post_id).reaction_count == 1


def test_like_page_has_no_wcag_violations(site, page):
    post = BoardPost.objects.filter(status="approved").first()
    page.goto(f"{site}/board/posts/{post.pk}/like/?next=/board/")
    assert page.locator("main form button").inner_text() == "Like this post"
    assert axe_violations(page) == []


def test_new_approved_posts_appear_without_a_reload(site, page):
    from django.utils import timezone

    page.goto(site + "/board/")
    page.evaluate("window.__marker = 1")
    post = BoardPost.objects.filter(status="pending").first()
    post.status, post.approved_at = "approved", timezone.now()
    post.save()
    # The script polls every 30 seconds; ask it to check now.
    page.evaluate("window.dispatchEvent(new Event('board:poll'))")
    page.wait_for_selector(f"#post-{post.pk}", timeout=40_000)
    assert page.evaluate("window.__marker") == 1  # same page, no reload
    assert "new post" in page.locator("[data-board-status]").inner_text()


@pytest.mark.parametrize("path", ["/board/", "/board/?section=learn", "/board/print/"])
def test_board_pages_have_no_wcag_violations(site, page, path):
    page.goto(site + path)
    assert axe_violations(page) == []


def test_post_detail_has_no_wcag_violations(site, page):
    post = BoardPost.objects.filter(status="approved", image__isnull=False).first()
    page.goto(f"{site}/board/posts/{post.pk}/")
    assert axe_violations(page) == []


def test_posting_form_with_errors_has_no_wcag_violations(site, page):
    page.goto(site + "/board/post/")
    page.fill("#id_posting_code", "wrong code")
    page.fill("#id_email", "not-an-email")
    page.get_by_role("button", name="Send post for approval").click()
    page.wait_for_selector(".error-summary")
    assert "That posting code is not right" in page.locator(".error-summary").inner_text()
    assert axe_violations(page) == []


def test_board_fits_a_320px_screen(site, new_page):
    page = new_page(viewport=NARROW)
    post = BoardPost.objects.filter(status="approved", image__isnull=False).first()
    for path in ("/board/", f"/board/posts/{post.pk}/", f"/board/posts/{post.pk}/like/", "/board/post/"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth <= 320"), path


# The displayed width of each board image, and the real pixel width of the source the browser chose from srcset
# (loaded again without srcset: an <img>'s own naturalWidth is scaled by the srcset descriptor).
IMAGE_WIDTHS = """async () => Promise.all([...document.querySelectorAll('.board-post__image img')].map(async (img) => {
    img.loading = "eager";
    await img.decode();
    const source = new Image();
    source.src = img.currentSrc;
    await source.decode();
    return {shown: img.getBoundingClientRect().width, pixels: source.naturalWidth, src: img.currentSrc};
}))"""


def test_board_images_are_never_shown_wider_than_the_source_chosen_at_1280px(site, new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    post = BoardPost.objects.filter(status="approved", image__isnull=False).first()
    for path in (f"/board/posts/{post.pk}/", "/board/", "/board/?section=embed"):
        page.goto(site + path)
        page.locator(".board-post__image img").first.scroll_into_view_if_needed()
        images = page.evaluate(IMAGE_WIDTHS)
        assert images, path
        for image in images:
            assert image["shown"] <= image["pixels"], (path, image)
    # On the post's own page the post takes two thirds of the width, not the whole 1,085 px.
    page.goto(f"{site}/board/posts/{post.pk}/")
    (image,) = page.evaluate(IMAGE_WIDTHS)
    assert 600 < image["shown"] < 760


def test_like_page_skip_link(site, page):
    post = BoardPost.objects.filter(status="approved").first()
    page.goto(f"{site}/board/posts/{post.pk}/like/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Like this post"
