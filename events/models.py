"""Events with online sign-up, and the archive of recorded webinars.

`EventIndexPage` lists events and serves the webinar archive and the iCalendar feed; `EventPage` is one
event (with its sign-up form and, once it has happened, its recording). Registrations are personal data
kept outside the page tree in `EventRegistration`; who holds a place and who waits is asked of its queryset
(`confirmed()`, `waiting_in_order()`, `active_for(email)`), and the rules that change them live in
`events.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES, BaseStreamBlock, validate_video_url
from home.models import IndexedWithChildRelationsMixin, OneQueryChildRouteMixin, PageMetaMixin, image_with_alt_text
from home.routing import page_view
from page_cache.cache import cache_until, depends_on

from .dates import academic_year, format_event_dates, format_long_date, format_moment

# The page-cache topic of every page showing places left: sign-ups and cancellations change only these.
PLACES_TOPIC = "event-places"


def confirmed_count_subquery():
    """Confirmed places per event as a correlated subquery: it reads the (event, status) index, where a
    join + GROUP BY over every page column took half a second with 20,000 registrations on SQLite."""
    confirmed = (
        EventRegistration.objects.confirmed()
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(places=Count("pk"))
        .values("places")
    )
    return Coalesce(Subquery(confirmed), 0)


class EventIndexPage(OneQueryChildRouteMixin, RoutablePageMixin, PageMetaMixin, Page):
    """The events section: upcoming and past events, the webinar archive and the calendar feed."""

    child_route_model = "EventPage"
    child_route_select_related = ("image",)

    intro = models.TextField(
        max_length=600,
        blank=True,
        help_text="A sentence or two under the title: what kind of events these are and who they are for.",
    )
    webinars_intro = models.TextField(
        max_length=600,
        blank=True,
        help_text="Shown at the top of the webinar archive (/webinars/ under this page).",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("webinars_intro"),
        HelpPanel(
            content="Add each event as a child page. Upcoming events are listed soonest first and past events "
            "newest first; past events with a recording appear in the webinar archive."
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = "event index page"

    def events(self):
        """Live, public events below this page, with what every listing shows in the same query."""
        return (
            EventPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("image")
            .annotate(confirmed_count=confirmed_count_subquery())
        )

    # Routes (README "Layout"); the views live in events/views.py and events/calendar.py.
    event_index = page_view("", "events.views.event_index")
    webinars = page_view("webinars/", "events.views.webinar_archive", name="webinars")
    feed = page_view("feed/", "events.calendar.upcoming_events_feed", name="feed")

    def get_meta_description(self):
        return self.search_description or self.intro


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey("events.EventPage", on_delete=models.CASCADE, related_name="tagged_items")


class EventPageQuerySet(PageQuerySet):
    def recordings(self, now):
        """Past events with a recording: the webinar archive."""
        return self.filter(end__lt=now).exclude(video_url="").select_related("slides")

    def matching(self, query):
        """Archive search over title, summary, speakers and transcript (the same on SQLite and PostgreSQL)."""
        speaker_match = EventSpeaker.objects.filter(Q(name__icontains=query) | Q(organisation__icontains=query)).values(
            "event_id"
        )
        return self.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(transcript__icontains=query)
            | Q(pk__in=speaker_match)
        )


EventImage = image_with_alt_text(
    help_text="Optional picture for listings and sharing. Photos of pupils need consent.",
    alt_help_text="Describe the image. Leave empty only if it is purely decorative.",
)


class EventPage(EventImage, IndexedWithChildRelationsMixin, RoutablePageMixin, PageMetaMixin, Page):
    """One event: its details, the sign-up form, and afterwards its recording."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid (in person and online)"

    summary = models.TextField(
        max_length=400, help_text="One or two sentences for listings, search results and the calendar."
    )
    body = StreamField(BaseStreamBlock(), blank=True, help_text="The full description: programme, who it is for.")
    start = models.DateTimeField(help_text="Start date and time, UK time (the site handles the clock changes).")
    end = models.DateTimeField(help_text="End date and time, UK time. Must be after the start.")
    event_format = models.CharField(
        "format",
        max_length=20,
        choices=Format.choices,
        default=Format.IN_PERSON,
        help_text="In person needs a venue; online events need a joining link before anyone signs up.",
    )
    venue = models.TextField(
        blank=True,
        max_length=500,
        help_text="Venue name and address, one line each. Leave empty for online events.",
    )
    joining_link = models.URLField(
        blank=True,
        max_length=500,
        help_text="PRIVATE: the Teams/Zoom link. Only sent in confirmation emails; never shown on the site.",
    )
    capacity = models.PositiveIntegerField(
        default=30,
        help_text="Places available. Further sign-ups join the waiting list. 0 means waiting list only.",
    )
    signup_opens = models.DateTimeField(
        null=True, blank=True, help_text="When sign-up opens. Leave empty to open it as soon as the page is live."
    )
    signup_closes = models.DateTimeField(
        null=True, blank=True, help_text="When sign-up closes. Leave empty to close it when the event starts."
    )
    audience = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who the event is for, e.g. 'Headteachers, SENCOs and EAL leads in Coventry schools'.",
    )
    tags = ClusterTaggableManager(through=EventPageTag, blank=True, help_text="Topics, e.g. 'induction', 'award'.")

    video_url = models.URLField(
        "recording (video address)",
        blank=True,
        max_length=300,
        validators=[validate_video_url],
        help_text="YouTube or Vimeo address of the recording. A past event with a recording is in the webinar archive.",
    )
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The presentation slides (PDF preferred).",
    )
    transcript = RichTextField(
        features=RICH_TEXT_FEATURES, blank=True, help_text="The full transcript of the recording. Site search finds it."
    )
    captions_note = models.CharField(
        max_length=250,
        blank=True,
        help_text="Say whether the video has captions, e.g. 'Edited English captions are available.'",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("event_format"),
                FieldPanel("venue"),
                FieldPanel("joining_link"),
                FieldPanel("audience"),
            ],
            heading="When and where",
        ),
        MultiFieldPanel(
            [FieldPanel("capacity"), FieldRowPanel([FieldPanel("signup_opens"), FieldPanel("signup_closes")])],
            heading="Sign-up",
        ),
        FieldPanel("body"),
        EventImage.image_panel(),
        FieldPanel("tags"),
        MultiFieldPanel(
            [
                FieldPanel("video_url"),
                FieldPanel("captions_note"),
                FieldPanel("slides"),
                FieldPanel("transcript"),
                InlinePanel("speakers", label="Speakers"),
            ],
            heading="Recording (after the event)",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("audience"),
        index.SearchField("transcript"),
        index.RelatedFields("speakers", [index.SearchField("name"), index.SearchField("organisation")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("start"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    objects = PageManager.from_queryset(EventPageQuerySet)()

    class Meta:
        verbose_name = "event"
        indexes = [models.Index(fields=["start"], name="events_event_start_idx")]

    # --- validation ---------------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "The end must be after the start."
        if self.event_format in (self.Format.IN_PERSON, self.Format.HYBRID) and not self.venue.strip():
            errors["venue"] = "Give the venue address for an in-person or hybrid event."
        if self.signup_closes and self.start and self.signup_closes > self.start:
            errors["signup_closes"] = "Sign-up must close before the event starts (or leave empty)."
        if self.signup_opens and self.signup_closes and self.signup_opens >= self.signup_closes:
            errors["signup_opens"] = "Sign-up must open before it closes."
        if errors:
            raise ValidationError(errors)

    # --- what templates and services ask --------------------------------------------------------------

    @property
    def is_online(self):
        return self.event_format in (self.Format.ONLINE, self.Format.HYBRID)

    @property
    def where(self):
        """Public description of the place: the venue, 'Online', or both; never the joining link."""
        if self.event_format == self.Format.ONLINE:
            return "Online"
        if self.event_format == self.Format.HYBRID:
            return f"{self.venue_one_line} and online"
        return self.venue_one_line

    @property
    def venue_one_line(self):
        return ", ".join(line.strip() for line in self.venue.splitlines() if line.strip())

    @property
    def title_with_date(self):
        """ "Introduction to Schools of Sanctuary – 1 October 2024": how editors' lists and exports name an event,
        as the same session often runs every year under the same title."""
        return f"{self.title} – {format_long_date(self.start)}"

    @property
    def display_dates(self):
        return format_event_dates(self.start, self.end)

    @property
    def signup_deadline(self):
        """Sign-up closes at the closing time or when the event starts, whichever is first."""
        if self.signup_closes and self.signup_closes < self.start:
            return self.signup_closes
        return self.start

    @property
    def signup_deadline_display(self):
        return format_moment(self.signup_deadline)

    @property
    def signup_opens_display(self):
        return format_moment(self.signup_opens)

    def signup_state(self, now=None):
        """'not_yet', 'open' or 'closed'."""
        now = now or timezone.now()
        if self.signup_opens and now < self.signup_opens:
            return "not_yet"
        if now >= self.signup_deadline:
            return "closed"
        return "open"

    def is_past(self, now=None):
        return self.end < (now or timezone.now())

    def next_change(self, now=None):
        """The next moment this event's pages change by the clock alone (sign-up opens or closes, it ends)."""
        now = now or timezone.now()
        moments = [moment for moment in (self.signup_opens, self.signup_deadline, self.end) if moment and moment > now]
        return min(moments, default=None)

    @property
    def has_recording(self):
        return bool(self.video_url)

    @cached_property
    def places_taken(self):
        annotated = getattr(self, "confirmed_count", None)
        if annotated is not None:
            return annotated
        return self.registrations.confirmed().count()

    @property
    def places_left(self):
        depends_on(PLACES_TOPIC)  # a cached page showing this changes with every sign-up (page_cache/cache.py)
        return max(0, self.capacity - self.places_taken)

    @property
    def is_full(self):
        return self.places_left == 0

    @property
    def academic_year(self):
        return academic_year(self.start)

    @property
    def speaker_list(self):
        prefetched = getattr(self, "_speakers", None)
        return prefetched if prefetched is not None else list(self.speakers.all())

    @staticmethod
    def prefetch_speakers(events):
        """One query for the speakers of many events (ParentalKey relations are not prefetchable as usual)."""
        by_event = {event.pk: event for event in events}
        for event in events:
            event._speakers = []
        for speaker in EventSpeaker.objects.filter(event_id__in=by_event).order_by("event_id", "sort_order", "pk"):
            by_event[speaker.event_id]._speakers.append(speaker)

    def get_meta_description(self):
        return self.search_description or self.summary

    # --- routes ---------------------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        context["now"] = now
        context["signup_state"] = self.signup_state(now)
        context["is_past"] = self.is_past(now)
        context["retention_days"] = settings.EVENT_REGISTRATION_RETENTION_DAYS
        cache_until(request, self.next_change(now))
        return context

    # Routes (README "Layout"): the page itself is Wagtail's own serve; the views live in events/views.py and
    # events/calendar.py.
    register = page_view("register/", "events.views.register")
    registered = page_view(r"^registered/(?P<token>[\w-]+)/$", "events.views.registered", regex=True)
    cancel = page_view(r"^cancel/(?P<token>[\w-]+)/$", "events.views.cancel", regex=True)
    ics = page_view("ics/", "events.calendar.event_ics", name="ics")

    def render_signup(self, request, form=None, status=200):
        """The sign-up page (`register/`): the form while sign-up is open, otherwise why not and a link back.

        The event page itself only links here, so it holds no CSRF token and the page cache can share it.
        """
        from .forms import RegistrationForm

        context = self.get_context(request)
        if form is None and context["signup_state"] == "open":
            form = RegistrationForm()
        context["form"] = form
        return TemplateResponse(request, "events/register.html", context, status=status)


class EventSpeaker(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=120, help_text="The speaker's name as they want it shown.")
    organisation = models.CharField(max_length=160, blank=True, help_text="e.g. 'City of Sanctuary UK'.")

    panels = [FieldPanel("name"), FieldPanel("organisation")]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class EventRegistrationQuerySet(models.QuerySet):
    """The questions every rule about places asks, answered in one place."""

    def confirmed(self):
        """Registrations holding a place: what counts against the event's capacity."""
        return self.filter(status=EventRegistration.Status.CONFIRMED)

    def waiting_in_order(self):
        """The waiting list in the order places are given: first come, first served (ties by number)."""
        return self.filter(status=EventRegistration.Status.WAITING).order_by("created", "pk")

    def active_for(self, email):
        """The place or waiting-list spot `email` holds (any case); the database allows one per event."""
        return self.filter(email__iexact=email, status__in=EventRegistration.ACTIVE, anonymised=False)


class EventRegistration(models.Model):
    """One person's sign-up for an event. Personal data: blanked by the `registrations` retention rule
    (`manage.py apply_retention`, events/personal_data.py)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "Waiting list"
        CANCELLED = "cancelled", "Cancelled"

    class Role(models.TextChoices):
        HEADTEACHER = "headteacher", "Headteacher or senior leader"
        TEACHER = "teacher", "Teacher"
        SUPPORT = "support", "Teaching assistant or support staff"
        EAL = "eal", "EAL, inclusion or pastoral lead"
        GOVERNOR = "governor", "Governor or trustee"
        OTHER = "other", "Other"

    ACTIVE = (Status.CONFIRMED, Status.WAITING)

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField("work email", max_length=254, blank=True)
    school = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    access_needs = models.TextField("access or dietary needs", max_length=1000, blank=True)
    consent = models.BooleanField("agreed to the privacy notice", default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CONFIRMED, db_index=True)
    anonymised = models.BooleanField(
        default=False, help_text="Personal details were removed after the retention period; counts are kept."
    )
    created = models.DateTimeField("signed up", auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = EventRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "event registration"
        ordering = ["event", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["confirmed", "waiting"], anonymised=False),
                name="events_one_active_registration_per_email",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created"], name="events_reg_event_status_idx")]

    def __str__(self):
        if self.anonymised:
            return f"Anonymised registration #{self.pk}"
        return f"{self.name} <{self.email}>"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def cancel_token(self):
        from .services import make_cancel_token

        return make_cancel_token(self)

    def cancel_url(self):
        event = self.event
        return settings.BASE_URL + event.url + event.reverse_subpage("cancel", kwargs={"token": self.cancel_token()})
