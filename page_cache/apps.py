from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The whole-page cache for anonymous visitors (page_cache/cache.py says what is and is never cached) and
    the system check that it is shared by every worker. Apps say which pages show what visitors write with
    `depends_on(topic)` and `changes_only(topic)`; it imports no other local app."""

    name = "page_cache"
    verbose_name = "Page cache"

    def ready(self):
        from . import cache, checks  # noqa: F401 - checks registers the system check

        cache.connect_signals()
