"""A visitor using the schools directory in a browser: filtering by "Awarded" and "Primary" with the keyboard
only, the count shown matching the list; axe-core on the directory and a school's page at 320 and 1280 pixels,
with no sideways scroll on a phone; and the header with its new menu item at both widths."""

import pytest

from .conftest import NARROW, axe_violations, tab_until

pytestmark = [pytest.mark.slow(30)]

DESKTOP = {"width": 1280, "height": 900}
SCHOOL = "/schools/copper-beech-all-through-school/"  # the demo's school with the longest name, a photo and stories


def results_count(page):
    return int(page.locator("[data-results-count]").get_attribute("data-results-count"))


def option_count(page, facet, value):
    return int(page.locator(f"#facet-{facet}-{value} + label .facet__count").get_attribute("data-count"))


def test_a_visitor_filters_by_awarded_and_primary_with_the_keyboard(site, page):
    page.goto(site + "/schools/")
    everything = results_count(page)
    awarded = option_count(page, "status", "awarded")
    tab_until(page, "el.id === 'facet-status-awarded'")
    with page.expect_navigation():
        page.keyboard.press("Space")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'facet-status-awarded'")
    assert results_count(page) == awarded < everything
    primary = option_count(page, "phase", "primary")
    tab_until(page, "el.id === 'facet-phase-primary'")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert "status=awarded" in page.url and "phase=primary" in page.url
    shown = page.locator(".school-list__item").count()
    assert results_count(page) == primary == shown > 0
    assert page.locator("#results-count").inner_text().startswith(f"{shown} school")
    statuses = page.locator(".school-list .school-status").all_inner_texts()
    assert all(status.startswith(("Awarded", "Re-awarded")) for status in statuses)
    # Enter on a school's name opens its page.
    tab_until(page, "el.closest('.school-list__name') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").count() == 1


def test_without_javascript_the_filters_apply_with_the_button(site, page_without_js):
    page = page_without_js
    page.goto(site + "/schools/")
    page.check("#facet-status-awarded")
    page.check("#facet-phase-primary")
    page.get_by_role("button", name="Show schools").click()
    assert results_count(page) == page.locator(".school-list__item").count() > 0


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "1280px"])
@pytest.mark.parametrize("path", ["/schools/", "/schools/?status=awarded&phase=primary", SCHOOL])
def test_directory_and_school_page_have_no_wcag_violations(site, new_page, viewport, path):
    page = new_page(viewport=viewport)
    page.goto(site + path)
    assert axe_violations(page) == []
    if viewport == NARROW:
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def test_the_header_menu_holds_the_directory_at_both_widths(site, new_page):
    for viewport in (DESKTOP, NARROW):
        page = new_page(viewport=viewport)
        page.goto(site + "/schools/")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < viewport["height"] / 2, header
