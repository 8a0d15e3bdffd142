"""The record of scheduled job runs: one row per job and period, so a period runs once."""

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One run of a scheduled job in one period. The unique pair is the lock: whichever scheduler inserts the
    row runs the job; every other one gets an IntegrityError and skips it."""

    job = models.CharField(max_length=100)
    period_start = models.DateTimeField()
    started_at = models.DateTimeField(default=timezone.now, db_index=True)  # /healthz/worker's last run
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text="What the job said it did, or the error it raised.")
    succeeded = models.BooleanField(null=True)

    class Meta:
        ordering = ["-period_start", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "period_start"], name="one_run_per_job_and_period")]

    def __str__(self):
        return f"{self.job} for {self.period_start:%Y-%m-%d %H:%M}"
