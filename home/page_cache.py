"""Whole-page cache for anonymous visitors, shared by every app server through the default cache.

Why: a page served from the cache costs two cache reads instead of a template render and a dozen
queries, so bursts of visitors (a mail-out, an assembly) stay cheap. What makes it safe:

- Only anonymous GETs are read or stored: a request carrying any cookie but the CSRF one (a session
  for every logged-in editor, queued flash messages, the board's like key) bypasses the cache in both
  directions, so editors and previews never see or populate it.
- A response is stored only when it is a plain 200 that sets no cookie, did not use a CSRF token, did
  not show a flash message, and does not ask not to be cached. Pages holding a form with a CSRF token
  are therefore always rendered fresh.
- Invalidation is global: any content change (a save or delete of a model, a page published,
  unpublished or moved) replaces the cache *generation*, a random token that is part of every key, so
  the next request renders afresh. It runs both at once and again after the transaction commits, so a
  request racing the change cannot store the old content under the new generation.
- What changes with the clock rather than with content (an event's sign-up closing, an event becoming
  past) is told by the code that renders it: `cache_until(request, moment)` keeps that page no longer.
"""

import hashlib
import logging
import math
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache:generation"
# Paths that are never served from (or stored in) the page cache.
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/media/", "/healthz", "/static/")
# Headers of a stored page that would be wrong for somebody else.
_NOT_STORED_HEADERS = {"set-cookie"}


def is_enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


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


def _cache_key(request, generation):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page-cache:{generation}:{digest}"


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
    if vary - {"cookie", "accept-encoding"}:
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
        try:
            key = _cache_key(request, current_generation())
            stored = cache.get(key)
        except Exception:
            # The cache server is unreachable: render the page rather than fail the visitor.
            logger.warning("Page cache unavailable; rendering %s uncached", request.path, exc_info=True)
            return self.get_response(request)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        timeout = _timeout(request) if _response_is_cacheable(request, response) else 0
        if timeout > 0:
            headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED_HEADERS]
            try:
                cache.set(key, (response.status_code, headers, response.content), timeout)
            except Exception:
                logger.warning("Page cache unavailable; %s not stored", request.path, exc_info=True)
            response["X-Page-Cache"] = "miss"
        else:
            response["X-Page-Cache"] = "bypass"
        return response


def _is_bookkeeping(model):
    """Models whose writes never change what a visitor sees (or happen while rendering a page).

    Accounts are among them (with sign-in attempts and two-factor devices): an editor logging in or opening the
    user bar must not empty the cache.
    """
    from django.contrib.sessions.models import Session
    from wagtail.images.models import AbstractRendition

    label = model._meta.label_lower
    return issubclass(model, (Session, AbstractRendition)) or label.startswith(
        ("wagtailsearch.", "contenttypes.", "auth.", "wagtailusers.", "django_tasks", "axes.", "otp_")
    )


def _on_model_change(sender, **kwargs):
    if not kwargs.get("raw") and not _is_bookkeeping(sender):
        invalidate()


def _on_page_event(sender, **kwargs):
    invalidate()


def connect_signals():
    """Called from HomeConfig.ready(): any content change makes every cached page stale."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="page_cache_post_save")
    post_delete.connect(_on_model_change, dispatch_uid="page_cache_post_delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="page_cache_m2m_changed")
    page_published.connect(_on_page_event, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(_on_page_event, dispatch_uid="page_cache_page_unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="page_cache_post_page_move")
