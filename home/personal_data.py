"""Personal data the base app holds: enquiry form submissions, user accounts, the audit log, sessions."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Q
from wagtail.contrib.forms.models import FormSubmission
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from privacy.registry import RetentionRule, mentions, redact


def _matching_submissions(email):
    # form_data is JSON whose keys are whatever fields editors built; scanning it in Python is
    # portable (SQLite and PostgreSQL alike) and finds the address in any field, in any case.
    return [
        submission
        for submission in FormSubmission.objects.select_related("page").order_by("pk").iterator()
        if mentions(submission.form_data, email)
    ]


def _matching_users(email):
    return get_user_model().objects.filter(email__iexact=email).order_by("pk")


def _log_entries(email):
    """Audit-log entries whose label (an object's name at the time) or data (e.g. a report's reason) holds it."""
    return [
        entry
        for model in (ModelLogEntry, PageLogEntry)
        for entry in model.objects.filter(Q(label__icontains=email) | Q(data__icontains=email)).order_by("pk")
        if email in entry.label.lower() or mentions(entry.data, email)
    ]


def export(email):
    return {
        "enquiries": [
            {
                "id": submission.pk,
                "form": submission.page.title,
                "submitted": submission.submit_time,
                "data": submission.form_data,
            }
            for submission in _matching_submissions(email)
        ],
        "user_accounts": [
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "groups": sorted(user.groups.values_list("name", flat=True)),
                "date_joined": user.date_joined,
                "last_login": user.last_login,
            }
            for user in _matching_users(email)
        ],
        "audit_log_entries": [
            {"action": entry.action, "timestamp": entry.timestamp, "label": entry.label, "data": entry.data}
            for entry in _log_entries(email)
        ],
    }


def erase(email):
    """Enquiries are deleted (they are wholly the sender's); accounts are deactivated and blanked, not
    deleted, because pages, revisions and the audit log point at them; audit-log entries are redacted."""
    submissions = _matching_submissions(email)
    FormSubmission.objects.filter(pk__in=[s.pk for s in submissions]).delete()
    users = list(_matching_users(email))
    for user in users:
        user.username = f"erased-user-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        log(user, "privacy.erase", data={"what": "user account"})
    entries = _log_entries(email)
    for entry in entries:
        entry.label = redact(entry.label, email)
        entry.data = redact_json(entry.data, email)
        entry.save(update_fields=["label", "data"])
    return {"enquiries deleted": len(submissions), "accounts blanked": len(users), "log entries redacted": len(entries)}


def redact_json(value, email):
    if isinstance(value, str):
        return redact(value, email)
    if isinstance(value, dict):
        return {key: redact_json(item, email) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_json(item, email) for item in value]
    return value


def _old_enquiries(days, now, dry_run):
    old = FormSubmission.objects.filter(submit_time__lt=now - timedelta(days=days))
    return old.count() if dry_run else old.delete()[0]


def _expired_sessions(days, now, dry_run):
    expired = Session.objects.filter(expire_date__lt=now)
    return expired.count() if dry_run else expired.delete()[0]


RETENTION_RULES = [
    RetentionRule("enquiries", "enquiry form submissions deleted", "ENQUIRY_RETENTION_DAYS", _old_enquiries),
    RetentionRule("sessions", "expired sessions deleted", None, _expired_sessions),
]
