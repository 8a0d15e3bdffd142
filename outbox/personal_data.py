"""Personal data in the outbox: the addresses each email went to and its body (a sign-up's joining link, a
moderator's reason). Kept only as long as it helps answer "did my email go?": sent ones for
OUTBOX_SENT_RETENTION_DAYS, failed ones for OUTBOX_FAILED_RETENTION_DAYS (time to notice and resend)."""

from datetime import timedelta

from django.db.models import Q

from privacy.registry import RetentionRule

from .models import OutboxMessage


def _to(email):
    # `recipients` is one lower-case address per line; match whole lines only.
    return OutboxMessage.objects.filter(
        Q(recipients=email)
        | Q(recipients__startswith=f"{email}\n")
        | Q(recipients__endswith=f"\n{email}")
        | Q(recipients__contains=f"\n{email}\n")
    )


def export(email):
    return {
        "emails": [
            {
                "subject": message.subject,
                "purpose": message.purpose,
                "status": message.get_status_display(),
                "queued": message.created_at,
                "sent": message.sent_at,
                "body": message.body,
            }
            for message in _to(email).order_by("created_at", "pk")
        ]
    }


def erase(email):
    """Delete every email to the address, whatever its state: an erased person is not written to again."""
    deleted, _ = _to(email).delete()
    return {"emails deleted": deleted}


def _old(status, date_field):
    def apply(days, now, dry_run):
        old = OutboxMessage.objects.filter(status=status, **{f"{date_field}__lt": now - timedelta(days=days)})
        return old.count() if dry_run else old.delete()[0]

    return apply


RETENTION_RULES = [
    RetentionRule(
        "outbox_sent",
        "delivered emails deleted from the outbox",
        "OUTBOX_SENT_RETENTION_DAYS",
        _old(OutboxMessage.Status.SENT, "sent_at"),
    ),
    RetentionRule(
        "outbox_failed",
        "failed emails deleted from the outbox",
        "OUTBOX_FAILED_RETENTION_DAYS",
        _old(OutboxMessage.Status.FAILED, "created_at"),
    ),
]
