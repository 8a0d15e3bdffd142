"""Admin for registrations (listing, filters, counts, spreadsheet export, actions) and the home page slot."""

from django.contrib import messages
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import IndexView

from home.page_cache import cache_until
from home.templatetags.site_tags import render_slot

from . import admin_views
from .models import EventIndexPage, EventPage, EventRegistration, confirmed_count_subquery
from .services import fill_free_places

HOME_SLOT_EVENTS = 3
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Stop a spreadsheet running what the public typed: text starting like a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class RegistrationIndexView(IndexView):
    """The listing, plus counts per status for the current filters, and formula-safe exports."""

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        return row.__class__((field, spreadsheet_safe(value)) for field, value in row.items())

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
    list_filter = ("event", "status")
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
def give_new_places_to_the_waiting_list(request, page):
    """When an editor publishes a higher capacity, people waiting get the new places (and an email)."""
    if isinstance(page.specific_deferred, EventPage) and page.specific.start > timezone.now():
        promoted = fill_free_places(page.specific)
        if promoted:
            messages.info(request, f"{len(promoted)} people on the waiting list were given a place and emailed.")


@hooks.register("home_page_slots")
def upcoming_events_slot(context):
    """The next few events on the home page; three queries however many events there are."""
    now = timezone.now()
    events = list(
        EventPage.objects.live()
        .public()
        .filter(end__gte=now)
        .select_related("image")
        .annotate(confirmed_count=confirmed_count_subquery())
        .order_by("start", "pk")[:HOME_SLOT_EVENTS]
    )
    # The home page drops an event from this slot when it ends.
    cache_until(context.get("request"), min((event.end for event in events), default=None))
    # The events themselves are filtered for privacy; the index link needs no second privacy lookup.
    index = EventIndexPage.objects.live().only("id", "url_path", "path", "depth").first() if events else None
    return render_slot(
        "events/includes/home_slot.html", context, {"events": events, "index_url": index.url if index else ""}
    )
