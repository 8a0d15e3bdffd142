"""Fixtures shared by every test, and the states of the test database they share.

**Demo states.** Building the demo costs seconds (pages, revisions, search index, pictures), so each state of
the database a test can ask for is built once per process and then copied back in (`tests/snapshots.py`):
`demo_home` (the site structure with the base app's extras), `events_index` (plus the events section) and
`demo_site` (the whole demo, as `make run` loads it). A test module is put in the state its tests ask for (the
module-scoped `*_data` fixtures) and back as migrated after its last test; each test runs in pytest-django's
transaction, so what one test writes is gone for the next. Within a module, tests run from the thinnest state to
the thickest, so a test never sees more than it asked for.

**Transactional tests** (`django_db(transaction=True)`, the browser tests among them) commit, and the tables are
flushed after each. Django's runner relies on running them last; with pytest-xdist (`make test` runs a worker per
core, each taking whole files) ordinary tests can follow them. So each starts from the migrated copy, and the copy
is put back after one when an ordinary test comes next. They cannot use a module's demo state (they would undo
it): they build their data with `tests.factories`, or use the browser tests' `site` (the demo, put back for each).
"""

import io

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from tests import factories
from tests.snapshots import DatabaseStates

# Module-scoped demo states, thinnest first: a test's place in its module is the thickest state it uses.
LAYERS = {"demo_home_data": 1, "events_demo_data": 2, "demo_site_data": 3}


def _layer(item):
    return max((LAYERS.get(name, 0) for name in getattr(item, "fixturenames", ())), default=0)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in names or "live_server" in names


def pytest_collection_modifyitems(config, items):
    """Within each run of one module's tests (pytest-django has already put transactional tests last), order by
    demo state, so a module is put in each state once and a test never sees a thicker one than it asked for."""
    for item in items:
        if _layer(item) and _is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid} commits but uses its module's demo state, which it would undo: build its data with "
                "tests.factories (e.g. factories.build_demo_home()) instead."
            )
    ordered, run = [], []
    for item in items:
        if run and item.module is not run[0].module:
            ordered += sorted(run, key=_layer)
            run = []
        run.append(item)
    ordered += sorted(run, key=_layer)
    # Slow modules first (by the seconds their `slow` marker gives), the rest as collected: pytest-xdist hands out
    # whole files in this order, so the long ones do not start last and keep one worker busy alone.
    position = {}
    for index, item in enumerate(ordered):
        position.setdefault(item.module, index)
    items[:] = sorted(ordered, key=lambda item: (-_slow_seconds(item), position[item.module]))


def _slow_seconds(item):
    marker = item.get_closest_marker("slow")
    return marker.args[0] if marker else 0


_STATES = pytest.StashKey()


def _build_events():
    from home.models import HomePage

    factories.load_demo_part(HomePage.in_default_language(), "events")


def _build_demo_site():
    call_command("load_demo_content", stdout=io.StringIO())


# name -> (the state it is built on, how)
BUILDERS = {
    "home": ("migrated", factories.build_demo_home),
    "events": ("home", _build_events),
    "site": ("migrated", _build_demo_site),
}


@pytest.fixture(scope="session")
def database_states(request, django_db_setup, django_db_blocker):
    """Puts the test database in a named state ("migrated", "home", "events", "site"): `database_states.use(name)`."""
    from django.db import connection

    states = DatabaseStates(connection, BUILDERS)
    request.config.stash[_STATES] = (states, django_db_blocker)
    yield states
    with django_db_blocker.unblock():
        states.drop()


@pytest.fixture(autouse=True)
def _transactional_tests_start_as_migrated(request):
    """A transactional test starts from the database as migrated (the browser tests' `site` brings the demo)."""
    if _is_transactional(request.node) and "site" not in request.fixturenames:
        states = request.getfixturevalue("database_states")
        with request.getfixturevalue("django_db_blocker").unblock():
            states.use("migrated")


def pytest_runtest_setup(item):
    """`@pytest.mark.postgresql(reason, redis=False)`: the test proves something only on PostgreSQL (and Redis):
    elsewhere it is skipped, saying why and where it runs (CI's second pass sets DATABASE_URL and REDIS_URL)."""
    marker = item.get_closest_marker("postgresql")
    if marker is None:
        return
    on_postgresql = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    needs_redis = marker.kwargs.get("redis", False)
    if not on_postgresql or (needs_redis and not settings.REDIS_URL):
        where = "PostgreSQL + Redis (DATABASE_URL and REDIS_URL)" if needs_redis else "PostgreSQL (DATABASE_URL)"
        pytest.skip(f"Runs on {where}, as in CI's second pass: {marker.args[0]}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (flushed), the database is as migrated again if an ordinary test comes next."""
    result = yield
    if _is_transactional(item) and _STATES in item.config.stash:
        states, blocker = item.config.stash[_STATES]
        states.changed()
        if nextitem is not None and not _is_transactional(nextitem):
            with blocker.unblock():
                states.use("migrated")
    return result


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached fragments must not leak from one test into another."""
    _clear_caches()
    yield
    _clear_caches()


def _clear_caches():
    for alias in settings.CACHES:
        caches[alias].clear()


# --- Demo states (module-scoped; see the module docstring) ----------------------------------------------------


def _module_state(request, name):
    states = request.getfixturevalue("database_states")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        states.use(name)
    yield
    with blocker.unblock():
        states.use("migrated")


@pytest.fixture(scope="module")
def demo_home_data(request):
    yield from _module_state(request, "home")


@pytest.fixture(scope="module")
def events_demo_data(request):
    yield from _module_state(request, "events")


@pytest.fixture(scope="module")
def demo_site_data(request):
    yield from _module_state(request, "site")


@pytest.fixture
def demo_home(demo_home_data, db):
    """The base app's pages: the site structure (home, about, Learn/Embed/Share, apply, contact, policies) with
    its demo extras (hero image, checklist document). Returns the home page."""
    from home.models import HomePage

    return HomePage.in_default_language()


@pytest.fixture
def demo_site(demo_site_data, db):
    """The whole demo site, exactly as `make run` loads it (every app's demo content); returns the home page."""
    from home.models import HomePage

    return HomePage.in_default_language()


# --- Shared objects (see tests/factories.py for the functions behind them) ------------------------------------


@pytest.fixture
def editor(db):
    """A superuser who moderates the board and edits pages."""
    return factories.make_superuser(
        "moderator", "moderator@coventry.example.org", "password-1234", first_name="Mo", last_name="Derator"
    )


@pytest.fixture
def editor_client(db, client):
    """A test client signed in as a superuser."""
    client.force_login(factories.make_superuser("perf-editor", "perf-editor@example.org"))
    return client


@pytest.fixture
def board(demo_home):
    """A board under the demo home page, posting by code, with comments."""
    return factories.make_board(demo_home, comments_enabled=True)


@pytest.fixture
def open_board(demo_home):
    return factories.make_open_board(demo_home)


@pytest.fixture
def events_index(events_demo_data, db):
    """The demo's events section (index, webinar archive and its events) on the base demo."""
    from events.models import EventIndexPage

    return EventIndexPage.objects.get()


@pytest.fixture
def make_event(events_index):
    """Create and publish an event under the events index; keyword arguments override the defaults."""
    return lambda **fields: factories.make_event(events_index, **fields)


@pytest.fixture
def signup_data():
    return dict(factories.SIGNUP)


@pytest.fixture
def library(db):
    """An empty resource library under a bare home page (no demo), for tests that count what they add."""
    return factories.make_library(factories.make_home())


@pytest.fixture
def thumbnail(db):
    return factories.wagtail_image()


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (it is off for the rest of the suite, so other tests see fresh renders)."""
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300


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
