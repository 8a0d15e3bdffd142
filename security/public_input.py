"""The shared handling of input from the public: query strings, honeypots, rate limits and the one pipeline
every public form goes through.

Every public form (enquiries, event sign-ups, board posts, edits, reports and comments) is answered by
`handle_public_form`, so the order of the checks, the status codes and the messages are written and tested once
(tests/security/test_public_forms.py). Counters live in the "ratelimit" cache: a Redis of their own in
production, so every app server counts towards one limit and cached pages can never evict a count.
"""

import datetime
import hashlib
import ipaddress
import logging
import posixpath
import re
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

logger = logging.getLogger(__name__)

HONEYPOT_FIELD_NAME = "website_url"

# Shown when the database refuses a write (outage, full disk, lock timeout): the transaction was rolled back,
# so nothing was stored, and the visitor keeps what they typed.
SAVE_FAILED_MESSAGE = (
    "Sorry, we could not save this just now, so nothing was stored or sent. Please try again in a few minutes: "
    "what you wrote is still in the form below (choose any image or attachment again)."
)


class HoneypotField(forms.CharField):
    """A field people never see or fill in; bots that fill every input give themselves away."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Leave this field empty")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot-input"}),
        )
        super().__init__(**kwargs)


def add_honeypot(form):
    """Add the honeypot field to a form instance (for forms built at run time, like Wagtail's form builder)."""
    form.fields[HONEYPOT_FIELD_NAME] = HoneypotField()
    return form


def is_honeypot_filled(form):
    return bool((form.data.get(HONEYPOT_FIELD_NAME) or "").strip())


# --- Query strings ------------------------------------------------------------------------------------------
# Every page reads its parameters (q, tag, process, type, language, sort, section, school, page, since...) from
# request.GET after QueryStringMiddleware has cleaned it, so no view meets a character the database refuses
# (PostgreSQL rejects NUL in any text) or a value longer than any real one. Values with a meaning of their own
# are read with the helpers below, each rule written once: page numbers (`paginate`), times (`query_datetime`),
# search boxes and filters (`search_text`, `search_terms`) and where to go back to (`safe_next_url`). Tested in
# tests/security/test_hostile_input.py, on SQLite and PostgreSQL, for every parameter of every public page, and
# in tests/security/test_query_values.py.

# Longer than any search box allows (they say when they shorten a query) or any admin "next" address. How many
# values there can be is Django's DATA_UPLOAD_MAX_NUMBER_FIELDS (a 400 beyond it); each filter takes a few.
QUERY_VALUE_MAX_LENGTH = 2000
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
LATEST_PAGE_NUMBER = 100_000


def clean_query_value(value):
    """A query-string value without control characters (each becomes a space: NUL, tabs, escapes, line
    breaks), cut to a length no real value reaches."""
    return _CONTROL_CHARACTERS.sub(" ", value)[:QUERY_VALUE_MAX_LENGTH]


def cleaned_query_dict(query_dict):
    cleaned = QueryDict(mutable=True, encoding=query_dict.encoding)
    for name, values in query_dict.lists():
        cleaned.setlist(clean_query_value(name), [clean_query_value(value) for value in values])
    cleaned._mutable = False
    return cleaned


class QueryStringMiddleware:
    """Clean request.GET for every view, ours and Wagtail's, before any of them (or the page cache) reads it.

    Cleaning rather than refusing: a visitor who pastes a search with a stray tab still gets results, and a bad
    value is simply not matched (an unknown tag is ignored). The admin gets the same cleaning: no admin
    address needs a control character either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("QUERY_STRING"):
            request.GET = cleaned_query_dict(request.GET)
        return self.get_response(request)


def page_number(raw):
    """A ?page= value as a page number: anything that is not a whole number is page 1; a number past the end
    is for the paginator to answer with the last page."""
    try:
        return max(1, min(int(raw), LATEST_PAGE_NUMBER))
    except (TypeError, ValueError):  # int() refuses more than 4,300 digits with ValueError too
        return 1


def paginate(items, per_page, raw_page):
    """The page of `items` that a ?page= value asks for, by Django's `Paginator.get_page()`.

    Every listing pages this way, so a stale, hand-typed or hostile page number still shows a page: anything that
    is not a whole number, or is below 1, is the first page (`page_number`); a number past the end is the last.
    """
    return Paginator(items, per_page).get_page(page_number(raw_page))


def query_datetime(raw):
    """An ISO 8601 time from a query string as an aware UTC datetime, or None if it is not one a database can
    compare with.

    A time without an offset is UK time. A time at the ends of the calendar with an offset
    (9999-12-31T23:59:59-01:00) is valid ISO 8601 but does not exist in UTC: SQLite overflowed converting it.
    """
    try:
        moment = datetime.datetime.fromisoformat(raw)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        return None


class SearchText(NamedTuple):
    text: str
    shortened: bool  # the page says so ("Your search was shortened to its first … characters")


# Zero-width (non-)joiners are part of how words are written (Persian, the Indic scripts, emoji): kept.
_JOINERS = "\u200c\u200d"


def search_text(raw, max_length):
    """What a visitor typed into a search box or a filter, as plain words no longer than `max_length`.

    Every search box and text filter reads its value this way. Runs of spaces of any kind become one space; format
    characters go (QueryStringMiddleware already took out the control characters), so a direction override typed
    into the box cannot reorder the page that shows it back. Returns the text and whether it had to be cut.
    """
    kept = "".join(ch for ch in str(raw or "") if ch.isprintable() or ch.isspace() or ch in _JOINERS)
    words = " ".join(kept.split())
    return SearchText(words[:max_length], len(words) > max_length)


_NOT_SEARCHABLE = re.compile(r"[^\w\s'-]+")


def search_terms(query):
    """The words of a visitor's query (from `search_text`), without the punctuation search backends read as syntax.

    SQLite's full-text search fails on an unmatched quote and PostgreSQL's reads operators; a visitor
    typing either should get results, not an error.
    """
    return " ".join(_NOT_SEARCHABLE.sub(" ", query).split())


def safe_next_url(request, own_paths=None):
    """The request's `next` address (the form's on a POST, else the query string's) if it is safe to go to, else "".

    Safe is Django's `url_has_allowed_host_and_scheme`, the check behind its own sign-in redirect: this site only,
    and https only if this request was; and no backslash or control character, no longer than any real address.
    With `own_paths` (a set of paths), stricter: only an address without host or fragment whose path is one of
    them, as written and after normalising it as a browser would (`/board/../admin/` is `/admin/`; `%2e` is a dot),
    so a prefix cannot be walked out of.
    """
    url = (request.POST if request.method == "POST" else request.GET).get("next", "")
    if not url or len(url) > QUERY_VALUE_MAX_LENGTH or not url.isprintable() or "\\" in url:
        return ""
    allowed_hosts = {request.get_host()} if own_paths is None else None  # None: addresses without a host only
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=allowed_hosts, require_https=request.is_secure()):
        return ""
    if own_paths is None:
        return url
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or parts.fragment:
        return ""
    path = unquote(parts.path)
    normalised = posixpath.normpath(path)
    if path.endswith("/") and normalised != "/":
        normalised += "/"
    if path != normalised or parts.path not in own_paths:
        return ""
    return url


def client_ip(request):
    """The visitor's address, trusting X-Forwarded-For only for the proxies we run behind.

    With NUM_PROXIES = 1 (production behind one TLS proxy) the last address the proxy appended is
    the client's; anything further left can be forged by the client.
    """
    num_proxies = settings.NUM_PROXIES
    if num_proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= num_proxies:
            return forwarded[-num_proxies]
    return request.META.get("REMOTE_ADDR", "")


def client_network(request):
    """The visitor's address as one person's: an IPv6 address is its /64, which one household or phone holds
    whole, so walking through the addresses of one's own network does not make one a new visitor."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class RateLimit:
    """A fixed-window counter: at most `limit` actions per `window` seconds per key.

    `hit()` counts an attempt and says whether it is allowed; the count is an atomic cache
    increment, so concurrent requests on several servers cannot slip past it.
    """

    def __init__(self, scope, limit=None, window=None):
        self.scope = scope
        self.limit = limit if limit is not None else settings.PUBLIC_FORM_RATE_LIMIT
        self.window = window if window is not None else settings.PUBLIC_FORM_RATE_WINDOW

    def _key(self, identity):
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        return f"ratelimit:{self.scope}:{digest}"

    def hit(self, identity):
        cache = caches["ratelimit"]
        key = self._key(identity)
        if cache.add(key, 1, timeout=self.window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=self.window)
                count = 1
        return count <= self.limit

    def exceeded(self, identity):
        """Whether `identity` has used up its attempts, without counting one (for limits on failures only)."""
        return (caches["ratelimit"].get(self._key(identity)) or 0) >= self.limit

    def wait_minutes(self):
        return max(1, round(self.window / 60))


# --- The public-form pipeline -------------------------------------------------------------------------------


class SaveRefused(Exception):
    """Raised by a public form's `save` to refuse, for a reason the visitor should read (sign-up has closed).

    The transaction is rolled back, `message` is shown above the form, which keeps what was typed, and the
    answer has `status` (409 Conflict unless given).
    """

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message = message
        self.status = status


def handle_public_form(
    request,
    form,
    *,
    save,
    render,
    on_success,
    on_honeypot,
    rate_limits=(),
    rate_limited_message="",
    before_validation=None,
    what="Form",
):
    """Answer the POST of a public form: every public form takes the same steps, in the same order.

    1. The honeypot is filled: `on_honeypot()` answers as the view answers a real submission (a bot learns
       nothing), and nothing is validated, counted, stored or sent.
    2. `before_validation()`, if given, may refuse before the form is read (the board's lock-out after wrong
       posting codes): it returns a response, or None to go on.
    3. The form is invalid: `render(form, 200)`, each error beside its field and what was typed kept. Limits
       are not counted: a teacher correcting a typo is not held back for it.
    4. The rate limits are counted, every one of them, so each sees every valid attempt: `rate_limits` holds
       `RateLimit`s, counted per visitor (`client_ip`), or `(RateLimit, identity)` pairs for another key (a whole
       board). Any over its limit: `render(form, 429)` with `rate_limited_message`.
    5. `save(form)` runs in one transaction, so a failure part-way stores nothing (and emails queued with
       `on_commit` are never sent). The database refusing (an outage, a full disk, a lock timeout, a constraint):
       `render(form, 503)` with `SAVE_FAILED_MESSAGE`, logged as "<what> not saved". `save` raising `SaveRefused`:
       `render(form, its status)` with its message.
    6. Saved: `on_success(what save returned)`, a redirect (Post/Redirect/Get), so a refresh cannot send it again.

    Each view keeps what is its own: its form, its limits and their message, what saving does, its template and
    where a sent form leads. GET requests stay with the view.
    """
    if is_honeypot_filled(form):
        return on_honeypot()
    if before_validation is not None:
        refusal = before_validation()
        if refusal is not None:
            return refusal
    if not form.is_valid():
        return render(form, 200)
    # A list, not a generator: every limit is counted, even after one has said no.
    allowed = [_hit(limit, request) for limit in rate_limits]
    if not all(allowed):
        form.add_error(None, rate_limited_message)
        return render(form, 429)
    try:
        with transaction.atomic():
            result = save(form)
    except SaveRefused as refused:
        form.add_error(None, refused.message)
        return render(form, refused.status)
    except DatabaseError:
        logger.exception("%s not saved", what)
        form.add_error(None, SAVE_FAILED_MESSAGE)
        return render(form, 503)
    return on_success(result)


def _hit(rate_limit, request):
    if isinstance(rate_limit, RateLimit):
        return rate_limit.hit(client_ip(request))
    limit, identity = rate_limit
    return limit.hit(identity)
