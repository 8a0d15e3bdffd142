"""Backups of the database and media, and their restore, verified by a manifest.

A backup is one folder: a native database dump (SQLite's online backup API, or `pg_dump` custom format for
PostgreSQL), `media.tar.gz`, and `manifest.json` with the row count of every table and the SHA-256 of the
dump, the archive and every media file.

Media are read and written through Django's storage API (`default_storage`), never as a folder on this server:
the media are wherever the site keeps them, the local MEDIA_ROOT or an S3 bucket (AWS_STORAGE_BUCKET_NAME), and
a backup made from a server that only sees an empty local folder would hold no media and look whole. For the
same reason a backup refuses to finish when files the database refers to are not in it.

`restore` checks the dump, the archive and every file in it against the manifest before touching anything,
replaces the database, makes the storage hold exactly the backup's files (overwriting keys that exist, deleting
those the backup does not have), and checks row counts and media checksums again afterwards.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with arguments we build, no shell  # nosec B404
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import connection, models
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
MEDIA_FOLDER = "media"  # the archive's top folder: media/<storage name>
SQLITE_DUMP = "db.sqlite3"
POSTGRES_DUMP = "db.pgdump"
CHUNK = 1 << 20
SPOOL_IN_MEMORY = 8 << 20  # a media file up to this size is copied in memory, a larger one through a temporary file


class BackupError(Exception):
    """A backup or restore could not be made or did not verify; the message says what and why."""


def sha256_of(path):
    with open(path, "rb") as handle:
        return _sha256_of_stream(handle)


def _sha256_of_stream(stream):
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def media_names(storage=None):
    """Every file in the media storage, by its storage name (`original_images/x.jpg`), sorted.

    Walked with `listdir`, which every Django storage has: a folder's tree on the file system, a bucket's keys
    (below the storage's `location`) on S3."""
    storage = storage or default_storage
    names, folders = [], [""]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = storage.listdir(folder)
        except FileNotFoundError:  # a local MEDIA_ROOT nothing has been uploaded to yet
            continue
        prefix = f"{folder}/" if folder else ""
        folders += [prefix + name for name in subfolders]
        names += [prefix + name for name in files]
    return sorted(names)


def media_checksums(storage=None):
    """{storage name: SHA-256} of every file in the media storage, read through the storage."""
    storage = storage or default_storage
    checksums = {}
    for name in media_names(storage):
        with storage.open(name, "rb") as handle:
            checksums[name] = _sha256_of_stream(handle)
    return checksums


def referenced_media():
    """The names of the files the database's file fields point at (images, renditions, documents, board
    attachments, avatars…) that live in the media storage: what a restored site needs besides its rows."""
    names = set()
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, models.FileField) and field.storage is default_storage:
                rows = model._base_manager.filter(**{f"{field.name}__isnull": False}).exclude(**{field.name: ""})
                names.update(rows.values_list(field.name, flat=True))
    return names


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
        referenced = referenced_media()  # read with the row counts, just before the dump
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
        media = _archive_media(folder / MEDIA_ARCHIVE)
        missing = sorted(referenced - set(media))
        if missing:
            raise BackupError(
                f"{len(missing)} file(s) the database refers to are not in the media storage "
                f"({_storage_label()}), so the backup would not hold them: {', '.join(missing[:10])}"
                f"{' …' if len(missing) > 10 else ''}. Check that this server uses the site's storage "
                "(AWS_STORAGE_BUCKET_NAME and the other AWS_ variables, or MEDIA_ROOT)."
            )
        manifest = {
            "format": 1,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "media_storage": _storage_label(),
            "database_dump": {"file": dump.name, "sha256": sha256_of(dump)},
            "media_archive": {"file": MEDIA_ARCHIVE, "sha256": sha256_of(folder / MEDIA_ARCHIVE)},
            "row_counts": counts,
            "media": media,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup that looks whole
        raise
    return folder


def _storage_label():
    """Which storage the media came from, for the manifest and messages: its class and bucket or folder."""
    storage = storages["default"]
    kind = f"{type(storage).__module__}.{type(storage).__name__}"
    where = getattr(storage, "bucket_name", None) or getattr(storage, "location", "")
    return f"{kind} {where}".strip()


def _archive_media(archive_path):
    """Copy every file of the media storage into the archive as media/<name>; return {name: SHA-256}.

    Each file is read once, through the storage, into a spooled copy that is hashed on the way, so the checksum
    in the manifest is that of the very bytes archived."""
    checksums = {}
    with tarfile.open(archive_path, "w:gz") as archive:
        for name in media_names():
            with default_storage.open(name, "rb") as source, _spooled() as copy:
                digest = hashlib.sha256()
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    digest.update(chunk)
                    copy.write(chunk)
                member = tarfile.TarInfo(f"{MEDIA_FOLDER}/{name}")
                member.size = copy.tell()
                member.mtime = int(timezone.now().timestamp())
                copy.seek(0)
                archive.addfile(member, copy)
                checksums[name] = digest.hexdigest()
    return checksums


def _spooled():
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)


def read_verified_manifest(folder):
    """The manifest, after checking the dump, the media archive and every file in it are the ones it describes.

    Nothing is changed by this check: restore runs it before it touches the database or the media."""
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
    archived = {}
    for name, stream in _archived_media(folder / manifest["media_archive"]["file"]):
        archived[name] = _sha256_of_stream(stream)
    for name, checksum in manifest["media"].items():
        if archived.get(name) != checksum:
            state = "is different" if name in archived else "is missing"
            raise BackupError(f"media {name} {state} in {MEDIA_ARCHIVE}: the backup is damaged.")
    extra = sorted(set(archived) - set(manifest["media"]))
    if extra:
        raise BackupError(f"{MEDIA_ARCHIVE} holds files the manifest does not list: {', '.join(extra[:10])}.")
    return manifest


def _archived_media(archive_path):
    """(storage name, readable stream) of each file in a media archive, refusing anything but plain files with
    relative names below media/ (no absolute paths, no '..', no links or devices)."""
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            path = PurePosixPath(member.name)
            if member.isdir() and path.parts in ((MEDIA_FOLDER,), (".",)):
                continue
            inside = path.parts[1:] if path.parts[:1] == (MEDIA_FOLDER,) else ()
            if not inside or path.is_absolute() or ".." in inside or "\\" in member.name:
                raise BackupError(f"{MEDIA_ARCHIVE} holds {member.name!r}, which is not a media file's name.")
            if member.isdir():
                continue
            if not member.isfile():
                raise BackupError(f"{MEDIA_ARCHIVE} holds {member.name!r}, which is not a plain file.")
            yield "/".join(inside), archive.extractfile(member)


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
    _restore_media(folder / manifest["media_archive"]["file"], set(manifest["media"]))
    return compare_with_manifest(manifest)


def _restore_media(archive_path, backed_up):
    """Make the media storage hold exactly the archive's files.

    Files the backup does not have are deleted (a bucket keeps no stray objects); a file whose name exists is
    deleted before it is written again, because a storage that never overwrites (S3 with `file_overwrite`
    off, the file system) would otherwise save it under a new name and leave the old bytes in place."""
    storage = default_storage
    present = set(media_names(storage))
    for name in sorted(present - backed_up):
        storage.delete(name)
    for name, stream in _archived_media(archive_path):
        with _spooled() as copy:
            shutil.copyfileobj(stream, copy, CHUNK)  # seekable: a storage may read the content more than once
            copy.seek(0)
            if name in present:
                storage.delete(name)
            saved = storage.save(name, File(copy, name=name))
        if saved != name:
            raise BackupError(f"media {name} was saved as {saved}: the storage changed its name.")


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
