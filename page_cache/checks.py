"""System checks for settings that would make the site wrong without failing loudly."""

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

PAGE_CACHE_NOT_SHARED = (
    "PAGE_CACHE_ENABLED is true but the default cache is local memory, so each worker keeps its own copies and "
    "an editor's change reaches only the worker that made it: other workers serve stale pages."
)
PAGE_CACHE_HINT = "Set REDIS_URL (one Redis shared by every worker and server), or PAGE_CACHE_ENABLED=false."


@checks.register(checks.Tags.caches, deploy=False)
def page_cache_needs_a_shared_cache(app_configs=None, **kwargs):
    """An error with DEBUG off (production), a warning in development, where one worker is usual."""
    if not settings.PAGE_CACHE_ENABLED or settings.PAGE_CACHE_LOCAL_MEMORY_OK:
        return []
    if not isinstance(caches["default"], LocMemCache):
        return []
    level = checks.Warning if settings.DEBUG else checks.Error
    return [
        level(
            PAGE_CACHE_NOT_SHARED,
            hint=PAGE_CACHE_HINT,
            id="page_cache.E001" if level is checks.Error else "page_cache.W001",
        )
    ]
