"""Publishing an event with a higher capacity gives the new places to the people waiting, however it is published:
from the admin, by `manage.py publish_scheduled` when a scheduled revision goes live, or from code.

Wagtail's `page_published` signal is sent on each of those paths; the admin's `after_publish_page` hook is sent
only on the first, so a scheduled publish would otherwise leave the new places empty while people wait.
"""

from contextvars import ContextVar

from django.utils import timezone
from wagtail.signals import page_published

from .models import EventPage
from .services import fill_free_places

# (event id, how many were promoted) of the last publish in this thread, for the admin's message to the editor.
_last_publish = ContextVar("events_last_publish", default=None)


def give_new_places_to_the_waiting_list(sender, instance, **kwargs):
    """People waiting for an event still to come get its free places, in order, and an email each."""
    promoted = fill_free_places(instance) if instance.start > timezone.now() else []
    _last_publish.set((instance.pk, len(promoted)))


def promoted_when_published(page):
    """How many people waiting were given a place when `page` was just published here (0 if none, or another
    page); read once, by the admin's `after_publish_page` hook."""
    last = _last_publish.get()
    _last_publish.set(None)
    return last[1] if last and last[0] == page.pk else 0


def connect():
    page_published.connect(
        give_new_places_to_the_waiting_list, sender=EventPage, dispatch_uid="events_fill_places_on_publish"
    )
