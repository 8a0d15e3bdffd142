"""The rules for places on an event: who gets a place, who waits, and who is promoted when someone cancels.

Each function locks the event's row (`select_for_update`) inside a transaction, so simultaneous sign-ups
and cancellations for one event are counted one after another and an event is never over-booked.
Emails are enqueued only after the transaction commits.
"""

import base64

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import EventPage, EventRegistration

CANCEL_SALT = "events.registration.cancel"
DONE_SALT = "events.registration.done"

Status = EventRegistration.Status


class SignupClosed(Exception):
    """Sign-up for this event is not open (not yet, or no longer)."""


class AlreadyRegistered(Exception):
    """This email address already has a place or a waiting-list spot for this event."""

    def __init__(self, registration=None):
        super().__init__("already registered")
        self.registration = registration


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


def make_done_token(registration):
    """For the confirmation page after signing up; expires, so old links show nothing."""
    return _to_path_segment(signing.dumps(registration.pk, salt=DONE_SALT))


def registration_from_done_token(token, event, max_age=3600):
    try:
        pk = signing.loads(_from_path_segment(token), salt=DONE_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return EventRegistration.objects.filter(pk=pk, event_id=event.pk).first()


def _lock_event(event):
    return EventPage.objects.select_for_update(of=("self",)).only("pk", "capacity", "start").get(pk=event.pk)


def _enqueue_email(registration_id, kind):
    from .tasks import send_registration_email

    transaction.on_commit(lambda: send_registration_email.enqueue(registration_id, kind))


def register_for_event(event, data, now=None):
    """Sign someone up: a place while there are places, otherwise the waiting list.

    `data` holds the sign-up form's cleaned fields. Raises SignupClosed or AlreadyRegistered.
    """
    now = now or timezone.now()
    if event.signup_state(now) != "open":
        raise SignupClosed
    email = data["email"].strip().lower()
    try:
        with transaction.atomic():
            locked = _lock_event(event)
            existing = EventRegistration.objects.filter(
                event_id=locked.pk, email__iexact=email, status__in=EventRegistration.ACTIVE, anonymised=False
            ).first()
            if existing is not None:
                raise AlreadyRegistered(existing)
            confirmed = EventRegistration.objects.filter(event_id=locked.pk, status=Status.CONFIRMED).count()
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
    except IntegrityError as error:
        # The unique constraint: a second request with the same email won the race. Any other integrity
        # failure is a real error, not a duplicate, and must not be reported to the teacher as one.
        if not EventRegistration.objects.filter(
            event_id=event.pk, email__iexact=email, status__in=EventRegistration.ACTIVE, anonymised=False
        ).exists():
            raise
        raise AlreadyRegistered() from error
    return registration


def cancel_registration(registration):
    """Free a place (or a waiting-list spot); the first person waiting is promoted and told.

    Returns the promoted registration, or None.
    """
    with transaction.atomic():
        locked = _lock_event(registration.event)
        current = EventRegistration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Status.CANCELLED:
            return None
        was_confirmed = current.status == Status.CONFIRMED
        current.status = Status.CANCELLED
        current.save(update_fields=["status", "updated"])
        registration.status = current.status
        promoted = None
        if was_confirmed:
            confirmed = EventRegistration.objects.filter(event_id=locked.pk, status=Status.CONFIRMED).count()
            if confirmed < locked.capacity:
                promoted = (
                    EventRegistration.objects.select_for_update()
                    .filter(event_id=locked.pk, status=Status.WAITING)
                    .order_by("created", "pk")
                    .first()
                )
                if promoted is not None:
                    promoted.status = Status.CONFIRMED
                    promoted.save(update_fields=["status", "updated"])
                    _enqueue_email(promoted.pk, "promoted")
    return promoted


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
    """After an editor raises the capacity, give the new places to the people waiting, in order, and tell them.

    Returns the promoted registrations.
    """
    with transaction.atomic():
        locked = _lock_event(event)
        confirmed = EventRegistration.objects.filter(event_id=locked.pk, status=Status.CONFIRMED).count()
        free = locked.capacity - confirmed
        if free <= 0:
            return []
        promoted = list(
            EventRegistration.objects.select_for_update()
            .filter(event_id=locked.pk, status=Status.WAITING)
            .order_by("created", "pk")[:free]
        )
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
        EventRegistration.objects.filter(
            event_id=registration.event_id, status=Status.WAITING, created__lte=registration.created
        )
        .exclude(created=registration.created, pk__gt=registration.pk)
        .count()
    )
