"""Admin for registrations (listing, filters, counts, spreadsheet export, actions), and the events' slots on the
home page, the process pages and pages that show what is on."""

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView

from home.admin_exports import ListingExportMixin
from home.models import PROCESS_CHOICES
from home.templatetags.site_tags import render_slot
from page_cache.cache import cache_until

from . import admin_views, personal_data, signals, structure
from .models import EventIndexPage, EventPage, EventPageTag, EventRegistration, confirmed_count_subquery

HOME_SLOT_EVENTS = 3


class EventWithDateFilter(RelatedFieldListFilter):
    """The "By event" filter, each event named with its date, newest first: the same session runs every
    year under one title."""

    def field_choices(self, field, request, model_admin):
        events = EventPage.objects.order_by("-start", "-pk").only("pk", "title", "start")
        return [(event.pk, event.title_with_date) for event in events]


class RegistrationIndexView(ListingExportMixin, IndexView):
    """The listing, plus counts per status for the current filters; exports as every listing's (home/admin_exports.py),
    the event named with its date as the "By event" filter names it."""

    def export_value(self, item, field):
        if field == "event":
            return item.event.title_with_date
        return super().export_value(item, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = self.queryset.order_by().aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in EventRegistration.Status.values}
        )
        context["status_counts"] = [(label, totals[value]) for value, label in EventRegistration.Status.choices]
        event_id = self.params.get("event__page_ptr__exact")
        context["filtered_event"] = EventPage.objects.filter(pk=event_id).first() if str(event_id).isdigit() else None
        return context


class RegistrationPermissionHelper(PermissionHelper):
    """Registrations come from the public form only; editors never add them by hand."""

    def user_can_create(self, user):
        return False


class RegistrationButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if not self.request.user.has_perm(admin_views.PERMISSION):
            return buttons
        classnames = " ".join(["button", *(classnames_add or [])])
        if obj.status == EventRegistration.Status.WAITING:
            buttons.append(
                {
                    "url": reverse("events_registration_action", args=[obj.pk, "promote"]),
                    "label": "Give a place",
                    "classname": classnames,
                    "title": f"Promote {obj} from the waiting list",
                }
            )
        if obj.status != EventRegistration.Status.CANCELLED:
            buttons.append(
                {
                    "url": reverse("events_registration_action", args=[obj.pk, "cancel"]),
                    "label": "Cancel",
                    "classname": classnames + " no",
                    "title": f"Cancel {obj}",
                }
            )
        return buttons


@modeladmin_register
class EventRegistrationAdmin(ModelAdmin):
    model = EventRegistration
    menu_label = "Event sign-ups"
    menu_icon = "date"
    menu_order = 300
    add_to_settings_menu = False
    list_display = ("name", "email", "school", "role", "event", "status_label", "created")
    list_filter = (("event", EventWithDateFilter), "status")
    search_fields = ("name", "school", "email")
    list_select_related = ("event",)
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ("event", "name", "email", "school", "role", "access_needs", "consent", "status", "created")
    # Status changes go through the actions (so the rules and emails apply); the email is the booking key.
    form_fields_exclude = ("event", "email", "status", "anonymised", "consent")
    index_view_class = RegistrationIndexView
    index_template_name = "events/admin/registration_index.html"
    permission_helper_class = RegistrationPermissionHelper
    button_helper_class = RegistrationButtonHelper
    list_export = ("event", "name", "email", "school", "role", "access_needs", "status", "created")
    export_filename = "event-registrations"

    def status_label(self, obj):
        return format_html("<strong>{}</strong>", obj.get_status_display())

    status_label.short_description = "Status"
    status_label.admin_order_field = "status"


@hooks.register("register_admin_urls")
def register_event_admin_urls():
    return [
        path(
            "events/registrations/<int:pk>/<str:action>/",
            _action_view,
            name="events_registration_action",
        ),
        path("events/<int:event_id>/email-attendees/", admin_views.email_attendees, name="events_email_attendees"),
    ]


def _action_view(request, pk, action):
    from django.http import Http404

    if action not in ("cancel", "promote"):
        raise Http404
    return admin_views.registration_action(request, pk, action)


@hooks.register("after_publish_page")
def tell_the_editor_who_was_given_a_place(request, page):
    """The places themselves are filled on every publish (events/signals.py); in the admin, the editor is told."""
    promoted = signals.promoted_when_published(page)
    if promoted:
        messages.info(request, f"{promoted} people on the waiting list were given a place and emailed.")


def _upcoming_events():
    """Live, public events that have not ended, soonest first, with what a card shows in the same query."""
    return (
        EventPage.objects.live()
        .public()
        .filter(end__gte=timezone.now())
        .select_related("image")
        .annotate(confirmed_count=confirmed_count_subquery())
        .order_by("start", "pk")
    )


def _latest_recording():
    """The most recent past event with a recording (one query), for 'watch the latest webinar'."""
    return EventPage.objects.live().public().recordings(timezone.now()).order_by("-start", "-pk").first()


def _index_links(needed):
    """The events index's URL and its webinar archive's, in one query and only when something links to them."""
    index = EventIndexPage.objects.live().only("id", "url_path", "path", "depth").first() if needed else None
    if index is None:
        return {"index_url": "", "webinars_url": ""}
    return {"index_url": index.url, "webinars_url": index.url + index.reverse_subpage("webinars")}


@hooks.register("home_page_slots")
def upcoming_events_slot(context):
    """The next few events and the latest webinar recording on the home page; four queries however many events."""
    events = list(_upcoming_events()[:HOME_SLOT_EVENTS])
    recording = _latest_recording()
    # The home page drops an event from this slot when it ends.
    cache_until(context.get("request"), min((event.end for event in events), default=None))
    # The events themselves are filtered for privacy; the index link needs no second privacy lookup.
    return render_slot(
        "events/includes/home_slot.html",
        context,
        {"events": events, "recording": recording, **_index_links(events or recording)},
    )


@hooks.register("whats_on_slots")
def whats_on_slot(context):
    """The next event with its sign-up link and the latest webinar recording (e.g. on 'How to apply'), so no page
    has to announce a date in its text; three queries."""
    next_event = _upcoming_events().first()
    recording = _latest_recording()
    if next_event is None and recording is None:
        return ""
    cache_until(context.get("request"), next_event.next_change() if next_event else None)
    return render_slot(
        "events/includes/whats_on.html",
        context,
        {"next_event": next_event, "recording": recording, **_index_links(True)},
    )


@hooks.register("process_page_slots", order=20)  # resources, then events, then posts
def process_events_slot(context, process):
    """Upcoming events on a Learn, Embed or Share page: those tagged with the process (e.g. 'learn') if there are
    any, otherwise the next events; three queries."""
    tagged = EventPageTag.objects.filter(content_object=OuterRef("pk"), tag__slug=process)
    events = list(
        _upcoming_events()
        .annotate(for_process=Exists(tagged))
        .order_by("-for_process", "start", "pk")[:HOME_SLOT_EVENTS]
    )
    if not events:
        return ""
    if events[0].for_process:
        events = [event for event in events if event.for_process]
    cache_until(context.get("request"), min(event.end for event in events))
    return render_slot(
        "events/includes/process_slot.html",
        context,
        {
            "events": events,
            "process_name": dict(PROCESS_CHOICES).get(process, process),
            "for_process": events[0].for_process,
            **_index_links(True),
        },
    )


# This app's part of a new site's structure, and of the personal-data map (README "Which app may import which").
hooks.register("register_site_structure", structure.load)
hooks.register("register_personal_data", lambda: personal_data)
