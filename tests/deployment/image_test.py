#!/usr/bin/env python3
"""`make image-test`: build the production image without Docker, then run the image itself.

CI machines have Podman but no container runtime that may start containers, so this script:

1. makes (once, cached outside the repository) a Debian bookworm root with debootstrap and imports it as a
   local base image: same Debian and Python 3.11 as python:3.11-slim;
2. builds the project's Dockerfile on it with `podman build --isolation=chroot`;
3. creates a container from the image and mounts its root filesystem, reads the image's configured
   Entrypoint, Cmd, User, Env, WorkingDir and Healthcheck with `podman image inspect`;
4. runs the image's release step against a fresh PostgreSQL database, then its serve, worker and scheduler
   commands, all as the image's user in a chroot of that root (the chroot shares the host's loopback);
5. checks /healthz, the home page, a hashed and compressed static file, and the image's own HEALTHCHECK
   command through the image's gunicorn;
6. signs up for an event through the image's gunicorn and checks that the image's worker delivers the email,
   once, to a real SMTP server on the host's loopback (tests/smtp_sink.py, run with the project's .venv, which
   `make image-test` installs), that /healthz/worker answers 200 once the image's scheduler has run, and that
   the worker and the scheduler stop cleanly on SIGTERM (what `docker stop` sends);
7. cleans up (processes, mounts, container, database) whatever happened.

Any step that cannot work on this machine stops the run with a message naming the step and the reason,
and a non-zero exit status: it never passes silently. Standard library only: it runs with the host's python3
(the SMTP server it starts runs with the project's .venv, where aiosmtpd is installed).

Environment: IMAGE_TEST_CACHE (default /var/cache/sanctuary-image), IMAGE_TEST_PORT (8510),
IMAGE_TEST_REDIS_URL (redis://127.0.0.1:6379/6; empty for the local-memory cache), IMAGE_TEST_PG
(postgres://postgres@127.0.0.1:5432), IMAGE_TEST_DEBIAN_MIRROR (http://deb.debian.org/debian).
"""

import contextlib
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("IMAGE_TEST_CACHE") or "/var/cache/sanctuary-image")
BASE_IMAGE = "localhost/sanctuary-base:bookworm"
IMAGE = "localhost/sanctuary:image-test"
PORT = int(os.environ.get("IMAGE_TEST_PORT") or "8510")
REDIS_URL = os.environ.get("IMAGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")
PG = (os.environ.get("IMAGE_TEST_PG") or "postgres://postgres@127.0.0.1:5432").rstrip("/")
# The seed page's first words, which the release step's site structure puts on the home page.
SEED_TEXT = b"Coventry became a City of Sanctuary in 2011"
COUNT_PAGES = (
    "from board.models import BoardPost; from events.models import EventPage; from home.models import HomePage; "
    "from resources.models import ResourcePage; "
    "print(f'homes={HomePage.objects.count()} events={EventPage.objects.count()} '"
    "f'resources={ResourcePage.objects.count()} posts={BoardPost.objects.count()}')"
)
OUTBOX_ROW = (
    "from outbox.models import OutboxMessage; "
    "m = OutboxMessage.objects.get(recipients='{address}'); print('outbox:', m.status, m.attempts, m.message_uuid.hex)"
)
VENV_PYTHON = REPO / ".venv/bin/python"
MIRROR = os.environ.get("IMAGE_TEST_DEBIAN_MIRROR") or "http://deb.debian.org/debian"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


class StepFailed(Exception):
    """A step of the image test failed; the message says which step and why."""


def say(message):
    print(f"[image-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args, step, **kwargs):
    """Run a command; a failure names the step and shows the command's output."""
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    result = subprocess.run(args, check=False, **kwargs)  # noqa: S603 - fixed argument lists
    if result.returncode != 0:
        output = ((result.stdout or "") + (result.stderr or ""))[-4000:]
        raise StepFailed(f"{step}: `{' '.join(map(str, args))}` exited {result.returncode}\n{output}")
    return result


def need(condition, step, why):
    if not condition:
        raise StepFailed(f"{step}: {why}")


# --- 1. tools and base image ------------------------------------------------------------------------------


def install_tools():
    step = "install podman and debootstrap"
    need(os.geteuid() == 0, step, "must run as root (podman mount, chroot and debootstrap need it)")
    missing = [tool for tool in ("podman", "debootstrap", "psql") if shutil.which(tool) is None]
    if "psql" in missing:
        raise StepFailed(f"{step}: psql (PostgreSQL client) is missing; the release step needs a database")
    if missing:
        say(f"installing {', '.join(missing)} with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], step, env=env)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], step, env=env)


def base_image():
    """Debian bookworm minbase with python3 + venv, imported once and cached (tarball and podman image)."""
    step = "base image (debootstrap bookworm + podman import)"
    tarball = CACHE / "bookworm-minbase-python3.tar"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        root = CACHE / "rootfs.partial"
        if root.exists():
            shutil.rmtree(root)
        say(f"debootstrap bookworm into {root} (first run only; a few minutes)")
        run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,ca-certificates",
                "bookworm",
                str(root),
                MIRROR,
            ],
            step,
        )
        shutil.rmtree(root / "var/cache/apt/archives", ignore_errors=True)
        (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
        partial = tarball.with_suffix(".partial")
        run(["tar", "--numeric-owner", "-C", str(root), "-cf", str(partial), "."], step)
        partial.rename(tarball)
        shutil.rmtree(root)
    if subprocess.run(["podman", "image", "exists", BASE_IMAGE], check=False).returncode != 0:  # noqa: S607
        say(f"podman import {tarball.name} as {BASE_IMAGE}")
        run(["podman", "import", str(tarball), BASE_IMAGE], step)
    return BASE_IMAGE


# --- 2. build -------------------------------------------------------------------------------------------


def build(base):
    step = "podman build --isolation=chroot"
    need(Path(CA_BUNDLE).exists(), step, f"the host CA bundle {CA_BUNDLE} is missing (pip inside the build needs it)")
    say(f"building {IMAGE} on {base}")
    started = time.monotonic()
    run(
        [
            "podman",
            "build",
            "--isolation=chroot",
            "--format=docker",  # keeps HEALTHCHECK (the OCI format has no field for it)
            "--build-arg",
            f"PYTHON_IMAGE={base}",
            "-v",
            f"{CA_BUNDLE}:{CA_BUNDLE}:ro",
            "-t",
            IMAGE,
            str(REPO),
        ],
        step,
        capture_output=False,
    )
    say(f"built in {time.monotonic() - started:.0f}s")


def inspect():
    step = "podman image inspect"
    data = json.loads(run(["podman", "image", "inspect", IMAGE], step).stdout)[0]
    config = data.get("Config") or {}
    need(config.get("Entrypoint"), step, "the image has no Entrypoint")
    need(
        config.get("User") not in (None, "", "root", "0"), step, f"the image runs as root (User={config.get('User')!r})"
    )
    health = data.get("Healthcheck") or data.get("HealthCheck") or config.get("Healthcheck")
    need(health and health.get("Test"), step, "the image has no HEALTHCHECK")
    return {
        "entrypoint": config["Entrypoint"],
        "cmd": config.get("Cmd") or [],
        "user": config["User"],
        "env": dict(item.split("=", 1) for item in config.get("Env") or []),
        "workdir": config.get("WorkingDir") or "/",
        "healthcheck": health["Test"],
    }


# --- 3. run the image's filesystem ----------------------------------------------------------------------


class MountedImage:
    """A container created from the image, its root mounted read-write, with /proc and /dev bound in."""

    def __init__(self):
        self.container = None
        self.root = None
        self.binds = []

    def __enter__(self):
        step = "podman create + podman mount"
        self.container = run(["podman", "create", IMAGE], step).stdout.strip()
        self.root = Path(run(["podman", "mount", self.container], step).stdout.strip())
        need((self.root / "app/manage.py").exists(), step, f"{self.root} has no /app/manage.py")
        for source, target, options in (("proc", "proc", ["-t", "proc"]), ("/dev", "dev", ["--rbind"])):
            mountpoint = self.root / target
            mountpoint.mkdir(exist_ok=True)
            run(["mount", *options, source, str(mountpoint)], "bind /proc and /dev into the image root")
            self.binds.append(mountpoint)
        return self

    def __exit__(self, *exc):
        for mountpoint in reversed(self.binds):
            subprocess.run(["umount", "--recursive", "--lazy", str(mountpoint)], check=False)  # noqa: S607
        if self.container:
            subprocess.run(["podman", "umount", self.container], check=False, capture_output=True)  # noqa: S607
            subprocess.run(["podman", "rm", "--force", self.container], check=False, capture_output=True)  # noqa: S607
        return False

    def user_ids(self, user):
        """uid/gid of the image's user, from the image's own /etc/passwd (not the host's)."""
        name, _, group = user.partition(":")
        for line in (self.root / "etc/passwd").read_text().splitlines():
            fields = line.split(":")
            if name in (fields[0], fields[2]):
                uid, gid = int(fields[2]), int(fields[3])
                if group:
                    gid = int(group) if group.isdigit() else self._group_id(group)
                return uid, gid
        raise StepFailed(f"image user: {user!r} is not in the image's /etc/passwd")

    def _group_id(self, group):
        for line in (self.root / "etc/group").read_text().splitlines():
            fields = line.split(":")
            if fields[0] == group:
                return int(fields[2])
        raise StepFailed(f"image user: group {group!r} is not in the image's /etc/group")

    def popen(self, config, args, env, **kwargs):
        """Start `args` as the image's user, in its working directory and environment, chrooted in its root."""
        uid, gid = self.user_ids(config["user"])
        root, workdir = str(self.root), config["workdir"]

        def enter():
            os.chroot(root)
            os.chdir(workdir)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

        return subprocess.Popen(args, env=env, preexec_fn=enter, **kwargs)  # noqa: S603, PLW1509


def http_get(path, headers=None, timeout=10):
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect is the answer to check, not a page to follow


def http_post(path, fields, headers, timeout=30):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, headers=headers, method="POST")
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def sign_up(address):
    """Sign up for the first demo event open for sign-up, as a browser behind the TLS proxy would (the site's
    cookies are Secure, so they are carried by hand). Returns the event's path."""
    step = "sign-up through the image's gunicorn"
    https = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    status, _, index = http_get("/events/", https)
    need(status == 200, step, f"GET /events/: status {status}")

    def open_for_sign_up(path):
        return f'href="{path}register/"'.encode() in http_get(path, https)[2]

    links = dict.fromkeys(re.findall(r'href="(/events/[\w-]+/)"', index.decode()))
    events = [path for path in links if path not in ("/events/webinars/", "/events/feed/")]
    path = next((path for path in events if open_for_sign_up(path)), None)
    need(path, step, "no event open for sign-up on /events/")
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}register/", headers=https)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our loopback
        form = response.read().decode()
        cookies = [cookie.split(";", 1)[0] for cookie in response.headers.get_all("Set-Cookie") or []]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    need(token, step, f"no CSRF token on {path}register/")
    fields = {
        "csrfmiddlewaretoken": token.group(1),
        "name": "Image Test",
        "email": address,
        "school": "Image Test Primary",
        "role": "teacher",
        "access_needs": "",
        "consent": "on",
        "website_url": "",
    }
    headers = {
        **https,
        "Cookie": "; ".join(cookies),
        "Origin": "https://127.0.0.1",
        "Referer": f"https://127.0.0.1{path}register/",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    status, answer, body = http_post(f"{path}register/", fields, headers)
    need(
        status == 302 and "/registered/" in answer.get("Location", ""),
        step,
        f"POST {path}register/: status {status}, Location {answer.get('Location')}: {body[:1000]!r}",
    )
    return path


def start_smtp_sink(record):
    """A real SMTP server on the host's loopback (tests/smtp_sink.py with the project's .venv); returns the process
    and its port. The image's processes reach it: the chroot shares the host's network."""
    step = "SMTP server on loopback"
    need(VENV_PYTHON.exists(), step, f"{VENV_PYTHON} is missing (`make image-test` installs it: `make install`)")
    sink = subprocess.Popen(  # noqa: S603 - our own script
        [str(VENV_PYTHON), str(REPO / "tests/smtp_sink.py"), str(record)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    port = sink.stdout.readline().strip()
    need(port.isdigit(), step, f"tests/smtp_sink.py did not say its port (exit {sink.poll()})")
    return sink, int(port)


def delivered_to(record, address):
    """What the SMTP server received for `address` (one JSON line per message)."""
    if not record.exists():
        return []
    messages = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
    return [message for message in messages if address in message["recipients"]]


def stop(process, signum=signal.SIGTERM, timeout=30):
    """Signal the process's group and wait; returns its exit status (killed if it does not exit in time)."""
    if process is None:
        return None
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None
    return process.returncode


def port_free():
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", PORT)) != 0


def check_contents(image):
    """.dockerignore kept the developer's files out, and the Dockerfile's assumptions about its base hold."""
    step = "image contents"
    app = image.root / "app"
    for unwanted in (".git", ".venv", "db.sqlite3", "tests", "media/original_images", ".ci"):
        need(not (app / unwanted).exists(), step, f"/app/{unwanted} is in the image (.dockerignore should drop it)")
    need((image.root / "venv/bin/python").exists(), step, "/venv/bin/python is missing")
    venv_config = (image.root / "venv/pyvenv.cfg").read_text()
    need(
        "version = 3.11" in venv_config or "version_info = 3.11" in venv_config,
        step,
        f"the image's Python is not 3.11:\n{venv_config}",
    )
    manifest = app / "staticfiles/staticfiles.json"
    need(manifest.exists(), step, "collectstatic did not run at build time (no staticfiles/staticfiles.json)")
    need((app / "manage.py").stat().st_uid == 0, step, "the code should be owned by root, not writable by the app user")
    return json.loads(manifest.read_text())["paths"]


def database():
    name = f"image_test_{os.getpid()}_{secrets.token_hex(3)}"
    run(["psql", f"{PG}/postgres", "-q", "-c", f'CREATE DATABASE "{name}"'], "create a fresh PostgreSQL database")
    return name


def drop_database(name):
    subprocess.run(  # noqa: S603
        ["psql", f"{PG}/postgres", "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],  # noqa: S607
        check=False,
        capture_output=True,
    )


def check_mail(image, config, env, background, log_path, record):
    """A sign-up's email goes from the image's gunicorn through the database queue and the image's worker to the
    SMTP server, once; /healthz/worker answers 200 once the image's scheduler has run."""

    def logs():
        return "\n".join(
            f"--- {command}:\n{log_path.with_suffix(f'.{command}.log').read_text()[-2000:]}" for command in background
        )

    address = f"image-test-{secrets.token_hex(4)}@school.example.org"
    event = sign_up(address)
    say(f"signed up for {event} as {address}: 302 to the confirmation page")

    deadline = time.monotonic() + 120  # the worker first waits for the database and its migrations
    while not delivered_to(record, address) and time.monotonic() < deadline:
        for command, process in background.items():
            need(process.poll() is None, command, f"exited {process.returncode}:\n{logs()}")
        time.sleep(0.5)
    received = delivered_to(record, address)
    need(received, "worker delivers the sign-up's email", f"nothing reached the SMTP server in 120 s:\n{logs()}")

    row = ""
    deadline = time.monotonic() + 60
    while not row.startswith("outbox: sent") and time.monotonic() < deadline:
        probe = image.popen(
            config,
            [*config["entrypoint"], "python", "manage.py", "shell", "-c", OUTBOX_ROW.format(address=address)],
            env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output, _ = probe.communicate(timeout=120)
        row = next((line for line in output.splitlines() if line.startswith("outbox: ")), output[-2000:])
    need(row.startswith("outbox: sent 1 "), "outbox", f"the email's row is not 'sent' after one try: {row}")
    key = row.split()[-1]  # the row's uuid: its Message-ID
    time.sleep(2)  # a second delivery, if there were one, would come at once
    received = delivered_to(record, address)
    need(
        len(received) == 1 and received[0]["message_id"].startswith(f"<{key}@"),
        "worker delivers the sign-up's email once",
        f"expected one message with Message-ID <{key}@...>, got {received}",
    )
    say(f"the worker delivered it once: {received[0]['subject']!r}, Message-ID {received[0]['message_id']}")

    deadline = time.monotonic() + 60
    status, health = None, {}
    while time.monotonic() < deadline:
        status, _, body = http_get("/healthz/worker")
        health = json.loads(body) if body.startswith(b"{") else {}
        if status == 200 and health.get("last_scheduled_run"):
            break
        time.sleep(1)
    need(
        status == 200 and health.get("draining") and health.get("last_scheduled_run"),
        "GET /healthz/worker",
        f"status {status}, {health} (the scheduler should have run its jobs at start):\n{logs()}",
    )
    say(f"GET /healthz/worker: 200 {health}")


def main():
    started = time.monotonic()
    install_tools()
    base = base_image()
    build(base)
    config = inspect()
    say(f"image: entrypoint={config['entrypoint']} cmd={config['cmd']} user={config['user']}, in {config['workdir']}")
    need(port_free(), "serve", f"port {PORT} is already in use (set IMAGE_TEST_PORT)")
    db_name = database()
    server = sink = None
    background = {}
    log_path = Path("/tmp") / f"sanctuary-image-test-{os.getpid()}.log"  # noqa: S108 - a log, not a secret
    mail_record = log_path.with_suffix(".mail.jsonl")
    try:
        sink, smtp_port = start_smtp_sink(mail_record)
        say(f"SMTP server (tests/smtp_sink.py) on 127.0.0.1:{smtp_port}")
        with MountedImage() as image:
            static_paths = check_contents(image)
            env = {
                **config["env"],
                "DATABASE_URL": f"{PG}/{db_name}",
                "REDIS_URL": REDIS_URL,
                "CACHE_KEY_PREFIX": f"image-test-{os.getpid()}",
                "SECRET_KEY": secrets.token_urlsafe(64),
                "PORT": str(PORT),
                # The public name, as in production: the proxy in front answers for it on 443.
                "BASE_URL": "https://sanctuary.example.org",
                "ALLOWED_HOSTS": "127.0.0.1,sanctuary.example.org",
                "GUNICORN_WORKERS": "2",
                # The worker delivers to the SMTP server on the host's loopback.
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
            }
            say("release step: " + " ".join([*config["entrypoint"], "release"]))
            release = image.popen(
                config,
                [*config["entrypoint"], "release"],
                env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            output, _ = release.communicate(timeout=600)
            if release.returncode != 0:
                raise StepFailed(f"release step exited {release.returncode}:\n{output[-4000:]}")
            need(
                "Applying" in output or "No migrations to apply" in output,
                "release step",
                f"migrate did not run:\n{output[-2000:]}",
            )

            # On a new database the release step builds the real site (load_site_structure), with no demo content.
            probe = image.popen(
                config,
                [*config["entrypoint"], "python", "manage.py", "shell", "-c", COUNT_PAGES],
                env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            counts, _ = probe.communicate(timeout=120)
            need(
                counts.strip().endswith("homes=1 events=0 resources=0 posts=0"),
                "release step",
                f"expected the site structure without demo content, got:\n{counts[-2000:]}",
            )
            say("release step on a new database: one home page, no demo events, resources or posts")

            say("demo content (as the image user, through the entrypoint's pass-through): load_demo_content")
            demo = image.popen(
                config,
                [*config["entrypoint"], "python", "manage.py", "load_demo_content"],
                env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            demo_output, _ = demo.communicate(timeout=600)
            need(demo.returncode == 0, "load_demo_content", f"exited {demo.returncode}:\n{demo_output[-4000:]}")

            say("serve: " + " ".join([*config["entrypoint"], *config["cmd"]]) + f" on 127.0.0.1:{PORT}")
            log = log_path.open("w")
            server = image.popen(
                config,
                [*config["entrypoint"], *config["cmd"]],
                env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            deadline = time.monotonic() + 60
            status = None
            while time.monotonic() < deadline and server.poll() is None:
                with contextlib.suppress(OSError):
                    status, _, body = http_get("/healthz", timeout=3)
                    if status == 200:
                        break
                time.sleep(0.5)
            if status != 200:
                raise StepFailed(
                    f"serve: /healthz never answered 200 (server exit={server.poll()}):\n{log_path.read_text()[-4000:]}"
                )
            need(body == b"ok", "GET /healthz", f"body {body!r}")
            say("GET /healthz: 200 ok")

            https = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
            status, headers, body = http_get("/", https)
            need(status == 200, "GET /", f"status {status}: {body[:500]!r}")
            need(b"Schools of Sanctuary" in body, "GET /", f"not the site's home page: {body[:500]!r}")
            need("Strict-Transport-Security" in headers, "GET /", "no HSTS header: production settings not in use")
            say(f"GET /: 200, {len(body)} bytes, production headers present")

            need(SEED_TEXT in body, "GET /", "the seed page's words are not on the home page")
            status, _, sitemap = http_get("/sitemap.xml", https)
            public = env["BASE_URL"].encode()
            need(status == 200 and public + b"/" in sitemap, "GET /sitemap.xml", f"does not name {public!r}")
            need(b"localhost" not in sitemap, "GET /sitemap.xml", "names localhost")
            say(f"GET /: the seed's text; /sitemap.xml names {env['BASE_URL']}")

            renditions = re.findall(rb'src="(/media/images/[^"]+)"', body)
            need(renditions, "GET /", "no image rendition on the demo home page")
            status, headers, image_bytes = http_get(renditions[0].decode(), https)
            need(
                status == 200 and headers.get("Content-Type", "").startswith("image/"),
                "rendition",
                f"{renditions[0]!r}: status {status}, {headers.get('Content-Type')}",
            )
            say(f"GET {renditions[0].decode()}: 200, {len(image_bytes)} bytes (written to /app/media by the app user)")

            css = next((hashed for name, hashed in static_paths.items() if name.startswith("css/")), None)
            need(css, "static file", "no CSS file in the static manifest")
            status, headers, body = http_get(f"/static/{css}", {**https, "Accept-Encoding": "br, gzip"})
            encoding = headers.get("Content-Encoding")
            need(status == 200, f"GET /static/{css}", f"status {status}")
            need(encoding in ("br", "gzip"), f"GET /static/{css}", f"not compressed (Content-Encoding={encoding})")
            need(
                "immutable" in headers.get("Cache-Control", ""),
                f"GET /static/{css}",
                f"hashed file not cached forever (Cache-Control={headers.get('Cache-Control')})",
            )
            if encoding == "gzip":
                gzip.decompress(body)
            say(f"GET /static/{css}: 200, Content-Encoding {encoding}, Cache-Control {headers['Cache-Control']}")

            test = config["healthcheck"]
            command = test[1:] if test[0] == "CMD" else ["/bin/sh", "-c", test[1]]  # CMD-SHELL
            probe = image.popen(config, command, env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            probe_output, _ = probe.communicate(timeout=30)
            need(probe.returncode == 0, "HEALTHCHECK", f"the image's own health check failed:\n{probe_output}")
            say("the image's HEALTHCHECK command passes")

            for command in ("worker", "scheduler"):
                say(f"{command}: " + " ".join([*config["entrypoint"], command]))
                background[command] = image.popen(
                    config,
                    [*config["entrypoint"], command],
                    env,
                    stdout=log_path.with_suffix(f".{command}.log").open("w"),
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            check_mail(image, config, env, background, log_path, mail_record)
            for command, process in background.items():
                status = stop(process)
                need(
                    status == 0,
                    f"{command} on SIGTERM",
                    f"exited {status}:\n{log_path.with_suffix(f'.{command}.log').read_text()[-3000:]}",
                )
            say("the worker and the scheduler stop cleanly on SIGTERM (exit 0), as `docker stop` asks")
    finally:
        stop(server)
        for process in background.values():
            stop(process)
        stop(sink)
        mail_record.unlink(missing_ok=True)
        drop_database(db_name)
    say(f"PASSED in {time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    try:
        main()
    except StepFailed as failure:
        print(f"\nIMAGE TEST FAILED at step {failure}", file=sys.stderr, flush=True)
        sys.exit(1)
    except subprocess.TimeoutExpired as timeout:
        print(f"\nIMAGE TEST FAILED: timed out: {timeout}", file=sys.stderr, flush=True)
        sys.exit(1)
