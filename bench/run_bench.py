"""`make bench`: load the benchmark data, serve it with production settings under gunicorn, measure every
public page type with wrk, cached (as an anonymous visitor gets it) and uncached, and write the table.

Environment:
  DATABASE_URL     default sqlite:///bench/data/bench.sqlite3 (never db.sqlite3). A PostgreSQL URL names a
                   scratch database; it is created when missing (it is NOT emptied: use a dedicated name).
  REDIS_URL        optional; the cache the site uses (the bench keys get their own prefix).
  BENCH_DURATION   seconds of wrk per page and run (default 8 with make bench); BENCH_CONNECTIONS (4), BENCH_THREADS (2)
  BENCH_PORT       port for gunicorn (default: the first free port in 8400-8499)

Writes bench/results.json and bench/RESULTS.md; stops everything it started, also on Ctrl+C or failure.
"""

import contextlib
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from devtools import free_port, run_main, stop_process_group

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
RUNS = (("cached", "true"), ("uncached", "false"))


def log(message):
    print(f"[bench] {message}", flush=True)


def ensure_postgres_database(url):
    """Create the scratch PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg

    match = re.match(r"^(postgres(?:ql)?://[^/]*)/([^?]+)", url)
    if not match:
        raise SystemExit(f"DATABASE_URL {url!r} has no database name.")
    server, name = match.groups()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating PostgreSQL database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def site_env(page_cache=True):
    """The production environment the site runs in for the bench."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=BENCH_SECRET_KEY,
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL="https://127.0.0.1",
        STATIC_ROOT=str(DATA_DIR / "staticfiles"),
        MEDIA_ROOT=str(DATA_DIR / "media"),
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
        PAGE_CACHE_ENABLED="true" if page_cache else "false",
        # Without REDIS_URL each worker caches in its own memory: fine here, the bench changes no content.
        PAGE_CACHE_LOCAL_MEMORY_OK="true",
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


def manage(*args, env=None):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env or site_env(), check=True)


class Server:
    """gunicorn with the repository's gunicorn.conf.py, 2 sync workers on 127.0.0.1; stopped on exit."""

    def __init__(self, port, page_cache):
        self.port = port
        self.page_cache = page_cache
        self.process = None

    def __enter__(self):
        env = site_env(self.page_cache)
        env.update(
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="2",
            GUNICORN_THREADS="1",
            # gunicorn.conf.py recycles workers every ~2,000 requests; at thousands of requests a second
            # that would measure worker start-up, not the site (see RESULTS.md).
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_LOG_LEVEL="warning",
        )
        DATA_DIR.mkdir(exist_ok=True)
        self.log_file = open(DATA_DIR / "gunicorn.log", "ab")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [GUNICORN, "--config", str(ROOT / "gunicorn.conf.py"), "--access-logfile", "/dev/null"],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {DATA_DIR / 'gunicorn.log'}")
            try:
                if fetch(self.url("/healthz"))[0] == 200:
                    return self
            except OSError:
                pass  # not listening yet: poll again
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        stop_process_group(self.process)
        self.log_file.close()


def fetch(url, encoding=None):
    headers = {"X-Forwarded-Proto": "https"}
    if encoding:
        headers["Accept-Encoding"] = encoding
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def response_sizes(url):
    """Bytes on the wire when the client accepts br/gzip; HTML the app leaves to the TLS proxy to
    compress, so its gzip size is computed here (level 6, like nginx's default)."""
    status, headers, body = fetch(url, "br, gzip")
    encoding = headers.get("Content-Encoding", "")
    if encoding:
        return status, headers, len(body), encoding
    return status, headers, len(gzip.compress(body, 6)), "gzip (proxy)"


def wrk(url, duration, connections, threads):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-H",
        "X-Forwarded-Proto: https",
        "-H",
        "Accept-Encoding: br, gzip",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50_ms": to_ms(latency.get("50")),
        "p99_ms": to_ms(latency.get("99")),
        "errors": int(errors.group(1)) if errors else 0,
    }


def to_ms(value):
    if value is None:
        return None
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 2)


def machine_info():
    cpu = platform.processor()
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "os": platform.platform(),
        "python": subprocess.run([PYTHON, "--version"], capture_output=True, text=True).stdout.strip(),
        "database": DATABASE_URL.split("://")[0] + ("" if DATABASE_URL.startswith("sqlite") else " (server)"),
        "cache": "Redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def database_version():
    code = "from django.db import connection; connection.ensure_connection(); print(connection.display_name, connection.Database.sqlite_version if connection.vendor == 'sqlite' else connection.pg_version)"  # noqa: E501
    return subprocess.run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=site_env(), capture_output=True, text=True
    ).stdout.strip()


def main():
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian package), then run `make bench` again.")
    duration = int(os.environ.get("BENCH_DURATION", "8"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "4"))
    threads = int(os.environ.get("BENCH_THREADS", "2"))
    port = int(os.environ.get("BENCH_PORT") or free_port(8400, 8499))
    started = time.monotonic()

    DATA_DIR.mkdir(exist_ok=True)
    if DATABASE_URL.startswith("postgres"):
        ensure_postgres_database(DATABASE_URL)
    log(f"database: {DATABASE_URL.split('@')[-1]}; migrating and loading the bench data (skipped when present)")
    manage("migrate", "--noinput", "-v0")
    manage("load_bench_data")
    log("collectstatic (hashed, gzip + brotli)")
    manage("collectstatic", "--noinput", "-v0")
    log("counting SQL queries per page (instrumented test-client requests, cache off)")
    pages = json.loads(
        subprocess.run(
            [PYTHON, str(BENCH_DIR / "pages.py")],
            cwd=ROOT,
            env=site_env(page_cache=False),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )

    results = {"machine": machine_info(), "settings": {}, "pages": {name: dict(info) for name, info in pages.items()}}
    results["machine"]["database_version"] = database_version()
    results["settings"] = {
        "duration_s": duration,
        "connections": connections,
        "threads": threads,
        "workers": 2,
        "server": "gunicorn sync, production settings",
    }
    for run, flag in RUNS:
        log(f"{run} run: gunicorn on 127.0.0.1:{port}, PAGE_CACHE_ENABLED={flag}, {duration} s per page")
        with Server(port, page_cache=flag == "true") as server:
            for name, info in pages.items():
                url = server.url(info["url"])
                for _ in range(3):  # warm up: renditions, the page cache, connections
                    fetch(url)
                status, headers, size, encoding = response_sizes(url)
                measured = wrk(url, duration, connections, threads)
                measured.update(status=status, bytes=size, encoding=encoding, cache=headers.get("X-Page-Cache", "-"))
                results["pages"][name][run] = measured
                log(f"  {name:18} {measured['rps']:9.1f} req/s  p50 {measured['p50_ms']} ms  cache {measured['cache']}")
        for info in results["pages"].values():
            info[run]["ratio"] = round(info[run]["rps"] / results["pages"]["healthz"][run]["rps"], 3)
    results["total_seconds"] = round(time.monotonic() - started)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    (BENCH_DIR / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report = markdown(results)
    (BENCH_DIR / "RESULTS.md").write_text(report)
    print(report)


def markdown(results):
    machine = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` ({results['finished']}, {results['total_seconds']} s in all). "
        "Rerun it to replace this file; hand-written notes live in `bench/TARGETS.md` and are appended below.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores; load average at start "
        f"{', '.join(f'{x:.2f}' for x in machine['load_average_at_start'])}",
        f"- {machine['os']}; {machine['python']}; {machine['wrk']}",
        f"- Database: {machine['database']} {machine['database_version']}; cache: {machine['cache']}",
        f"- Commit {machine['commit']}; gunicorn 2 sync workers on 127.0.0.1, production settings; wrk "
        f"{results['settings']['threads']} threads, {results['settings']['connections']} connections, "
        f"{results['settings']['duration_s']} s per page and run",
        "",
        "## Pages",
        "",
        "req/s and latency per run; *ratio* is the page's requests/s divided by `/healthz`'s in the same run. "
        "*queries*: SQL queries of one uncached render (counted with the test client, not in production "
        "responses). *bytes*: response body as sent to a client accepting br/gzip (HTML: gzip as the TLS "
        "proxy would send it). *cache*: what the page cache did for an anonymous visitor.",
        "",
        "| page | queries | bytes | cached req/s | p50 ms | p99 ms | ratio | cache | uncached req/s | p50 ms "
        "| p99 ms | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, info in results["pages"].items():
        cached, uncached = info["cached"], info["uncached"]
        lines.append(
            f"| {name} (`{info['url']}`) | {info['queries']} | {cached['bytes']} {cached['encoding']} | "
            f"{cached['rps']:.0f} | {cached['p50_ms']} | {cached['p99_ms']} | {cached['ratio']:.2f} | "
            f"{cached['cache']} | {uncached['rps']:.0f} | {uncached['p50_ms']} | {uncached['p99_ms']} | "
            f"{uncached['ratio']:.3f} |"
        )
    errors = [
        f"{name} ({run}): {info[run]['errors']} non-2xx/3xx"
        for name, info in results["pages"].items()
        for run, _ in RUNS
        if info[run]["errors"] or info[run]["status"] != 200
    ]
    lines += ["", "## Targets measured here", ""]
    below_cached = [n for n, i in results["pages"].items() if i["cached"]["ratio"] < 0.5]
    below_uncached = [n for n, i in results["pages"].items() if i["uncached"]["ratio"] < 0.05]
    lines.append(
        "- Cached ratio ≥ 0.5 for every page type: "
        + ("**holds**" if not below_cached else "**misses** for " + ", ".join(below_cached))
    )
    lines.append(
        "- Uncached ratio ≥ 0.05 for every page type: "
        + ("**holds**" if not below_uncached else "**misses** for " + ", ".join(below_uncached))
    )
    lines.append("- Errors: " + ("none" if not errors else "; ".join(errors)))
    notes = BENCH_DIR / "TARGETS.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'bench.sqlite3'}"
BENCH_SECRET_KEY = secrets.token_urlsafe(64)

if __name__ == "__main__":
    run_main(main, on_interrupt=lambda: log("interrupted; gunicorn stopped"))
