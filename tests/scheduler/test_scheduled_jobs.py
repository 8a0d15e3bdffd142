"""Scheduled jobs (scheduler/): each runs once per period however many schedulers run, again the next period, and
a job that raises is recorded as failed without stopping the others."""

import io
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from wagtail import hooks

from scheduler.jobs import ScheduledJob, run_due_jobs, scheduled_jobs
from scheduler.models import ScheduledRun
from tests.together import run_together

NOW = datetime(2030, 1, 15, 10, 7, 30, tzinfo=UTC)
EVERY = timedelta(minutes=15)


class Counted:
    """A job that counts its runs (thread-safe), and raises when told to."""

    def __init__(self, error=None):
        self.runs = 0
        self.error = error
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.runs += 1
        if self.error:
            raise self.error
        return f"run {self.runs}"


def extra_jobs(*jobs):
    """Jobs declared for the test only, beside the site's own (the `register_scheduled_jobs` hook)."""
    return hooks.register_temporarily("register_scheduled_jobs", lambda: list(jobs))


def runs(job_name):
    return list(ScheduledRun.objects.filter(job=job_name).order_by("period_start"))


@pytest.mark.django_db
def test_the_site_schedules_everything_that_used_to_need_cron(settings):
    periods = {job.name: job.every for job in scheduled_jobs()}
    assert periods == {
        "apply_retention": timedelta(days=1),
        "board_moderator_digest": timedelta(seconds=settings.BOARD_DIGEST_INTERVAL_SECONDS),
        "outbox_sweep": timedelta(minutes=1),
        "forget_old_runs": timedelta(days=1),
        "publish_scheduled": timedelta(minutes=1),
        "prune_task_results": timedelta(days=1),
        "school_renewals": timedelta(days=1),
    }


@pytest.mark.django_db
def test_each_job_runs_once_per_period_however_many_schedulers_run_and_again_the_next_period():
    counted = Counted()
    with extra_jobs(ScheduledJob("counted", EVERY, counted)):
        first = run_due_jobs(now=NOW)
        assert set(first) == {job.name for job in scheduled_jobs()}  # every job is due the first time
        for _scheduler in range(3):  # the other schedulers, moments later: the same period for every job
            assert run_due_jobs(now=NOW + timedelta(seconds=20)) == {}
        assert counted.runs == 1
        assert Counter(ScheduledRun.objects.values_list("job", flat=True)) == {name: 1 for name in first}

        assert run_due_jobs(now=NOW + EVERY, only=["counted"]) == {"counted": "run 2"}  # 10:15: the next period
        assert run_due_jobs(now=NOW + EVERY, only=["counted"]) == {}
    assert [run.period_start for run in runs("counted")] == [
        datetime(2030, 1, 15, 10, 0, tzinfo=UTC),
        datetime(2030, 1, 15, 10, 15, tzinfo=UTC),
    ]
    assert all(run.succeeded for run in ScheduledRun.objects.all())


@pytest.mark.django_db
def test_a_job_that_raises_is_recorded_as_failed_the_others_still_run_and_it_runs_again_next_period():
    broken = Counted(error=RuntimeError("the mail server is on fire"))
    after = Counted()
    with extra_jobs(ScheduledJob("broken", EVERY, broken), ScheduledJob("after", EVERY, after)):
        ran = run_due_jobs(now=NOW)
        assert ran["broken"] == "RuntimeError: the mail server is on fire"
        assert ran["after"] == "run 1"
        assert "outbox_sweep" in ran
        [failed] = runs("broken")
        assert (failed.succeeded, failed.outcome) == (False, "RuntimeError: the mail server is on fire")
        assert failed.finished_at is not None
        assert all(run.succeeded for run in ScheduledRun.objects.exclude(job="broken"))

        run_due_jobs(now=NOW + EVERY)
    assert broken.runs == 2 and after.runs == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql("schedulers racing need parallel connections; SQLite's in-memory test database refuses them")
def test_schedulers_starting_at_the_same_moment_run_each_job_once():
    counted = Counted()
    with extra_jobs(ScheduledJob("counted", EVERY, counted)):
        outcomes = run_together(lambda _number: run_due_jobs(now=NOW), 5)
        names = {job.name for job in scheduled_jobs()}
    assert counted.runs == 1
    assert Counter(name for ran in outcomes for name in ran) == {name: 1 for name in names}
    assert Counter(ScheduledRun.objects.values_list("job", flat=True)) == {name: 1 for name in names}


@pytest.mark.django_db
def test_the_command_lists_the_jobs_runs_what_is_due_and_forgets_runs_older_than_30_days():
    listing = io.StringIO()
    call_command("run_scheduled_jobs", "--list", stdout=listing)
    assert "outbox_sweep: every 0:01:00 - enqueue due emails whose own task was lost" in listing.getvalue()
    assert not ScheduledRun.objects.exists()  # listing runs nothing

    old = ScheduledRun.objects.create(job="outbox_sweep", period_start=NOW.replace(year=2020))
    output = io.StringIO()
    call_command("run_scheduled_jobs", "--only", "forget_old_runs", stdout=output)
    assert output.getvalue() == "forget_old_runs: 1 run record(s) older than 30 days removed\n"
    assert not ScheduledRun.objects.filter(pk=old.pk).exists()
    again = io.StringIO()
    call_command("run_scheduled_jobs", "--only", "forget_old_runs", stdout=again)
    assert again.getvalue() == ""  # today's has run
