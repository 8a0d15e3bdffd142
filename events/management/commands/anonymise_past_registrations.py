"""Run daily: remove personal details of event registrations once the retention period has passed."""

from django.core.management.base import BaseCommand, CommandError

from events.models import retention_days
from events.retention import anonymise_past_registrations


class Command(BaseCommand):
    help = (
        "Blank the names, emails, schools and access needs of registrations for events that ended more than "
        "EVENT_REGISTRATION_RETENTION_DAYS (default 180) days ago. Counts are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override the retention period in days.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        changed = anonymise_past_registrations(days, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} {changed} registration{'s' if changed != 1 else ''} older than {days} days.")
