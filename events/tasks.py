"""Emails about registrations, sent in the background after the sign-up's transaction commits."""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django_tasks import task

SUBJECTS = {
    "confirmed": "Your place is booked: {title}",
    "waiting": "You are on the waiting list: {title}",
    "promoted": "A place is now yours: {title}",
}


@task()
def send_registration_email(registration_id, kind):
    """Confirmation, waiting-list notice or promotion notice. Nothing is sent for a cancelled or anonymised row."""
    from .calendar import calendar_bytes
    from .models import EventRegistration

    registration = EventRegistration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymised or not registration.email:
        return
    if registration.status == EventRegistration.Status.CANCELLED:
        return
    event = registration.event
    has_place = kind in ("confirmed", "promoted")
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        "has_place": has_place,
        "event_url": settings.BASE_URL + event.url,
        "cancel_url": registration.cancel_url(),
        "joining_link": event.joining_link if has_place and event.is_online else "",
    }
    message = EmailMessage(
        subject=SUBJECTS[kind].format(title=event.title),
        body=render_to_string("events/email/registration.txt", context),
        to=[registration.email],
    )
    if has_place:
        message.attach(f"{event.slug}.ics", calendar_bytes([event], event.title), "text/calendar")
    message.send()


@task()
def send_attendee_message(event_id, subject, message, include_waiting_list=False):
    """An editor's message to everyone with a place (one email each, so nobody sees another's address)."""
    from .models import EventPage, EventRegistration

    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    statuses = list(EventRegistration.ACTIVE) if include_waiting_list else [EventRegistration.Status.CONFIRMED]
    registrations = EventRegistration.objects.filter(event=event, status__in=statuses, anonymised=False).exclude(
        email=""
    )
    messages = []
    for registration in registrations.order_by("pk"):
        body = render_to_string(
            "events/email/attendee_message.txt",
            {
                "registration": registration,
                "event": event,
                "message": message,
                "cancel_url": registration.cancel_url(),
                "event_url": settings.BASE_URL + event.url,
            },
        )
        messages.append(EmailMessage(subject=subject, body=body, to=[registration.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
