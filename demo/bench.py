"""Benchmark data at a realistic large scale, on top of the demo: for `make bench` (`manage.py load_bench_data`).

500 content pages, 1,000 resources, 200 events with 20,000 registrations, and 5 boards (the demo's and four more)
with 1,000 approved posts each, all sharing a pool of 8 images. Made-up text comes from `Words`, seeded per part so
every run makes the same data. Each part is skipped when its pages are already there.

Pages are added with `add_child` and no revision history (nobody edits them), which keeps Wagtail's own
bookkeeping (tree paths, search index, reference index) real and fast; registrations and posts are bulk-inserted
(the sign-up service locks the event row per registration; the bench only needs the rows to exist for the counts
and listings).
"""

import io
import random
import time
from datetime import date, timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from board.models import BoardPage, BoardPost, BoardSection
from events.models import EventIndexPage, EventPage, EventRegistration, EventSpeaker
from home.models import ContentPage
from resources.models import Audience, Language, Process, ResourceIndexPage, ResourcePage, ResourceType

from .files import ILLUSTRATIONS, make_banner_image

_COMMON = [
    "welcome",
    "sanctuary",
    "school",
    "pupils",
    "families",
    "language",
    "belonging",
    "community",
    "assembly",
    "refugee",
    "week",
    "learn",
    "embed",
    "share",
    "support",
    "teachers",
    "parents",
    "story",
    "kindness",
    "safety",
    "inclusion",
    "music",
    "art",
    "football",
    "garden",
]
# A vocabulary of some 600 words, so a two-word search matches a realistic few per cent of the pages
# instead of every one of them.
VOCABULARY = (
    _COMMON
    + [
        a + b + c
        for a in ("ba", "ke", "lo", "mi", "nu", "ra", "si", "to")
        for b in "dlmnrstv"
        for c in ("an", "el", "io", "or", "us", "ay", "en", "ix", "om", "ul")
    ][:580]
)
IMAGE_POOL_SIZE = 8
PALETTES = [
    ("#0b4f6c", "#f2c14e", "#1d6b3a", "#e8eef2"),
    ("#1d6b3a", "#e8eef2", "#0b4f6c", "#f6f1e1"),
    ("#6b3c0b", "#f2c14e", "#0b4f6c", "#fbf7ee"),
    ("#4a2c6b", "#f2c14e", "#1d6b3a", "#eef2e8"),
]
CIRCLES_ALT = ILLUSTRATIONS["circles"]


class Words:
    """Reproducible made-up text: the same seed gives the same words, so every bench run has the same data."""

    def __init__(self, seed):
        self.random = random.Random(seed)  # noqa: S311 - reproducible bench text, not a secret  # nosec B311

    def words(self, count):
        return " ".join(self.random.choice(VOCABULARY) for _ in range(count))

    def title(self, count):
        return self.words(count).capitalize()

    def sentence(self, count):
        return self.words(count).capitalize() + "."

    def paragraphs(self, count=2, length=40):
        return RichText("".join(f"<p>{self.sentence(length)}</p>" for _ in range(count)))


def image_pool():
    """A few real images shared by every bench page and post: encoded once, rendered once per size."""
    Image = get_image_model()
    images = list(Image.objects.filter(title__startswith="Bench image ").order_by("pk"))
    for number in range(len(images), IMAGE_POOL_SIZE):
        content = make_banner_image(width=1200, height=800, palette=PALETTES[number % len(PALETTES)])
        image = Image(
            title=f"Bench image {number + 1}",
            description=CIRCLES_ALT,
            file=ImageFile(io.BytesIO(content), name=f"bench-{number + 1}.jpg"),
        )
        image.save()
        images.append(image)
    return images


# --- Content pages: 10 sections of 49 pages under the home page ---------------------------------------------------

SECTIONS = 10
PAGES_PER_SECTION = 49  # 10 sections + 490 pages = 500 content pages


def content_pages(home, stdout):
    if ContentPage.objects.filter(slug__startswith="bench-section-").exists():
        stdout.write("Bench content pages are already in place.")
        return
    text = Words(7)
    for section_number in range(1, SECTIONS + 1):
        with transaction.atomic():
            section = home.add_child(
                instance=ContentPage(
                    title=f"Bench section {section_number}",
                    slug=f"bench-section-{section_number}",
                    intro=text.title(20),
                    body=[("paragraph", text.paragraphs())],
                )
            )
            for number in range(1, PAGES_PER_SECTION + 1):
                section.add_child(
                    instance=ContentPage(
                        title=f"{text.title(4)} {section_number}-{number}",
                        slug=f"bench-page-{section_number}-{number}",
                        intro=text.title(25),
                        body=[("paragraph", text.paragraphs(3))],
                    )
                )
    stdout.write(f"Created {SECTIONS * (PAGES_PER_SECTION + 1)} content pages.")


def _section_to_fill(home, section_model, page_model, slug_prefix, stdout):
    """The section below `home` that bench pages go in, or None (said on `stdout`) when it is missing or already
    has them: loading the bench data twice adds nothing."""
    section = section_model.objects.child_of(home).first()
    if section is None or page_model.objects.filter(slug__startswith=slug_prefix).exists():
        what = page_model._meta.verbose_name_plural
        stdout.write(f"Bench {what} are already in place (or there is no section for them).")
        return None
    return section


# --- Events: past webinars with recordings, upcoming sessions, 100 registrations each ----------------------------

EVENTS = 200
PAST_EVENTS = 120
REGISTRATIONS_PER_EVENT = 100
ROLES = [choice for choice, _ in EventRegistration.Role.choices]


def events(home, stdout):
    index = _section_to_fill(home, EventIndexPage, EventPage, "bench-event-", stdout)
    if index is None:
        return
    text = Words(11)
    images = image_pool()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = []
    with transaction.atomic():
        for number in range(1, EVENTS + 1):
            past = number <= PAST_EVENTS
            start = now - timedelta(days=3 * number) if past else now + timedelta(days=2 * (number - PAST_EVENTS))
            event = EventPage(
                title=f"{text.title(3)} session {number}",
                slug=f"bench-event-{number}",
                summary=text.sentence(30),
                body=[("paragraph", text.paragraphs())],
                start=start,
                end=start + timedelta(hours=1, minutes=30),
                event_format=EventPage.Format.ONLINE,
                joining_link="https://teams.example.org/join/bench",
                capacity=150,
                audience="Teachers and school staff",
                image=images[number % len(images)],
                image_alt=CIRCLES_ALT,
                video_url=f"https://www.youtube.com/watch?v=bench{number:06d}" if past else "",
                transcript=text.paragraphs(5, 80) if past else "",
                speakers=[EventSpeaker(name=f"Speaker {number}", organisation="EMAS Teacher Team")],
            )
            event.tags.add(*text.random.sample(["induction", "award", "webinar", "training", "refugee-week"], 2))
            index.add_child(instance=event)
            created.append(event)
        EventRegistration.objects.bulk_create(
            (
                EventRegistration(
                    event=event,
                    name=f"Bench Teacher {n}",
                    email=f"teacher{n}@school{n % 90}.example.org",
                    school=f"School {n % 90}",
                    role=text.random.choice(ROLES),
                    consent=True,
                    status=EventRegistration.Status.CONFIRMED,
                )
                for event in created
                for n in range(REGISTRATIONS_PER_EVENT)
            ),
            batch_size=1000,
        )
    stdout.write(f"Created {EVENTS} events and {EVENTS * REGISTRATIONS_PER_EVENT} registrations.")


# --- Resources: with types, processes, audiences, languages, tags and shared thumbnails ---------------------------

RESOURCES = 1000
RESOURCE_BATCH = 100
TAGS = [f"topic-{n}" for n in range(1, 41)]


def resources(home, stdout):
    library = _section_to_fill(home, ResourceIndexPage, ResourcePage, "bench-resource-", stdout)
    if library is None:
        return
    text = Words(5)
    pick = text.random
    images = image_pool()
    types = list(ResourceType.objects.all())
    processes = list(Process.objects.all())
    audiences = list(Audience.objects.all())
    languages = list(Language.objects.all())
    for first in range(1, RESOURCES + 1, RESOURCE_BATCH):
        with transaction.atomic():
            for number in range(first, min(first + RESOURCE_BATCH, RESOURCES + 1)):
                resource = ResourcePage(
                    title=f"{text.title(4)} {number}",
                    slug=f"bench-resource-{number}",
                    summary=text.sentence(30),
                    body=[("paragraph", text.paragraphs())],
                    resource_type=pick.choice(types) if types else None,
                    external_url=f"https://example.org/resources/{number}",
                    publication_date=date(2025, 9, 1) - timedelta(days=number),
                    thumbnail=images[number % len(images)],
                    thumbnail_alt=CIRCLES_ALT,
                )
                resource.processes = pick.sample(processes, min(len(processes), pick.randint(1, 2)))
                resource.audiences = pick.sample(audiences, min(len(audiences), 1))
                resource.languages = pick.sample(languages, min(len(languages), pick.randint(1, 2)))
                resource.tags.add(*pick.sample(TAGS, 3))
                library.add_child(instance=resource)
    stdout.write(f"Created {RESOURCES} resources.")


# --- Boards: the demo's and four more, 1,000 approved posts each, a third with a picture --------------------------

BOARDS = 5
POSTS_PER_BOARD = 1000
BOARD_SECTIONS = [("Learn", "learn"), ("Embed", "embed"), ("Share", "share")]


def _extra_board(home, number):
    board = BoardPage(
        title=f"Bench board {number}",
        slug=f"bench-board-{number}",
        intro="A board for the benchmark.",
        posting_mode=BoardPage.PostingMode.CODE,
        posting_code=f"BENCH-CODE-{number}",
        requires_approval=True,
        reactions_enabled=True,
    )
    for name, slug in BOARD_SECTIONS:
        board.sections.add(BoardSection(name=name, slug=slug, description=f"{name} ideas"))
    home.add_child(instance=board)
    return board


def boards(home, stdout):
    if BoardPage.objects.filter(slug__startswith="bench-board-").exists():
        stdout.write("Bench boards are already in place.")
        return
    text = Words(3)
    images = image_pool()
    now = timezone.now()
    with transaction.atomic():
        pages = list(BoardPage.objects.child_of(home).specific())
        pages += [_extra_board(home, number) for number in range(len(pages) + 1, BOARDS + 1)]
        posts = []
        for board in pages[:BOARDS]:
            sections = list(BoardSection.objects.filter(board=board))
            for number in range(POSTS_PER_BOARD):
                with_image = number % 3 == 0
                approved_at = now - timedelta(minutes=10 * number)
                posts.append(
                    BoardPost(
                        board=board,
                        section=sections[number % len(sections)],
                        status=BoardPost.Status.APPROVED,
                        title=f"{text.title(4)} {number}",
                        message=text.sentence(40),
                        image=images[number % len(images)] if with_image else None,
                        image_alt=CIRCLES_ALT if with_image else "",
                        display_name=f"Teacher {number % 50}",
                        school=f"School {number % 90}",
                        reaction_count=number % 7,
                        created_at=approved_at,
                        approved_at=approved_at,
                    )
                )
        BoardPost.objects.bulk_create(posts, batch_size=1000)
    stdout.write(f"Created {len(posts)} approved board posts on {min(len(pages), BOARDS)} boards.")


PARTS = {"home": content_pages, "events": events, "resources": resources, "board": boards}


def load(home, stdout):
    """Every part of the bench data under `home` (the demo's), each timed."""
    for name, load_part in PARTS.items():
        started = time.monotonic()
        load_part(home, stdout)
        stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
