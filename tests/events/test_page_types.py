"""Page types: where they can be created, the editor's form, validation messages, and rendering."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events.models import EventIndexPage, EventPage
from home.models import ContentPage, HomePage
from tests.factories import load_demo_part


class EventPageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from home import structure

        cls.home = structure.load(io.StringIO())
        load_demo_part(cls.home, "events")
        cls.index = EventIndexPage.objects.get()
        cls.launch = EventPage.objects.get(slug="schools-of-sanctuary-launch-2023-24")

    def setUp(self):
        self.user = get_user_model().objects.create_superuser("admin", "admin@example.org", "correct horse 12")
        self.client.force_login(self.user)

    def test_where_pages_can_be_created(self):
        self.assertCanCreateAt(HomePage, EventIndexPage)
        self.assertCanCreateAt(EventIndexPage, EventPage)
        self.assertCanNotCreateAt(HomePage, EventPage)
        self.assertCanNotCreateAt(ContentPage, EventIndexPage)
        self.assertCanNotCreateAt(EventPage, EventPage)
        self.assertCanNotCreateAt(Page, EventIndexPage)

    def test_editor_creates_an_event_with_speakers(self):
        start = (timezone.localtime() + timedelta(days=30)).replace(hour=15, minute=30, second=0, microsecond=0)
        self.assertCanCreate(
            self.index,
            EventPage,
            nested_form_data(
                {
                    "title": "Welcome week planning",
                    "slug": "welcome-week-planning",
                    "summary": "Plan a welcome week.",
                    "body": streamfield([("paragraph", rich_text("<p>Bring ideas.</p>"))]),
                    "start": start.strftime("%Y-%m-%d %H:%M"),
                    "end": (start + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
                    "event_format": "hybrid",
                    "venue": "Council House\nEarl Street",
                    "joining_link": "https://teams.example.org/join/x",
                    "capacity": 20,
                    "transcript": rich_text(""),
                    "speakers": inline_formset([{"name": "Megan Greenwood", "organisation": "City of Sanctuary UK"}]),
                    "tags": "welcome, induction",
                }
            ),
        )
        event = EventPage.objects.get(slug="welcome-week-planning")
        assert event.speakers.get().name == "Megan Greenwood"
        assert sorted(event.tags.names()) == ["induction", "welcome"]
        assert timezone.localtime(event.start).hour == 15

    def test_pages_render_and_are_editable_and_previewable(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.launch)
        self.assertPageIsRenderable(self.index, route_path="/webinars/")
        self.assertPageIsRenderable(self.index, route_path="/feed/")
        start = timezone.localtime(self.launch.start)
        launch_data = nested_form_data(
            {
                "title": self.launch.title,
                "slug": self.launch.slug,
                "summary": "Changed summary",
                "body": streamfield([]),
                "start": start.strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(self.launch.end).strftime("%Y-%m-%d %H:%M"),
                "event_format": "online",
                "capacity": 100,
                "video_url": self.launch.video_url,
                "transcript": rich_text("<p>Transcript</p>"),
                "speakers": inline_formset([{"name": "Megan Greenwood", "organisation": "City of Sanctuary UK"}]),
            }
        )
        index_data = nested_form_data({"title": "Events", "slug": "events", "intro": "Changed", "webinars_intro": ""})
        self.assertPageIsEditable(self.index, post_data=index_data)
        self.assertPageIsEditable(self.launch, post_data=launch_data)
        self.assertPageIsPreviewable(self.launch, post_data=launch_data)
        self.assertPageIsPreviewable(self.index, post_data=index_data)
        draft = self.launch.revisions.order_by("-created_at", "-pk").first().as_object()
        assert draft.summary == "Changed summary"

    def test_only_one_events_index(self):
        assert not EventIndexPage.can_create_at(self.home)


def _event(**fields):
    start = timezone.now() + timedelta(days=5)
    defaults = dict(
        title="x", summary="y", start=start, end=start + timedelta(hours=1), event_format="online", capacity=5
    )
    defaults.update(fields)
    return EventPage(**defaults)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"end": timezone.now()}, "end", "The end must be after the start."),
        ({"event_format": "in_person", "venue": ""}, "venue", "Give the venue address"),
        ({"signup_closes": timezone.now() + timedelta(days=30)}, "signup_closes", "must close before the event starts"),
        (
            {"signup_opens": timezone.now() + timedelta(days=2), "signup_closes": timezone.now() + timedelta(days=1)},
            "signup_opens",
            "must open before it closes",
        ),
    ],
)
@pytest.mark.django_db
def test_validation_messages(fields, field, message):
    with pytest.raises(ValidationError) as error:
        _event(**fields).clean()
    assert message in " ".join(error.value.message_dict[field])


def test_every_editor_field_has_help_text():
    for name in (
        "summary",
        "start",
        "end",
        "event_format",
        "venue",
        "joining_link",
        "capacity",
        "signup_opens",
        "signup_closes",
        "audience",
        "image",
        "video_url",
        "slides",
        "transcript",
        "captions_note",
    ):
        assert EventPage._meta.get_field(name).help_text, name
    assert EventIndexPage._meta.get_field("intro").help_text


def test_index_lists_upcoming_soonest_first_and_past_newest_first(client, make_event):
    now = timezone.now()
    later = make_event(title="Later", start=now + timedelta(days=20))
    sooner = make_event(title="Sooner", start=now + timedelta(days=3))
    html = client.get("/events/").content.decode()
    upcoming_part, past_part = html.split('id="past-heading"')
    assert upcoming_part.index("Sooner") < upcoming_part.index("Later")
    assert past_part.index("Introduction to Schools of Sanctuary for Coventry Schools") < past_part.index(
        "Schools of Sanctuary Launch 2023/24"
    )
    assert "Tue 1 Oct 2024, 3:30pm–5:00pm" in past_part
    assert sooner.display_dates in upcoming_part and later.display_dates in upcoming_part
    assert "2 places left" in upcoming_part


def test_index_pages_upcoming_and_past_events_separately(client, make_event):
    """A busy term: 24 upcoming events a page, each list with its own labelled pagination."""
    from events.views import UPCOMING_PER_PAGE

    now = timezone.now()
    already = EventPage.objects.filter(end__gte=now).count()
    for day in range(UPCOMING_PER_PAGE + 2 - already):
        make_event(title=f"Busy term {day:02}", start=now + timedelta(days=40 + day))
    first = client.get("/events/?page=1").content.decode()
    upcoming_part = first.split('id="past-heading"')[0]
    assert upcoming_part.count('class="card event-card"') == UPCOMING_PER_PAGE
    assert 'aria-label="Upcoming events pages"' in upcoming_part and "Page 1 of 2" in upcoming_part
    assert 'href="?page=1&amp;upcoming=2"' in upcoming_part
    second = client.get("/events/?page=1&upcoming=2").content.decode()
    upcoming_part, past_part = second.split('id="past-heading"')
    assert upcoming_part.count('class="card event-card"') == 2
    assert "Busy term" in upcoming_part and "Page 2 of 2" in upcoming_part
    assert "Schools of Sanctuary Launch 2023/24" in past_part  # the past list stays on its own page 1
    assert client.get("/events/?upcoming=not-a-number").status_code == 200


def test_index_empty_state(client, events_index):
    EventPage.objects.filter(end__gte=timezone.now()).delete()
    html = client.get("/events/").content.decode()
    assert "There are no upcoming events at the moment" in html


def test_home_page_shows_the_next_events(client, make_event):
    soon = make_event(title="Very soon", start=timezone.now() + timedelta(hours=5))
    html = client.get("/").content.decode()
    assert 'id="home-events-heading"' in html
    assert "Very soon" in html and soon.display_dates in html
    assert "Schools of Sanctuary Launch 2023/24" not in html.split('id="home-events-heading"')[1]


@pytest.mark.parametrize(
    "slug",
    ["introduction-to-schools-of-sanctuary", "welcoming-new-arrivals-twilight", "schools-of-sanctuary-launch-2023-24"],
)
def test_event_page_has_its_summary_once_and_a_body_of_its_own(client, events_index, slug):
    from bs4 import BeautifulSoup

    event = EventPage.objects.filter(slug__startswith=slug).order_by("-start").first()
    main = BeautifulSoup(client.get(event.url).content, "html.parser").find("main")
    text = main.get_text(" ", strip=True)
    assert text.count(event.summary) == 1  # the lead paragraph, not repeated as the body
    body = main.select_one(".event__body").get_text(" ", strip=True)
    assert event.summary not in body
    for heading in ("Who it is for", "What to bring") if not event.has_recording else ("About this webinar",):
        assert heading in body, heading


def test_demo_events_have_distinct_bodies_in_the_seed_s_words(events_index):
    bodies = {event.slug: str(event.body) for event in EventPage.objects.all()}
    upcoming_intro = next(body for slug, body in bodies.items() if slug.startswith("introduction-to-schools-"))
    assert "introduction to Schools of Sanctuary for Coventry Schools, 3:30-5:00" in upcoming_intro
    assert "Megan Greenwood" in bodies["schools-of-sanctuary-launch-2023-24"]
    distinct = {body for slug, body in bodies.items() if not slug.startswith("introduction-to-schools-")}
    assert len(distinct) == len(bodies) - 2  # the intro's bodies match each other only (same session, two dates)


def test_index_offers_the_calendar_subscription_as_a_link_with_how_to_add_it(client, events_index):
    from bs4 import BeautifulSoup

    main = BeautifulSoup(client.get("/events/").content, "html.parser").find("main")
    link = main.find("a", string="Subscribe to the events calendar (iCal)")
    assert link is not None and link["href"] == "/events/feed/"
    text = main.get_text(" ", strip=True)
    assert "Outlook" in text and "Google Calendar" in text
    assert main.find("code") is None and "http://testserver/events/feed/" not in text  # no raw address to overflow
