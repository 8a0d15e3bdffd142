"""The schools section of a new site: the empty directory page at /schools/. Loaded by
`home.structure.build_site_structure` through this app's `register_site_structure` hook; no schools (EMAS adds
them in the admin, and a school appears only once it agrees to be listed).

Idempotent: the directory is found by slug and only created when missing, so editors' changes are kept.
"""

from django.db import transaction

from home.structure import add_child

from .models import SchoolDirectoryPage

DIRECTORY_INTRO = (
    "Coventry schools that hold the School of Sanctuary award, or are working towards it, and have agreed to be "
    "listed here. Each school shows what it did to learn about sanctuary, make it part of school life and share "
    "it with others. Filter by status, phase or area of the city."
)


def load(home, stdout):
    """Create the schools directory under `home` if it is missing; return it."""
    with transaction.atomic():
        directory, created = add_child(
            home,
            SchoolDirectoryPage(
                title="Our schools",
                slug="schools",
                show_in_menus=True,
                intro=DIRECTORY_INTRO,
                search_description="The Coventry schools that hold the School of Sanctuary award or are working "
                "towards it: what each did to Learn, Embed and Share.",
            ),
        )
        if created:
            stdout.write("Created the schools directory.")
    return directory
