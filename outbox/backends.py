"""EMAIL_BACKEND for everything that sends mail without knowing about the outbox (Wagtail's password reset,
Django's error mail): each message goes into the outbox like ours, and is delivered by the worker through
OUTBOX_DELIVERY_BACKEND (SMTP in production)."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .mail import queue_email

        queued = [queue_email(message, purpose="Account and system") for message in email_messages]
        return sum(1 for row in queued if row is not None)
