"""`make restore BACKUP=backups/<folder>`: replace the database and media with a backup, then verify them."""

from django.core.management.base import BaseCommand, CommandError

from privacy.backup import BackupError, read_verified_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder made by `manage.py backup`: checks its checksums, replaces the database and "
        "media, then compares row counts and media checksums with its manifest. Overwrites everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (with manifest.json).")
        parser.add_argument("--yes", action="store_true", help="Really overwrite the database and media.")

    def handle(self, *args, folder, yes=False, **options):
        try:
            manifest = read_verified_manifest(folder)
            if not yes:
                self.stdout.write(
                    f"{folder} is a verified {manifest['engine']} backup from {manifest['created']}. "
                    "Restoring replaces the current database and media: run again with --yes."
                )
                return
            problems = restore_backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if problems:
            raise CommandError("Restored, but it does not match the backup's manifest:\n" + "\n".join(problems))
        self.stdout.write(
            f"Restored {folder}: {len(manifest['row_counts'])} tables and {len(manifest['media'])} media files "
            "match the manifest."
        )
