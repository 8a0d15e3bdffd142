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

    def handle(self, *args, days=None, **options):
        days = retention_days() if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        changed = anonymise_past_registrations(days)
        self.stdout.write(f"Anonymised {changed} registration{'s' if changed != 1 else ''} older than {days} days.")
