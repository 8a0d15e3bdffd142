"""A GIN index on the expression Wagtail's PostgreSQL search backend filters on.

Wagtail's database search matches `(title || body) @@ query`. Its own GIN indexes are on `title` and `body`
separately, which PostgreSQL cannot use for the concatenation, so every search read every index entry
(about 15 ms at 1,750 pages, growing with the site). With this index a search reads only the entries
that match (under 1 ms). SQLite's search backend (FTS5) needs nothing, so there this migration does nothing.

`fastupdate = off`: by default GIN queues new entries in a pending list that every search scans until
(auto)vacuum merges it; after a bulk import that made searches 10 times slower for minutes. Pages are
saved rarely here, so each save updates the index directly instead.
"""

from django.db import migrations

INDEX_NAME = "home_search_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON wagtailsearch_indexentry USING gin ((title || body)) "
            "WITH (fastupdate = off)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
