"""Retention of registrations: personal details go a set number of days after the event; counts stay."""

from datetime import timedelta

from django.utils import timezone

from .models import EventRegistration


def anonymise_past_registrations(days, now=None):
    """Blank the personal fields of registrations for events that ended more than `days` ago.

    Status and dates are kept, so "how many came" still adds up. Returns how many rows were changed.
    """
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return EventRegistration.objects.filter(event__end__lt=cutoff, anonymised=False).update(
        name="", email="", school="", access_needs="", anonymised=True, updated=timezone.now()
    )
