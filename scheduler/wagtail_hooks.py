"""The scheduler's own jobs, and the two housekeeping commands of the libraries under us, so that a deployment
needs no cron at all: Wagtail's scheduled publishing and django-tasks-db's finished task rows."""

from datetime import timedelta

from django.utils import timezone
from wagtail import hooks

from .jobs import ScheduledJob, command_job
from .models import ScheduledRun


def _prune_task_results():
    from django_tasks import default_task_backend
    from django_tasks_db import DatabaseBackend

    if not isinstance(default_task_backend, DatabaseBackend):
        return "nothing to prune: tasks run at once here, no database queue"
    return (
        command_job("prune_db_task_results", "--min-age-days", "14")() or "finished task rows over 14 days old pruned"
    )


def _forget_old_runs():
    deleted, _ = ScheduledRun.objects.filter(period_start__lt=timezone.now() - timedelta(days=30)).delete()
    return f"{deleted} run record(s) older than 30 days removed"


@hooks.register("register_scheduled_jobs")
def scheduler_jobs():
    return [
        ScheduledJob(
            "publish_scheduled",
            timedelta(minutes=1),
            command_job("publish_scheduled"),
            "Wagtail's scheduled publishing: revisions editors scheduled go live, expired pages go offline",
        ),
        ScheduledJob(
            "prune_task_results",
            timedelta(days=1),
            _prune_task_results,
            "delete django-tasks-db's rows of delivery tasks finished more than 14 days ago",
        ),
        ScheduledJob("forget_old_runs", timedelta(days=1), _forget_old_runs, "keep 30 days of run records"),
    ]
