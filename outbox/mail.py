"""Queue an email, deliver it, retry it, resend it, and say whether the queue is draining.

The one way the site sends email: `queue_email(message, purpose=...)` inside the transaction that makes the
promise. Delivery is a background task (`outbox.tasks.deliver_message`, run by `manage.py db_worker`) enqueued
when that transaction commits; `sweep()` (a scheduled job, every minute) enqueues whatever is due and has no task
left to deliver it (the enqueue was lost, the worker died mid-send, a retry came due on a backend that cannot
defer). Whatever runs `deliver()` and however many times, a message is sent once: a worker takes it with a
conditional UPDATE (status queued, or sending with an expired lease), which only one can win on any database.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from .models import OutboxMessage

Status = OutboxMessage.Status

# Errors that no retry will mend: the server refused the message or a recipient for good (5xx).
PERMANENT_SMTP_CODES = range(500, 600)


def queue_email(message, *, purpose, key=None):
    """Store `message` (a Django EmailMessage) in the outbox and deliver it once the transaction commits.

    `key` makes queuing idempotent: the same key queued again returns the message already stored, unchanged.
    Returns the OutboxMessage (or None when the message has no recipient, as Django's send() sends nothing)."""
    if not message.recipients():
        return None
    row = OutboxMessage.from_email_message(message, purpose=purpose, key=key)
    try:
        with transaction.atomic():  # a savepoint, so a duplicate key leaves the caller's transaction usable
            row.save(force_insert=True)
    except IntegrityError:
        if key is None:
            raise
        return OutboxMessage.objects.get(key=key)  # queued before (a retried request, a second confirmation)
    # Robust: once the transaction has committed, the promise and its email are kept; a failure to enqueue the task
    # (the queue unreachable for a moment) is logged, not raised at whoever committed, and the sweep delivers it.
    transaction.on_commit(lambda: enqueue_delivery(row.pk), robust=True)
    return row


def enqueue_delivery(message_id, run_after=None):
    """Ask the task backend to deliver the message (at `run_after`, if the backend can defer)."""
    from .tasks import deliver_message

    task = deliver_message
    if run_after is not None and not task.get_backend().supports_defer:
        # No task for this try: the scheduled sweep enqueues it once it is due.
        OutboxMessage.objects.filter(pk=message_id).update(task_due_at=None)
        return
    if run_after is not None:
        task = task.using(run_after=run_after)
    # Before enqueuing: an immediate backend delivers (and may retry, and set it again) within enqueue().
    OutboxMessage.objects.filter(pk=message_id).update(task_due_at=run_after or timezone.now())
    try:
        task.enqueue(message_id)
    except Exception:
        # The queue did not take it: the sweep must see a message nobody will send.
        OutboxMessage.objects.filter(pk=message_id).update(task_due_at=None)
        raise


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failed try: doubling from OUTBOX_RETRY_SECONDS, at most 6 hours."""
    return min(settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 6 * 60 * 60)


def _claim(message_id, now):
    """Take the message for this worker, or None if it is not ours to send (sent, failed, not due, or being sent
    by a worker whose lease has not expired). One UPDATE with the conditions: only one worker can win it."""
    claimable = Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_expires_at__lte=now)
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    won = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=Status.SENDING, lease_expires_at=lease, attempts=F("attempts") + 1
    )
    return OutboxMessage.objects.get(pk=message_id) if won else None


def _is_permanent(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code in PERMANENT_SMTP_CODES for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code in PERMANENT_SMTP_CODES
    return False


def _describe(error):
    return f"{type(error).__name__}: {error}"[:2000]


def deliver(message_id):
    """Send one message if it is due and nobody else is sending it. Returns its status afterwards, or None if
    it was not this worker's to send."""
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None
    mine = OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts)
    try:
        with get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False) as connection:
            sent = message.as_email_message(connection).send()
        if not sent:
            raise smtplib.SMTPRecipientsRefused({address: (550, b"not accepted") for address in message.to})
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the message, never lost
        failed_for_good = _is_permanent(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        if failed_for_good:
            mine.update(status=Status.FAILED, lease_expires_at=None, last_error=_describe(error))
            return Status.FAILED
        next_at = timezone.now() + timedelta(seconds=retry_delay(message.attempts))
        mine.update(status=Status.QUEUED, lease_expires_at=None, next_attempt_at=next_at, last_error=_describe(error))
        enqueue_delivery(message.pk, run_after=next_at)
        return Status.QUEUED
    mine.update(status=Status.SENT, lease_expires_at=None, sent_at=timezone.now(), last_error="")
    return Status.SENT


def due_messages(now=None, grace_seconds=0):
    """Messages a worker should be sending now: queued and due (for at least `grace_seconds`), or sending under
    a lease that has expired (its worker died)."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=Status.QUEUED, next_attempt_at__lte=now - timedelta(seconds=grace_seconds))
        | Q(status=Status.SENDING, lease_expires_at__lte=now)
    )


SWEEP_AGAIN_AFTER = timedelta(minutes=5)


def sweep():
    """The scheduled safety net: enqueue delivery of every message that is due and has waited a minute (its own
    task should have run by then). A message enqueued twice is still sent once; one asked for in the last five
    minutes is left to that task, so a queue with no worker does not gain a task per message every minute
    (task_due_at: when the task last asked for was due).
    Returns how many it enqueued."""
    not_asked_lately = Q(task_due_at__isnull=True) | Q(task_due_at__lt=timezone.now() - SWEEP_AGAIN_AFTER)
    due = due_messages(grace_seconds=60).filter(not_asked_lately)
    ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:1000])
    for message_id in ids:
        enqueue_delivery(message_id)
    return len(ids)


def resend(messages):
    """Queue failed messages again, with a fresh set of tries. Sent and queued ones are left alone (a message is
    delivered once). Returns how many were queued."""
    ids = list(messages.filter(status=Status.FAILED).values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        OutboxMessage.objects.filter(pk__in=ids, status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=now, lease_expires_at=None
        )
        for message_id in ids:
            transaction.on_commit(lambda message_id=message_id: enqueue_delivery(message_id), robust=True)
    return len(ids)


def queue_health(now=None):
    """For monitoring: is the queue draining? The age of the oldest message not yet delivered (whatever the reason:
    no worker, workers that cannot keep up, a mail server that is down), the age of the oldest one that should be
    going now (a worker's problem rather than the mail server's), and counts. Two queries on indexed columns."""
    now = now or timezone.now()
    due = Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(status=Status.SENDING, lease_expires_at__lte=now)
    waiting = OutboxMessage.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).aggregate(
        count=Count("pk"), oldest=Min("created_at"), oldest_due=Min("next_attempt_at", filter=due)
    )
    queued_seconds = int((now - waiting["oldest"]).total_seconds()) if waiting["oldest"] else 0
    due_seconds = max(int((now - waiting["oldest_due"]).total_seconds()), 0) if waiting["oldest_due"] else 0
    return {
        "draining": queued_seconds <= settings.OUTBOX_STALL_SECONDS,
        "oldest_queued_seconds": queued_seconds,
        "oldest_due_seconds": due_seconds,
        "queued": waiting["count"],
        "failed": OutboxMessage.objects.filter(status=Status.FAILED).count(),
    }
