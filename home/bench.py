"""Benchmark data for the base app: a pool of images the other apps share, and 500 content pages.

`manage.py load_bench_data` calls `load(home, stdout)` here and in each feature app's `bench` module,
after the demo content. Pages are created with `add_child(live=True)` (no revision history: nobody edits
them), which keeps Wagtail's own bookkeeping (tree paths, search index, reference index) real and fast.
"""

import io
import random

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from home.demo_files import make_banner_image
from home.models import ContentPage

SECTIONS = 10
PAGES_PER_SECTION = 49  # 10 sections + 490 pages = 500 content pages
IMAGE_POOL_SIZE = 8
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
WORDS = (
    _COMMON
    + [
        a + b + c
        for a in ("ba", "ke", "lo", "mi", "nu", "ra", "si", "to")
        for b in "dlmnrstv"
        for c in ("an", "el", "io", "or", "us", "ay", "en", "ix", "om", "ul")
    ][:580]
)
PALETTES = [
    ("#0b4f6c", "#f2c14e", "#1d6b3a", "#e8eef2"),
    ("#1d6b3a", "#e8eef2", "#0b4f6c", "#f6f1e1"),
    ("#6b3c0b", "#f2c14e", "#0b4f6c", "#fbf7ee"),
    ("#4a2c6b", "#f2c14e", "#1d6b3a", "#eef2e8"),
]


def words(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


def paragraphs(rng, count=2, length=40):
    return RichText("".join(f"<p>{words(rng, length).capitalize()}.</p>" for _ in range(count)))


def image_pool():
    """A few real images shared by every bench page and post: encoded once, rendered once per size."""
    Image = get_image_model()
    images = list(Image.objects.filter(title__startswith="Bench image ").order_by("pk"))
    for number in range(len(images), IMAGE_POOL_SIZE):
        content = make_banner_image(width=1200, height=800, palette=PALETTES[number % len(PALETTES)])
        image = Image(
            title=f"Bench image {number + 1}",
            description="Abstract illustration of overlapping coloured circles",
            file=ImageFile(io.BytesIO(content), name=f"bench-{number + 1}.jpg"),
        )
        image.save()
        images.append(image)
    return images


def load(home, stdout):
    if ContentPage.objects.filter(slug__startswith="bench-section-").exists():
        stdout.write("Bench content pages are already in place.")
        return
    rng = random.Random(7)  # noqa: S311 - reproducible bench text, not a secret  # nosec B311
    for section_number in range(1, SECTIONS + 1):
        with transaction.atomic():
            section = home.add_child(
                instance=ContentPage(
                    title=f"Bench section {section_number}",
                    slug=f"bench-section-{section_number}",
                    intro=words(rng, 20).capitalize(),
                    body=[("paragraph", paragraphs(rng))],
                )
            )
            for number in range(1, PAGES_PER_SECTION + 1):
                section.add_child(
                    instance=ContentPage(
                        title=f"{words(rng, 4).capitalize()} {section_number}-{number}",
                        slug=f"bench-page-{section_number}-{number}",
                        intro=words(rng, 25).capitalize(),
                        body=[("paragraph", paragraphs(rng, 3))],
                    )
                )
    stdout.write(f"Created {SECTIONS * (PAGES_PER_SECTION + 1)} content pages.")
