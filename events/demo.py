"""Demo content for events: the events section, the launch webinars, the October 2024 introduction, and a few
upcoming events dated from the day the command runs, so the demo site never looks stale.

Idempotent: pages are found by slug and only created when missing, so editors' changes are kept.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from home.demo import _add_child, p
from home.models import ContentPage

from .models import EventIndexPage, EventPage, EventSpeaker, retention_days

LONDON = ZoneInfo("Europe/London")
LAUNCH_SLUG = "schools-of-sanctuary-launch-2023-24"
LAUNCH_2024_SLUG = "schools-of-sanctuary-launch-2024-25"
INTRO_2024_SLUG = "introduction-to-schools-of-sanctuary-for-coventry-schools-2024"
MEGAN = ("Megan Greenwood", "City of Sanctuary UK")
COVENTRY_VENUE = "Coventry City Council, Council House\nEarl Street\nCoventry CV1 5RR"

LAUNCH_SUMMARY = (
    "The 2023/24 Schools of Sanctuary Launch: Megan Greenwood, from City of Sanctuary UK, outlines the minimum "
    "criteria and process, shares upcoming opportunities and the latest resources, and gives tips to move forward "
    "in a time efficient and meaningful way."
)
LAUNCH_2024_SUMMARY = (
    "The updated Schools of Sanctuary Launch for 2024/25, with Megan Greenwood from City of Sanctuary UK: what has "
    "changed in the criteria and process, new opportunities and resources, and how to plan your school's year."
)
INTRO_SUMMARY = (
    "An introduction to Schools of Sanctuary for Coventry schools from the EMAS Teacher Team: what the award "
    "involves, how Learn, Embed and Share work in practice, and the support available locally."
)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _transcript(*sections):
    return RichText("".join(f"<h3>{heading}</h3><p>{text}</p>" for heading, text in sections))


def _webinar(title, slug, summary, start, end, video_url, transcript, year_label):
    return EventPage(
        title=title,
        slug=slug,
        summary=summary,
        start=start,
        end=end,
        event_format=EventPage.Format.ONLINE,
        capacity=100,
        audience="Headteachers, senior leaders and staff leading Schools of Sanctuary work",
        video_url=video_url,
        captions_note="Automatic English captions are available in the video player.",
        transcript=transcript,
        body=[("paragraph", p(summary))],
        search_description=f"Recording of the {year_label} Schools of Sanctuary Launch webinar with Megan Greenwood.",
        speakers=[EventSpeaker(name=MEGAN[0], organisation=MEGAN[1])],
    )


def _next_weekday(start, weekday):
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def upcoming_events(today):
    """Three events after `today`: each on a Tuesday or Wednesday after school, a few weeks apart."""
    first = _next_weekday(today + timedelta(days=14), 1)  # a Tuesday at least two weeks away
    second = _next_weekday(today + timedelta(days=42), 2)  # a Wednesday about six weeks away
    third = _next_weekday(today + timedelta(days=70), 1)
    return [
        (
            "introduction-to-schools-of-sanctuary",
            dict(
                title="Introduction to Schools of Sanctuary for Coventry Schools",
                summary=INTRO_SUMMARY,
                start=at(first, 15, 30),
                end=at(first, 17, 0),
                event_format=EventPage.Format.ONLINE,
                joining_link="https://teams.microsoft.com/l/meetup-join/demo-introduction-session",
                capacity=40,
                audience="Any Coventry school starting out on Schools of Sanctuary",
            ),
        ),
        (
            "welcoming-new-arrivals-twilight",
            dict(
                title="Welcoming new arrivals: a twilight session for school staff",
                summary="Practical ideas for the first weeks of a pupil new to English and new to the UK: "
                "induction, buddies, assessment and working with families.",
                start=at(second, 15, 45),
                end=at(second, 17, 15),
                event_format=EventPage.Format.IN_PERSON,
                venue=COVENTRY_VENUE,
                capacity=25,
                audience="Teachers, teaching assistants and EAL leads",
            ),
        ),
        (
            "sharing-your-sanctuary-journey",
            dict(
                title="Share: celebrating your school's sanctuary journey",
                summary="Schools working towards the award share evidence for Learn, Embed and Share, and plan "
                "Refugee Week activities together.",
                start=at(third, 15, 30),
                end=at(third, 17, 0),
                event_format=EventPage.Format.HYBRID,
                venue=COVENTRY_VENUE,
                joining_link="https://teams.microsoft.com/l/meetup-join/demo-share-session",
                capacity=30,
                audience="Schools of Sanctuary leads",
            ),
        ),
    ]


def add_signups_to_privacy_notice(home):
    """Once, when the events section is first created: the privacy notice says what sign-ups keep, how long."""
    privacy = ContentPage.objects.child_of(home).filter(slug="privacy").first()
    if privacy is None or any(
        block.block_type == "heading" and block.value["text"] == "Event sign-ups" for block in privacy.body
    ):
        return
    days = retention_days()
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


def load(home, stdout, today=None):
    today = today or timezone.localdate()
    with transaction.atomic():
        index, created = _add_child(
            home,
            EventIndexPage(
                title="Events and webinars",
                slug="events",
                show_in_menus=True,
                intro="Introduction sessions, training and the yearly launch webinar for Coventry Schools of "
                "Sanctuary. Sign up online; recordings of past webinars stay here to watch at any time.",
                webinars_intro="Recordings of past Schools of Sanctuary webinars, grouped by school year. Search by "
                "title, speaker or anything said in the transcript.",
            ),
        )
        if created:
            stdout.write("Created the events section.")
            add_signups_to_privacy_notice(home)
        index = index.specific

        _add_child(
            index,
            _webinar(
                "Schools of Sanctuary Launch 2023/24",
                LAUNCH_SLUG,
                LAUNCH_SUMMARY,
                at(date(2023, 9, 26), 15, 45),
                at(date(2023, 9, 26), 16, 45),
                "https://www.youtube.com/watch?v=sosLaunch23",
                _transcript(
                    (
                        "Minimum criteria and process",
                        "Megan Greenwood explains the minimum criteria for the award and "
                        "the process schools follow: Learn, Embed and Share, and how evidence is collected.",
                    ),
                    (
                        "Upcoming opportunities and resources",
                        "Opportunities for the year ahead, including Refugee "
                        "Week, and the latest resources in the Schools of Sanctuary Resource Pack.",
                    ),
                    (
                        "Moving forward",
                        "Tips to move forward in a time efficient and meaningful way, building on "
                        "what your school already does.",
                    ),
                ),
                "2023/24",
            ),
        )
        _add_child(
            index,
            _webinar(
                "Schools of Sanctuary Launch 2024/25 (updated September 2024)",
                LAUNCH_2024_SLUG,
                LAUNCH_2024_SUMMARY,
                at(date(2024, 9, 17), 15, 45),
                at(date(2024, 9, 17), 16, 45),
                "https://www.youtube.com/watch?v=sosLaunch24",
                _transcript(
                    ("What has changed", "Megan Greenwood updates the minimum criteria and process for 2024/25."),
                    ("Opportunities and resources", "New opportunities and resources for the school year."),
                ),
                "2024/25",
            ),
        )
        _add_child(
            index,
            EventPage(
                title="Introduction to Schools of Sanctuary for Coventry Schools",
                slug=INTRO_2024_SLUG,
                summary=INTRO_SUMMARY,
                start=at(date(2024, 10, 1), 15, 30),
                end=at(date(2024, 10, 1), 17, 0),
                event_format=EventPage.Format.ONLINE,
                capacity=40,
                audience="Any Coventry school starting out on Schools of Sanctuary",
                body=[("paragraph", p(INTRO_SUMMARY))],
            ),
        )

        # Upcoming events: one of each kind stays in the future. A new dated copy is added only when the
        # previous one has passed, so running the command again the same day changes nothing.
        now = timezone.now()
        for base_slug, fields in upcoming_events(today):
            has_upcoming = EventPage.objects.child_of(index).filter(slug__startswith=base_slug, end__gte=now).exists()
            if has_upcoming:
                continue
            slug = f"{base_slug}-{timezone.localdate(fields['start']):%Y-%m-%d}"
            _add_child(index, EventPage(slug=slug, body=[("paragraph", p(fields["summary"]))], **fields))
    return index
