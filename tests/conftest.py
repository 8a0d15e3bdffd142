"""Fixtures shared by every test: a clean cache, and the demo site when a test wants real content."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached fragments must not leak from one test into another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_home(db):
    """The base app's demo pages only (fast): home, about, Learn/Embed/Share, apply, contact, policies."""
    from home import demo

    return demo.load(io.StringIO())


@pytest.fixture
def demo_site(db):
    """The whole demo site, exactly as `make run` loads it (every app's demo content); returns the home page."""
    from home.models import HomePage

    call_command("load_demo_content", stdout=io.StringIO())
    return HomePage.objects.get()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say loudly when the browser tests did not run, so a green run is not mistaken for a full one."""
    skipped = terminalreporter.stats.get("skipped", [])
    browser_skips = [report for report in skipped if "tests/browser/" in str(report.nodeid)]
    if browser_skips:
        terminalreporter.write_sep(
            "!", f"{len(browser_skips)} BROWSER TESTS SKIPPED: Chromium is not installed", red=True
        )
        terminalreporter.write_line(
            "Install it with `apt-get install chromium` (or run .ci/run) to run them.", red=True
        )
