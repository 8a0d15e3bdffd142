"""Fill a benchmark database at a realistic large scale (for `make bench`, never for production).

The demo content first, then the bench data (`demo/bench.py`): 500 content pages, 1,000 resources, 200 events with
20,000 registrations, 5 boards with 5,000 approved posts sharing a small pool of images.
Safe to run again: each part is skipped when it is already there.
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from demo import bench
from home.models import HomePage


class Command(BaseCommand):
    help = "Create the benchmark data set (idempotent). Use a scratch database, not the one you work in."

    def handle(self, *args, **options):
        started = time.monotonic()
        call_command("load_demo_content", stdout=self.stdout)
        bench.load(HomePage.in_default_language(), self.stdout)
        if connection.vendor == "postgresql":
            # A bulk load leaves the planner's statistics stale and GIN pending lists full until autovacuum
            # gets round to it (minutes); a production database has been vacuumed long since, so measure that.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Bench data is in place ({time.monotonic() - started:.1f} s)."))
