"""Backups of the database and media, and their restore, verified by a manifest.

A backup is one folder: a native database dump (SQLite's online backup API, or `pg_dump` custom format for
PostgreSQL), `media.tar.gz`, and `manifest.json` with the row count of every table and the SHA-256 of the
dump and of every media file. `restore` checks the dump against the manifest before touching anything, and
checks row counts and media checksums again afterwards.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with arguments we build, no shell  # nosec B404
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
SQLITE_DUMP = "db.sqlite3"
POSTGRES_DUMP = "db.pgdump"


class BackupError(Exception):
    """A backup or restore could not be made or did not verify; the message says what and why."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_checksums(media_root=None):
    root = Path(media_root or settings.MEDIA_ROOT)
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def table_row_counts():
    """Row count of every table in the database (Django's and anything else in it)."""
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            # Table names come from the database's own introspection and are quoted.
            query = f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608  # nosec B608
            cursor.execute(query)
            counts[table] = cursor.fetchone()[0]
    return counts


def _engine():
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env_and_args():
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _run(command, env=None):
    try:
        # pg_dump/pg_restore with an argument list we build (no shell); the database URL is ours.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def create_backup(target_root=None, now=None):
    """Write a new backup folder under `target_root` (BACKUP_DIR by default) and return its path."""
    engine = _engine()
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    root = Path(target_root or settings.BACKUP_DIR)
    folder = root / stamp
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = root / f"{stamp}-{suffix}"
    folder.mkdir(parents=True)
    try:
        connection.ensure_connection()
        counts = table_row_counts()
        if engine == "sqlite":
            dump = folder / SQLITE_DUMP
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            dump = folder / POSTGRES_DUMP
            env, args = _pg_env_and_args()
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *args], env)
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
            if media_root.exists():
                archive.add(media_root, arcname="media")
        manifest = {
            "format": 1,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database_dump": {"file": dump.name, "sha256": sha256_of(dump)},
            "media_archive": {"file": MEDIA_ARCHIVE, "sha256": sha256_of(folder / MEDIA_ARCHIVE)},
            "row_counts": counts,
            "media": media_checksums(media_root),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup that looks whole
        raise
    return folder


def read_verified_manifest(folder):
    """The manifest, after checking the dump and media archive are the ones it describes."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup folder.") from error
    for part in ("database_dump", "media_archive"):
        path = folder / manifest[part]["file"]
        if not path.exists():
            raise BackupError(f"{path} is missing.")
        if sha256_of(path) != manifest[part]["sha256"]:
            raise BackupError(f"{path} does not match the manifest's checksum: the backup is damaged.")
    return manifest


def restore_backup(folder):
    """Replace the database and media with the backup's, then verify them against the manifest.

    Returns the list of differences (empty when the restore verified)."""
    folder = Path(folder)
    manifest = read_verified_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['engine']} database; the site uses {engine}.")
    dump = folder / manifest["database_dump"]["file"]
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # pg_restore needs the tables unlocked
        env, args = _pg_env_and_args()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", *args]
            + [str(dump)],
            env,
        )
    _restore_media(folder / manifest["media_archive"]["file"], Path(settings.MEDIA_ROOT))
    return compare_with_manifest(manifest)


def _restore_media(archive_path, media_root):
    """Unpack to a sibling folder first, then swap it in: a failed unpack leaves the current media alone."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(staging, filter="data")  # refuses absolute paths, '..' and devices
        unpacked = staging / "media"
        unpacked.mkdir(exist_ok=True)
        if media_root.exists():
            for child in media_root.iterdir():
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        else:
            media_root.mkdir()
        for child in unpacked.iterdir():
            shutil.move(str(child), media_root / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def compare_with_manifest(manifest):
    problems = []
    counts = table_row_counts()
    for table, expected in manifest["row_counts"].items():
        if counts.get(table) != expected:
            problems.append(f"table {table}: {counts.get(table)} rows, the backup had {expected}")
    media = media_checksums()
    for name, checksum in manifest["media"].items():
        if media.get(name) != checksum:
            problems.append(f"media {name}: {'different' if name in media else 'missing'}")
    problems += [f"media {name}: not in the backup" for name in sorted(set(media) - set(manifest["media"]))]
    return problems
