"""A school's sanctuary lead in the award workspace, keyboard only: asking for a sign-in link, opening it from the
email, adding evidence with a file to two criteria, marking them ready and seeing "Completed 2 of 8"; EMAS
reviewing one as "Needs more" in the admin, and the lead reading the comment. axe-core finds nothing on any
workspace page at 320 and 1280 pixels, error states included."""

import re

import pytest
from django.core import mail

from .conftest import NARROW, admin_sign_in, axe_violations, tab_until

pytestmark = [pytest.mark.slow(30)]

DESKTOP = {"width": 1280, "height": 900}
LEAD = "leila.haddad@sycamore-bridge-primary.example.org"  # a demo school working towards the award, nothing filled yet
FILLED_LEAD = "sophie.hartley@cobblestone-yard-primary.example.org"  # the demo's partly filled workspace
LINK = re.compile(r"https?://[^/\s]+(/schools/sign-in/[A-Za-z0-9_-]+/)")


def ask_for_link_with_the_keyboard(page, site, email):
    page.goto(site + "/schools/sign-in/")
    tab_until(page, "el.id === 'id_email'")
    page.keyboard.type(email)
    mail.outbox.clear()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Check your email" in page.locator("main").inner_text()
    [message] = [message for message in mail.outbox if message.to == [email]]
    return LINK.search(message.body)[1]


def sign_in_with_the_keyboard(page, site, email):
    path = ask_for_link_with_the_keyboard(page, site, email)
    page.goto(site + path)
    tab_until(page, "el.tagName === 'BUTTON' && el.textContent.includes('Sign in to the workspace')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/schools/workspace/"


def add_evidence_with_the_keyboard(page, number, text, tmp_path):
    tab_until(page, f"el.getAttribute('href') === '/schools/workspace/criteria/{number}/'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_until(page, "el.id === 'id_done_on'")
    page.keyboard.type("01022026")  # the date field, typed as its segments (day, month, year) by the keyboard
    tab_until(page, "el.id === 'id_what_was_done'")
    page.keyboard.type(text)
    tab_until(page, "el.id === 'id_files'")
    plan = tmp_path / f"plan-{number}.pdf"
    plan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    # The file dialog is the operating system's, not the page's: the file is set on the input the keyboard reached,
    # as choosing it in that dialog would.
    page.locator("#id_files:focus").set_input_files(str(plan))
    tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Add evidence'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Evidence added." in page.locator("main").inner_text()
    assert f"plan-{number}.pdf" in page.locator("#evidence").inner_text()
    tab_until(page, f"el.tagName === 'BUTTON' && el.textContent.includes('Mark criterion {number} ready')")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_lead_gathers_evidence_and_emas_ask_for_more(site, page, new_page, tmp_path):
    sign_in_with_the_keyboard(page, site, LEAD)
    assert "Completed 0 of 8 criteria" in page.locator("main").inner_text()
    add_evidence_with_the_keyboard(
        page, 4, "A welcome pack in Arabic, Pashto and Ukrainian for new families.", tmp_path
    )
    add_evidence_with_the_keyboard(page, 5, "Buddies for every new arrival, trained by the EAL coordinator.", tmp_path)
    main = page.locator("main").inner_text()
    assert "Completed 2 of 8 criteria" in main
    assert page.locator("#criterion-4-status").inner_text() == "Ready for review"

    # EMAS review criterion 5 as "Needs more" in the admin.
    admin = admin_sign_in(new_page(), site)
    admin.get_by_role("link", name=re.compile("Sycamore Bridge Primary: 2 criteria ready for review")).click()
    section = admin.locator("#criterion-5")
    section.get_by_label("Needs more").check()
    section.get_by_label("Comment for the school").fill("Please add what the buddies and new pupils said.")
    section.get_by_role("button", name="Save the review of criterion 5").click()
    admin.wait_for_selector("text=Criterion 5 reviewed")

    # The lead sees it.
    page.reload()
    assert page.locator("#criterion-5-status").inner_text() == "Needs more"
    assert "Completed 1 of 8 criteria" in page.locator("main").inner_text()
    page.goto(site + "/schools/workspace/criteria/5/")
    assert "Please add what the buddies and new pupils said." in page.locator(".workspace__comment").inner_text()


def workspace_pages(page, site):
    """Each workspace page and error state, as (name, url or action) the axe test visits."""
    yield "sign-in", site + "/schools/sign-in/"
    page.goto(site + "/schools/sign-in/")
    page.fill("#id_email", "not-an-address")
    with page.expect_navigation():
        page.get_by_role("button", name="Email me a sign-in link").click()
    yield "sign-in error", None
    yield "used link", site + "/schools/sign-in/" + "x" * 43 + "/"
    path = ask_for_link_with_the_keyboard(page, site, FILLED_LEAD)
    yield "sent", None
    yield "link", site + path
    page.goto(site + path)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in to the workspace").click()
    yield "overview", site + "/schools/workspace/"
    yield "criterion", site + "/schools/workspace/criteria/2/"
    page.goto(site + "/schools/workspace/criteria/2/")
    with page.expect_navigation():
        page.get_by_role("button", name="Add evidence").click()
    yield "criterion error", None
    yield "apply", site + "/schools/workspace/apply/"
    yield "portfolio", site + "/schools/workspace/portfolio/"


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "1280px"])
def test_every_workspace_page_has_no_wcag_violations(site, new_page, viewport):
    page = new_page(viewport=viewport)
    checked = []
    for name, url in workspace_pages(page, site):
        if url:
            page.goto(url)
        problems = axe_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert problems == [] and overflow <= 0, (name, problems, overflow)
        if name.endswith("error"):
            assert "There is a problem" in page.locator("main").inner_text(), name
        checked.append(name)
    assert len(checked) == 10
