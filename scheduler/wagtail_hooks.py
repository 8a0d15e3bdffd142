from datetime import timedelta

from django.utils import timezone
from wagtail import hooks

from .jobs import ScheduledJob
from .models import ScheduledRun


def _forget_old_runs():
    deleted, _ = ScheduledRun.objects.filter(period_start__lt=timezone.now() - timedelta(days=30)).delete()
    return f"{deleted} run record(s) older than 30 days removed"


@hooks.register("register_scheduled_jobs")
def scheduler_jobs():
    return [ScheduledJob("forget_old_runs", timedelta(days=1), _forget_old_runs, "keep 30 days of run records")]
