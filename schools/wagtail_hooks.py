"""The schools network in the admin: the audit log's journey moves (more to come: listing, dashboard)."""

from wagtail import hooks

from .models import MOVE_ACTION


@hooks.register("register_log_actions")
def register_journey_moves(actions):
    def message(log_entry):
        data = log_entry.data
        text = f"Moved from “{data.get('from_label')}” to “{data.get('to_label')}” on {data.get('on')}"
        return f"{text}: {data['note']}" if data.get("note") else text

    actions.register_action(MOVE_ACTION, "Move on the award journey", message)


# --- public directory ---

# Imported here, not at the top, so this part and the admin's above change apart.
from django.db.models import Count, Q  # noqa: E402

from home.templatetags.site_tags import render_slot  # noqa: E402

from . import structure  # noqa: E402
from .journey import HOLDS_AWARD, ON_THE_WAY  # noqa: E402
from .models import School, SchoolDirectoryPage  # noqa: E402


@hooks.register("home_page_slots")
def schools_network_slot(context):
    """The home page's "N Coventry schools awarded, M working towards", counting only the schools the public may
    see, with a link to the directory; nothing when there are none or no live directory (2 queries)."""
    counts = School.objects.listed().aggregate(
        awarded=Count("pk", filter=Q(status__in=HOLDS_AWARD)), working=Count("pk", filter=Q(status__in=ON_THE_WAY))
    )
    if not (counts["awarded"] or counts["working"]):
        return ""
    directory = SchoolDirectoryPage.objects.live().public().first()
    if directory is None:
        return ""
    return render_slot("schools/includes/home_slot.html", context, {**counts, "directory": directory})


hooks.register("register_site_structure", structure.load)
