"""A real SMTP server on loopback for the mail tests (tests/outbox/): aiosmtpd in a thread, recording what it
receives, and misbehaving on demand the ways real mail servers do.

Modes (`server.mode`, changed at any time; each connection reads it when the message's data arrives):

- "normal": accepts every message (250) and records it;
- "drop": accepts the connection and the message's data, then closes the connection without answering, as a
  server that crashes or a proxy that times out mid-DATA (the client sees the connection go, not a reply);
- "tempfail": answers 421 (try again later) to the data;
- "refuse": answers 550 (refused for good) to the data.

And down: `stop()` stops listening while keeping the port (a bound socket that does not listen, so a connection
is refused at once, as to a server that is not running); `start()` listens on it again. The port is the system's
free port (bound to port 0), so parallel test workers never race for one.

What a test counts is `server.messages`, each with its Message-ID: a message delivered twice is seen twice.
"""

import asyncio
import email
import logging
import socket
import threading
import time
from dataclasses import dataclass

from aiosmtpd.smtp import SMTP

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command at INFO


@dataclass(frozen=True)
class Received:
    message_id: str
    mail_from: str
    rcpt_tos: tuple
    message: email.message.Message


class _Handler:
    def __init__(self, server):
        self.server = server

    async def handle_DATA(self, smtp, session, envelope):
        server = self.server
        mode = server.mode
        message = email.message_from_bytes(envelope.original_content)
        with server.lock:
            server.attempted.append(message["Message-ID"])
        if server.data_delay:
            await asyncio.sleep(server.data_delay)
        if mode == "drop":
            smtp.transport.close()  # what the client writes next, or waits for, finds the connection gone
            return "421 closed"  # never reaches the client: the transport is already closing
        if mode == "tempfail":
            return "421 4.3.2 Service not available, try again later"
        if mode == "refuse":
            return "550 5.7.1 Message refused"
        with server.lock:
            server.messages.append(
                Received(message["Message-ID"], envelope.mail_from, tuple(envelope.rcpt_tos), message)
            )
        return "250 OK"


class SMTPServer:
    """`start()` listens; `stop()` stops listening (down) and keeps the port; `close()` when done."""

    def __init__(self, host="127.0.0.1"):
        self.host = host
        self.mode = "normal"
        self.data_delay = 0.0  # seconds to wait before answering each message's data
        self.attempted = []  # the Message-ID of every message whose data arrived, whatever the answer
        self.messages = []  # what was accepted (250), as Received
        self.lock = threading.Lock()
        self._socket = self._bound_socket(0)
        self.port = self._socket.getsockname()[1]
        self._server = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"smtp-{self.port}", daemon=True)
        self._thread.start()

    def _bound_socket(self, port):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        return sock  # bound, not listening: connections are refused

    def _run(self, coroutine, timeout=10):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def start(self):
        """Listen (again) on the port."""
        if self._server is not None:
            return self
        if self._socket is None:
            self._socket = self._bound_socket(self.port)
        handler = _Handler(self)

        async def serve(sock):
            return await self._loop.create_server(
                lambda: SMTP(handler, hostname="mail.test", loop=self._loop), sock=sock
            )

        self._server = self._run(serve(self._socket))
        self._socket = None  # the server owns it now
        return self

    def stop(self):
        """Stop listening (the server is down); the port stays ours, refusing connections."""
        if self._server is None:
            return

        async def close(server):
            server.close()
            await server.wait_closed()

        self._run(close(self._server))
        self._server = None
        self._socket = self._bound_socket(self.port)

    def close(self):
        self.stop()
        self._socket.close()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def message_ids(self):
        with self.lock:
            return [received.message_id for received in self.messages]

    def wait_for(self, count, timeout=10):
        """Wait until `count` messages have been received (or fail); returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        raise AssertionError(f"{len(self.messages)} message(s) received within {timeout}s, expected {count}")

    def settings(self, timeout=2):
        return smtp_settings(self.host, self.port, timeout)

    def environment(self, timeout=5):
        return smtp_environment(self.host, self.port, timeout)


class UnresponsiveServer:
    """A mail server that accepts connections and never says a word (overloaded, or a firewall that swallows
    packets): a client waits for its greeting until EMAIL_TIMEOUT."""

    def __init__(self, host="127.0.0.1"):
        self.host = host
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((host, 0))
        self._socket.listen(16)  # the kernel completes connections; nobody accepts them
        self.port = self._socket.getsockname()[1]

    def close(self):
        self._socket.close()

    def settings(self, timeout=2):
        return smtp_settings(self.host, self.port, timeout)


def smtp_settings(host, port, timeout):
    """The settings that make the outbox deliver to host:port over SMTP (for pytest-django's `settings`)."""
    return {
        "OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": timeout,
    }


def smtp_environment(host, port, timeout):
    """The environment variables that point a process with production settings (a worker) at host:port."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        "EMAIL_TIMEOUT": str(timeout),
    }
