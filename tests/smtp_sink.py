"""A real SMTP server on loopback that accepts every message and remembers it: where the outbox's worker delivers
when a test or tool checks that mail really left (the two-server test, `make loadtest`, `make image-test`).

aiosmtpd in a thread of this process, on a port the system picks when it binds (port 0: no probing, no race
between parallel runs). What it keeps of each message is what a check needs: the envelope's recipients, the
Message-ID (the outbox's idempotency key, so "delivered once" is "one Message-ID once"), the subject and when it
arrived (for throughput).

`python tests/smtp_sink.py RECORD_FILE` runs it as a process (for `make image-test`, whose own script has only
the standard library): it prints its port on the first line of stdout, appends each message to RECORD_FILE as a
JSON line, and stops on SIGTERM.
"""

import email
import email.policy
import json
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    recipients: tuple
    message_id: str
    subject: str
    at: float  # time.time() when the server accepted it

    def as_json(self):
        return json.dumps(
            {"recipients": self.recipients, "message_id": self.message_id, "subject": self.subject, "at": self.at}
        )


class _Keeper:
    """The aiosmtpd handler: every message is accepted (250) and kept."""

    def __init__(self, on_message=None):
        self.received = []
        self.lock = threading.Lock()
        self.on_message = on_message

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        received = Received(
            recipients=tuple(address.lower() for address in envelope.rcpt_tos),
            message_id=str(message["Message-ID"] or ""),
            subject=str(message["Subject"] or ""),
            at=time.time(),
        )
        with self.lock:
            self.received.append(received)
        if self.on_message:
            self.on_message(received)
        return "250 Message accepted for delivery"


class _AnyPortController(Controller):
    def _trigger_server(self):
        # Bound to port 0: learn the port the system gave before the first connection checks the server is up.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    def __init__(self, controller, keeper):
        self._controller, self._keeper = controller, keeper
        self.host, self.port = "127.0.0.1", controller.port

    def messages(self):
        with self._keeper.lock:
            return list(self._keeper.received)

    def to(self, address):
        """The messages delivered to `address` (an envelope recipient)."""
        return [message for message in self.messages() if address.lower() in message.recipients]

    def wait_for(self, condition, timeout, interval=0.2):
        """Poll until `condition(messages)` is true or `timeout` seconds pass; returns the messages either way."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages()
            if condition(messages) or time.monotonic() >= deadline:
                return messages
            time.sleep(interval)

    def environment(self):
        """The variables that make production settings deliver here (plain SMTP, no login)."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": str(self.port),
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
        }


@contextmanager
def smtp_sink(on_message=None):
    """A running sink for the block (yields an SmtpSink); `on_message(Received)` is called for each message."""
    keeper = _Keeper(on_message)
    controller = _AnyPortController(keeper, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield SmtpSink(controller, keeper)
    finally:
        controller.stop()


def main(record_file):
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with open(record_file, "a", buffering=1) as record:  # line-buffered: a reader sees each message at once

        def write(received):
            record.write(received.as_json() + "\n")

        with smtp_sink(write) as sink:
            print(sink.port, flush=True)
            stop.wait()


if __name__ == "__main__":
    main(sys.argv[1])
