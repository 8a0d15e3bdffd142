"""One place to answer "what do we hold about this person?" and "how long do we keep it?".

Each app contributes a `personal_data` module through the `register_personal_data` Wagtail hook (a function
in its wagtail_hooks.py returning the module), so this app does not need to know the others:

- `export(email)` returns JSON-ready data about that address (matched ignoring case);
- `erase(email)` deletes or anonymises it and returns `{what: how many}`;
- `RETENTION_RULES`, a list of `RetentionRule`s that `manage.py apply_retention` runs daily.

docs/privacy.md is the written map; tests/privacy/test_privacy_map.py keeps it in step with the models.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import validate_email
from wagtail import hooks

REDACTED = "[email removed]"


@dataclass(frozen=True)
class RetentionRule:
    """`apply(days, now, dry_run)` removes (or, with dry_run, only counts) what is older than `days`."""

    name: str
    description: str
    setting: str | None
    apply: Callable[..., int]

    def days(self):
        return getattr(settings, self.setting) if self.setting else None


def normalise_email(email):
    """The address as we match it: trimmed, lower case, and valid (or ValidationError)."""
    email = (email or "").strip().lower()
    validate_email(email)
    return email


def personal_data_modules():
    """Every app's `personal_data` module, in INSTALLED_APPS order (the base app first)."""
    return [hook() for hook in hooks.get_hooks("register_personal_data")]


def retention_rules():
    return [rule for module in personal_data_modules() for rule in getattr(module, "RETENTION_RULES", [])]


def export_personal_data(email):
    email = normalise_email(email)
    return {module.__name__.split(".")[0]: module.export(email) for module in personal_data_modules()}


def erase_personal_data(email):
    """Erase everything about `email` in one transaction: all apps or none."""
    from django.db import transaction

    email = normalise_email(email)
    counts = {}
    with transaction.atomic():
        for module in personal_data_modules():
            for what, number in module.erase(email).items():
                counts[f"{module.__name__.split('.')[0]}.{what}"] = number
    return counts


def redact(text, email):
    """`text` with every occurrence of `email` (any case) replaced; used on free text that mentions it."""
    return re.sub(re.escape(email), REDACTED, text or "", flags=re.IGNORECASE)


def mentions(value, email):
    """Whether a JSON-like value (str, list, dict) contains `email` anywhere, ignoring case."""
    if isinstance(value, str):
        return email in value.lower()
    if isinstance(value, dict):
        return any(mentions(key, email) or mentions(item, email) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(mentions(item, email) for item in value)
    return False
