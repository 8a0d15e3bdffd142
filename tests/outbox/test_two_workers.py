"""Two real workers (`manage.py db_worker`, django-tasks-db, production settings) drain one queue: every message is
delivered exactly once, counted by Message-ID at a real SMTP server, even though each message has two tasks (as
when the sweep enqueues one whose first task is late) and the workers race for them."""

import os
import secrets
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from outbox.mail import enqueue_delivery, queue_email
from outbox.models import OutboxMessage
from tests.together import DbWorker

REPO = Path(__file__).resolve().parents[2]
MESSAGES = 30

pytestmark = [
    pytest.mark.postgresql("two worker processes need a database server both connect to; SQLite's is in memory."),
    pytest.mark.slow(15),
]


def database_url_of_the_test_database():
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_one_queue_deliver_every_message_exactly_once(mail_server, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mail_server.data_delay = 0.02  # a mail server takes a moment, so both workers are busy at once
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url_of_the_test_database(),
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        LOG_LEVEL="INFO",
        **mail_server.environment(timeout=5),
    )
    log_dir = tempfile.mkdtemp(prefix="sanctuary-workers-")
    workers = [DbWorker(name, env, log_dir, interval="0.1") for name in ("worker-a", "worker-b")]
    try:
        deadline = time.monotonic() + 60
        for worker in workers:
            worker.wait_started(deadline)
        with transaction.atomic():
            messages = [
                queue_email(EmailMessage(f"Message {n}", "Body", to=[f"t{n}@example.org"]), purpose="Test")
                for n in range(MESSAGES)
            ]
            for message in messages:
                transaction.on_commit(lambda pk=message.pk: enqueue_delivery(pk))  # a second task for each
        tasks = DBTaskResult.objects.filter(task_path="outbox.tasks.deliver_message")
        while time.monotonic() < deadline:  # every message sent and every task run (the duplicates too)
            unsent = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
            if not unsent.exists() and not tasks.filter(status__in=["READY", "RUNNING"]).exists():
                break
            time.sleep(0.1)
        outputs = {worker.name: worker.output() for worker in workers}
    finally:
        for worker in workers:
            worker.stop()

    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}, outputs
    delivered = Counter(mail_server.message_ids())
    assert delivered == Counter({message.message_id(): 1 for message in messages})
    assert tasks.count() == 2 * MESSAGES and set(tasks.values_list("status", flat=True)) == {"SUCCESSFUL"}
    ran_by = Counter(worker_id for ids in tasks.values_list("worker_ids", flat=True) for worker_id in ids)
    assert set(ran_by) == {"worker-a", "worker-b"}, ran_by  # both took part
    returned = Counter(tasks.values_list("return_value", flat=True))
    assert returned == {"sent": MESSAGES, None: MESSAGES}  # each message's other task found it taken
