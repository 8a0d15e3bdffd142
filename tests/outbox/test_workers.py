"""Delivery as production runs it: the request stores the message and its task in the database queue
(django-tasks-db), and a worker (`manage.py db_worker`'s loop) sends it, retries it later, or lets another worker
take it over. Exactly once, whoever runs it and however often."""

import time

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from outbox.mail import deliver, queue_email, sweep
from outbox.models import OutboxMessage
from tests.outbox.conftest import sign_up_data, time_passes
from tests.smtp_server import UnresponsiveServer
from tests.together import run_together

Status = OutboxMessage.Status
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(worker_id="worker-1"):
    """`manage.py db_worker --batch`'s loop, in this process: runs every task that is ready, then returns."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    ).run()


def tasks_for(message):
    return DBTaskResult.objects.filter(task_path="outbox.tasks.deliver_message", args_kwargs__args=[message.pk])


def test_a_slow_mail_server_does_not_hold_up_the_signup(client, event, settings, django_capture_on_commit_callbacks):
    """Issue 19: with the mail sent inside the request, each sign-up waited up to EMAIL_TIMEOUT for a server that
    does not answer. With the database queue the request only stores the message and its task."""
    server = UnresponsiveServer()
    settings.TASKS = DATABASE_QUEUE
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = server.host, server.port, 5
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(event.url + "register/", sign_up_data(), follow=True)
        seconds = time.monotonic() - started
    finally:
        server.close()
    assert response.status_code == 200 and "Your place is booked" in response.content.decode()
    assert seconds < settings.EMAIL_TIMEOUT
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Status.QUEUED, 0)
    assert tasks_for(message).get().status == "READY"


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_while_the_server_is_down_and_delivers_once_it_is_back(client, event, mail_server, settings):
    settings.TASKS = DATABASE_QUEUE
    settings.OUTBOX_RETRY_SECONDS = 1
    mail_server.stop()
    response = client.post(event.url + "register/", sign_up_data(), follow=True)  # commits, as in production
    assert response.status_code == 200
    message = OutboxMessage.objects.get()
    assert message.attempts == 0 and tasks_for(message).count() == 1

    run_worker()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert message.last_error.startswith("ConnectionRefusedError")
    retry = tasks_for(message).get(status="READY")  # the retry, deferred to the message's next attempt
    assert retry.run_after == message.next_attempt_at

    mail_server.start()
    deadline = time.monotonic() + 10
    while message.status != Status.SENT and time.monotonic() < deadline:
        run_worker()  # nothing is ready until the retry is due (a second)
        message.refresh_from_db()
        time.sleep(0.05)
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert mail_server.message_ids() == [message.message_id()]
    assert not tasks_for(message).filter(status="READY").exists()


class SecondWorkerArrivesMidSend(SMTPBackend):
    """The SMTP backend, except that while it sends, another worker is handed the same message (a duplicate task,
    a sweep) and tries to deliver it too. What that worker's `deliver` returned is kept in `outcomes`."""

    outcomes = []

    def send_messages(self, email_messages):
        for email_message in email_messages:
            message_uuid = email_message.extra_headers["Message-ID"].strip("<>").split("@")[0]
            self.outcomes.append(deliver(OutboxMessage.objects.get(message_uuid=message_uuid).pk))
        return super().send_messages(email_messages)


@pytest.mark.django_db
def test_a_second_worker_arriving_while_a_message_is_being_sent_leaves_it_alone(mail_server, settings):
    settings.OUTBOX_DELIVERY_BACKEND = f"{__name__}.SecondWorkerArrivesMidSend"
    SecondWorkerArrivesMidSend.outcomes = []
    message = queue_email(EmailMessage("Hello", "Body", to=["t@example.org"]), purpose="Test")
    assert deliver(message.pk) == Status.SENT
    assert SecondWorkerArrivesMidSend.outcomes == [None]  # not its to send
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert mail_server.message_ids() == [message.message_id()]


class WorkerDiesMidSend(SMTPBackend):
    """The worker process is killed while the message is with the mail server: nothing after this line runs."""

    def send_messages(self, email_messages):
        raise KeyboardInterrupt  # what SIGINT does; SIGKILL would not even leave a traceback


@pytest.mark.django_db
def test_a_message_whose_worker_died_mid_send_is_taken_over_by_the_sweep_once_its_lease_expires(mail_server, settings):
    settings.OUTBOX_LEASE_SECONDS = 120
    message = queue_email(EmailMessage("Hello", "Body", to=["t@example.org"]), purpose="Test")
    settings.OUTBOX_DELIVERY_BACKEND = f"{__name__}.WorkerDiesMidSend"
    with pytest.raises(KeyboardInterrupt):
        deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)  # as the dead worker left it

    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    time_passes(60)
    assert sweep() == 0 and deliver(message.pk) is None  # its lease still runs: it may yet be sent
    time_passes(61)
    assert sweep() == 1  # the lease has expired: taken over
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    assert mail_server.message_ids() == [message.message_id()]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql(
    "threads need parallel connections; SQLite's in-memory test database answers 'table is locked' instead of waiting"
)
def test_workers_delivering_the_same_messages_at_once_send_each_once(mail_server, settings):
    """Six threads, each with its own database connection, try to deliver every message at the same moment."""
    settings.TASKS = DATABASE_QUEUE  # queued only: the threads below are the workers
    ids = [
        queue_email(EmailMessage(f"Message {number}", "Body", to=["t@example.org"]), purpose="Test").pk
        for number in range(10)
    ]

    def worker(number):
        return [deliver(message_id) for message_id in (ids if number % 2 == 0 else ids[::-1])]  # half from each end

    outcomes = [outcome for delivered in run_together(worker, 6) for outcome in delivered]
    assert outcomes.count(Status.SENT) == len(ids)
    assert sorted(mail_server.message_ids()) == sorted(message.message_id() for message in OutboxMessage.objects.all())
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(Status.SENT, 1)}


class QueueLostAfterCommit(ImmediateBackend):
    """Wagtail's own tasks run as usual; the outbox's delivery task cannot be enqueued (the database connection
    dropped just after the commit, the queue's table was locked)."""

    def enqueue(self, task, args, kwargs):
        if task.module_path == "outbox.tasks.deliver_message":
            raise ConnectionError("the task queue is unavailable")
        return super().enqueue(task, args, kwargs)


@pytest.mark.django_db(transaction=True)
def test_a_task_queue_that_fails_after_the_commit_loses_nothing_and_fails_no_signup(
    client, event, mail_server, settings
):
    """The sign-up and its email are committed before the task is enqueued; if that enqueue fails, the visitor is
    still told their place is booked (not shown an error for what was done), and the scheduled sweep delivers."""
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.QueueLostAfterCommit"}}
    response = client.post(event.url + "register/", sign_up_data(), follow=True)
    assert response.status_code == 200 and "Your place is booked" in response.content.decode()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (Status.QUEUED, 0)

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    time_passes(61)
    assert sweep() == 1
    assert mail_server.message_ids() == [message.message_id()]
