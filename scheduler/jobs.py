"""Scheduled jobs: declared by each app through the `register_scheduled_jobs` Wagtail hook (a function returning
a list of `ScheduledJob`), run by `run_due_jobs()`.

A job's periods are fixed slices of time (every 15 minutes: 10:00, 10:15…, counted from the Unix epoch in UTC).
Whoever first inserts the row (job, period) runs it; the unique constraint refuses every other scheduler, on
SQLite and PostgreSQL alike. A job that raises is recorded as failed and runs again in its next period.
"""

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail import hooks

from .models import ScheduledRun

logger = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    every: timedelta
    run: Callable[[], object]
    description: str = ""

    def period_start(self, now):
        periods = (now - EPOCH) // self.every
        return EPOCH + periods * self.every


def command_job(name, *args):
    """A job that runs `manage.py <name> <args>` in the scheduler's process; its outcome is what it printed."""

    def run():
        output = io.StringIO()
        call_command(name, *args, stdout=output)
        return output.getvalue().strip()[:2000]

    return run


def scheduled_jobs():
    jobs = [job for hook in hooks.get_hooks("register_scheduled_jobs") for job in hook()]
    names = [job.name for job in jobs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValueError(f"Scheduled jobs declared twice: {sorted(duplicates)}")
    return jobs


def _claim(job, now):
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, period_start=job.period_start(now), started_at=now)
    except IntegrityError:
        return None  # another scheduler has this period


def run_due_jobs(now=None, only=None):
    """Run every job whose current period has not run yet. Returns {job name: outcome} for the jobs run here."""
    now = now or timezone.now()
    ran = {}
    for job in scheduled_jobs():
        if only and job.name not in only:
            continue
        run = _claim(job, now)
        if run is None:
            continue
        try:
            outcome, succeeded = job.run(), True
        except Exception as error:  # noqa: BLE001 - recorded, and the other jobs still run
            logger.exception("Scheduled job %s failed", job.name)
            outcome, succeeded = f"{type(error).__name__}: {error}", False
        run.finished_at, run.outcome, run.succeeded = (
            timezone.now(),
            str(outcome if outcome is not None else "")[:5000],
            succeeded,
        )
        run.save(update_fields=["finished_at", "outcome", "succeeded"])
        ran[job.name] = run.outcome
    return ran


def last_tick():
    """When any scheduler last started a run (for /healthz/worker), or None."""
    run = ScheduledRun.objects.order_by("-started_at").first()
    return run.started_at if run else None
