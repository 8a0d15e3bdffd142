"""`manage.py school_renewals [--date YYYY-MM-DD]`: the award's daily clock (schools/reminders.py), run by the
scheduler every day; --date runs it as on an earlier day (a catch-up after the scheduler was down), never a later
one."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schools import reminders


class Command(BaseCommand):
    help = "Move schools to 'renewal due' and 'lapsed' by date, and queue renewal reminders (90 and 30 days before)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="Run as on this day, today or earlier (default: today)."
        )

    def handle(self, *args, date=None, **options):
        if date and date > timezone.localdate():
            raise CommandError("--date cannot be in the future: it would lapse awards and send reminders early.")
        done = reminders.run(today=date)
        self.stdout.write(
            f"{done['renewal due']} school(s) now renewal due, {done['lapsed']} lapsed, "
            f"{done['reminders']} reminder(s) queued"
        )
