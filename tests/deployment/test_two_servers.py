"""Two app servers behind one load balancer behave as one site (issue 8; issue 6's shared rate limits).

Starts two gunicorn servers with production settings on one PostgreSQL database (a scratch database this
module migrates and fills with the demo), one Redis and one media folder, then talks to them over HTTP as
the TLS proxy would (X-Forwarded-Proto: https, X-Forwarded-For with NUM_PROXIES=1):

- a sign-up on A is seen on B (places left on the event page);
- the public-form rate limit counts across both servers;
- an editor's publish through A's admin is served fresh by B (with or without page caching);
- a board image uploaded through A, approved in A's admin, is served by B;
- beside them a mail worker (`manage.py db_worker`, what the image's `worker` command runs, on the production
  settings' django-tasks-db queue) delivers a sign-up's email to a real SMTP server on loopback, once; with the
  worker stopped a sign-up still answers at once, its email waits queued, `/healthz/worker` says the queue is
  stalled, and the email goes once the worker is back.
"""

import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import psycopg
import pytest
import redis
import requests
from django.conf import settings
from PIL import Image

from bench.devtools import stop_process_group
from tests.smtp_sink import smtp_sink
from tests.together import DbWorker

REPO = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
RATE_LIMIT = 3
# /healthz/worker answers 503 once a due email has waited this long (production's default is 300).
STALL_SECONDS = 3
# A sign-up "answers at once": well under EMAIL_TIMEOUT (10 s), what one send inside the request could cost.
AT_ONCE_SECONDS = 5

pytestmark = pytest.mark.postgresql(
    "two app servers need a shared server database and Redis; SQLite and the local-memory cache are per process.",
    redis=True,
)


# --- helpers --------------------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would submit by default."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self._select = [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "enctype": attrs.get("enctype")})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.forms[-1]["fields"].setdefault(attrs["name"], None)  # not sent unless the test ticks it
                return
            if kind not in ("submit", "file", "button"):
                self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")
        elif tag == "input" and attrs.get("name") and attrs.get("type") == "file":
            self.forms[-1]["fields"].setdefault(attrs["name"], "")
        elif tag == "textarea" and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = ""
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and attrs.get("value"):
            self.forms[-1]["fields"].setdefault(self._select, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def with_field(self, name):
        for form in self.forms:
            if name in form["fields"]:
                return form
        raise AssertionError(f"no form with a {name!r} field on the page")


class Browser:
    """One visitor: cookies kept by hand (the site's cookies are Secure; the proxy's side of TLS is plain HTTP)."""

    def __init__(self, client_ip):
        self.client_ip = client_ip
        self.cookies = {}

    def request(self, method, server, path, **kwargs):
        headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_ip,
            "Origin": server.origin,
            "Referer": server.origin + "/",
            **kwargs.pop("headers", {}),
        }
        url = path if path.startswith("http") else server.url + path
        response = requests.request(
            method, url, headers=headers, cookies=self.cookies, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update({cookie.name: cookie.value for cookie in response.cookies})
        return response

    def get(self, server, path, **kwargs):
        return self.request("GET", server, path, **kwargs)

    def post(self, server, path, **kwargs):
        return self.request("POST", server, path, **kwargs)

    def submit(self, server, page_path, field, values, files=None):
        """Fetch a page from `server`, fill in its form that has `field` and submit it to `server`."""
        page = self.get(server, page_path)
        assert page.status_code == 200, (page_path, page.status_code)
        form = Forms(page.text).with_field(field)
        fields = {name: value for name, value in form["fields"].items() if not (files and name in files)}
        data = {name: value for name, value in {**fields, **values}.items() if value is not None}
        action = urljoin(server.url + page_path, form["action"] or page_path)
        return self.post(server, action, data=data, files=files)

    def press(self, server, path, values):
        """Open an admin page and press one of its buttons (a POST with the page's CSRF token)."""
        page = self.get(server, path)
        assert page.status_code == 200, (path, page.status_code)
        return self.post(server, path, data={"csrfmiddlewaretoken": self.cookies["csrftoken"], **values})


class Server:
    def __init__(self, name, port, env, log_dir):
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.log = Path(log_dir) / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
            cwd=REPO,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"server {self.name} exited:\n{self.log.read_text()[-3000:]}"
            try:
                if requests.get(self.url + "/healthz", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet: poll again
            time.sleep(0.3)
        raise AssertionError(f"server {self.name} never became healthy:\n{self.log.read_text()[-3000:]}")

    def stop(self):
        stop_process_group(self.process)


BASE_PORT = int(os.environ.get("TWO_SERVERS_BASE_PORT", "8520"))


def free_ports(count, start=BASE_PORT):
    ports = []
    for port in range(start, start + 60):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                ports.append(port)
        if len(ports) == count:
            return ports
    raise AssertionError(f"no {count} free ports from {start}")


def psql(sql):
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-q", "-c", sql], check=True, capture_output=True, timeout=120)


def manage(env, *args, stdin=None):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
    return result.stdout


def places_left(html):
    match = re.search(r"(\d+) of (\d+) left", html)
    assert match, "no 'N of M left' on the event page"
    return int(match.group(1))


def jpeg(color):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


# --- the two servers ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mail():
    """The SMTP server every process of the site is configured to deliver to (only the worker does)."""
    with smtp_sink() as sink:
        yield sink


@pytest.fixture(scope="module")
def site(mail):
    """Scratch database migrated with the demo, collected static files, shared media, two servers."""
    started = time.monotonic()
    db_name = f"{settings.DATABASES['default']['NAME']}_two_servers_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="sanctuary-two-servers-"))
    prefix = f"two-servers-{secrets.token_hex(4)}"
    # TASKS_BACKEND unset: the production settings' own queue (django-tasks-db), as deployed.
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "TASKS_BACKEND")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=DATABASE_URL.rsplit("/", 1)[0] + "/" + db_name,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        MEDIA_ROOT=str(work / "media"),
        STATIC_ROOT=str(work / "static"),
        NUM_PROXIES="1",
        ALLOWED_HOSTS="127.0.0.1",
        BASE_URL="https://127.0.0.1",
        PUBLIC_FORM_RATE_LIMIT=str(RATE_LIMIT),
        PUBLIC_FORM_RATE_WINDOW="600",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        GUNICORN_LOG_LEVEL="warning",
        OUTBOX_STALL_SECONDS=str(STALL_SECONDS),
        LOG_LEVEL="WARNING",
        **mail.environment(),
    )
    servers = []
    psql(f'DROP DATABASE IF EXISTS "{db_name}"')
    psql(f'CREATE DATABASE "{db_name}"')
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["load_demo_content"], ["collectstatic", "--noinput"]):
            step_started = time.monotonic()
            manage(env, *command)
            print(f"{command[0]}: {time.monotonic() - step_started:.0f}s", file=sys.stderr)
        password = secrets.token_urlsafe(16)
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_superuser('editor', 'editor@example.org', '{password}')",
        )
        port_a, port_b = free_ports(2)
        servers = [Server("A", port_a, env, work), Server("B", port_b, env, work)]
        for server in servers:
            server.wait_ready()
        print(f"\ntwo-server setup took {time.monotonic() - started:.0f}s", file=sys.stderr)
        yield {
            "a": servers[0],
            "b": servers[1],
            "env": env,
            "password": password,
            "prefix": prefix,
            "work": work,
            "database_url": env["DATABASE_URL"],
        }
    finally:
        for server in servers:
            server.stop()
        psql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"{prefix}*"):
            connection.delete(key)
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def workers(site):
    """Mail workers beside the servers, started and stopped by the tests; any left running stop with the module."""
    pool = WorkerPool(site)
    yield pool
    pool.stop_all()


class WorkerPool:
    def __init__(self, site):
        self.site, self.started = site, []

    def start(self):
        worker = DbWorker(f"worker-{len(self.started) + 1}", self.site["env"], self.site["work"])
        self.started.append(worker)
        return worker

    def stop_all(self):
        for worker in self.started:
            worker.stop()

    def logs(self):
        return "\n".join(f"{worker.log.name}:\n{worker.log.read_text()[-2000:]}" for worker in self.started)


def query(site, sql, *params):
    """Rows straight from the site's database (what the servers and the worker stored)."""
    with psycopg.connect(site["database_url"]) as connection:
        return connection.execute(sql, params).fetchall()


def emails_to(site, address):
    """The outbox's rows for one address: (id, status, attempts, the message's uuid)."""
    return query(
        site,
        "SELECT id, status, attempts, message_uuid FROM outbox_outboxmessage WHERE recipients = %s",
        address.lower(),
    )


def delivery_tasks(site, message_id):
    """The statuses of the queued tasks (django-tasks-db's table) that deliver one outbox message."""
    rows = query(
        site,
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path = 'outbox.tasks.deliver_message' AND args_kwargs -> 'args' ->> 0 = %s",
        str(message_id),
    )
    return [status for (status,) in rows]


def wait_for(condition, timeout, interval=0.2):
    """Poll `condition()` until it returns something true or `timeout` seconds pass; returns its last value."""
    deadline = time.monotonic() + timeout
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(interval)
    return value


def worker_health(server):
    response = requests.get(server.url + "/healthz/worker", timeout=10)
    return response.status_code, response.json()


def upcoming_event_path(browser, server):
    index = browser.get(server, "/events/")
    assert index.status_code == 200
    paths = re.findall(r'href="(/events/[a-z0-9-]+-\d{4}-\d{2}-\d{2}/)"', index.text)
    for path in dict.fromkeys(paths):
        page = browser.get(server, path)
        if re.search(r"\d+ of \d+ left", page.text) and f'href="{path}register/"' in page.text:
            return path
    raise AssertionError("no upcoming event with places and a sign-up form in the demo")


def sign_up(browser, server, event_path, number, email=None):
    return browser.submit(
        server,
        event_path + "register/",
        "consent",
        {
            "name": f"Teacher {number}",
            "email": email or f"teacher{number}.{secrets.token_hex(3)}@school.example.org",
            "school": "Whitley Primary",
            "role": "teacher",
            "consent": "on",
        },
    )


def log_in(browser, server, password):
    response = browser.submit(server, "/admin/login/", "username", {"username": "editor", "password": password})
    assert response.status_code == 302, f"admin login on {server.name} failed ({response.status_code})"
    assert browser.get(server, "/admin/").status_code == 200


# --- the promises ---------------------------------------------------------------------------------------


def test_a_sign_up_on_one_server_is_seen_on_the_other(site):
    a, b = site["a"], site["b"]
    visitor = Browser("198.51.100.10")
    event_path = upcoming_event_path(visitor, b)
    before = places_left(visitor.get(b, event_path).text)

    response = sign_up(visitor, a, event_path, 1)
    assert response.status_code == 302, response.text[:2000]
    assert "/registered/" in response.headers["Location"]

    assert places_left(Browser("198.51.100.11").get(b, event_path).text) == before - 1


def test_the_rate_limit_counts_across_both_servers(site):
    a, b = site["a"], site["b"]
    visitor = Browser("203.0.113.50")  # the proxy appends the client's address; NUM_PROXIES=1 trusts that one
    event_path = upcoming_event_path(visitor, a)
    servers = [a, b, a, b, a]
    outcomes = [sign_up(visitor, server, event_path, 100 + n).status_code for n, server in enumerate(servers)]
    # RATE_LIMIT allowed in total (alternating servers), then refused whichever server gets the next one.
    assert outcomes == [302] * RATE_LIMIT + [429] * (len(servers) - RATE_LIMIT)
    refused = sign_up(visitor, b, event_path, 200)
    assert refused.status_code == 429
    assert "signed up several times in a short time" in refused.text
    # Another visitor is not affected.
    assert sign_up(Browser("203.0.113.51"), b, event_path, 300).status_code == 302


def test_an_editors_publish_on_one_server_is_served_fresh_by_the_other(site):
    a, b = site["a"], site["b"]
    visitor = Browser("198.51.100.20")
    assert visitor.get(b, "/about/").status_code == 200  # B has served (and may have cached) the old page
    new_title = f"About the programme ({secrets.token_hex(4)})"
    page_id = manage(
        site["env"],
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model; from wagtail.models import Page; "
        "page = Page.objects.get(url_path__endswith='/about/').specific; "
        f"page.title = '{new_title}'; page.save_revision(user=get_user_model().objects.get(username='editor')); "
        "print(page.pk)",
    ).split()[-1]
    assert new_title not in visitor.get(b, "/about/").text  # a draft is not live

    editor = Browser("192.0.2.5")
    log_in(editor, a, site["password"])
    assert editor.get(b, "/admin/").status_code == 200  # the session made on A is valid on B
    published = editor.press(a, f"/admin/bulk/wagtailcore/page/publish/?id={page_id}&next=/admin/", {})
    assert published.status_code == 302, published.text[:2000]

    assert new_title in visitor.get(b, "/about/").text
    assert new_title in Browser("198.51.100.21").get(b, "/about/").text


def test_a_board_image_uploaded_through_one_server_is_served_by_the_other(site):
    a, b = site["a"], site["b"]
    poster = Browser("198.51.100.30")
    title = f"Our welcome wall {secrets.token_hex(3)}"
    board_path = "/board/"
    response = poster.submit(
        a,
        board_path + "post/",
        "posting_code",
        {
            "posting_code": "COVENTRY-WELCOME-2024",
            "title": title,
            "message": "Pupils painted welcome in twelve languages.",
            "image_alt": "A wall painted with welcome in many languages",
        },
        files={"image": ("wall.jpg", jpeg((30, 120, 200)), "image/jpeg")},
    )
    assert response.status_code == 302, response.text[:3000]
    post_id = re.search(r"/(\d+)/", response.headers["Location"]).group(1)

    editor = Browser("192.0.2.6")
    log_in(editor, a, site["password"])
    approved = editor.press(a, f"/admin/board/moderate/{post_id}/", {"action": "approve"})
    assert approved.status_code == 302, approved.text[:2000]

    detail_path = f"{board_path}posts/{post_id}/"
    on_a = poster.get(a, detail_path)  # A renders the post: the rendition is made and stored in shared media
    assert on_a.status_code == 200 and title in on_a.text

    on_b = Browser("198.51.100.31").get(b, detail_path)
    assert on_b.status_code == 200 and title in on_b.text
    # Board photos are served by the board's own view (issue 14), from the rendition A stored in shared media.
    sources = re.findall(r'<img[^>]+src="([^"]*/board/images/[^"]+)"', on_b.text)
    assert sources, "no board photo on B's page"
    image = Browser("198.51.100.31").get(b, re.sub(r"^https?://[^/]+", "", sources[0]))
    assert image.status_code == 200
    assert image.headers["Content-Type"].startswith("image/")
    assert Image.open(io.BytesIO(image.content)).size[0] > 0
    # Renditions are looked up in their own Redis cache alias, shared by both servers.
    assert any(redis.Redis.from_url(REDIS_URL).scan_iter(f"{site['prefix']}-renditions*"))


def test_a_worker_beside_the_servers_delivers_every_email_once_a_sign_ups_among_them(site, mail, workers):
    a, b = site["a"], site["b"]
    workers.start()  # the sign-ups of the tests above have waited for it in the queue
    visitor = Browser("198.51.100.40")
    address = f"delivered.{secrets.token_hex(4)}@school.example.org"
    response = sign_up(visitor, a, upcoming_event_path(visitor, a), 400, email=address)
    assert response.status_code == 302, response.text[:2000]

    sent = wait_for(lambda: [row for row in emails_to(site, address) if row[1] == "sent"], timeout=30)
    assert sent, f"the sign-up's email was not sent: {emails_to(site, address)}\n{workers.logs()}"
    [(_, _, attempts, message_uuid)] = sent
    assert attempts == 1
    [received] = mail.to(address)
    assert received.message_id.startswith(f"<{uuid.UUID(str(message_uuid)).hex}@")  # the row's own Message-ID
    assert received.subject.startswith("Your place is booked: ")

    # Everything the module's sign-ups and board post queued is delivered, each message exactly once.
    waiting = "SELECT count(*) FROM outbox_outboxmessage WHERE status IN ('queued', 'sending')"
    assert wait_for(lambda: query(site, waiting) == [(0,)], timeout=30), workers.logs()
    rows = query(site, "SELECT status, message_uuid FROM outbox_outboxmessage")
    assert {status for status, _ in rows} == {"sent"}
    delivered = sorted(message.message_id.split("@")[0].lstrip("<") for message in mail.messages())
    assert delivered == sorted(uuid.UUID(str(message_uuid)).hex for _, message_uuid in rows)
    status, health = worker_health(b)
    assert status == 200
    assert (health["draining"], health["queued"], health["failed"]) == (True, 0, 0)


def test_with_the_worker_stopped_a_sign_up_answers_at_once_and_its_email_waits_queued(site, mail, workers):
    a, b = site["a"], site["b"]
    workers.stop_all()
    visitor = Browser("198.51.100.41")
    address = f"waiting.{secrets.token_hex(4)}@school.example.org"
    response = sign_up(visitor, b, upcoming_event_path(visitor, b), 500, email=address)
    assert response.status_code == 302, response.text[:2000]
    assert "/registered/" in response.headers["Location"]
    assert response.elapsed.total_seconds() < AT_ONCE_SECONDS

    [(message_id, status, attempts, message_uuid)] = emails_to(site, address)
    assert (status, attempts) == ("queued", 0)
    assert delivery_tasks(site, message_id) == ["READY"]  # in django-tasks-db's queue, for whichever worker comes

    # Monitoring sees the queue stall: the oldest due email has waited longer than OUTBOX_STALL_SECONDS.
    def stalled():
        status, health = worker_health(a)
        return health if status == 503 else None

    health = wait_for(stalled, timeout=30)
    assert health, f"/healthz/worker still answers {worker_health(a)}"
    assert health["draining"] is False
    assert health["queued"] >= 1
    assert health["oldest_due_seconds"] > STALL_SECONDS
    assert mail.to(address) == []

    workers.start()
    assert wait_for(lambda: mail.to(address), timeout=30), workers.logs()
    assert wait_for(lambda: emails_to(site, address)[0][1] == "sent", timeout=10)
    [received] = mail.to(address)
    assert received.message_id.startswith(f"<{uuid.UUID(str(message_uuid)).hex}@")
    assert delivery_tasks(site, message_id) == ["SUCCESSFUL"]
    assert wait_for(lambda: worker_health(a)[0] == 200, timeout=10)
