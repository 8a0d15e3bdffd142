from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    """Jobs that run on a clock (retention daily, the moderators' digest, the outbox's sweep every minute), each
    once per period however many schedulers run. Apps declare theirs with the `register_scheduled_jobs` hook;
    `manage.py run_scheduled_jobs` runs what is due (`--forever` in the `scheduler` process)."""

    name = "scheduler"
    verbose_name = "Scheduled jobs"
    default_auto_field = "django.db.models.BigAutoField"
