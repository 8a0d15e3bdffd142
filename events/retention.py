"""Retention of registrations: personal details go a set number of days after the event; counts stay."""

from datetime import timedelta

from django.utils import timezone

from .models import EventRegistration

PERSONAL_FIELDS_BLANKED = {"name": "", "email": "", "school": "", "access_needs": "", "anonymised": True}


def registrations_past_retention(days, now=None):
    """Registrations (not yet anonymised) for events that ended more than `days` ago."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return EventRegistration.objects.filter(event__end__lt=cutoff, anonymised=False)


def anonymise_past_registrations(days, now=None, dry_run=False):
    """Blank the personal fields of registrations for events that ended more than `days` ago.

    Status and dates are kept, so "how many came" still adds up. Returns how many rows were (or, with
    dry_run, would be) changed.
    """
    past = registrations_past_retention(days, now)
    if dry_run:
        return past.count()
    return past.update(**PERSONAL_FIELDS_BLANKED, updated=timezone.now())
