"""Emails about registrations, queued in the outbox in the sign-up's own transaction and delivered by the worker.

None of them carries text the signer typed (no name, school, role or access needs), not even in "Hello": the
address is whatever somebody typed in the form, never confirmed, so a sign-up named "Claim your prize at
http://..." would otherwise have us deliver that line, from our domain and with a real joining link, to a
stranger. What they hold comes from EMAS: the event's facts, its joining link and the signed cancel link; the
templates are not given the registration, so they cannot show what was typed.
A confirm-your-address step was not needed for that, and would cost every teacher a second email before
the booking.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from outbox.mail import queue_email

from .calendar import calendar_bytes
from .models import EventPage, EventRegistration

SUBJECTS = {
    "confirmed": "Your place is booked: {title}",
    "waiting": "You are on the waiting list: {title}",
    "promoted": "A place is now yours: {title}",
    "already": "You are already signed up: {title}",
}


# One email of each kind per registration, whatever retries or double submissions happen; "already" is told
# each time someone signs up again with the address.
ONCE_PER_REGISTRATION = ("confirmed", "waiting", "promoted")


def queue_registration_email(registration_id, kind):
    """Confirmation, waiting-list notice, promotion notice, or "you are already signed up" (after a second
    sign-up with the same address, told here rather than on the page). Nothing is sent for a cancelled or
    anonymised row."""
    registration = EventRegistration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.anonymised or not registration.email:
        return
    if registration.status == EventRegistration.Status.CANCELLED:
        return
    event = registration.event
    has_place = kind in ("confirmed", "promoted") or (
        kind == "already" and registration.status == EventRegistration.Status.CONFIRMED
    )
    context = {
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
    key = f"event-registration-{registration.pk}-{kind}" if kind in ONCE_PER_REGISTRATION else None
    queue_email(message, purpose="Event sign-up", key=key)


def queue_attendee_message(event_id, subject, message, include_waiting_list=False):
    """An editor's message to everyone with a place (one email each, so nobody sees another's address)."""
    event = EventPage.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    statuses = list(EventRegistration.ACTIVE) if include_waiting_list else [EventRegistration.Status.CONFIRMED]
    registrations = EventRegistration.objects.filter(event=event, status__in=statuses, anonymised=False).exclude(
        email=""
    )
    queued = 0
    for registration in registrations.order_by("pk"):
        body = render_to_string(
            "events/email/attendee_message.txt",
            {
                "event": event,
                "message": message,
                "cancel_url": registration.cancel_url(),
                "event_url": settings.BASE_URL + event.url,
            },
        )
        queue_email(EmailMessage(subject=subject, body=body, to=[registration.email]), purpose="Message to attendees")
        queued += 1
    return queued
