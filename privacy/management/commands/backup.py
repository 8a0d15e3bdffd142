"""`make backup`: a verified, timestamped copy of the database and media under BACKUP_DIR."""

from django.core.management.base import BaseCommand, CommandError

from privacy.backup import BackupError, create_backup, read_verified_manifest


class Command(BaseCommand):
    help = "Back up the database (native dump) and the media (the site's storage: folder or S3 bucket) with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="Folder to create the backup in (default: BACKUP_DIR, ./backups).")

    def handle(self, *args, output_dir=None, **options):
        try:
            folder = create_backup(output_dir)
            manifest = read_verified_manifest(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backed up {manifest['engine']}: {len(manifest['row_counts'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files from {manifest['media_storage']}."
        )
        self.stdout.write(str(folder))
