"""Hooks of the privacy app: the audit-log action of personal-data erasure, so the admin's history shows it by
name, and retention as a daily scheduled job."""

import io
from datetime import timedelta

from django.core.management import call_command
from wagtail import hooks

from scheduler.jobs import ScheduledJob


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action("privacy.erase", "Personal data erased", "Personal data erased (subject request)")


def _apply_retention():
    output = io.StringIO()
    call_command("apply_retention", stdout=output)
    return output.getvalue().strip()


@hooks.register("register_scheduled_jobs")
def privacy_jobs():
    return [ScheduledJob("apply_retention", timedelta(days=1), _apply_retention, "manage.py apply_retention")]
