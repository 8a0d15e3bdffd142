"""What the developer tools (`make bench`, `make lighthouse`, `make loadtest`) share: a free loopback port for
the server they start, and a main that stops that server cleanly on Ctrl+C or a kill."""

import signal
import socket
import sys


def free_port(first, last):
    """The first loopback port in `first`..`last` nothing listens on."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port in {first}-{last}.")


def run_main(main, on_interrupt=None):
    """Run `main()` and exit with its status; Ctrl+C or SIGTERM unwinds through its `with` blocks (which stop the
    servers it started) instead of leaving them running, also when started in the background, where the shell
    hands SIGINT down ignored."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        status = main()
    except KeyboardInterrupt:
        if on_interrupt:
            on_interrupt()
        sys.exit(130)
    sys.exit(status or 0)
