"""How event dates read on the site and in emails: "Tue 1 Oct 2024, 3:30pm–5:00pm", in Europe/London."""

from django.utils import timezone

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(value):
    local = timezone.localtime(value)
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def format_time(value):
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def format_long_date(value):
    """ "1 October 2024": the day in full, where a date tells apart events that share a title."""
    local = timezone.localdate(value)
    return f"{local.day} {LONG_MONTHS[local.month - 1]} {local.year}"


def format_moment(value):
    return f"{format_day(value)}, {format_time(value)}" if value else ""


def format_event_dates(start, end):
    """One readable line for an event's dates; the end day is repeated only when it differs."""
    if start is None:
        return ""
    if end is None:
        return f"{format_day(start)}, {format_time(start)}"
    if timezone.localdate(start) == timezone.localdate(end):
        return f"{format_day(start)}, {format_time(start)}–{format_time(end)}"
    return f"{format_day(start)}, {format_time(start)} to {format_day(end)}, {format_time(end)}"


def academic_year(value):
    """The school year a date falls in (September to August), as "2023/24"."""
    local = timezone.localdate(value)
    first = local.year if local.month >= 9 else local.year - 1
    return f"{first}/{(first + 1) % 100:02d}"
