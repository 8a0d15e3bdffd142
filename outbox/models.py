"""The outbox: one row per email, from the moment it is promised to the moment it is delivered or given up on."""

import base64
import uuid
from email.utils import getaddresses

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import models
from django.utils import timezone


def new_key():
    return uuid.uuid4().hex


def bare_addresses(values):
    """The addresses in header values, as `recipients` holds them: "Amira <A@School.org>" is a@school.org."""
    return {address.strip().lower() for _name, address in getaddresses(values) if address.strip()}


class OutboxMessage(models.Model):
    """An email waiting to be delivered, delivered, or given up on.

    The row is written in the transaction that makes the promise (the sign-up, the moderation decision), so a
    promise stored is a message stored. `key` is the message's idempotency key: unique, so the same promise
    queued twice is one message. `message_uuid` is its Message-ID, the same on every try, so a mail server that
    receives it twice (a worker that died between the server's "250 OK" and our "sent") can tell it is the same
    message.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(
        "idempotency key",
        max_length=200,
        unique=True,
        default=new_key,
        editable=False,
        help_text="One message per key: queuing the same key again changes nothing.",
    )
    purpose = models.CharField(max_length=100, help_text="What the email is for, e.g. 'Event sign-up'.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    from_email = models.CharField("from", max_length=320)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # [{"filename", "content" (base64), "mimetype"}] and [{"content", "mimetype"}]: what EmailMessage holds.
    attachments = models.JSONField(default=list, blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    recipients = models.TextField(
        editable=False, help_text="Every address it goes to, lower case, one per line: for search and erasure."
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    lease_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="While sending: when another worker may take it over."
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Random, so no other message anywhere (another environment, a database restored from a backup, a key reused)
    # has the same Message-ID: receiving servers drop a Message-ID they have seen.
    message_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the delivery task last asked for is due to run; empty if none was asked for this try.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "email"
        verbose_name_plural = "emails"
        permissions = [("resend_outboxmessage", "Can resend failed email")]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} (to {', '.join(self.recipient_list()) or 'nobody'})"

    def recipient_list(self):
        return [*self.to, *self.cc, *self.bcc]

    @classmethod
    def from_email_message(cls, message, *, purpose, key=None):
        """An unsaved row holding everything `message` (an EmailMessage) would send."""
        attachments = []
        for attachment in message.attachments:
            filename, content, mimetype = attachment
            if isinstance(content, str):
                content = content.encode()
            attachments.append(
                {"filename": filename, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
            )
        alternatives = [
            {"content": content, "mimetype": mimetype} for content, mimetype in getattr(message, "alternatives", [])
        ]
        return cls(
            key=key or new_key(),
            purpose=purpose,
            subject=message.subject,
            body=message.body,
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            to=list(message.to),
            cc=list(message.cc),
            bcc=list(message.bcc),
            reply_to=list(message.reply_to),
            headers=dict(message.extra_headers),
            attachments=attachments,
            alternatives=alternatives,
            recipients="\n".join(sorted(bare_addresses([*message.to, *message.cc, *message.bcc]))),
        )

    def message_id(self):
        """The Message-ID header: the same on every attempt, so a receiving server sees one message, and unique to
        this message (not the idempotency key, which another database may reuse)."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
        return f"<{self.message_uuid.hex}@{domain}>"

    def as_email_message(self, connection=None):
        message_class = EmailMultiAlternatives if self.alternatives else EmailMessage
        message = message_class(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            bcc=self.bcc,
            reply_to=self.reply_to,
            headers={**self.headers, "Message-ID": self.message_id()},
            connection=connection,
        )
        for alternative in self.alternatives:
            message.attach_alternative(alternative["content"], alternative["mimetype"])
        for attachment in self.attachments:
            message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
        return message
