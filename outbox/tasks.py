"""The outbox's one background task. Run by `manage.py db_worker` (django-tasks-db) in production; by the
immediate backend, once the request's transaction commits, in development and most tests."""

from django_tasks import task


@task()
def deliver_message(message_id):
    """Deliver one outbox message (see outbox.mail.deliver); returns its status, or None if it was not ours."""
    from .mail import deliver

    return deliver(message_id)
