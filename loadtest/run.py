"""`make loadtest`: a fresh PostgreSQL database with the demo, gunicorn (production settings), the mail worker, an
SMTP server, locust, a report.

Creates and drops its own scratch database, starts and stops gunicorn on a free loopback port and the mail worker
(`docker-entrypoint.sh worker`: `manage.py db_worker` on the production settings' database queue) beside it, which
delivers to a real SMTP server on loopback (aiosmtpd, in this process), and cleans up on failure too. Writes
loadtest/report.md (and locust's CSV/JSON and the server and worker logs under loadtest/results/). Exits non-zero
if any request failed, any write the server accepted is missing from the database, or the emails delivered
(unique Message-IDs at the SMTP server, once the worker has drained the queue) are not one per accepted sign-up
and one per email queued. Then it measures the worker alone: a burst of emails queued at once, delivered at how
many a second, and the worker's memory. Times are reported, not asserted: the figures depend on the machine.

Environment: LOADTEST_DATABASE_URL (a PostgreSQL server URL; the database name in it is replaced by the
scratch one), LOADTEST_REDIS_URL, LOADTEST_DURATION (locust time, e.g. 2m), LOADTEST_PORTS (e.g. 8300-8399),
GUNICORN_WORKERS / GUNICORN_THREADS.
"""

import json
import os
import secrets
import shutil
import subprocess  # noqa: S404 - runs our own manage.py, gunicorn and locust, never a shell
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from devtools import free_port, run_main  # noqa: E402

from tests.smtp_sink import smtp_sink  # noqa: E402

RESULTS = ROOT / "loadtest" / "results"
REPORT = ROOT / "loadtest" / "report.md"
BIN = Path(sys.executable).parent
VISITORS, POSTERS = 50, 10
# After the load: seconds the worker gets to empty the queue, and the burst that measures how fast one worker sends.
DRAIN_SECONDS = 120
BURST = 200

COUNT_ROWS = """
import json
from board.models import BoardPost
from events.models import EventRegistration
print(json.dumps({"board_posts": BoardPost.objects.count(), "registrations": EventRegistration.objects.count()}))
"""


def scratch_database_url(server_url):
    parts = urlsplit(server_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("LOADTEST_DATABASE_URL must be a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/x")
    name = f"{(parts.path.strip('/') or 'loadtest')}_load_{uuid.uuid4().hex[:8]}"
    return urlunsplit(parts._replace(path=f"/{name}")), parts, name


def admin_sql(parts, sql, dbname="postgres"):
    import psycopg

    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname=dbname, autocommit=True,
    ) as connection:  # fmt: skip
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else None


QUEUE_BURST = """
from django.core.mail import EmailMessage
from django.db import transaction
from outbox.mail import queue_email
with transaction.atomic():
    for number in range({count}):
        address = f"burst-{{number}}@example.org"
        queue_email(EmailMessage(f"Load test burst {{number}}", "One of a burst.", to=[address]), purpose="Load test")
"""


def manage(env, *args, capture=False):
    result = subprocess.run(  # noqa: S603
        [str(BIN / "python"), str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, text=True,
        capture_output=capture,
    )  # fmt: skip
    return result.stdout


def wait_until_up(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited while starting; see loadtest/results/gunicorn.log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds}s")


def start_worker(env):
    """The mail worker as the image starts it (`docker-entrypoint.sh worker`), with this venv's python."""
    with open(RESULTS / "worker.log", "w") as log:
        return subprocess.Popen(  # noqa: S603
            ["/bin/sh", str(ROOT / "docker-entrypoint.sh"), "worker"],
            env={**env, "PATH": f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}"},
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(process, seconds=60):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(condition, seconds, interval=0.5):
    """Poll `condition()` until it is true or `seconds` pass; returns (true?, seconds waited)."""
    started = time.monotonic()
    while not (done := condition()) and time.monotonic() - started < seconds:
        time.sleep(interval)
    return bool(done), time.monotonic() - started


def memory_mb(pid):
    """The process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))


def main():
    duration = os.environ.get("LOADTEST_DURATION", "2m")
    database_url, parts, name = scratch_database_url(
        os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loadtest")
    )
    port = free_port(*(int(part) for part in os.environ.get("LOADTEST_PORTS", "8300-8399").split("-")))
    host = f"http://127.0.0.1:{port}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sanctuary-loadtest-"))
    # TASKS_BACKEND unset: the production settings' own queue (django-tasks-db), which the worker drains.
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX=f"loadtest-{uuid.uuid4().hex[:8]}",  # a fresh set of rate-limit counters
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL=host,
        NUM_PROXIES="1",
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
    )
    server = worker = None
    admin_sql(parts, f'CREATE DATABASE "{name}"')
    try:
        with smtp_sink() as sink:
            env.update(sink.environment())
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "load_demo_content", capture=True)
            manage(env, "collectstatic", "--noinput", "-v0")
            before = json.loads(manage(env, "shell", "-v0", "-c", COUNT_ROWS, capture=True).strip().splitlines()[-1])
            with open(RESULTS / "gunicorn.log", "w") as log:
                server = subprocess.Popen(  # noqa: S603
                    [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env=env, cwd=ROOT,
                    stdout=log, stderr=subprocess.STDOUT,
                )  # fmt: skip
            worker = start_worker(env)
            wait_until_up(f"{host}/healthz", server)
            counts_file = RESULTS / "accepted.json"
            counts_file.unlink(missing_ok=True)
            locust_env = {**env, "LOADTEST_COUNTS_FILE": str(counts_file)}
            started = time.monotonic()
            locust = subprocess.run(  # noqa: S603
                [
                    str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
                    "--users", str(VISITORS + POSTERS), "--spawn-rate", "10", "--run-time", duration,
                    "--stop-timeout", "10", "--host", host, "--csv", str(RESULTS / "locust"),
                    "--json-file", str(RESULTS / "locust"), "--only-summary", "--exit-code-on-error", "0",
                ],
                env=locust_env, cwd=ROOT, text=True, capture_output=True, check=False,
            )  # fmt: skip
            elapsed = time.monotonic() - started
            (RESULTS / "locust.log").write_text(locust.stdout + locust.stderr)
            stop(server)
            server = None
            if worker.poll() is not None:
                raise SystemExit("The mail worker exited during the load; see loadtest/results/worker.log")

            def queue_empty():
                waiting = "SELECT count(*) FROM outbox_outboxmessage WHERE status IN ('queued', 'sending')"
                return admin_sql(parts, waiting, name) == [(0,)]

            drained, drain_seconds = wait_until(queue_empty, DRAIN_SECONDS)
            load_messages = sink.messages()
            burst = measure_burst(env, sink, worker) if drained else None
            after = json.loads(manage(env, "shell", "-v0", "-c", COUNT_ROWS, capture=True).strip().splitlines()[-1])
            outbox = admin_sql(
                parts, "SELECT replace(message_uuid::text, '-', ''), status FROM outbox_outboxmessage", name
            )
            stop(worker)
            worker = None
            mail = {
                "drained": drained,
                "drain_seconds": drain_seconds,
                "load_messages": load_messages,
                "all_messages": sink.messages(),
                "outbox": outbox,
                "burst": burst,
            }
        accepted = json.loads(counts_file.read_text()) if counts_file.exists() else {}
        stats = json.loads((RESULTS / "locust.json").read_text())
        return report(stats, accepted, before, after, duration, elapsed, locust.returncode, mail)
    finally:
        stop(server, 30)
        stop(worker, 30)
        admin_sql(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def measure_burst(env, sink, worker):
    """How fast one worker delivers: BURST emails queued in one transaction (as many sign-ups at once would), timed
    from the first to the last arriving at the SMTP server; and the worker's memory afterwards."""
    manage(env, "shell", "-v0", "-c", QUEUE_BURST.format(count=BURST))
    arrived, _ = wait_until(lambda: len(burst_messages(sink)) >= BURST, DRAIN_SECONDS)
    times = sorted(message.at for message in burst_messages(sink))
    rss, peak = memory_mb(worker.pid)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    return {
        "delivered": len(times),
        "all_arrived": arrived,
        "seconds": span,
        "per_second": (len(times) - 1) / span if span else 0.0,
        "rss_mb": rss,
        "peak_mb": peak,
    }


def burst_messages(sink):
    return [message for message in sink.messages() if message.subject.startswith("Load test burst ")]


def key_of(message_id):
    """The outbox row's uuid (hex) in a Message-ID `<uuid@domain>`."""
    return message_id.strip("<>").split("@", 1)[0]


def mail_check(accepted, before, after, mail):
    """The report's Mail section and whether every email went exactly once: one per accepted sign-up (to its
    address), and one per email the site queued (unique Message-IDs at the SMTP server = outbox rows, all sent)."""
    addresses = [address.lower() for address in accepted.get("signup_addresses", [])]
    signed_up = set(addresses)
    ids_by_address = {address: set() for address in signed_up}
    for message in mail["load_messages"]:
        for recipient in message.recipients:
            if recipient in ids_by_address:
                ids_by_address[recipient].add(message.message_id)
    signup_emails = sum(len(ids) for ids in ids_by_address.values())
    not_once = sum(1 for ids in ids_by_address.values() if len(ids) != 1)
    delivered_ids = [message.message_id for message in mail["all_messages"]]
    unique_ids = set(delivered_ids)
    duplicates = len(delivered_ids) - len(unique_ids)
    rows = {key: status for key, status in mail["outbox"]}
    unsent = sum(1 for status in rows.values() if status != "sent")
    strays = len({key_of(message_id) for message_id in unique_ids} ^ set(rows))  # delivered ≠ queued
    registrations = after["registrations"] - before["registrations"]
    ok = (
        mail["drained"]
        and signup_emails == len(addresses) == registrations
        and len(signed_up) == len(addresses)
        and not_once == 0
        and duplicates == 0
        and unsent == 0
        and strays == 0
        and len(unique_ids) == len(rows)
    )
    burst = mail["burst"]

    def mark(good):
        return "yes" if good else "**NO**"

    lines = [
        "## Mail",
        "",
        "One worker (`docker-entrypoint.sh worker`: `manage.py db_worker` on the production settings' database "
        "queue) ran beside gunicorn and delivered to a real SMTP server on loopback (aiosmtpd in the runner). "
        "Counted at that server, by unique Message-ID (each outbox row's own uuid), after the worker drained "
        "the queue.",
        "",
        "| what | count | as it should be |",
        "| --- | --- | --- |",
        f"| sign-ups accepted (counted by locust) | {len(addresses)} | {mark(len(addresses) == registrations)} "
        f"(new registrations in the database: {registrations}) |",
        f"| sign-up emails delivered (unique Message-IDs to those addresses) | {signup_emails} | "
        f"{mark(signup_emails == len(addresses))} |",
        f"| sign-up addresses without exactly one email | {not_once} | {mark(not_once == 0)} |",
        f"| emails queued in all (outbox rows, the burst below included) | {len(rows)} | |",
        f"| emails delivered (unique Message-IDs) | {len(unique_ids)} | {mark(len(unique_ids) == len(rows))} |",
        f"| delivered more than once (the same Message-ID again) | {duplicates} | {mark(duplicates == 0)} |",
        f"| delivered but never queued, or queued and never delivered | {strays} | {mark(strays == 0)} |",
        f'| not "sent" in the outbox at the end | {unsent} | {mark(unsent == 0)} |',
        "",
        f"**Drain**: the queue was empty {mail['drain_seconds']:.1f} s after the load stopped"
        + ("." if mail["drained"] else f" **no: still not empty after {DRAIN_SECONDS} s**."),
        "",
    ]
    if burst:
        lines += [
            f"**One worker's rate**: {BURST} emails queued in one transaction, {burst['delivered']} delivered, "
            f"from the first to the last in {burst['seconds']:.1f} s: **{burst['per_second']:.0f} emails/s** "
            "(one SMTP connection per email, to a server on loopback: a real relay's round trips add to each). "
            f"Worker memory afterwards: {burst['rss_mb']:.0f} MB resident, {burst['peak_mb']:.0f} MB at its peak.",
            "",
        ]
        ok = ok and burst["all_arrived"]
    return lines, ok


def report(stats, accepted, before, after, duration, elapsed, locust_code, mail):
    rows = []
    total_requests = total_failures = 0
    for entry in sorted(stats, key=lambda item: -item["num_requests"]):
        times = entry["response_times"]  # {milliseconds (rounded): how many}
        ordered = sorted((float(ms), n) for ms, n in times.items())

        def percentile(fraction, ordered=ordered, count=entry["num_requests"], top=entry["max_response_time"]):
            seen = 0
            for milliseconds, number in ordered:
                seen += number
                if seen >= fraction * count:
                    return min(milliseconds, top)
            return 0.0

        count = entry["num_requests"]
        total_requests += count
        total_failures += entry["num_failures"]
        average = entry["total_response_time"] / count if count else 0.0
        rows.append(
            f"| {entry['method']} {entry['name']} | {count} | {entry['num_failures']} | {average:.0f} | "
            f"{percentile(0.5):.0f} | {percentile(0.95):.0f} | {percentile(0.99):.0f} | "
            f"{entry['max_response_time']:.0f} |"
        )
    writes = []
    lost = 0
    for kind in ("board_posts", "registrations"):
        stored = after[kind] - before[kind]
        ok = accepted.get(kind, 0)
        lost += abs(stored - ok)
        writes.append(f"| {kind.replace('_', ' ')} | {ok} | {stored} | {'yes' if stored == ok else '**NO**'} |")
    wrote = all(accepted.get(kind, 0) > 0 for kind in ("board_posts", "registrations"))  # the writes were tried
    mail_lines, mail_ok = mail_check(accepted, before, after, mail)
    passed = total_failures == 0 and lost == 0 and locust_code == 0 and total_requests > 0 and wrote and mail_ok
    throughput = total_requests / elapsed if elapsed else 0
    REPORT.write_text(
        "\n".join(
            [
                "# Load test report",
                "",
                f"Made by `make loadtest` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
                f"{VISITORS} visitors browsing and {POSTERS} teachers posting to the board and signing up for "
                f"events for {duration}, against gunicorn ({os.environ.get('GUNICORN_WORKERS', '2')} workers × "
                f"{os.environ.get('GUNICORN_THREADS', '1')} threads, production settings) on PostgreSQL + Redis, "
                "on loopback, with the demo content in a fresh database.",
                "",
                "The machine is shared (2 cores, other jobs running, locust on the same cores as the server), so "
                "times are noisy and only indicative (locust rounds times to two significant figures); errors, "
                "lost writes and emails not delivered exactly once are what the run asserts.",
                "",
                f"**Result: {'PASS' if passed else 'FAIL'}**: {total_requests} requests in {elapsed:.0f} s "
                f"({throughput:.1f} requests/s), {total_failures} failed; {lost} lost or extra writes"
                + ("" if wrote else "; **no board post or no sign-up was made, so writes were not tested**")
                + ("; every email delivered once." if mail_ok else "; **emails not delivered exactly once**."),
                "",
                "## Writes",
                "",
                "| what | accepted by the server (counted by locust) | new rows in the database | match |",
                "| --- | --- | --- | --- |",
                *writes,
                "",
                *mail_lines,
                "## Requests (milliseconds)",
                "",
                "| request | count | failures | average | median | 95% | 99% | max |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
                *rows,
                "",
                "Raw figures: `loadtest/results/locust_stats.csv`, `locust.json`, `locust.log`, `gunicorn.log`, "
                "`worker.log`.",
                "",
            ]
        )
    )
    print(REPORT.read_text())
    return 0 if passed else 1


if __name__ == "__main__":
    run_main(main)
