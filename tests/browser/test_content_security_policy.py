"""The Content-Security-Policy in a real browser: public pages break none of it (the crawl checks every page a link
reaches; here, what it cannot), it really blocks an injected script, and the Wagtail admin still works.

These pages are opened WITHOUT Playwright's CSP bypass (the other browser tests bypass it to inject axe-core),
so Chromium enforces the headers exactly as a visitor's browser does. Violations are caught twice: the
`securitypolicyviolation` event in the page, and Chromium's console errors.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from board.models import BoardPost
from events.models import EventPage

pytestmark = [pytest.mark.slow(8)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def enforcing_page(browser):
    """A page whose browser enforces CSP and records every violation (like every page, it never leaves this
    machine: tests/browser/conftest.py)."""
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    yield page
    context.close()


def violations(page):
    recorded = page.evaluate("window.__cspViolations || []")
    console = [text for text in page.console_errors if "Content Security Policy" in text]
    return recorded + console


def test_pages_the_crawl_does_not_reach_cause_no_csp_violations(site, enforcing_page):
    """Every page a link reaches is checked by the crawl (tests/browser/test_crawl.py), in a browser enforcing
    the policy. Left here: the like page (reached by a button's GET form, not a link) and the video player's
    frame, which only a click creates (frame-src; before, this looked for a resource with a video, and the demo
    has none: the webinar recordings are events)."""
    page = enforcing_page
    post = BoardPost.objects.approved().order_by("pk").first()
    board_url = post.board.url
    page.goto(f"{site}{board_url}posts/{post.pk}/like/?next={board_url}")
    page.wait_for_load_state("networkidle")
    assert "no-js" not in (page.get_attribute("html", "class") or "")  # site.js ran: 'self' scripts allowed
    assert violations(page) == []
    recording = EventPage.objects.live().exclude(video_url="").order_by("path").first()  # a webinar recording
    page.goto(site + recording.url)
    page.locator("[data-video-play]").first.click()
    expect(page.locator(".video__frame iframe")).to_have_count(1)
    assert violations(page) == []


def test_liking_in_place_works_under_the_policy(site, enforcing_page):
    """board.js fetches the like page for a token and posts: 'self' connections only, nothing inline."""
    page = enforcing_page
    post = BoardPost.objects.approved().order_by("pk").first()
    before = post.reaction_count
    page.goto(site + post.board.url)
    page.wait_for_load_state("networkidle")
    button = page.locator(f"#post-{post.pk} .board-like__button")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#post-{post.pk} [data-like-count]")).to_have_text(str(before + 1))
    assert page.url == site + post.board.url  # liked in place, not through the two-step page
    assert violations(page) == []
    post.refresh_from_db()
    assert post.reaction_count == before + 1


def test_csp_blocks_an_injected_inline_script_on_public_pages(site, enforcing_page):
    """The policy is really enforced: an inline script smuggled into a page does not run."""
    page = enforcing_page
    page.goto(site + "/about/")
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__pwned = true";
        document.body.appendChild(script);
    }"""
    )
    assert page.evaluate("window.__pwned === true") is False
    assert any("script-src" in violation for violation in violations(page))


def test_an_editor_signs_in_edits_and_publishes_a_page_without_csp_violations(site, enforcing_page):
    get_user_model().objects.create_superuser("chief", "chief@coventry.example.org", "a-long-admin-passphrase")
    page = enforcing_page
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-admin-passphrase")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    assert violations(page) == []

    from wagtail.models import Page

    about = Page.objects.get(url_path__endswith="/about/")
    page.goto(site + f"/admin/pages/{about.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "About Coventry Schools of Sanctuary (edited)")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")
    assert violations(page) == []

    about.refresh_from_db()
    assert about.title == "About Coventry Schools of Sanctuary (edited)"
    assert about.live and not about.has_unpublished_changes
    page.goto(site + "/about/")
    expect(page.locator("h1")).to_contain_text("(edited)")
    assert violations(page) == []
