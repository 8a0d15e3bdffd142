"""Personal data in the outbox: the addresses each email went to and its body (a sign-up's joining link, a
moderator's reason, an enquirer's words passed on to EMAS). Kept only as long as it helps answer "did my email
go?": sent ones for OUTBOX_SENT_RETENTION_DAYS, failed ones for OUTBOX_FAILED_RETENTION_DAYS (time to notice and
resend).

An email is someone's when it goes to their address (to, cc or bcc) or answers to it (reply-to: the enquiry
passed on to EMAS holds the enquirer's name, school and message). One that only mentions the address in its
subject or text (an editor's message to attendees) is someone else's email: erasure takes the address out of it.
"""

from datetime import timedelta

from django.db.models import Q

from privacy.registry import RetentionRule, redact

from .models import OutboxMessage, bare_addresses


def _theirs(email):
    # `recipients` is one lower-case address per line; match whole lines only. Reply-to is JSON: narrowed in the
    # database, then checked address by address.
    to = Q(recipients=email) | Q(recipients__startswith=f"{email}\n") | Q(recipients__endswith=f"\n{email}")
    to |= Q(recipients__contains=f"\n{email}\n")
    replies = [
        pk
        for pk, reply_to in OutboxMessage.objects.filter(reply_to__icontains=email).values_list("pk", "reply_to")
        if email in bare_addresses(reply_to)
    ]
    return OutboxMessage.objects.filter(to | Q(pk__in=replies))


def _mentioning(email):
    """Other people's emails whose subject or text holds the address."""
    candidates = OutboxMessage.objects.filter(Q(subject__icontains=email) | Q(body__icontains=email))
    theirs = _theirs(email).values("pk")
    return [
        message
        for message in candidates.exclude(pk__in=theirs).order_by("created_at", "pk")
        if email in message.subject.lower() or email in message.body.lower()
    ]


def _row(message):
    return {
        "subject": message.subject,
        "purpose": message.purpose,
        "status": message.get_status_display(),
        "to": message.recipient_list(),
        "reply_to": message.reply_to,
        "queued": message.created_at,
        "sent": message.sent_at,
        "body": message.body,
    }


def export(email):
    return {
        "emails": [_row(message) for message in _theirs(email).order_by("created_at", "pk")],
        "emails_mentioning_the_address": [_row(message) for message in _mentioning(email)],
    }


def erase(email):
    """Delete every email to (or answering to) the address, whatever its state: an erased person is not written to
    again. Take the address out of other people's emails that mention it."""
    mentioning = _mentioning(email)
    for message in mentioning:
        message.subject, message.body = redact(message.subject, email), redact(message.body, email)
        message.save(update_fields=["subject", "body"])
    deleted, _ = _theirs(email).delete()
    return {"emails deleted": deleted, "emails redacted": len(mentioning)}


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
