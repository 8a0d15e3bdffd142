"""Run the scheduled jobs that are due: once (from cron, every minute) or `--forever` (the scheduler process)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from scheduler.jobs import run_due_jobs, scheduled_jobs


class Command(BaseCommand):
    help = (
        "Run every scheduled job whose period has not run yet (apply_retention daily, the board digest, the "
        "outbox sweep every minute...). Safe to run from any number of processes: each period runs once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--forever", action="store_true", help="Keep running, checking every --interval.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks (default 30).")
        parser.add_argument("--only", action="append", help="Run only this job (may be repeated).")
        parser.add_argument("--list", action="store_true", help="List the jobs and their periods, run nothing.")

    def handle(self, *args, forever=False, interval=30.0, only=None, list=False, **options):
        if list:
            for job in scheduled_jobs():
                self.stdout.write(f"{job.name}: every {job.every} - {job.description}")
            return
        self._stop = False
        if forever:
            signal.signal(signal.SIGTERM, self._request_stop)
            signal.signal(signal.SIGINT, self._request_stop)
        while True:
            try:
                for name, outcome in run_due_jobs(only=only).items():
                    self.stdout.write(f"{name}: {outcome}")
            except DatabaseError as error:
                if not forever:
                    raise
                # The database restarting or failing over must not end the scheduler: say so and try next pass.
                self.stderr.write(f"Scheduled jobs not run this pass: the database answered {error!r}")
            if not forever or self._stop:
                return
            slept = 0.0
            while slept < interval and not self._stop:
                time.sleep(0.5)
                slept += 0.5
            if self._stop:
                return
            # Between passes, as between requests: a connection that broke or aged while we slept is replaced. Not
            # before the first pass, which may run inside a caller's transaction (call_command in a test).
            close_old_connections()

    def _request_stop(self, signum, frame):
        self._stop = True
