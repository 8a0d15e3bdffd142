"""Benchmark data for the resource library: 1,000 resources with types, processes, audiences,
languages, tags and shared thumbnails."""

import random
from datetime import date, timedelta

from django.db import transaction

from home.bench import image_pool, paragraphs, words

from .models import Audience, Language, Process, ResourceIndexPage, ResourcePage, ResourceType

RESOURCES = 1000
BATCH = 100
TAGS = [f"topic-{n}" for n in range(1, 41)]


def load(home, stdout):
    library = ResourceIndexPage.objects.child_of(home).first()
    if library is None or ResourcePage.objects.filter(slug__startswith="bench-resource-").exists():
        stdout.write("Bench resources are already in place (or there is no library).")
        return
    rng = random.Random(5)  # noqa: S311 - reproducible bench text, not a secret  # nosec B311
    images = image_pool()
    types = list(ResourceType.objects.all())
    processes = list(Process.objects.all())
    audiences = list(Audience.objects.all())
    languages = list(Language.objects.all())
    for first in range(1, RESOURCES + 1, BATCH):
        with transaction.atomic():
            for number in range(first, min(first + BATCH, RESOURCES + 1)):
                resource = ResourcePage(
                    title=f"{words(rng, 4).capitalize()} {number}",
                    slug=f"bench-resource-{number}",
                    summary=words(rng, 30).capitalize() + ".",
                    body=[("paragraph", paragraphs(rng))],
                    resource_type=rng.choice(types) if types else None,
                    external_url=f"https://example.org/resources/{number}",
                    publication_date=date(2025, 9, 1) - timedelta(days=number),
                    thumbnail=images[number % len(images)],
                    thumbnail_alt="Abstract illustration of overlapping coloured circles",
                )
                resource.processes = rng.sample(processes, min(len(processes), rng.randint(1, 2)))
                resource.audiences = rng.sample(audiences, min(len(audiences), 1))
                resource.languages = rng.sample(languages, min(len(languages), rng.randint(1, 2)))
                resource.tags.add(*rng.sample(TAGS, 3))
                library.add_child(instance=resource)
    stdout.write(f"Created {RESOURCES} resources.")
