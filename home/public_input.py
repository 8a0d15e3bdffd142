"""The shared handling of input from the public: honeypots and rate limits.

Every public form (enquiries, event sign-ups, board posts) uses these, so the rules are written and
tested once. Counters live in the default cache: Redis in production, so every app server counts
towards one limit.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache

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


def client_ip(request):
    """The visitor's address, trusting X-Forwarded-For only for the proxies we run behind.

    With NUM_PROXIES = 1 (production behind one TLS proxy) the last address the proxy appended is
    the client's; anything further left can be forged by the client.
    """
    num_proxies = getattr(settings, "NUM_PROXIES", 0)
    if num_proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= num_proxies:
            return forwarded[-num_proxies]
    return request.META.get("REMOTE_ADDR", "")


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

    def wait_minutes(self):
        return max(1, round(self.window / 60))
