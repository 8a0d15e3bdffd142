"""A family switches the "For families" page to Arabic with the keyboard alone, and the page reads right to left.

Every page a link reaches, the Arabic, Persian, Pashto and Ukrainian ones among them, also passes the crawl's
checks (tests/browser/test_crawl.py): valid HTML, axe-core at 320 px and 1280 px, no sideways scrolling.
"""

import pytest

from .conftest import NARROW, axe_violations, tab_until

pytestmark = [pytest.mark.slow(10)]

FAMILIES = "/for-families/"
DESKTOP = {"width": 1280, "height": 900}


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def test_keyboard_switch_from_english_to_arabic_reads_right_to_left(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(site + FAMILIES)
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["en-GB", "ltr"]

    tab_until(page, "el.getAttribute('hreflang') === 'ar'")
    assert page.evaluate("document.activeElement.textContent.trim()") == "العربيّة"
    page.keyboard.press("Enter")
    page.wait_for_url(site + "/ar" + FAMILIES)

    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert page.locator("h1").inner_text() == "للعائلات"
    width = page.viewport_size["width"]

    # The skip link appears at the right-hand edge, where a right-to-left reader starts.
    page.keyboard.press("Home")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    skip = box(page, ".skip-link")
    assert skip["x"] > width / 2 and width - (skip["x"] + skip["width"]) < 40, skip

    # The breadcrumb trail runs from right to left: "Home" (الرئيسية) to the right of the page's own crumb.
    home_crumb, this_crumb = box(page, ".breadcrumbs li:first-child a"), box(page, ".breadcrumbs li:last-child a")
    assert home_crumb["x"] > this_crumb["x"]
    # The brand sits at the right of the header; the text starts at the right of its column.
    assert box(page, ".site-header__brand")["x"] > width / 2
    heading = box(page, "h1")
    column = box(page, ".layout-aside__main")
    assert column["x"] + column["width"] - (heading["x"] + heading["width"]) < 2

    page.evaluate("document.activeElement.blur()")  # the focused skip link covers the switcher, as it should
    assert axe_violations(page) == []
    page.set_viewport_size(NARROW)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert axe_violations(page) == []


def test_an_untranslated_page_shows_english_left_to_right_inside_a_right_to_left_page(site, new_page):
    page = new_page(viewport=NARROW)
    page.goto(site + "/fa" + FAMILIES)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator(".untranslated-notice").evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert page.locator("h1").evaluate("el => getComputedStyle(el).direction") == "ltr"
    page.locator(".untranslated-notice a").click()
    page.wait_for_url(site + FAMILIES)
    assert page.evaluate("document.documentElement.dir") == "ltr"
