"""`make loadtest`: a fresh PostgreSQL database with the demo, gunicorn (production settings), locust, a report.

Creates and drops its own scratch database, starts and stops gunicorn on a free loopback port, and cleans up
on failure too. Writes loadtest/report.md (and locust's CSV/JSON under loadtest/results/). Exits non-zero if
any request failed or any write the server accepted is missing from the database. Times are reported, not
asserted: the figures depend on the machine.

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
from devtools import free_port, run_main  # noqa: E402

RESULTS = ROOT / "loadtest" / "results"
REPORT = ROOT / "loadtest" / "report.md"
BIN = Path(sys.executable).parent
VISITORS, POSTERS = 50, 10

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


def admin_sql(parts, sql):
    import psycopg

    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname="postgres", autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(sql)


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


def main():
    duration = os.environ.get("LOADTEST_DURATION", "2m")
    database_url, parts, name = scratch_database_url(
        os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/loadtest")
    )
    port = free_port(*(int(part) for part in os.environ.get("LOADTEST_PORTS", "8300-8399").split("-")))
    host = f"http://127.0.0.1:{port}"
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="sanctuary-loadtest-"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
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
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
    )
    server = None
    admin_sql(parts, f'CREATE DATABASE "{name}"')
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_content", capture=True)
        manage(env, "collectstatic", "--noinput", "-v0")
        before = json.loads(manage(env, "shell", "-v0", "-c", COUNT_ROWS, capture=True).strip().splitlines()[-1])
        with open(RESULTS / "gunicorn.log", "w") as log:
            server = subprocess.Popen(  # noqa: S603
                [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")], env=env, cwd=ROOT,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
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
        server.terminate()
        server.wait(timeout=60)
        server = None
        after = json.loads(manage(env, "shell", "-v0", "-c", COUNT_ROWS, capture=True).strip().splitlines()[-1])
        accepted = json.loads(counts_file.read_text()) if counts_file.exists() else {}
        stats = json.loads((RESULTS / "locust.json").read_text())
        return report(stats, accepted, before, after, duration, elapsed, locust.returncode)
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        admin_sql(parts, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


def report(stats, accepted, before, after, duration, elapsed, locust_code):
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
    passed = total_failures == 0 and lost == 0 and locust_code == 0 and total_requests > 0 and wrote
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
                "times are noisy and only indicative (locust rounds times to two significant figures); errors and "
                "lost writes are what the run asserts.",
                "",
                f"**Result: {'PASS' if passed else 'FAIL'}**: {total_requests} requests in {elapsed:.0f} s "
                f"({throughput:.1f} requests/s), {total_failures} failed; {lost} lost or extra writes"
                + ("." if wrote else "; **no board post or no sign-up was made, so writes were not tested**."),
                "",
                "## Writes",
                "",
                "| what | accepted by the server (counted by locust) | new rows in the database | match |",
                "| --- | --- | --- | --- |",
                *writes,
                "",
                "## Requests (milliseconds)",
                "",
                "| request | count | failures | average | median | 95% | 99% | max |",
                "| --- | --- | --- | --- | --- | --- | --- | --- |",
                *rows,
                "",
                "Raw figures: `loadtest/results/locust_stats.csv`, `locust.json`, `locust.log`, `gunicorn.log`.",
                "",
            ]
        )
    )
    print(REPORT.read_text())
    return 0 if passed else 1


if __name__ == "__main__":
    run_main(main)
