"""Load test: 50 visitors browse while 10 teachers post to the board and sign up for events.

Run by `make loadtest` (loadtest/run.py), which starts gunicorn on PostgreSQL + Redis with production
settings. Each simulated user has its own X-Forwarded-For address (the server trusts one proxy), so rate
limits apply per person as in real life; posters keep under those limits, so any refusal is an error.
Every POST the server accepted is counted and written to LOADTEST_COUNTS_FILE, so run.py can check that
each one is in the database (no lost writes), with the address of each sign-up, so it can check that each got
its one email.
"""

import itertools
import json
import os
import re
import time
import urllib.request
import uuid
from collections import Counter, deque
from html import unescape
from secrets import choice
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

POSTING_CODE = os.environ.get("LOADTEST_POSTING_CODE", "COVENTRY-WELCOME-2024")
# The site's limits: 5 posts (and 5 sign-ups per event) per address per 10 minutes; 60 posts per board.
POSTS_PER_WINDOW, WINDOW_SECONDS = 4, 600
SEARCH_WORDS = ["refugee", "sanctuary", "welcome", "language", "assembly", "Arabic", "training", "webinar"]

accepted = Counter()  # successful writes, by kind
signup_addresses = []  # the address of each sign-up the server accepted (each must get one email)
_addresses = itertools.count(1)
_sitemap_paths = []
_open_event_paths = []


def csrf_token(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    return match.group(1) if match else None


class SiteUser(HttpUser):
    abstract = True

    def on_start(self):
        number = next(_addresses)
        self.address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        self.client.headers.update({"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https"})
        self.cookies = {}

    def get(self, path, name=None):
        """GET, keeping the (Secure) cookies by hand: we talk plain HTTP to gunicorn behind a pretend proxy."""
        response = self.client.get(path, name=name or path, cookies=self.cookies)
        self.cookies.update(response.cookies.get_dict())
        return response

    def post(self, path, data, name, referer):
        headers = {"Referer": self.host.replace("http://", "https://") + referer}
        return self.client.post(
            path,
            data=data,
            name=name,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            catch_response=True,
        )


class Visitor(SiteUser):
    """Someone reading the site: home, pages, library, events, board, search, feeds."""

    fixed_count = 50
    wait_time = between(1, 4)

    @task(3)
    def home(self):
        self.get("/")

    @task(6)
    def any_page_in_the_sitemap(self):
        if _sitemap_paths:
            self.get(choice(_sitemap_paths), name="[page from sitemap]")

    @task(2)
    def library(self):
        self.get("/resources/")

    @task(2)
    def events(self):
        self.get("/events/")

    @task(2)
    def board(self):
        self.get("/board/")

    @task(2)
    def search(self):
        self.get(f"/search/?q={choice(SEARCH_WORDS)}", name="/search/?q=[word]")

    @task(1)
    def library_search(self):
        self.get(f"/resources/?q={choice(SEARCH_WORDS)}", name="/resources/?q=[word]")

    @task(1)
    def feeds(self):
        self.get(choice(["/resources/feed/", "/events/feed/", "/board/feed/rss/"]), name="[feed]")


class Poster(SiteUser):
    """A teacher who posts to the board and signs up for events, within the site's per-person limits."""

    fixed_count = 10
    wait_time = between(8, 16)

    def on_start(self):
        super().on_start()
        self.recent = {"board": deque(), "signup": deque()}

    def may(self, kind):
        now = time.monotonic()
        recent = self.recent[kind]
        while recent and now - recent[0] > WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= POSTS_PER_WINDOW:
            return False
        recent.append(now)
        return True

    @task
    def post_to_board(self):
        if not self.may("board"):
            return self.get("/board/")
        form = self.get("/board/post/")
        sections = re.findall(r'<option value="(\d+)"', form.text)
        data = {
            "csrfmiddlewaretoken": csrf_token(form),
            "posting_code": POSTING_CODE,
            "section": choice(sections) if sections else "",
            "title": f"Load test idea {uuid.uuid4().hex[:8]}",
            "message": "Our class made a welcome wall in twelve languages.\nhttps://example.org/welcome-wall",
            "display_name": "Load Tester",
            "school": "Test Primary School",
            "email": f"poster-{uuid.uuid4().hex[:10]}@school.example.org",
            "website_url": "",
        }
        with self.post("/board/post/", data, "/board/post/", "/board/post/") as response:
            if response.status_code == 302 and "/posts/" in response.headers.get("Location", ""):
                accepted["board_posts"] += 1
                response.success()
            else:
                response.failure(f"board post not accepted: {response.status_code}")

    @task
    def sign_up_for_an_event(self):
        if not _open_event_paths or not self.may("signup"):
            return self.get("/events/")
        path = choice(_open_event_paths)
        self.get(path, name="/events/[event]/")
        # The event page only links to its sign-up page, which holds the form (and so the CSRF token).
        page = self.get(path + "register/", name="/events/[event]/register/")
        address = f"teacher-{uuid.uuid4().hex[:10]}@school.example.org"
        data = {
            "csrfmiddlewaretoken": csrf_token(page),
            "name": "Load Tester",
            "email": address,
            "school": "Test Primary School",
            "role": "teacher",
            "access_needs": "",
            "consent": "on",
            "website_url": "",
        }
        with self.post(path + "register/", data, "/events/[event]/register/", path + "register/") as response:
            if response.status_code == 302 and "/registered/" in response.headers.get("Location", ""):
                accepted["registrations"] += 1
                signup_addresses.append(address)
                response.success()
            else:
                response.failure(f"sign-up not accepted: {response.status_code}")


def fetch(host, path):
    request = urllib.request.Request(  # noqa: S310 - the loopback server under test
        host + path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.255.255.254"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.read().decode()


@events.test_start.add_listener
def discover_pages_and_open_events(environment, **kwargs):
    """Once, before anyone starts: the pages to browse (from the sitemap) and the events open for sign-up."""
    locations = re.findall(r"<loc>([^<]+)</loc>", fetch(environment.host, "/sitemap.xml"))
    _sitemap_paths[:] = [urlsplit(unescape(location)).path for location in locations]
    links = set(re.findall(r'href="(/events/[\w-]+/)"', fetch(environment.host, "/events/")))
    for path in sorted(links - {"/events/webinars/", "/events/feed/"}):
        if f'href="{path}register/"' in fetch(environment.host, path):
            _open_event_paths.append(path)
    if not _sitemap_paths or not _open_event_paths:
        raise RuntimeError("The demo site has no pages or no event open for sign-up: load the demo first.")


@events.quitting.add_listener
def write_accepted_counts(environment, **kwargs):
    path = os.environ.get("LOADTEST_COUNTS_FILE")
    if path:
        with open(path, "w") as handle:
            json.dump({**accepted, "signup_addresses": signup_addresses}, handle)
