"""Many at once, for the tests of what must hold when several servers, workers or schedulers act at the same
moment: threads released together by a barrier, each on its own database connection (a thread opens one; it is
closed when the thread ends; PostgreSQL only: SQLite's in-memory test database refuses parallel writers), and
the real mail worker as a process."""

import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import connection

from bench.devtools import stop_process_group

REPO = Path(__file__).resolve().parents[1]


def run_together(action, count, timeout=60):
    """Call `action(number)` in `count` threads that all start at the same moment. Returns the results in the
    order they finished; raises AssertionError listing what any thread raised."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(number):
        try:
            barrier.wait(timeout=30)
            results.append(action(number))
        except Exception as error:  # noqa: BLE001 - collected and raised below, with every other thread's
            errors.append(repr(error))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == [], errors
    return results


class DbWorker:
    """`manage.py db_worker` in its own process group, as the image's `worker` command runs it (there every 2
    seconds; here every `interval`, so a test does not wait). Its output goes to `<log_dir>/<name>.log`."""

    def __init__(self, name, env, log_dir, interval="0.2"):
        self.name = name
        self.log = Path(log_dir) / f"{name}.log"
        command = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            interval,
        ]
        self.process = subprocess.Popen(
            [*command, "--worker-id", name],
            cwd=REPO,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self):
        return self.log.read_text()

    def wait_started(self, deadline):
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"{self.name} exited:\n{self.output()[-3000:]}"
            if f"Starting worker worker_id={self.name}" in self.output():
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not start:\n{self.output()[-3000:]}")

    def stop(self):
        """SIGTERM, as a container stop sends: the worker finishes the email in hand and exits."""
        stop_process_group(self.process)
