"""The resource library of a new site: the empty library page and the vocabularies editors describe resources
with (the award's processes and audiences, its eight minimum criteria, a starting list of resource types and
community languages). Loaded by `home.structure.build_site_structure`; no resources.

Idempotent: the library is found by slug, a criterion by its number, and a type or language is added only when
neither its slug (code) nor its name exists, so what editors renamed or removed in between is kept. The criteria
are the real programme's (the award has exactly eight): one an editor deleted comes back, as a process does.
"""

from django.db import transaction
from django.db.models import Q

from home.structure import CRITERIA, CRITERION_TITLES

from .models import AwardCriterion, Language, Process, ResourceIndexPage, ResourceType
from .models import ensure_vocabularies as ensure_fixed_vocabularies

RESOURCE_TYPES = [
    ("guide", "Guide"),
    ("lesson-plan", "Lesson plan"),
    ("assembly", "Assembly"),
    ("policy-template", "Policy template"),
    ("video", "Video"),
    ("book-list", "Book list"),
    ("website", "Website"),
    ("activity", "Activity"),
]
LANGUAGES = [
    ("en", "English", "English"),
    ("ar", "Arabic", "العربية"),
    ("uk", "Ukrainian", "Українська"),
    ("prs", "Dari", "دری"),
    ("ps", "Pashto", "پښتو"),
    ("ti", "Tigrinya", "ትግርኛ"),
    ("fa", "Persian (Farsi)", "فارسی"),
    ("ku", "Kurdish", "Kurdî"),
]


def award_criteria():
    """The eight criteria as (number, process slug, short title, what it asks), numbered 1 to 8 in the order the
    site structure lists them (Learn, Embed, Share)."""
    rows = []
    for process in ("learn", "embed", "share"):
        for title, text in zip(CRITERION_TITLES[process], CRITERIA[process], strict=True):
            rows.append((len(rows) + 1, process, title, text))
    return rows


def ensure_award_criteria():
    """Create the criteria that are missing (by number); what editors changed in the others is kept."""
    processes = {process.slug: process for process in Process.objects.all()}
    for number, process, title, text in award_criteria():
        if process in processes and not AwardCriterion.objects.filter(number=number).exists():
            AwardCriterion.objects.create(
                number=number, process=processes[process], short_title=title, what_it_asks=text
            )


def ensure_vocabularies():
    """The fixed processes/audiences and criteria, and a starting list of resource types and languages."""
    ensure_fixed_vocabularies()
    ensure_award_criteria()
    for order, (slug, name) in enumerate(RESOURCE_TYPES):
        if not ResourceType.objects.filter(Q(slug=slug) | Q(name=name)).exists():
            ResourceType.objects.create(slug=slug, name=name, sort_order=order)
    for code, name, native_name in LANGUAGES:
        if not Language.objects.filter(Q(code=code) | Q(name=name)).exists():
            Language.objects.create(code=code, name=name, native_name=native_name)


def ensure_library(home, stdout):
    library = home.get_children().filter(slug="resources").first()
    if library is not None:
        return library.specific
    library = ResourceIndexPage(
        title="Resource library",
        slug="resources",
        show_in_menus=True,
        intro="Guides, lesson plans, assemblies, templates and websites that help your school Learn, Embed and "
        "Share. Filter by process, award criterion, audience, type, language or tag.",
        search_description="Resources for Coventry Schools of Sanctuary: find what helps your school Learn, Embed "
        "and Share.",
    )
    home.add_child(instance=library)
    library.save_revision().publish()
    stdout.write("Created the resource library.")
    return library


def load(home, stdout):
    """Create the vocabularies and the empty library under `home` if they are missing; return the library."""
    with transaction.atomic():
        ensure_vocabularies()
        return ensure_library(home, stdout)
