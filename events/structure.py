"""The events section of a new site: the empty events index (its webinar archive is a route of it), and the
privacy notice's paragraph on event sign-ups. Loaded by `home.structure.build_site_structure`; no events.

Idempotent: the index is found by slug and only created when missing, so editors' changes are kept.
"""

from django.conf import settings
from django.db import transaction

from home.models import ContentPage
from home.structure import add_child, p

from .models import EventIndexPage

WEBINARS_INTRO = (
    "Recordings of past Schools of Sanctuary webinars, grouped by school year. Search by title, speaker or anything "
    "said in the transcript."
)


def add_signups_to_privacy_notice(home):
    """Once, when the events section is first created: the privacy notice says what sign-ups keep, how long."""
    privacy = ContentPage.objects.child_of(home).filter(slug="privacy").first()
    if privacy is None or any(
        block.block_type == "heading" and block.value["text"] == "Event sign-ups" for block in privacy.body
    ):
        return
    days = settings.EVENT_REGISTRATION_RETENTION_DAYS
    blocks = [
        ("heading", {"text": "Event sign-ups", "level": "h2"}),
        (
            "paragraph",
            p(
                "When you sign up for an event we keep your name, work email, school, role and any access or dietary "
                "needs you tell us, so that we can organise the event and email you about it (including any joining "
                "link and changes). Only the EMAS Teacher Team can see them. "
                f"We delete these details {days} days after the event and keep only the number of people who "
                "signed up and came. Every confirmation email has a link to cancel your place."
            ),
        ),
    ]
    body = [(block.block_type, block.value) for block in privacy.body]
    position = next(
        (i for i, (kind, value) in enumerate(body) if kind == "heading" and value["text"] == "Cookies"), len(body)
    )
    privacy.body = body[:position] + blocks + body[position:]
    privacy.save_revision().publish()


def load(home, stdout):
    """Create the events index under `home` if it is missing; return it."""
    with transaction.atomic():
        index, created = add_child(
            home,
            EventIndexPage(
                title="Events and webinars",
                slug="events",
                show_in_menus=True,
                intro="Introduction sessions, training and the yearly launch webinar for Coventry Schools of "
                "Sanctuary. Sign up online; recordings of past webinars stay here to watch at any time.",
                webinars_intro=WEBINARS_INTRO,
            ),
        )
        if created:
            stdout.write("Created the events section.")
            add_signups_to_privacy_notice(home)
    return index.specific
