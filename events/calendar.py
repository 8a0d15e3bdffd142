"""iCalendar (RFC 5545) for events: one event's "Add to calendar" file, emails' attachments and the feed.

Served at `<event>/ics/` and `/events/feed/` (Wagtail page URLs cannot contain a dot, so no `.ics` suffix;
the text/calendar content type and the attachment's file name tell calendar apps what it is).

Times are written in UTC, which every calendar app converts to its own time zone, so clock changes
cannot shift an event. UIDs are `event-<pk>@<site host>` so a subscribed calendar updates, never duplicates.
"""

from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event

PRODID = "-//Coventry City Council//Schools of Sanctuary events//EN"


def site_host():
    return urlsplit(settings.BASE_URL).hostname or "localhost"


def event_uid(event):
    return f"event-{event.pk}@{site_host()}"


def calendar_event(event, stamp):
    """The VEVENT for one event. Public details only: the joining link is never included."""
    url = settings.BASE_URL + event.url if event.url else None
    description = event.summary
    if url:
        description = f"{description}\n\nDetails and sign-up: {url}"
    return Event.new(
        uid=event_uid(event),
        summary=event.title,
        start=event.start.astimezone(UTC),
        end=event.end.astimezone(UTC),
        stamp=stamp,
        last_modified=(event.last_published_at or stamp).astimezone(UTC),
        location=event.where,
        description=description,
        url=url,
    )


def build_calendar(events, name):
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    calendar = Calendar.new(prodid=PRODID, name=name, method="PUBLISH", uid=f"events-{slugify(name)}@{site_host()}")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(calendar_event(event, stamp))
    return calendar


def calendar_bytes(events, name):
    return build_calendar(events, name).to_ical()


def calendar_response(events, filename, name):
    response = HttpResponse(calendar_bytes(events, name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def upcoming_events_feed(request, index):
    """The programme's calendar feed (`/events/feed/`): every event below the index that has not ended."""
    events = index.events().filter(end__gte=timezone.now()).order_by("start", "pk")
    return calendar_response(events, filename="coventry-schools-of-sanctuary-events.ics", name=index.title)


def event_ics(request, event):
    """One event's "Add to calendar" file (`<event>/ics/`)."""
    return calendar_response([event], filename=f"{event.slug}.ics", name=event.title)
