"""Personal data the events app holds: registrations (name, work email, school, role, access needs)."""

from datetime import timedelta

from django.utils import timezone
from wagtail.log_actions import log

from privacy.registry import RetentionRule

from .models import EventRegistration
from .services import cancel_registration

# What anonymising a registration blanks; its status and dates stay, so attendance counts still add up.
PERSONAL_FIELDS_BLANKED = {"name": "", "email": "", "school": "", "access_needs": "", "anonymised": True}


def _registrations(email):
    return EventRegistration.objects.filter(email__iexact=email, anonymised=False).select_related("event")


def export(email):
    return {
        "registrations": [
            {
                "event": registration.event.title,
                "event_start": registration.event.start,
                "name": registration.name,
                "email": registration.email,
                "school": registration.school,
                "role": registration.get_role_display(),
                "access_needs": registration.access_needs,
                "agreed_to_privacy_notice": registration.consent,
                "status": registration.get_status_display(),
                "signed_up": registration.created,
            }
            for registration in _registrations(email).order_by("created", "pk")
        ]
    }


def erase(email):
    """Anonymise, as retention does, so attendance counts still add up. A place at an event still to come
    is cancelled first, so the next person waiting is promoted (and told) as with any cancellation."""
    now = timezone.now()
    registrations = list(_registrations(email))
    for registration in registrations:
        if registration.is_active and registration.event.end >= now:
            cancel_registration(registration)
    EventRegistration.objects.filter(pk__in=[r.pk for r in registrations]).update(
        **PERSONAL_FIELDS_BLANKED, updated=now
    )
    for registration in EventRegistration.objects.filter(pk__in=[r.pk for r in registrations]):
        log(registration, "privacy.erase", data={"what": "event registration"})
    return {"registrations anonymised": len(registrations)}


def _past_registrations(days, now, dry_run):
    """Anonymise the registrations for events that ended more than `days` ago (or, with dry_run, count them)."""
    past = EventRegistration.objects.filter(event__end__lt=now - timedelta(days=days), anonymised=False)
    return past.count() if dry_run else past.update(**PERSONAL_FIELDS_BLANKED, updated=now)


RETENTION_RULES = [
    RetentionRule(
        "registrations",
        "registrations anonymised (days after the event ended)",
        "EVENT_REGISTRATION_RETENTION_DAYS",
        _past_registrations,
    ),
]
