"""Run daily: remove personal data whose retention period has passed (see docs/privacy.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.registry import retention_rules


class Command(BaseCommand):
    help = (
        "Apply every retention rule: anonymise past event registrations, remove old board posters' emails, "
        "delete old enquiry submissions and expired sessions. Periods come from settings (env overrides); "
        "safe to run again."
    )

    def add_arguments(self, parser):
        names = [rule.name for rule in retention_rules()]
        parser.add_argument("--only", choices=names, help="Apply one rule only.")
        parser.add_argument("--days", type=int, help="Override the period of the rule chosen with --only.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be removed; change nothing.")

    def handle(self, *args, only=None, days=None, dry_run=False, **options):
        if days is not None and only is None:
            raise CommandError("--days needs --only: each rule has its own period.")
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        now = timezone.now()
        for rule in retention_rules():
            if only and rule.name != only:
                continue
            period = days if days is not None else rule.days()
            number = rule.apply(period, now=now, dry_run=dry_run)
            after = f" after {period} days" if period is not None else ""
            prefix = "[dry run, nothing changed] " if dry_run else ""
            self.stdout.write(f"{prefix}{rule.name}: {number} {rule.description}{after}")
