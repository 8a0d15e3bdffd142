"""The award's clock, run daily (`manage.py school_renewals`, a scheduled job): a school whose renewal is due moves
to "renewal due", one whose award has expired to "lapsed", and its leads and EMAS are reminded before it expires.

Moves go through `School.move_to` like any other, so they are in the school's timeline, with no user and a note
saying the job made them. Each reminder is a `RenewalReminder` row (one per award and reminder, a unique
constraint) and its emails, queued in the same transaction with idempotency keys: a second run, or two schedulers
at once, send nothing more. A reminder whose day was missed (the job did not run, the award was recorded late) is
still sent until the next reminder's day; from then on only the later one is.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from home.models import SiteSettings
from outbox.mail import queue_email

from . import journey
from .journey import JourneyStatus
from .models import RenewalReminder, School

# Statuses that can move to "renewal due" by date (the others are due already, or hold no award).
CAN_FALL_DUE = (JourneyStatus.AWARDED, JourneyStatus.REAWARDED)


def run(today=None):
    """Make today's automatic moves and queue today's reminders. Returns what was done, for the job's outcome."""
    today = today or timezone.localdate()
    done = {"renewal due": 0, "lapsed": 0, "reminders": 0}
    holding = School.objects.filter(status__in=journey.HOLDS_AWARD, awarded_on__isnull=False).prefetch_related(
        "contacts"
    )
    emas = emas_address()
    for school in holding.order_by("pk"):
        if school.expires_on <= today:
            _move(
                school, JourneyStatus.LAPSED, school.expires_on, f"the award expired on {school.expires_on:%-d %B %Y}"
            )
            done["lapsed"] += 1
            continue
        if school.status in CAN_FALL_DUE and school.renewal_due_from <= today:
            _move(
                school,
                JourneyStatus.RENEWAL_DUE,
                school.renewal_due_from,
                f"renewal due from {school.renewal_due_from:%-d %B %Y}, three months before the award expires on "
                f"{school.expires_on:%-d %B %Y}",
            )
            done["renewal due"] += 1
        days = reminder_due(school.expires_on, today)
        if days is not None and _remind(school, days, emas):
            done["reminders"] += 1
    return done


def reminder_due(expires_on, today):
    """The reminder (days before expiry) whose time it is, or None: the 90-day one from 90 days before until the
    30-day one's day, then the 30-day one until the award expires."""
    days_left = (expires_on - today).days
    if days_left <= 0:
        return None
    due = [days for days in settings.SCHOOL_RENEWAL_REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def _move(school, status, on, why):
    school.move_to(status, user=None, on=on, note=f"Automatic: {why}.")


def emas_address():
    """The address EMAS read (the site settings' enquiry address): renewals, applications and reviews go there."""
    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site).enquiry_email if site else ""


def _remind(school, days, emas_address):
    """Queue the school's and EMAS's emails for this reminder once; False if it was sent before."""
    try:
        with transaction.atomic():
            RenewalReminder.objects.create(school=school, awarded_on=school.awarded_on, days_before=days)
            key = f"school-renewal-{school.pk}-{school.awarded_on:%Y%m%d}-{days}"
            context = {
                "school": school,
                "days": days,
                "expires_on": school.expires_on,
                "contacts": list(school.contacts.all()),
                "admin_url": settings.BASE_URL + reverse("wagtailsnippets_schools_school:edit", args=[school.pk]),
                "move_url": settings.BASE_URL + reverse("schools_move", args=[school.pk]),
                "emas_address": emas_address,
            }
            subject = f"{school.name}: the Schools of Sanctuary award expires on {school.expires_on:%-d %B %Y}"
            leads = [contact.email for contact in context["contacts"]]
            if leads:
                body = render_to_string("schools/email/renewal_reminder_school.txt", context)
                reply_to = [emas_address] if emas_address else []
                message = EmailMessage(subject=subject, body=body, to=leads, reply_to=reply_to)
                queue_email(message, purpose="School renewal reminder", key=f"{key}-school")
            if emas_address:
                body = render_to_string("schools/email/renewal_reminder_emas.txt", context)
                message = EmailMessage(subject=f"Renewal due: {subject}", body=body, to=[emas_address])
                queue_email(message, purpose="School renewal reminder (EMAS)", key=f"{key}-emas")
    except IntegrityError:
        return False  # this award's reminder was sent before (or by another scheduler just now)
    return True
