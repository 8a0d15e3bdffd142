"""The site frame on a phone and a desktop: the menu behind "Menu" (with and without JavaScript), how soon the
content starts, and axe-core's checks with the menu open and closed."""

import pytest

from .conftest import axe_violations, tab_until

pytestmark = [pytest.mark.slow(16)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
NAV_LINKS = "#site-menu .site-nav__list a"


def phone(new_page, javascript):
    return new_page(viewport=PHONE, java_script_enabled=javascript)


def nav_hrefs(page):
    return page.eval_on_selector_all(NAV_LINKS, "links => links.map(link => link.getAttribute('href'))")


def assert_every_nav_link_reached_by_tab(page):
    hrefs = nav_hrefs(page)
    assert len(hrefs) >= 5
    for href in hrefs:
        tab_until(page, f"el.matches({NAV_LINKS!r}) && el.getAttribute('href') === {href!r}", limit=5)
        assert page.locator(f"{NAV_LINKS}[href='{href}']").is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
@pytest.mark.parametrize("path", ["/", "/about/", "/contact/"])
def test_on_a_phone_the_heading_starts_near_the_top_and_the_menu_is_folded(site, new_page, path, javascript):
    page = phone(new_page, javascript)
    page.goto(site + path)
    assert page.locator("h1").bounding_box()["y"] <= 200
    assert not page.locator(".site-nav").is_visible()
    assert page.locator(".site-header__menu-toggle").is_visible()


def test_phone_menu_opens_by_keyboard_and_reaches_every_link_with_javascript(site, new_page):
    page = phone(new_page, javascript=True)
    page.goto(site + "/about/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_until(page, "el.matches('button.site-header__menu-toggle')", limit=5)
    toggle = page.locator("button.site-header__menu-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "site-menu"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-search-q").is_visible()
    assert_every_nav_link_reached_by_tab(page)
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.matches('button.site-header__menu-toggle')")
    assert not page.locator(".site-nav").is_visible()


def test_phone_menu_opens_by_keyboard_and_reaches_every_link_without_javascript(site, new_page):
    page = phone(new_page, javascript=False)
    page.goto(site + "/about/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    tab_until(page, "el.matches('a.site-header__menu-toggle')", limit=5)
    page.keyboard.press("Enter")
    assert page.locator("#site-search-q").is_visible()
    assert page.evaluate("window.scrollY") == 0  # the brand and "Menu" stay in view
    assert_every_nav_link_reached_by_tab(page)
    tab_until(page, "el.matches('.site-menu__close')", limit=3)
    page.keyboard.press("Enter")
    assert not page.locator(".site-nav").is_visible()


def test_phone_pages_have_no_wcag_violations_with_the_menu_open_or_closed(site, new_page):
    page = phone(new_page, javascript=True)
    for path in ("/", "/about/", "/contact/"):
        page.goto(site + path)
        assert axe_violations(page) == [], (path, "menu closed")
        page.locator("button.site-header__menu-toggle").click()
        assert axe_violations(page) == [], (path, "menu open")
    # The page as it is without our JavaScript (axe itself needs scripts, so only site.js is refused).
    without_js = phone(new_page, javascript=True)
    without_js.route("**/site.js", lambda route: route.abort())
    without_js.goto(site + "/about/#site-menu")
    assert without_js.locator("a.site-header__menu-toggle").is_visible()
    assert without_js.locator(".site-nav").is_visible()
    assert axe_violations(without_js) == []


def test_on_a_desktop_the_whole_navigation_shows_without_a_menu_button(site, new_page):
    page = new_page(viewport=DESKTOP)
    page.goto(site + "/about/")
    assert not page.locator(".site-header__menu-toggle").is_visible()
    assert all(page.locator(NAV_LINKS).nth(i).is_visible() for i in range(page.locator(NAV_LINKS).count()))
    # The page uses the width: the contact box sits beside the text, not below it.
    text, aside = page.locator(".layout-aside__main").bounding_box(), page.locator(".contact-card").bounding_box()
    assert aside["x"] > text["x"] + text["width"] and aside["y"] < text["y"] + 200
