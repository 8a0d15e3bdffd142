"""Every setting is declared once, with its default, in cms/settings/base.py, and our code reads it as `settings.X`.

A default written into the code (`getattr(settings, "X", 5)`) is a second declaration that nobody sees: the
settings, the README and docs/deployment.md would say one thing while a missing setting quietly does another.
These tests read the source of our apps (not migrations) and fail on either shape.
"""

import ast
import importlib
from pathlib import Path

from django.conf import global_settings, settings

REPO = Path(__file__).resolve().parents[1]
# Declared by an installed package's own settings module, as its documentation tells projects to override them.
PACKAGE_DEFAULTS = {"AXES_HTTP_RESPONSE_CODE"}


def our_sources():
    """Our apps and the project package (its settings files apart: they are where settings are declared)."""
    for folder in [*settings.LOCAL_APPS, "cms"]:
        for path in sorted((REPO / folder).rglob("*.py")):
            relative = path.relative_to(REPO)
            if "migrations" in relative.parts or relative.parts[:2] == ("cms", "settings"):
                continue
            yield relative, ast.parse(path.read_text(), filename=str(relative))


def is_django_settings(node):
    return (isinstance(node, ast.Name) and node.id == "settings") or (
        isinstance(node, ast.Attribute) and node.attr == "settings"
    )


def test_no_code_reads_a_setting_with_a_default_of_its_own():
    """`getattr(settings, ...)` only with a name computed at run time and no default (a retention rule reads the
    setting it names): `getattr(settings, "X")` is `settings.X`, and `getattr(settings, "X", default)` hides a
    second default."""
    found = []
    for path, tree in our_sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and len(node.args) >= 2
                and is_django_settings(node.args[0])
                and (len(node.args) > 2 or isinstance(node.args[1], ast.Constant))
            ):
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)}")
    assert found == [], "declare the setting in cms/settings/base.py and read settings.X:\n" + "\n".join(found)


def test_every_setting_our_code_reads_is_declared_for_every_environment():
    """Declared in base.py (or Django's or a package's defaults), not only in the test or development settings."""
    base = importlib.import_module("cms.settings.base")
    read = {}
    for path, tree in our_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and is_django_settings(node.value) and node.attr.isupper():
                read.setdefault(node.attr, f"{path}:{node.lineno}")
    undeclared = sorted(
        f"{where}: settings.{name}"
        for name, where in read.items()
        if not hasattr(base, name) and not hasattr(global_settings, name) and name not in PACKAGE_DEFAULTS
    )
    assert undeclared == [], "declare these in cms/settings/base.py:\n" + "\n".join(undeclared)
    assert {"BOARD_POST_RATE_LIMIT", "BOARD_LIKE_RATE_LIMIT", "EVENT_REGISTRATION_RETENTION_DAYS"} <= set(read)
