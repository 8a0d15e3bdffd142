"""The rules for places on an event: who gets a place, who waits, and who is promoted when a place is freed
(someone cancels) or added (the capacity is raised): `_give_free_places`, the one function that fills places.

Each function locks the event's row (`select_for_update`) inside a transaction, so simultaneous sign-ups
and cancellations for one event are counted one after another and an event is never over-booked.
Emails are enqueued only after the transaction commits.
"""

import base64
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from page_cache.cache import changes_only

from .models import PLACES_TOPIC, EventPage, EventRegistration

CANCEL_SALT = "events.registration.cancel"
DONE_SALT = "events.registration.done"

Status = EventRegistration.Status


class SignupClosed(Exception):
    """Sign-up for this event is not open (not yet, or no longer)."""


class AlreadyRegistered(Exception):
    """This email address already has a place or a waiting-list spot for this event.

    The address has been emailed to say so. `answer` is what a newcomer would have been told at this moment, so
    the page the visitor sees does not reveal that the address was already signed up.
    """

    def __init__(self, registration, answer):
        super().__init__("already registered")
        self.registration = registration
        self.answer = answer


@dataclass(frozen=True)
class SignupAnswer:
    """What the page after signing up says: a place, or a waiting-list spot and its number."""

    status: str
    position: int | None = None


def _to_path_segment(signed):
    """Wagtail page URLs allow only letters, digits, '_' and '-': wrap the signed value in URL-safe base64."""
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def _from_path_segment(token):
    try:
        return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise signing.BadSignature("not a token") from error


def make_cancel_token(registration):
    return _to_path_segment(signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=CANCEL_SALT))


def registration_from_cancel_token(token, event):
    """The registration a cancel link is for, or None when the link was altered or is for another event."""
    try:
        data = signing.loads(_from_path_segment(token), salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != event.pk:
        return None
    return EventRegistration.objects.filter(pk=data.get("r"), event_id=event.pk).first()


def make_done_token(event, answer):
    """For the page after signing up; expires, so old links show nothing.

    It carries the answer, not the registration: a registration's number would tell a new sign-up from an
    address already signed up (and signed values are readable, only not forgeable).
    """
    return _to_path_segment(signing.dumps({"e": event.pk, "s": answer.status, "n": answer.position}, salt=DONE_SALT))


def answer_from_done_token(token, event, max_age=3600):
    """The answer a done link was made for, or None when it was altered, has expired or is for another event."""
    try:
        data = signing.loads(_from_path_segment(token), salt=DONE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != event.pk or data.get("s") not in EventRegistration.ACTIVE:
        return None
    return SignupAnswer(data["s"], data.get("n"))


def answer_for(registration):
    """What a new sign-up is told: its place, or its number on the waiting list."""
    return SignupAnswer(registration.status, waiting_position(registration))


def _answer_for_a_newcomer(event_id, capacity):
    """What a new sign-up would be told now (inside the event's lock), for an address already signed up."""
    registrations = EventRegistration.objects.filter(event_id=event_id)
    if registrations.confirmed().count() < capacity:
        return SignupAnswer(Status.CONFIRMED)
    return SignupAnswer(Status.WAITING, registrations.waiting_in_order().count() + 1)


def _lock_event(event):
    return EventPage.objects.select_for_update(of=("self",)).only("pk", "capacity", "start").get(pk=event.pk)


def _enqueue_email(registration_id, kind):
    """Into the outbox in this transaction: the sign-up and its email are stored together or not at all."""
    from .emails import queue_registration_email

    queue_registration_email(registration_id, kind)


def _active_registration(event_id, email):
    return EventRegistration.objects.filter(event_id=event_id).active_for(email).first()


def register_for_event(event, data, now=None):
    """Sign someone up: a place while there are places, otherwise the waiting list.

    `data` holds the sign-up form's cleaned fields. Raises SignupClosed, or AlreadyRegistered after emailing
    the address that it is already signed up (and nothing is stored).
    """
    now = now or timezone.now()
    if event.signup_state(now) != "open":
        raise SignupClosed
    email = data["email"].strip().lower()
    try:
        with changes_only(PLACES_TOPIC), transaction.atomic():
            locked = _lock_event(event)
            existing = _active_registration(locked.pk, email)
            if existing is not None:
                # Told by email, where only the address's owner reads it; the transaction commits so the
                # email is sent, and it writes nothing.
                _enqueue_email(existing.pk, "already")
                answer = _answer_for_a_newcomer(locked.pk, locked.capacity)
            else:
                registration = _create_registration(locked, email, data)
    except IntegrityError as error:
        # The unique constraint: a second request with the same email won the race. Any other integrity
        # failure is a real error, not a duplicate, and must not be reported to the teacher as one.
        existing = _active_registration(event.pk, email)
        if existing is None:
            raise
        _enqueue_email(existing.pk, "already")
        raise AlreadyRegistered(existing, _answer_for_a_newcomer(event.pk, event.capacity)) from error
    if existing is not None:
        raise AlreadyRegistered(existing, answer)
    return registration


def _create_registration(locked, email, data):
    confirmed = EventRegistration.objects.filter(event_id=locked.pk).confirmed().count()
    registration = EventRegistration.objects.create(
        event_id=locked.pk,
        name=data["name"].strip(),
        email=email,
        school=data.get("school", "").strip(),
        role=data.get("role", ""),
        access_needs=data.get("access_needs", "").strip(),
        consent=bool(data.get("consent")),
        status=Status.CONFIRMED if confirmed < locked.capacity else Status.WAITING,
    )
    _enqueue_email(registration.pk, registration.status)
    return registration


def cancel_registration(registration):
    """Free a place (or a waiting-list spot); a freed place goes to the first person waiting, who is told.

    Returns the promoted registration (the first, should more places have been free), or None.
    """
    with changes_only(PLACES_TOPIC), transaction.atomic():
        locked = _lock_event(registration.event)
        current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Status.CANCELLED:
            return None
        was_confirmed = current.status == Status.CONFIRMED
        current.status = Status.CANCELLED
        current.save(update_fields=["status", "updated"])
        registration.status = current.status
        promoted = _give_free_places(locked) if was_confirmed else []
    return promoted[0] if promoted else None


def promote_registration(registration):
    """An editor gives a waiting-list place (even beyond capacity, their call); the person is told.

    Returns True when the registration was waiting and is now confirmed.
    """
    with transaction.atomic():
        _lock_event(registration.event)
        current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status != Status.WAITING:
            return False
        current.status = Status.CONFIRMED
        current.save(update_fields=["status", "updated"])
        registration.status = current.status
        _enqueue_email(current.pk, "promoted")
    return True


def fill_free_places(event):
    """Give the event's free places (after its capacity was raised) to the people waiting, in order, and tell them.

    Called whenever an event is published (events/signals.py). Returns the promoted registrations.
    """
    with transaction.atomic():
        return _give_free_places(_lock_event(event))


def _give_free_places(locked):
    """The one rule for filling places: while places are free, the first person waiting gets one and is emailed
    (after commit). `locked` is the event as `_lock_event` returned it, inside the caller's transaction."""
    registrations = EventRegistration.objects.filter(event_id=locked.pk)
    free = locked.capacity - registrations.confirmed().count()
    if free <= 0:
        return []
    promoted = list(registrations.waiting_in_order().select_for_update()[:free])
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated"])
        _enqueue_email(registration.pk, "promoted")
    return promoted


def waiting_position(registration):
    """1 for the first person on the waiting list."""
    if registration.status != Status.WAITING:
        return None
    return (
        EventRegistration.objects.filter(event_id=registration.event_id, created__lte=registration.created)
        .waiting_in_order()
        .exclude(created=registration.created, pk__gt=registration.pk)
        .count()
    )
