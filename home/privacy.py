"""One place to answer "what do we hold about this person?" and "how long do we keep it?".

Each app contributes a `personal_data` module by convention (as with `demo`), so the base app does
not need to know the feature apps:

- `export(email)` returns JSON-ready data about that address (matched ignoring case);
- `erase(email)` deletes or anonymises it and returns `{what: how many}`;
- `RETENTION_RULES`, a list of `RetentionRule`s that `manage.py apply_retention` runs daily.

docs/privacy.md is the written map; tests/home/test_privacy_map.py keeps it in step with the models.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.validators import validate_email

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


def app_modules():
    """Every local app's `personal_data` module, base app first."""
    modules = []
    for app_name in settings.LOCAL_APPS:
        try:
            modules.append(import_module(f"{app_name}.personal_data"))
        except ModuleNotFoundError as error:
            if error.name != f"{app_name}.personal_data":
                raise
    return modules


def retention_rules():
    return [rule for module in app_modules() for rule in getattr(module, "RETENTION_RULES", [])]


def export_personal_data(email):
    email = normalise_email(email)
    return {module.__name__.split(".")[0]: module.export(email) for module in app_modules()}


def erase_personal_data(email):
    """Erase everything about `email` in one transaction: all apps or none."""
    from django.db import transaction

    email = normalise_email(email)
    counts = {}
    with transaction.atomic():
        for module in app_modules():
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
