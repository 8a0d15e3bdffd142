"""Site search on PostgreSQL reads only matching index entries, not the whole index (home migration 0002)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

pytestmark = pytest.mark.postgresql("the expression index is PostgreSQL's; SQLite's search backend (FTS5) has its own.")


def _search_queries(query):
    with CaptureQueriesContext(connection) as captured:
        results = Page.objects.live().search(query)
        list(results[:10])
        results.count()
    return [q["sql"] for q in captured.captured_queries if "@@" in q["sql"]]


def _plan(sql):
    with connection.cursor() as cursor:
        # The test data is small enough for a sequential scan (or a nested loop over the few pages) to be
        # cheapest, so rule both out to learn whether the index *can* serve Wagtail's query as written.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db(transaction=False)
def test_search_filters_through_the_title_and_body_expression_index(demo_site):
    queries = _search_queries("welcome school")
    assert len(queries) == 2, queries  # the ranked page of results, and the count
    for sql in queries:
        plan = _plan(sql)
        assert "home_search_title_body_gin" in plan, plan


@pytest.mark.django_db(transaction=False)
def test_the_index_takes_new_entries_directly_not_through_a_pending_list(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'home_search_title_body_gin'")
        (options,) = cursor.fetchone()
    assert "fastupdate=off" in (options or [])
