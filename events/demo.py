"""Demo content for events, in the events section `structure.py` makes: the launch webinars, the October 2024
introduction, and a few upcoming events dated from the day the command runs, so the demo site never looks stale.

Idempotent: pages are found by slug and only created when missing, so editors' changes are kept.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from home.structure import add_child, p, ul

from . import structure
from .models import EventPage, EventSpeaker

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


def _section(heading, *blocks):
    return [("heading", {"text": heading, "level": "h2"}), *blocks]


# Each event's body says what its summary does not: what happens at the session, who it is for, what to
# bring. The summary is the page's lead paragraph and is not repeated here.
INTRO_BODY = [
    *_section(
        "What happens at the session",
        (
            "paragraph",
            p(
                "Our own introduction to Schools of Sanctuary for Coventry Schools, 3:30-5:00 after school. The "
                "EMAS Teacher Team explains what a School of Sanctuary is: a school committed to be a safe and "
                "welcoming space for all, with a whole-school approach to support and understand those who may "
                "be seeking sanctuary.",
                "We go through the three processes the award's evidence is collected in, Learn, Embed and Share, "
                "with examples from Coventry schools, then look at the Schools of Sanctuary Resource Pack and the "
                "Coventry Padlet where schools share resources and ideas. There is time for your questions at the "
                "end.",
            ),
        ),
    ),
    *_section(
        "Who it is for",
        (
            "paragraph",
            p(
                "Headteachers, senior leaders, EAL and inclusion leads, and any member of staff who will lead "
                "the work in their school. You do not need to have started: this session is for schools "
                "thinking about applying."
            ),
        ),
    ),
    *_section(
        "What to bring",
        (
            "paragraph",
            ul(
                "A note of what your school already does to welcome new families: it often counts as evidence.",
                "Questions about the application process and the minimum criteria.",
                "A colleague, if two of you will share the work (each of you signs up).",
            ),
        ),
    ),
]

TWILIGHT_BODY = [
    *_section(
        "What happens at the session",
        (
            "paragraph",
            p(
                "A practical twilight session at the Council House. We work through a new arrival's first weeks: "
                "the welcome meeting with the family, an induction plan, choosing and training pupil buddies, "
                "first assessment of English and of prior learning, and keeping in touch with home through "
                "interpreters.",
                "You leave with templates from the EMAS Teacher Team that you can adapt for your school.",
            ),
        ),
    ),
    *_section(
        "Who it is for",
        (
            "paragraph",
            p(
                "Class teachers, teaching assistants and EAL leads in primary and secondary schools who welcome "
                "pupils new to English and new to the UK."
            ),
        ),
    ),
    *_section(
        "What to bring",
        (
            "paragraph",
            ul(
                "Your school's current induction or admissions checklist, if it has one.",
                "An example, with names removed, of a new arrival you would like to talk through.",
            ),
        ),
    ),
]

SHARE_BODY = [
    *_section(
        "What happens at the session",
        (
            "paragraph",
            p(
                "Share your vision and achievements, and be proud! Schools working towards the award show how "
                "they collected evidence for Learn, Embed and Share, and we plan Refugee Week activities "
                "together so that schools can share them with their families and the wider community.",
                "Join us at the Council House or online: both groups take part in the discussion.",
            ),
        ),
    ),
    *_section(
        "Who it is for",
        ("paragraph", p("Schools of Sanctuary leads in schools that have started on the award, or have it.")),
    ),
    *_section(
        "What to bring",
        (
            "paragraph",
            ul(
                "One piece of evidence you are proud of: a display, a lesson, a pupil's words (with consent).",
                "Your ideas for Refugee Week.",
            ),
        ),
    ),
]

LAUNCH_BODY = [
    *_section(
        "About this webinar",
        (
            "paragraph",
            p(
                "The 2023/24 Schools of Sanctuary Launch is not to be missed! In this webinar Megan Greenwood, "
                "from City of Sanctuary UK, outlined the minimum criteria and process, shared some exciting "
                "upcoming opportunities and the latest resources, and gave some tips about how to move forward "
                "in a time efficient and meaningful way.",
                "Watch it with your Schools of Sanctuary team before you plan the year: it takes an hour, and "
                "the transcript below lets you find a part again.",
            ),
        ),
    ),
]

LAUNCH_2024_BODY = [
    *_section(
        "About this webinar",
        (
            "paragraph",
            p(
                "The updated version of the launch, in September 2024. Megan Greenwood, from City of Sanctuary "
                "UK, took schools through what is new for 2024/25 in the minimum criteria and process, and the "
                "opportunities and resources for the year.",
                "If you watched the 2023/24 launch, start here: it covers what has changed since.",
            ),
        ),
    ),
]


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _transcript(*sections):
    return RichText("".join(f"<h3>{heading}</h3><p>{text}</p>" for heading, text in sections))


def _webinar(title, slug, summary, body, start, end, video_url, transcript, year_label):
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
        body=body,
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
                body=INTRO_BODY,
                tags=["Learn"],
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
                body=TWILIGHT_BODY,
                tags=["Embed"],
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
                body=SHARE_BODY,
                tags=["Share"],
            ),
        ),
    ]


# The archive's introduction once the demo's recordings are in it: it starts the reader at the first launch.
DEMO_WEBINARS_INTRO = (
    "Start with the 2023/24 Schools of Sanctuary Launch: Megan Greenwood, from City of Sanctuary UK, outlined the "
    "minimum criteria and process, shared some exciting upcoming opportunities and the latest resources, and gave "
    "some tips about how to move forward in a time efficient and meaningful way. An updated version followed in "
    "September 2024. Search the recordings by title, speaker or anything said in their transcripts."
)


def load(home, stdout, today=None):
    today = today or timezone.localdate()
    with transaction.atomic():
        index = structure.load(home, stdout)
        if index.webinars_intro == structure.WEBINARS_INTRO:  # not yet changed by an editor
            index.webinars_intro = DEMO_WEBINARS_INTRO
            index.save_revision().publish()

        add_child(
            index,
            _webinar(
                "Schools of Sanctuary Launch 2023/24",
                LAUNCH_SLUG,
                LAUNCH_SUMMARY,
                LAUNCH_BODY,
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
        add_child(
            index,
            _webinar(
                "Schools of Sanctuary Launch 2024/25 (updated September 2024)",
                LAUNCH_2024_SLUG,
                LAUNCH_2024_SUMMARY,
                LAUNCH_2024_BODY,
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
        add_child(
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
                body=INTRO_BODY,
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
            tags = fields.pop("tags")
            event = EventPage(slug=slug, **fields)
            event.tags.add(*tags)  # the process it helps with: shown on that process's page
            add_child(index, event)
    return index
