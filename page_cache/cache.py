"""Whole-page cache for anonymous visitors, shared by every app server through the default cache.

Why: a page served from the cache costs two cache reads instead of a template render and a dozen
queries, so bursts of visitors (a mail-out, an assembly) stay cheap. What makes it safe:

- Only anonymous GETs are read or stored: a request carrying any cookie but the CSRF one (a session
  for every logged-in editor, queued flash messages, the board's like key) bypasses the cache in both
  directions, so editors and previews never see or populate it.
- A response is stored only when it is a plain 200 that sets no cookie, did not use a CSRF token, did
  not show a flash message, and does not ask not to be cached. Pages holding a form with a CSRF token
  are therefore always rendered fresh.
- Invalidation is global for what editors change: any content change (a save or delete of a model, a
  page published, unpublished or moved) replaces the cache *generation*, a random token that is part of
  every key, so the next request renders afresh. It runs both at once and again after the transaction
  commits, so a request racing the change cannot store the old content under the new generation.
- What anonymous visitors write (a like, a report, a comment, a sign-up, an enquiry) is narrower, and a
  visitor liking in a loop must not keep every page cold: the service that writes runs inside
  `changes_only(topic)`, and only the pages that said, while rendering, that they show that topic
  (`depends_on(topic)`: a board's pages, anything showing an event's places) become stale. Each scoped
  change takes the next number of one shared write counter; a page remembers the counter as it was
  when its render began, and is stale once any of its topics changed after that.
- The key is the host, the path and only the query parameters some page reads
  (PAGE_CACHE_QUERY_PARAMETERS), sorted: tracking parameters (utm_*, fbclid…) are ignored for lookups,
  and any other parameter makes the request bypass the cache, so `?utm_source=N` or `?x=N` cannot add
  keys. One path holds at most PAGE_CACHE_MAX_VARIANTS stored query strings (the page without one is
  always stored); further variants are rendered but not kept.
- What changes with the clock rather than with content (an event's sign-up closing, an event becoming
  past) is told by the code that renders it: `cache_until(request, moment)` keeps that page no longer.
"""

import hashlib
import logging
import math
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import urlencode

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache:generation"
# The shared counter that orders scoped changes, and each topic's number from it (see `changes_only`).
WRITES_KEY = "page-cache:writes"
TOPIC_KEY = "page-cache:topic:"
# Query parameters that only say where a visitor came from; no page reads them.
TRACKING_PARAMETERS = ("fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga", "ref")
TRACKING_PREFIXES = ("utm_",)
# The topics the page being rendered shows (a set, filled by `depends_on`), and the topics the write in
# progress changes (set by `changes_only`).
_rendering_topics = ContextVar("page_cache_rendering_topics", default=None)
_writing_topics = ContextVar("page_cache_writing_topics", default=None)
# Paths that are never served from (or stored in) the page cache.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/media/", "/healthz", "/static/")
# Headers of a stored page that would be wrong for somebody else.
_NOT_STORED_HEADERS = {"set-cookie"}


def is_enabled():
    return settings.PAGE_CACHE_ENABLED


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # Another server may have set one meanwhile; everybody uses whichever got there first.
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def _replace_generation():
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Never fail an editor's save over the cache; pages stored before expire after PAGE_CACHE_SECONDS.
        logger.error("Page cache unavailable; could not invalidate it", exc_info=True)


def invalidate():
    """Make every cached page stale: now, and again once the current transaction commits."""
    _replace_generation()
    transaction.on_commit(_replace_generation)


def _next_write_number():
    try:
        return cache.incr(WRITES_KEY)
    except ValueError:
        # First use, or evicted: start from the clock in milliseconds, so the counter never goes back below
        # the numbers topics already hold (which would keep their pages stale).
        cache.add(WRITES_KEY, int(time.time() * 1000), timeout=None)
        return cache.incr(WRITES_KEY)


def _mark_topics_changed(topics):
    try:
        number = _next_write_number()
        cache.set_many({TOPIC_KEY + topic: number for topic in topics}, timeout=None)
    except Exception:
        logger.error("Page cache unavailable; could not invalidate %s", ", ".join(topics), exc_info=True)


def invalidate_topics(*topics):
    """Make stale only the cached pages that show one of `topics`: now, and again after the commit."""
    if topics:
        _mark_topics_changed(topics)
        transaction.on_commit(lambda: _mark_topics_changed(topics))


def depends_on(*topics):
    """Say that the page being rendered shows `topics` (e.g. "events" for places left), which visitors change.

    Called from the code that renders them (a model property, a page's serve); a no-op outside a page render.
    """
    rendering = _rendering_topics.get()
    if rendering is not None:
        rendering.update(topics)


@contextmanager
def changes_only(*topics):
    """Run an anonymous visitor's write: it changes only the pages that show `topics` (none: no page at all).

    Model saves and deletes inside do not invalidate the whole cache; on success the topics are marked changed,
    now and again once the transaction commits. Code inside that changes more (a report that hides a post)
    calls `invalidate()` itself.
    """
    token = _writing_topics.set(frozenset(topics))
    try:
        yield
    finally:
        _writing_topics.reset(token)
    invalidate_topics(*sorted(topics))


def cache_until(request, moment):
    """Keep the page `request` renders in the page cache no later than `moment` (an aware datetime).

    For pages whose content changes at a known time without anybody saving anything: an event page when
    its sign-up opens or closes, a listing when an event on it ends. The earliest moment given wins.
    """
    if request is None or moment is None:
        return
    current = getattr(request, "_page_cache_until", None)
    if current is None or moment < current:
        request._page_cache_until = moment


def _timeout(request):
    """Seconds to keep this request's page: PAGE_CACHE_SECONDS, or less when `cache_until` said so."""
    timeout = settings.PAGE_CACHE_SECONDS
    until = getattr(request, "_page_cache_until", None)
    if until is not None:
        timeout = min(timeout, math.floor((until - timezone.now()).total_seconds()))
    return timeout


def _is_tracking(name):
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _normalised_query(request):
    """(query, dropped): the known query parameters sorted by name, or None when one is unknown.

    `dropped` says tracking parameters were left out: such a request may be served a stored page, but its own
    render (whose links may carry them) is never stored.
    """
    known = settings.PAGE_CACHE_QUERY_PARAMETERS
    pairs, dropped = [], False
    for name in sorted(request.GET):
        if _is_tracking(name):
            dropped = True
        elif name in known:
            pairs.extend((name, value) for value in request.GET.getlist(name))
        else:
            return None, dropped
    return urlencode(pairs), dropped


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _cache_key(request, generation, query):
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"page-cache:{generation}:{_language(request)}:{_digest(url)}"


def _language(request):
    """The language the page at this address is in: its prefix (/ar/…), else the default. LocaleMiddleware decides
    it from the address alone for the site's pages (never a cookie or Accept-Language), and so does the key."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def _variant_admitted(request, generation, key, timeout):
    """Whether this query string of the path may be stored: at most PAGE_CACHE_MAX_VARIANTS of them per path.

    The first time a variant is stored it takes a place on the path's counter; the answer is remembered for
    as long as the page is, so storing it again (after an invalidation) takes no second place.
    """
    seen_key = f"{key}:admitted"
    admitted = cache.get(seen_key)
    if admitted is None:
        counter = f"page-cache:{generation}:variants:{_digest(f'{request.get_host()}{request.path}')}"
        cache.add(counter, 0, timeout=timeout)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add() and incr()
            count = 1
            cache.add(counter, 1, timeout=timeout)
        admitted = count <= settings.PAGE_CACHE_MAX_VARIANTS
        cache.set(seen_key, admitted, timeout=timeout)
    return admitted


def _is_fresh(stored_topics, rendered_after):
    """Whether none of a stored page's topics changed after its render began (`rendered_after`)."""
    if not stored_topics:
        return True
    keys = [TOPIC_KEY + topic for topic in stored_topics]
    numbers = cache.get_many(keys)
    missing = [key for key in keys if key not in numbers]
    if missing:
        # A topic's number was lost (evicted): we cannot tell, so the page is stale, and the topic starts anew.
        number = _next_write_number()
        for key in missing:
            cache.add(key, number, timeout=None)
        return False
    return all(number <= rendered_after for number in numbers.values())


def _request_is_cacheable(request):
    if request.method != "GET":
        return False
    if request.path.startswith(NEVER_CACHED_PREFIXES):
        return False
    # Any cookie but the CSRF one may personalise the page (a session for editors, page passwords and
    # board authors; queued flash messages; the board's like key): such visitors always get a fresh render.
    return not (set(request.COOKIES) - {settings.CSRF_COOKIE_NAME})


def _response_is_cacheable(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or getattr(messages, "_queued_messages", None)):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    # LocaleMiddleware adds Accept-Language to the default language's pages, though their language comes from the
    # address (see _language), which the key holds.
    if vary - {"cookie", "accept-encoding", "accept-language"}:
        return False
    # Belt and braces: a form token in the body must never be shared, whatever set it.
    return b"csrfmiddlewaretoken" not in response.content


class AnonymousPageCacheMiddleware:
    """Serve and store whole pages for anonymous visitors; see the module docstring for the rules."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_enabled() or not _request_is_cacheable(request):
            return self.get_response(request)
        query, dropped = _normalised_query(request)
        if query is None:  # a parameter no page reads: render it, never store it
            return self._render(request, store=None)
        try:
            state = cache.get_many([GENERATION_KEY, WRITES_KEY])
            generation = state.get(GENERATION_KEY) or current_generation()
            key = _cache_key(request, generation, query)
            stored = cache.get(key)
            if stored is not None and (len(stored) != 5 or not _is_fresh(stored[3], stored[4])):
                stored = None
        except Exception:
            # The cache server is unreachable: render the page rather than fail the visitor.
            logger.warning("Page cache unavailable; rendering %s uncached", request.path, exc_info=True)
            return self.get_response(request)
        if stored is not None:
            status, headers, content = stored[:3]
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        if dropped:
            return self._render(request, store=None)
        return self._render(request, store=(generation, key, bool(query), state.get(WRITES_KEY) or 0))

    def _render(self, request, store):
        """Render the page, recording the topics it shows; store it when `store` = (generation, key, has query,
        write number when the render began) and the response may be shared."""
        topics = set()
        token = _rendering_topics.set(topics)
        try:
            response = self.get_response(request)
        finally:
            _rendering_topics.reset(token)
        if store is None:
            response["X-Page-Cache"] = "bypass"
            return response
        generation, key, has_query, rendered_after = store
        timeout = _timeout(request) if _response_is_cacheable(request, response) else 0
        stored = False
        if timeout > 0:
            headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED_HEADERS]
            try:
                if not has_query or _variant_admitted(request, generation, key, timeout):
                    for topic in topics:  # a topic never changed yet starts at this render
                        cache.add(TOPIC_KEY + topic, rendered_after, timeout=None)
                    entry = (response.status_code, headers, response.content, tuple(sorted(topics)), rendered_after)
                    cache.set(key, entry, timeout)
                    stored = True
            except Exception:
                logger.warning("Page cache unavailable; %s not stored", request.path, exc_info=True)
        response["X-Page-Cache"] = "miss" if stored else "bypass"
        return response


def _is_bookkeeping(model):
    """Models whose writes never change what a visitor sees (or happen while rendering a page).

    Accounts are among them (with sign-in attempts and two-factor devices): an editor logging in or opening the
    user bar must not empty the cache; so are the mail outbox and the scheduler's records (every sign-up queues an
    email).
    """
    from django.contrib.sessions.models import Session
    from wagtail.images.models import AbstractRendition

    label = model._meta.label_lower
    return (
        issubclass(model, (Session, AbstractRendition))
        or label.startswith(
            (
                "wagtailsearch.",
                "contenttypes.",
                "auth.",
                "wagtailusers.",
                "django_tasks",
                "axes.",
                "otp_",
                "outbox.",
                "scheduler.",
            )
        )
        or label
        in (
            # The audit log: every moderation and visitor action writes one, and no public page shows it.
            "wagtailcore.modellogentry",
            "wagtailcore.pagelogentry",
        )
    )


def _on_model_change(sender, **kwargs):
    # Inside `changes_only`, the write's own topics are marked changed when it ends.
    if not kwargs.get("raw") and not _is_bookkeeping(sender) and _writing_topics.get() is None:
        invalidate()


def _on_page_event(sender, **kwargs):
    invalidate()


def connect_signals():
    """Called from PageCacheConfig.ready(): any content change makes every cached page stale."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="page_cache_post_save")
    post_delete.connect(_on_model_change, dispatch_uid="page_cache_post_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="page_cache_m2m_changed")
    page_published.connect(_on_page_event, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="page_cache_page_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="page_cache_post_page_move")
