"""Backups: `manage.py backup` then `restore` brings back every table's rows and every media file.

Each round trip runs the real commands in child processes against a scratch database (a temporary SQLite
file, or a scratch PostgreSQL database next to the test database), never against the test database itself. The
scratch database starts as a copy of the migrated test database (tests/snapshots.py) where the suite's own
database allows it, rather than running every migration again in the child.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.slow(20)

MANAGE = str(settings.BASE_DIR / "manage.py")


def manage(env, *args, check=True):
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def child_env(tmp_path, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / "media"),
        BACKUP_DIR=str(tmp_path / "backups"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.pop("REDIS_URL", None)  # the child's cache is its own
    return env


def latest_manifest(tmp_path):
    [folder] = sorted((tmp_path / "backups").iterdir())[-1:]
    return folder, json.loads((folder / "manifest.json").read_text())


@pytest.fixture
def migrated_sqlite_file(tmp_path, database_states, transactional_db):
    """A database file as migrations leave it: copied from the suite's migrated test database when that is SQLite,
    else migrated by a child process."""
    path = tmp_path / "scratch.sqlite3"
    if connection.vendor == "sqlite":
        database_states.copy_of("migrated").write_to(path)
    else:
        manage(child_env(tmp_path, f"sqlite:///{path}"), "migrate", "--noinput", "-v0")
    return f"sqlite:///{path}"


def round_trip(tmp_path, database_url):
    env = child_env(tmp_path, database_url)
    manage(env, "load_demo_content")
    made = manage(env, "backup")
    folder, manifest = latest_manifest(tmp_path)
    assert str(folder) in made.stdout
    assert manifest["row_counts"]["wagtailcore_page"] > 10 and manifest["row_counts"]["board_boardpost"] > 0
    assert any(name.startswith("original_images/") for name in manifest["media"])

    # Disaster: the data is wiped, an image is lost, another is corrupted, a stray file appears.
    manage(env, "flush", "--noinput")
    media = tmp_path / "media"
    images = sorted(name for name in manifest["media"] if name.startswith("original_images/"))
    (media / images[0]).unlink()
    (media / images[1]).write_bytes(b"corrupted")
    (media / "stray.txt").write_text("not in the backup")

    refused = manage(env, "restore", str(folder), check=False)  # without --yes nothing changes
    assert "--yes" in refused.stdout
    restored = manage(env, "restore", str(folder), "--yes")
    assert "match the manifest" in restored.stdout

    # An independent check: a new backup of the restored site has the same rows and the same media.
    manage(env, "backup")
    _, again = latest_manifest(tmp_path)
    assert again["row_counts"] == manifest["row_counts"]
    assert again["media"] == manifest["media"]


def test_round_trip_on_sqlite(tmp_path, migrated_sqlite_file):
    round_trip(tmp_path, migrated_sqlite_file)


def test_damaged_backup_is_refused_before_anything_is_touched(tmp_path, migrated_sqlite_file):
    env = child_env(tmp_path, migrated_sqlite_file)
    manage(env, "backup")
    folder, manifest = latest_manifest(tmp_path)
    dump = folder / manifest["database_dump"]["file"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    result = manage(env, "restore", str(folder), "--yes", check=False)
    assert result.returncode != 0 and "does not match the manifest's checksum" in result.stderr


def test_round_trip_on_postgresql(tmp_path, database_states, transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL path: runs when DATABASE_URL points at PostgreSQL (CI's second pass).")
    import psycopg

    db = settings.DATABASES["default"]
    scratch = f"{connection.settings_dict['NAME']}_backup_{uuid.uuid4().hex[:8]}"
    credentials = {key.lower(): db[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if db.get(key)}
    database_states.copy_of("migrated").write_to(scratch)  # the migrated test database, copied
    try:
        user = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db.get('USER', '')}@"
        round_trip(tmp_path, f"postgres://{user}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{scratch}")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_backups_are_kept_out_of_git_and_docker_images():
    root = Path(settings.BASE_DIR)
    assert "/backups/" in (root / ".gitignore").read_text().split()
    assert "backups" in (root / ".dockerignore").read_text().split()
