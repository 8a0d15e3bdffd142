"""Backups: `manage.py backup` then `restore` brings back every table's rows and every media file.

Each round trip runs the real commands in child processes against a scratch database (a temporary SQLite
file, or a scratch PostgreSQL database next to the test database), never against the test database itself. The
scratch database starts as a copy of the migrated test database (tests/snapshots.py) where the suite's own
database allows it, rather than running every migration again in the child. The media are a temporary folder, or
a bucket on the suite's S3 server (moto, tests/s3_server.py) when the child's environment names one, as
production's does; each side is looked at directly (the folder's files, the bucket's objects through our own
client) to check that what comes back is byte for byte what was there.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import s3_server

pytestmark = pytest.mark.slow(30)

MANAGE = str(settings.BASE_DIR / "manage.py")


def manage(env, *args, check=True):
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def child_env(tmp_path, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_ALLOW_ASYNC_UNSAFE" and not key.startswith("AWS_")
    }
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


@pytest.fixture(scope="module")
def migrated_sqlite_on_disk(tmp_path_factory, database_states, django_db_blocker):
    """A SQLite file as migrations leave it, made once for the module: copied from the suite's migrated test
    database when that is SQLite, else migrated by a child process."""
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "migrated.sqlite3"
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            database_states.copy_of("migrated").write_to(path)
    else:
        manage(child_env(folder, f"sqlite:///{path}"), "migrate", "--noinput", "-v0")
    return path


@pytest.fixture(scope="module")
def demo_site_on_disk(tmp_path_factory, migrated_sqlite_on_disk):
    """The demo as `make run` loads it, in a SQLite file and a media folder: loaded once by a child process (the
    slowest step of a round trip) and copied for each round trip that starts from it."""
    folder = tmp_path_factory.mktemp("demo-site")
    path = folder / "demo.sqlite3"
    path.write_bytes(migrated_sqlite_on_disk.read_bytes())
    manage(child_env(folder, f"sqlite:///{path}"), "load_demo_content")
    return path, LocalMedia(folder / "media").files()


def demo_site_copy(tmp_path, demo_site_on_disk, media):
    """A copy of the demo's database file for this test, and the demo's media files put into `media`."""
    source, files = demo_site_on_disk
    path = tmp_path / "scratch.sqlite3"
    path.write_bytes(source.read_bytes())
    for name, content in files.items():
        media.write(name, content)
    return f"sqlite:///{path}"


@pytest.fixture
def migrated_sqlite_file(tmp_path, migrated_sqlite_on_disk):
    """A copy of the migrated database file for this test."""
    path = tmp_path / "scratch.sqlite3"
    path.write_bytes(migrated_sqlite_on_disk.read_bytes())
    return f"sqlite:///{path}"


class LocalMedia:
    """The media folder the child's FileSystemStorage writes to, looked at directly."""

    def __init__(self, folder):
        self.folder = folder

    def files(self):
        return {
            path.relative_to(self.folder).as_posix(): path.read_bytes()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file()
        }

    def delete(self, name):
        (self.folder / name).unlink()

    def write(self, name, content):
        (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
        (self.folder / name).write_bytes(content)


class BucketMedia:
    """The bucket the child's S3Storage writes to, looked at with our own S3 client."""

    def __init__(self, endpoint, bucket):
        self.s3, self.bucket = s3_server.create_bucket(endpoint, bucket), bucket

    def files(self):
        return s3_server.objects(self.s3, self.bucket)

    def delete(self, name):
        self.s3.delete_object(Bucket=self.bucket, Key=name)

    def write(self, name, content):
        self.s3.put_object(Bucket=self.bucket, Key=name, Body=content)


def round_trip(tmp_path, env, media):
    """Demo content (already in the database and the media, or loaded now when the media are still empty), a
    backup, a disaster, a restore: the rows and the media files come back byte for byte, with nothing left over."""
    if not media.files():
        manage(env, "load_demo_content")
    made = manage(env, "backup")
    folder, manifest = latest_manifest(tmp_path)
    assert str(folder) in made.stdout
    assert manifest["row_counts"]["wagtailcore_page"] > 10 and manifest["row_counts"]["board_boardpost"] > 0
    assert any(name.startswith("original_images/") for name in manifest["media"])
    before = media.files()
    assert manifest["media"] == {name: hashlib.sha256(content).hexdigest() for name, content in before.items()}

    # Disaster: the data is wiped, an image is lost, another is corrupted, a stray file appears.
    manage(env, "flush", "--noinput")
    images = sorted(name for name in manifest["media"] if name.startswith("original_images/"))
    media.delete(images[0])
    media.write(images[1], b"corrupted")
    media.write("stray.txt", b"not in the backup")

    refused = manage(env, "restore", str(folder), check=False)  # without --yes nothing changes
    assert "--yes" in refused.stdout
    restored = manage(env, "restore", str(folder), "--yes")
    assert "match the manifest" in restored.stdout

    # Every file is back under its own name with its own bytes (an existing name overwritten, not saved beside
    # it under a new one), and the stray file is gone.
    assert media.files() == before
    # An independent check: a new backup of the restored site has the same rows and the same media.
    manage(env, "backup")
    _, again = latest_manifest(tmp_path)
    assert again["row_counts"] == manifest["row_counts"]
    assert again["media"] == manifest["media"]
    return manifest


def test_round_trip_on_sqlite(tmp_path, demo_site_on_disk):
    media = LocalMedia(tmp_path / "media")
    round_trip(tmp_path, child_env(tmp_path, demo_site_copy(tmp_path, demo_site_on_disk, media)), media)


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server.moto_server() as endpoint:
        yield endpoint


def test_round_trip_with_the_media_in_an_s3_bucket(tmp_path, demo_site_on_disk, s3_endpoint):
    """The same round trip with the settings' S3 storage (AWS_STORAGE_BUCKET_NAME): the media are read from and
    written back to the bucket, and a server that does not see the bucket cannot make a backup that looks whole."""
    bucket = f"backup-{uuid.uuid4().hex[:8]}"
    media = BucketMedia(s3_endpoint, bucket)
    migrated_sqlite_file = demo_site_copy(tmp_path, demo_site_on_disk, media)
    env = {**child_env(tmp_path, migrated_sqlite_file), **s3_server.aws_environment(s3_endpoint, bucket)}
    manifest = round_trip(tmp_path, env, media)
    assert bucket in manifest["media_storage"] and "S3Storage" in manifest["media_storage"]
    assert not (tmp_path / "media").exists()  # nothing went to a local folder

    # Without the bucket's settings the media storage is an empty local folder: the database refers to files it
    # does not hold, so the backup fails and leaves no folder that looks like a backup.
    backups = sorted((tmp_path / "backups").iterdir())
    blind = manage(child_env(tmp_path, migrated_sqlite_file), "backup", check=False)
    assert blind.returncode != 0
    assert "the database refers to are not in the media storage" in blind.stderr
    assert "FileSystemStorage" in blind.stderr and "AWS_STORAGE_BUCKET_NAME" in blind.stderr
    assert sorted((tmp_path / "backups").iterdir()) == backups


def test_damaged_backup_is_refused_before_anything_is_touched(tmp_path, migrated_sqlite_file):
    env = child_env(tmp_path, migrated_sqlite_file)
    manage(env, "backup")
    folder, manifest = latest_manifest(tmp_path)
    dump = folder / manifest["database_dump"]["file"]
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    result = manage(env, "restore", str(folder), "--yes", check=False)
    assert result.returncode != 0 and "does not match the manifest's checksum" in result.stderr


def test_archive_missing_a_file_of_the_manifest_is_refused_before_anything_is_touched(tmp_path, migrated_sqlite_file):
    """The archive's own checksum only proves it is the archive the manifest names; each file in it is checked
    against the manifest too, so a backup that lost a file (or never had it) cannot restore a site without it."""
    env = child_env(tmp_path, migrated_sqlite_file)
    media = LocalMedia(tmp_path / "media")
    (tmp_path / "media" / "documents").mkdir(parents=True)
    media.write("documents/kept.txt", b"kept")
    media.write("documents/lost.txt", b"lost")
    manage(env, "backup")
    folder, manifest = latest_manifest(tmp_path)
    assert set(manifest["media"]) == {"documents/kept.txt", "documents/lost.txt"}

    # The archive is written again without one file, and the manifest made to name the new archive.
    archive = folder / manifest["media_archive"]["file"]
    with tarfile.open(archive, "r:gz") as original:
        members = [(member, original.extractfile(member).read()) for member in original if member.isfile()]
    with tarfile.open(archive, "w:gz") as rewritten:
        for member, content in members:
            if not member.name.endswith("lost.txt"):
                rewritten.addfile(member, io.BytesIO(content))
    manifest["media_archive"]["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    media.write("documents/kept.txt", b"changed since the backup")

    result = manage(env, "restore", str(folder), "--yes", check=False)
    assert result.returncode != 0 and "documents/lost.txt is missing in media.tar.gz" in result.stderr
    assert media.files() == {"documents/kept.txt": b"changed since the backup", "documents/lost.txt": b"lost"}


@pytest.mark.postgresql("the PostgreSQL path of backup and restore (pg_dump and psql).")
def test_round_trip_on_postgresql(tmp_path, database_states, transactional_db):
    import psycopg

    db = settings.DATABASES["default"]
    scratch = f"{connection.settings_dict['NAME']}_backup_{uuid.uuid4().hex[:8]}"
    credentials = {key.lower(): db[key] for key in ("HOST", "PORT", "USER", "PASSWORD") if db.get(key)}
    database_states.copy_of("migrated").write_to(scratch)  # the migrated test database, copied
    try:
        user = f"{db['USER']}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{db.get('USER', '')}@"
        url = f"postgres://{user}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{scratch}"
        round_trip(tmp_path, child_env(tmp_path, url), LocalMedia(tmp_path / "media"))
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **credentials) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def test_backups_are_kept_out_of_git_and_docker_images():
    root = Path(settings.BASE_DIR)
    assert "/backups/" in (root / ".gitignore").read_text().split()
    assert "backups" in (root / ".dockerignore").read_text().split()
