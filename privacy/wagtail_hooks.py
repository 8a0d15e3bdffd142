"""Hooks of the privacy app: the audit-log action of personal-data erasure, so the admin's history shows it by
name, and retention as a daily scheduled job."""

from datetime import timedelta

from wagtail import hooks

from scheduler.jobs import ScheduledJob, command_job


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action("privacy.erase", "Personal data erased", "Personal data erased (subject request)")


@hooks.register("register_scheduled_jobs")
def privacy_jobs():
    return [
        ScheduledJob("apply_retention", timedelta(days=1), command_job("apply_retention"), "manage.py apply_retention")
    ]
