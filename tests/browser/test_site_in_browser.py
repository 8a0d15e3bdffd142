"""What a person does in a browser: keyboard navigation, forms with and without JavaScript, search.

axe-core's WCAG 2.2 A/AA checks at 320 px and 1280 px, and no sideways scrolling at 320 px, are the crawl's, on
every page a link reaches (tests/browser/test_crawl.py); they were repeated here for eight of them."""

import pytest
from wagtail.contrib.forms.models import FormSubmission

from .conftest import axe_violations

pytestmark = [pytest.mark.slow(18)]


@pytest.mark.parametrize("path", ["/", "/about/", "/contact/", "/search/?q=sanctuary"])
def test_skip_link_takes_keyboard_users_to_the_main_content(site, page, path):
    page.goto(site + path)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab continues from the main content (inside it, or after it when it has no links),
    # never back at the header and navigation the visitor skipped.
    page.keyboard.press("Tab")
    after_header = page.evaluate(
        """() => {
            const main = document.getElementById('main-content');
            const el = document.activeElement;
            return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert after_header


def test_teacher_sends_an_enquiry_with_the_keyboard_only(site, page):
    page.goto(site + "/contact/")
    page.locator("#id_your_name").focus()
    page.keyboard.type("Amira Hassan")
    page.keyboard.press("Tab")
    page.keyboard.type("not-an-email")
    page.keyboard.press("Tab")
    page.keyboard.type("Whitley Primary")
    page.keyboard.press("Tab")  # the enquiry topic keeps its first option
    page.keyboard.press("Tab")
    page.keyboard.type("How do we start?")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the submit button

    page.wait_for_selector(".error-summary")
    # site.js (deferred) moves the focus; it has run once the document is parsed.
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert "Enter a valid email address." in page.locator(".error-summary").inner_text()
    assert page.locator("#id_your_name").input_value() == "Amira Hassan"
    assert axe_violations(page) == []

    page.locator("#id_work_email_address").fill("a.hassan@school.example.org")
    page.locator("#id_work_email_address").press("Enter")
    page.wait_for_selector("text=Thank you: your message has been sent")
    assert FormSubmission.objects.count() == 1


def test_enquiry_form_works_without_javascript(site, page_without_js):
    page = page_without_js
    page.goto(site + "/contact/")
    page.fill("#id_your_name", "Sam Okoro")
    page.fill("#id_work_email_address", "s.okoro@school.example.org")
    page.fill("#id_your_message", "Please send the resource pack.")
    page.get_by_role("button", name="Send enquiry").click()
    page.wait_for_selector("text=Thank you: your message has been sent")
    assert FormSubmission.objects.get().form_data["your_name"] == "Sam Okoro"


def test_search_from_the_header(site, page):
    page.goto(site + "/")
    page.fill("#site-search-q", "Equality Act")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".results-count")
    assert page.locator(".search-results a", has_text="What is a School of Sanctuary?").count() == 1


@pytest.mark.parametrize("address", ["http://example.org/", "https://93.184.215.14/"])
def test_the_browser_refuses_every_request_off_this_machine(page, address):
    """What the browser tests prove holds offline: a request to another host, named or by address, fails (so a page
    that needs one logs a console error, which the crawl fails on), while this machine is reached directly."""
    with pytest.raises(Exception, match="ERR_PROXY_CONNECTION_FAILED|ERR_TUNNEL_CONNECTION_FAILED"):
        page.goto(address)
    failed = []
    linking = page.context.new_page()
    linking.on("console", lambda message: failed.append(message.text) if message.type == "error" else None)
    linking.set_content(f'<img src="{address}picture.png" alt="">')
    assert any("ERR_" in text or "Failed to load resource" in text for text in failed), failed
