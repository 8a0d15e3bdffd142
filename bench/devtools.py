"""What the developer tools (`make bench`, `make lighthouse`, `make loadtest`) and the tests that start servers
share: a free loopback port for the server they start, stopping it (its whole process group), and a main that
stops it cleanly on Ctrl+C or a kill."""

import os
import signal
import socket
import subprocess
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


def stop_process_group(process, timeout=20):
    """SIGTERM to the process's group (started with `start_new_session=True`), as a container stop sends; SIGKILL
    if it has not exited within `timeout` seconds. Returns its exit status (None if it had to be killed)."""
    if process is None or process.poll() is not None:
        return None if process is None else process.returncode
    os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None
