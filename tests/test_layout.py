"""The picture of the apps and their allowed imports (README "Layout"), kept true by reading every import.

    platform   scheduler  security  page_cache   import no other local app
               privacy                           imports scheduler (retention is a scheduled job)
               outbox                            imports privacy, scheduler (its personal data, its sweep)
    base       home                              imports the platform only
    features   events  resources  board          import the base and the platform, never each other
               schools                           the same, and resources (the award's criteria live in the library)
    leaf       demo  cms                         may import anything; nothing imports them

A feature that needs another's data asks through a Wagtail hook registered by the other (as `home_page_slots`
does), so any feature app can be removed without breaking the rest. Migrations count too (a StreamField's
migration imports the blocks it was made with). Exceptions are named, with why, in ALLOWED_EXTRA.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

PLATFORM = {"security", "privacy", "page_cache", "outbox", "scheduler"}
BASE = {"home"}
FEATURES = {"events", "resources", "board", "schools"}
LEAVES = {"demo", "cms"}
# Platform apps build on each other in one direction only: scheduler, then privacy, then outbox.
PLATFORM_IMPORTS = {"privacy": {"scheduler"}, "outbox": {"privacy", "scheduler"}}
ALLOWED = {
    **{app: PLATFORM_IMPORTS.get(app, set()) for app in PLATFORM},
    **{app: PLATFORM for app in BASE},
    **{app: PLATFORM | BASE for app in FEATURES},
}
# (importer, imported): why.
ALLOWED_EXTRA = {
    ("schools", "resources"): "the award's eight criteria live in the library (its criterion facet) and schools "
    "work against them; the library never imports schools",
}


def local_imports(source, own_app, known_apps):
    """The local apps a module's source imports (absolute imports; relative ones stay inside the app)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return (found & known_apps) - {own_app}


def forbidden_imports(root=ROOT):
    known = PLATFORM | BASE | FEATURES | LEAVES
    problems = []
    for app in sorted(known):
        for path in sorted((root / app).rglob("*.py")):
            for imported in sorted(local_imports(path.read_text(), app, known)):
                if imported in LEAVES and app not in LEAVES:
                    problems.append(f"{path.relative_to(root)} imports {imported} (a leaf: nothing imports it)")
                elif app in ALLOWED and imported not in ALLOWED[app] and (app, imported) not in ALLOWED_EXTRA:
                    problems.append(f"{path.relative_to(root)} imports {imported}")
    return problems


def test_every_local_app_is_placed_in_the_picture():
    local = {app for app in settings.LOCAL_APPS}
    assert local - (PLATFORM | BASE | FEATURES | LEAVES) == set(), "add the new app to the picture (and the README)"


def test_apps_import_only_what_the_picture_allows():
    assert forbidden_imports() == []


@pytest.mark.parametrize(
    ("source", "app", "found"),
    [
        ("from resources.models import ResourcePage", "events", {"resources"}),
        ("import board.services as s", "home", {"board"}),
        ("def f():\n    from events import services\n", "security", {"events"}),
        ("from .models import X\nfrom django.db import models", "board", set()),
    ],
)
def test_the_reader_sees_imports_anywhere_in_a_module(source, app, found):
    """The check can fail: an import at the top, aliased, or inside a function is seen."""
    assert local_imports(source, app, PLATFORM | BASE | FEATURES | LEAVES) == found


def test_a_feature_importing_another_is_reported(tmp_path):
    for app in PLATFORM | BASE | FEATURES | LEAVES:
        (tmp_path / app).mkdir()
    (tmp_path / "events" / "views.py").write_text("from board.models import BoardPost\n")
    (tmp_path / "home" / "views.py").write_text("from events.models import EventPage\n")
    assert forbidden_imports(tmp_path) == ["events/views.py imports board", "home/views.py imports events"]
