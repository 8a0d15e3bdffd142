"""The schools network in the admin: the audit log's journey moves, the Schools listing (filters, search, counts
per status, export for running renewals), the edit form's panels, "Move on the journey", the dashboard panel,
and the daily renewals job.

Only the "Schools network" group (apps.py) and superusers have the schools' model permissions, so only they see
the menu, the listing, its export and the dashboard panel; Editors and Moderators do not.
"""

from datetime import timedelta

import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from laces.components import Component
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.templatetags.site_tags import render_slot
from scheduler.jobs import ScheduledJob, command_job

from . import admin_views, directory, personal_data, structure, workspace
from .journey import JourneyStatus
from .models import MOVE_ACTION, School, SchoolDirectoryPage

WORKSPACE_ACTIONS = {
    workspace.EVIDENCE_ADDED: ("Evidence added in the workspace", "Evidence added to criterion {criterion}"),
    workspace.EVIDENCE_DELETED: ("Evidence deleted in the workspace", "Evidence deleted from criterion {criterion}"),
    workspace.CRITERION_READY: ("Criterion marked ready for review", "Criterion {criterion} marked ready for review"),
    workspace.CRITERION_REVIEWED: ("Criterion reviewed by EMAS", "Criterion {criterion} reviewed: {status}"),
    workspace.APPLICATION_SUBMITTED: ("Application sent from the workspace", "Application sent"),
    workspace.LEAD_SIGNED_IN: ("Lead signed in to the workspace", "Signed in to the workspace"),
}


@hooks.register("register_log_actions")
def register_workspace_actions(actions):
    """Each lead's and EMAS's action in a school's workspace, in the school's History ("by <lead>" for leads, who
    are not users)."""
    for action, (label, message) in WORKSPACE_ACTIONS.items():

        class WorkspaceAction(LogFormatter):
            def format_message(self, log_entry, message=message):
                text = message.format_map({"criterion": "", "status": "", **log_entry.data})
                return f"{text} by {log_entry.data['lead']}" if log_entry.data.get("lead") else text

        WorkspaceAction.label = label
        actions.register_action(action)(WorkspaceAction)


@hooks.register("register_log_actions")
def register_journey_moves(actions):
    @actions.register_action(MOVE_ACTION)
    class JourneyMove(LogFormatter):
        """ "Moved from “Interested” to “Pledge signed” on 2025-06-02: note", in each school's History."""

        label = "Move on the award journey"

        def format_message(self, log_entry):
            data = log_entry.data
            text = f"Moved from “{data.get('from_label')}” to “{data.get('to_label')}” on {data.get('on')}"
            return f"{text}: {data['note']}" if data.get("note") else text


class SchoolFilterSet(WagtailFilterSet):
    renewal_due_soon = django_filters.BooleanFilter(
        label="Renewal due in the next 90 days",
        method="filter_renewal_due_soon",
        help_text="Schools holding the award whose award expires within 90 days.",
    )

    class Meta:
        model = School
        fields = ["status", "phase", "area", "listed_publicly"]

    def filter_renewal_due_soon(self, queryset, name, value):
        due = admin_views.renewals_due_soon()
        return queryset.filter(pk__in=due.values("pk")) if value else queryset.exclude(pk__in=due.values("pk"))


def _day(value):
    return date_format(value, "j M Y") if value else ""


def _move_link(school):
    return format_html(
        '<a class="button button-small button-secondary" href="{}">Move on the journey'
        '<span class="w-sr-only"> ({})</span></a>',
        reverse(admin_views.MOVE_URL_NAME, args=[school.pk]),
        school.name,
    )


class SchoolViewSet(SnippetViewSet):
    model = School
    index_view_class = admin_views.SchoolIndexView
    index_template_name = "schools/admin/index.html"
    icon = "group"
    menu_label = "Schools"
    menu_name = "schools"
    menu_order = 260
    add_to_admin_menu = True
    filterset_class = SchoolFilterSet
    search_fields = ["name", "urn", "postcode"]
    ordering = ["name"]
    list_per_page = 50
    copy_view_enabled = False
    list_display = [
        "name",
        Column("status", label="Status", accessor="get_status_display"),
        Column("phase", label="Phase", accessor="get_phase_display"),
        Column("area", label="Area", accessor="get_area_display"),
        Column("awarded_on", label="Awarded", accessor=lambda school: _day(school.awarded_on)),
        Column("expires_on", label="Award expires", accessor=lambda school: _day(school.expires_on)),
        Column("move", label="Journey", accessor=_move_link),
    ]
    # For running the award and its renewals: EMAS need the leads' emails and phones to chase renewals, and only
    # the Schools network group (who may see the contacts on each record anyway) sees this listing.
    list_export = [
        "name",
        "urn",
        "status",
        "phase",
        "school_type",
        "area",
        "address",
        "postcode",
        "website",
        "listed_publicly",
        "pledge_signed_on",
        "application_submitted_on",
        "appraisal_on",
        "first_awarded_on",
        "awarded_on",
        "expires_on",
        "renewal_due_from",
        "contacts_for_export",
    ]
    export_headings = {
        "urn": "DfE URN",
        "school_type": "Type",
        "area": "Area",
        "listed_publicly": "Listed publicly",
        "pledge_signed_on": "Pledge signed",
        "application_submitted_on": "Application submitted",
        "appraisal_on": "Appraisal visit",
        "first_awarded_on": "First awarded",
        "awarded_on": "Current award since",
        "expires_on": "Award expires",
        "renewal_due_from": "Renewal due from",
        "contacts_for_export": "Contacts (private)",
    }
    export_filename = "schools"
    panels = [
        admin_views.JourneyPanel(heading="The award journey (changed only by “Move on the journey”)"),
        MultiFieldPanel(
            [
                HelpPanel(
                    content="Everything in this section is <strong>public</strong> once the school is listed in "
                    "the directory (and only then)."
                ),
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("listed_publicly"),
                FieldRowPanel([FieldPanel("phase"), FieldPanel("school_type"), FieldPanel("area")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("urn")]),
                FieldPanel("website"),
                FieldPanel("description"),
                *School.image_panels(),
                FieldPanel("learn_story"),
                FieldPanel("embed_story"),
                FieldPanel("share_story"),
            ],
            heading="Public: the school as the directory shows it",
        ),
        MultiFieldPanel(
            [
                HelpPanel(
                    content="<strong>Private</strong>: seen only by EMAS staff who manage schools, never on the "
                    "public site. Renewal reminders are emailed to these contacts."
                ),
                InlinePanel("contacts", label="Contact", heading="Sanctuary leads"),
            ],
            heading="Private: the school's sanctuary leads",
        ),
    ]

    def get_queryset(self, request):
        return School.objects.prefetch_related("contacts")


register_snippet(SchoolViewSet)


@hooks.register("register_admin_urls")
def register_schools_admin_urls():
    return [
        path("schools/move/<int:pk>/", admin_views.move_school, name=admin_views.MOVE_URL_NAME),
        path("schools/workspace/<int:pk>/", admin_views.workspace_review, name=admin_views.WORKSPACE_URL_NAME),
        path("schools/evidence-files/<uuid:key>/", admin_views.evidence_file, name=admin_views.EVIDENCE_FILE_URL_NAME),
    ]


class SchoolsPanel(Component):
    """On the admin dashboard, for whoever may see schools: schools by status, renewals due soon, applications
    waiting for a panel."""

    name = "schools_network"
    order = 95
    template_name = "schools/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        counts = admin_views.status_counts()
        waiting = next(row["count"] for row in counts if row["status"] == JourneyStatus.APPLICATION_SUBMITTED)
        return {
            "status_counts": [row for row in counts if row["count"]],
            "renewals_due": admin_views.renewals_due_soon().count(),
            "renewals_url": admin_views.list_url(renewal_due_soon="true"),
            "waiting_for_panel": waiting,
            "waiting_for_review": [
                {
                    "school": school,
                    "count": school.waiting,
                    "url": reverse(admin_views.WORKSPACE_URL_NAME, args=[school.pk]),
                }
                for school in workspace.waiting_for_review()[:10]
            ],
            "waiting_url": admin_views.list_url(status=JourneyStatus.APPLICATION_SUBMITTED),
            "list_url": admin_views.list_url(),
            "today": timezone.localdate(),
        }


@hooks.register("construct_homepage_panels")
def add_schools_panel(request, panels):
    if request.user.has_perm("schools.view_school"):
        panels.append(SchoolsPanel())


# The sanctuary leads' contacts in `manage.py personal_data export|erase` (docs/privacy.md).
hooks.register("register_personal_data", lambda: personal_data)


@hooks.register("register_scheduled_jobs")
def schools_jobs():
    return [
        ScheduledJob(
            "school_renewals",
            timedelta(days=1),
            command_job("school_renewals"),
            "manage.py school_renewals: renewal due and lapsed by date, renewal reminders before the award expires",
        )
    ]


# --- The public directory: the home page's slot and the site structure ---------------------------------------


@hooks.register("home_page_slots")
def schools_network_slot(context):
    """The home page's "N Coventry schools awarded, M working towards", counting only the schools the public may
    see, with a link to the directory; nothing when there are none or no live directory (2 queries)."""
    counts = directory.public_status_counts(School.objects.listed())
    counts = {"awarded": counts[directory.AWARDED], "working": counts[directory.WORKING_TOWARDS]}
    if not (counts["awarded"] or counts["working"]):
        return ""
    directory_page = SchoolDirectoryPage.objects.live().public().first()
    if directory_page is None:
        return ""
    return render_slot("schools/includes/home_slot.html", context, {**counts, "directory": directory_page})


hooks.register("register_site_structure", structure.load)


@hooks.register("robots_disallow")
def workspace_is_not_for_crawlers():
    """robots.txt: the award workspace and its sign-in are private (each page also says `noindex`)."""
    directory_page = SchoolDirectoryPage.objects.live().first()
    if directory_page is None or directory_page.url is None:
        return []
    return [directory_page.url + "sign-in/", directory_page.url + "workspace/"]


@hooks.register("dev_admin_hints")
def workspace_sign_in_hint():
    """`make run` says how to sign in as the lead of a demo school with a workspace: the sign-in link is emailed,
    and in development the email is printed in the same console (the console email backend)."""
    from django.conf import settings

    from .models import SchoolContact

    lead = SchoolContact.objects.filter(school__evidence__isnull=False).order_by("school__name", "pk").first()
    if lead is None:
        return ""
    return (
        f"  A school lead's award workspace: {settings.BASE_URL}/schools/sign-in/ with {lead.email}"
        f" ({lead.school.name}); the sign-in link is emailed, and printed in this console while developing."
    )
