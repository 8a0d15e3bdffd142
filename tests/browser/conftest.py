"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

They run whenever /usr/bin/chromium exists (or CHROMIUM_PATH points to a browser). Without it they
are skipped, and the run says so loudly; under CI (CI=true) a missing browser is an error instead,
because .ci/run installs it.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's guard against ORM calls from async
# code would otherwise refuse the test's own database set-up.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
IN_CI = os.environ.get("CI", "").lower() == "true"
SKIP_REASON = (
    f"Chromium not found at {CHROMIUM}: browser tests NOT run. Install it with `apt-get install chromium` "
    "(.ci/run does this) or set CHROMIUM_PATH."
)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_SCRIPT = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM and not IN_CI:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


# The site must work offline: any request off this machine is a bug. Every request but those to this machine goes
# to a proxy that is not there (the discard port), so it fails, and the page logs the failure as a console error.
# This is set once for the browser rather than by intercepting each request (Playwright's `route`), which turns
# off Chromium's cache: every page then fetched the stylesheets and scripts again (746 requests in the crawl).
OFF_MACHINE = {"server": "http://127.0.0.1:9", "bypass": "localhost,127.0.0.1"}


@pytest.fixture(scope="session")
def browser():
    if not HAVE_CHROMIUM:
        pytest.fail(SKIP_REASON + " CI=true, so this is a failure, not a skip.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
            proxy=OFF_MACHINE,
        )
        yield browser
        browser.close()


@pytest.fixture
def transactional_db(database_states, django_db_blocker):
    """Browser tests commit what they write (the live server reads it on its own thread or connection).

    This replaces pytest-django's fixture of the same name for the browser tests: rather than flushing every table
    after each test as Django's TransactionTestCase does (a second per test on PostgreSQL), the next test's `site`
    puts the demo back, and tests/conftest.py puts the database back as migrated before an ordinary test follows.
    """
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def site(database_states, live_server, transactional_db):
    """The demo site served by Django's live server, exactly as `make run` loads it; returns its base URL.

    The demo is built once per process and put back before each test (`database_states`, tests/conftest.py), so
    what one test wrote is gone for the next.
    """
    database_states.use("site")
    return live_server.url


def _new_page(browser, **options):
    context = browser.new_context(bypass_csp=True, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser):
    page = _new_page(browser)
    yield page
    page.context.close()


@pytest.fixture
def page_without_js(browser):
    page = _new_page(browser, java_script_enabled=False)
    yield page
    page.context.close()


@pytest.fixture
def new_page(browser):
    """Another page in its own context (a second person, a narrow screen): `new_page(viewport={...})`.

    Like `page`, it bypasses the CSP (Playwright's waits evaluate scripts; the policy itself is proven in
    test_content_security_policy.py). Closed after the test.
    """
    pages = []

    def make(**options):
        pages.append(_new_page(browser, **options))
        return pages[-1]

    yield make
    for made in pages:
        made.context.close()


NARROW = {"width": 320, "height": 640}  # the smallest phone screen the site supports


def tab_until(page, condition, limit=60):
    """Press Tab until `condition` (a JavaScript expression about `el`, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return
    raise AssertionError(f"could not reach an element where {condition} with Tab")


def admin_sign_in(page, site, username="emas", password="a-long-password-1"):
    """Sign in to the admin on `page` as a new superuser (EMAS staff), and wait for the dashboard."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(username, f"{username}@coventry.example.org", password)
    page.goto(site + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(site + "/admin/")
    return page


def axe_violations(page):
    """Run axe-core on the current page against WCAG 2.0-2.2 A/AA; return readable violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:5]
        )
        for violation in result["violations"]
    ]
