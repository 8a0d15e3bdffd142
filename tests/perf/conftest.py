"""Fixtures for the performance tests: the page cache switched on (it is off for the rest of the suite)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def editor_client(db):
    editor = get_user_model().objects.create_superuser("perf-editor", "perf-editor@example.org", "a-long-password-1")
    client = Client()
    client.force_login(editor)
    return client


# The events app's fixtures, for the tests of what a registration changes.
from tests.events.conftest import events_index, make_event  # noqa: E402, F401
from tests.resources.conftest import library  # noqa: E402, F401
