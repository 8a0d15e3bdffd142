"""docs/privacy.md must name every model field that could hold personal data, so the map cannot drift.

A field "looks personal" by its name (email, name, phone, address, message, ip, ...) or its type (an IP
address). Each such field of every installed model must appear in the doc as `app_label.Model.field`,
either in the personal-data map or in the list of fields checked and found not to be personal.
"""

import re

from django.apps import apps
from django.conf import settings
from django.db import connection, models

DOC = settings.BASE_DIR / "docs" / "privacy.md"
PERSONAL_WORDS = {
    "email", "name", "username", "phone", "telephone", "mobile", "ip", "address", "message", "reason", "school",
    "agent", "data", "needs", "session", "comment", "note", "token", "hash", "label", "text", "author", "user",
}  # fmt: skip
# Fields Wagtail defines only on some databases (its PostgreSQL search index).
POSTGRESQL_ONLY = {"wagtailsearch.IndexEntry.title_text", "wagtailsearch.IndexEntry.body_text"}
TEXT_TYPES = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)


def fields_that_look_personal():
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.model is not model or not isinstance(field, TEXT_TYPES):
                continue  # inherited fields are listed once, on the model that declares them
            words = set(re.split(r"_+", field.name.lower()))
            if words & PERSONAL_WORDS or isinstance(field, models.GenericIPAddressField):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def fields_named_in_doc():
    return set(re.findall(r"`([A-Za-z_]+\.[A-Za-z]+\.[A-Za-z_]+)`", DOC.read_text()))


def test_every_field_that_looks_personal_is_in_the_privacy_map():
    missing = sorted(fields_that_look_personal() - fields_named_in_doc())
    assert not missing, f"Add these fields to docs/privacy.md (personal or not, and why): {missing}"


def test_every_field_the_map_names_exists():
    """A renamed or removed field must leave the map too (apps that are not installed are skipped)."""
    installed = {config.label for config in apps.get_app_configs()}
    stale = []
    for name in sorted(fields_named_in_doc()):
        app_label, model_name, field_name = name.split(".")
        if app_label not in installed:
            continue  # e.g. axes or otp before they are installed
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            stale.append(name)
            continue
        if field_name not in {field.name for field in model._meta.get_fields()}:
            if name in POSTGRESQL_ONLY and connection.vendor != "postgresql":
                continue
            stale.append(name)
    assert not stale, f"docs/privacy.md names fields that do not exist: {stale}"
