"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

They run whenever /usr/bin/chromium exists (or CHROMIUM_PATH points to a browser). Without it they
are skipped, and the run says so loudly; under CI (CI=true) a missing browser is an error instead,
because .ci/run installs it.
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import DEFAULT_DB_ALIAS

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
        )
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The demo site served by Django's live server; returns its base URL.

    Browser test modules mark themselves `django_db(transaction=True, serialized_rollback=True)`, so
    the rows migrations create (Wagtail's root page and collection) come back after each flush.
    """
    # If a flush left the tables empty, content-type ids cached by this process are stale (PostgreSQL does not
    # reuse ids), so start from the database's real rows.
    ContentType.objects.clear_cache()
    # A flush by an earlier transactional test can also leave content types and permissions missing (the demo's
    # admin groups need them): recreate them as `migrate` does.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=DEFAULT_DB_ALIAS)
    call_command("load_demo_content", stdout=io.StringIO())
    return live_server.url


def _new_page(browser, **options):
    context = browser.new_context(bypass_csp=True, **options)
    # The site must work offline: any request off this machine is a bug, so refuse it.
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
            else route.abort()
        ),
    )
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

    Like `page`, it refuses requests off this machine and bypasses the CSP (Playwright's waits evaluate
    scripts; the policy itself is proven in test_content_security_policy.py). Closed after the test.
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
