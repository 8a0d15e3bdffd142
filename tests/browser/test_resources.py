"""A teacher using the resource library in a browser: filter by process and phase, see the counts hold, open
a resource and download its document; with and without JavaScript; and axe-core on every library page."""

import re
from pathlib import Path

import pytest

from .conftest import NARROW, axe_violations

pytestmark = [pytest.mark.slow(35)]

RESOURCE = "New arrivals induction checklist"


def option_count(page, facet, value):
    return int(page.locator(f"#facet-{facet}-{value} + label .facet__count").get_attribute("data-count"))


def results_count(page):
    return int(page.locator("[data-results-count]").get_attribute("data-results-count"))


def card_titles(page):
    return page.locator(".resource-grid .card__title").all_inner_texts()


def _filter_open_and_download(page, site, apply):
    page.goto(site + "/resources/")
    everything = results_count(page)
    embed_count = option_count(page, "process", "embed")
    apply(page, "#facet-process-embed")
    assert results_count(page) == embed_count < everything
    assert "process=embed" in page.url
    primary_count = option_count(page, "audience", "primary")
    apply(page, "#facet-audience-primary")
    assert results_count(page) == primary_count
    assert len(card_titles(page)) == min(primary_count, 12)
    assert re.search(r"process=embed", page.url) and re.search(r"audience=primary", page.url)
    assert page.locator("#facet-process-embed").is_checked()
    assert page.locator("#facet-audience-primary").is_checked()
    assert page.get_by_role("heading", name=f"{primary_count} resources").is_visible()

    page.get_by_role("link", name=RESOURCE).click()
    page.wait_for_url("**/new-arrivals-induction-checklist/")
    assert page.get_by_role("heading", level=1).inner_text() == RESOURCE
    download_link = page.locator("a.download__link")
    assert "PDF" in download_link.inner_text()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_teacher_filters_opens_and_downloads_with_javascript(site, page):
    def tick(page, selector):
        with page.expect_navigation():
            page.check(selector)  # resources.js applies the filter on change

    _filter_open_and_download(page, site, tick)


def test_teacher_filters_opens_and_downloads_without_javascript(site, page_without_js):
    def tick_and_submit(page, selector):
        page.check(selector)
        with page.expect_navigation():
            page.get_by_role("button", name="Show resources").click()

    _filter_open_and_download(page_without_js, site, tick_and_submit)


def test_keyboard_focus_returns_to_the_filter_after_it_applies(site, page):
    page.goto(site + "/resources/")
    page.focus("#facet-audience-secondary")
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'facet-audience-secondary'")
    assert page.locator("#facet-audience-secondary").is_checked()


def test_removing_a_filter_and_clearing_all(site, page_without_js):
    page = page_without_js
    page.goto(site + "/resources/?process=embed&audience=primary")
    filtered = results_count(page)
    page.get_by_role("link", name="Audience / phase: Primary (remove this filter)").click()
    assert "audience" not in page.url
    assert results_count(page) >= filtered
    page.get_by_role("link", name="Clear all filters").first.click()
    assert page.url.endswith("/resources/")


@pytest.mark.parametrize(
    "path",
    [
        "/resources/",
        "/resources/?process=embed&audience=primary",
        "/resources/?criterion=3&criterion=6&audience=primary",
        "/resources/?q=xylophone",
        "/resources/tag/refugee-week/",
        "/resources/learn/",
        "/resources/tag/",
        "/resources/new-arrivals-induction-checklist/",
        "/resources/welcome-signs-in-community-languages/",
        "/resources/launch-webinar-2023-24-recording/",
    ],
)
def test_library_pages_have_no_wcag_violations(site, page, path):
    page.goto(site + path)
    assert axe_violations(page) == []


def test_library_works_at_320_pixels(site, new_page):
    page = new_page(viewport=NARROW)
    page.goto(site + "/resources/?process=embed")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.locator("#facet-audience-primary").is_visible()
    assert axe_violations(page) == []


def test_resource_with_a_website_does_not_scroll_sideways_at_320_pixels(site, new_page):
    page = new_page(viewport=NARROW)
    page.goto(site + "/resources/schools-of-sanctuary-website/")
    button = page.locator(".resource__access a.external-link")
    assert "schools.cityofsanctuary.org" in button.inner_text()
    assert "(external website)" in button.inner_text()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]


def _resource_with_a_video():
    from resources.models import ResourcePage

    resource = ResourcePage.objects.get(slug="launch-webinar-2023-24-recording")
    resource.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    resource.save_revision().publish()
    return resource


def test_video_without_javascript_offers_only_the_honest_link_to_youtube(site, page_without_js):
    resource = _resource_with_a_video()
    page_without_js.goto(site + resource.url)
    watch = page_without_js.get_by_role("link", name=f"Watch on YouTube (external site): {resource.title}")
    assert watch.is_visible()
    assert watch.inner_text() == "Watch on YouTube (external site)"  # said to everyone, not only to screen readers
    assert watch.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert page_without_js.get_by_role("button", name=re.compile("Play video")).count() == 0
    assert not page_without_js.get_by_text("Playing it here loads").is_visible()


def test_video_with_javascript_plays_here_from_a_button_and_keeps_the_youtube_link(site, page):
    resource = _resource_with_a_video()
    page.goto(site + resource.url)
    play = page.get_by_role("button", name=f"Play video: {resource.title}")
    assert play.is_visible()
    assert page.get_by_text("Playing it here loads content and cookies from YouTube.").is_visible()
    watch = page.get_by_role("link", name=f"Watch on YouTube (external site): {resource.title}")
    assert watch.is_visible()
    assert watch.inner_text() == "Watch on YouTube (external site)"
    assert axe_violations(page) == []
    play.click()
    assert page.locator(".video__frame iframe").count() == 1
    assert page.get_by_role("button", name=re.compile("Play video")).count() == 0
    assert watch.is_visible()  # still there, as its own link
    assert watch.get_attribute("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
