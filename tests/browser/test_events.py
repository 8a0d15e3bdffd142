"""Events in a browser: signing up with the keyboard only, and axe-core on the events pages."""

import pytest
from django.utils import timezone

from events.models import EventPage, EventRegistration

from .conftest import NARROW, axe_violations, tab_until

pytestmark = [pytest.mark.slow(25)]


def next_event():
    return EventPage.objects.live().filter(start__gte=timezone.now()).order_by("start").first()


@pytest.mark.parametrize(
    "path",
    [
        "/events/",
        "upcoming",
        "upcoming register/",
        "/events/webinars/",
        "/events/webinars/?q=Greenwood",
        "/events/schools-of-sanctuary-launch-2023-24/",
        "/events/schools-of-sanctuary-launch-2023-24/register/",  # taken place: says so, no form
    ],
)
def test_events_pages_have_no_wcag_violations(site, page, path):
    url = next_event().url + path.removeprefix("upcoming").strip() if path.startswith("upcoming") else path
    page.goto(site + url)
    assert axe_violations(page) == []


def test_events_pages_fit_a_320px_screen(site, new_page):
    narrow = new_page(viewport=NARROW)
    for path in ("/events/", next_event().url, next_event().url + "register/", "/events/webinars/"):
        narrow.goto(site + path)
        overflow = narrow.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, path


def test_teacher_signs_up_with_the_keyboard_only(site, page):
    event = next_event()
    page.goto(site + event.url)
    # The event page has no form: its "Sign up" link leads to the sign-up page.
    assert page.locator("main form").count() == 0
    tab_until(page, f"el.tagName === 'A' && el.textContent.trim() === 'Sign up for {event.title}'")
    page.keyboard.press("Enter")
    page.wait_for_url(site + event.url + "register/")
    assert page.locator("h1").inner_text() == f"Sign up: {event.title}"
    assert axe_violations(page) == []
    tab_until(page, "el.id === 'id_name'")
    page.keyboard.type("Amira Hassan")
    page.keyboard.press("Tab")
    page.keyboard.type("a.hassan@school.example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Whitley Primary")
    page.keyboard.press("Tab")  # role: a select, chosen with the arrow keys
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Captions, please")
    page.keyboard.press("Tab")  # the consent box is left unticked at first: the form says so
    assert page.evaluate("document.activeElement.id") == "id_consent"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")

    page.wait_for_selector(".error-summary")
    # site.js (deferred) moves the focus; it has run once the document is parsed.
    page.wait_for_load_state("domcontentloaded")
    assert page.title().startswith(f"Error: Sign up: {event.title}")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Tick the box to agree to the privacy notice" in page.locator(".error-summary").inner_text()
    assert page.locator("#id_name").input_value() == "Amira Hassan"
    assert page.locator("#id_role").input_value() == "teacher"
    assert axe_violations(page) == []
    assert EventRegistration.objects.count() == 0

    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Your place is booked")
    assert "What happens next" in page.content()
    assert "emailed a confirmation" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    registration = EventRegistration.objects.get()
    assert (registration.name, registration.status, registration.access_needs) == (
        "Amira Hassan",
        "confirmed",
        "Captions, please",
    )


def test_signup_works_without_javascript(site, page_without_js):
    page = page_without_js
    event = next_event()
    page.goto(site + event.url)
    page.get_by_role("link", name=f"Sign up for {event.title}").click()
    page.wait_for_url(site + event.url + "register/")
    page.fill("#id_name", "Sam Okoro")
    page.fill("#id_email", "s.okoro@school.example.org")
    page.fill("#id_school", "Caludon Castle")
    page.select_option("#id_role", "headteacher")
    page.check("#id_consent")
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Your place is booked")
    assert EventRegistration.objects.filter(email="s.okoro@school.example.org").exists()


def test_sign_up_page_skip_link_and_headings(site, page):
    event = next_event()
    page.goto(site + event.url + "register/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert page.locator("main h1").count() == 1
    assert page.locator("nav[aria-label=Breadcrumb] [aria-current=page]").inner_text() == "Sign up"
