"""How a school's sanctuary leads sign in to their workspace: no passwords, a one-time link emailed to the lead.

- `send_links(email)` makes a link for each lead with that address (a person may lead for two schools) and queues
  the email. The sign-in form answers the same whatever address is typed, so it tells nobody who is a lead.
- A link is bound to one lead, works for SCHOOL_SIGN_IN_LINK_MINUTES and only once. Opening it (GET) only shows a
  "Sign in" button: mail scanners that follow links cannot use it up. The button's POST takes it, with one
  conditional UPDATE that only one request can win.
- The session then holds the lead (`signed_in_lead`), until "Sign out", SCHOOL_LEAD_IDLE_MINUTES without a
  request, or EMAS removing the lead or changing their address.

A lead is not a Django user: leads never see the admin, and EMAS manage them as the school record's contacts.
"""

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.mail import queue_email

from .models import LeadSignInLink, SchoolContact

SESSION_KEY = "school_lead"


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime():
    return timedelta(minutes=settings.SCHOOL_SIGN_IN_LINK_MINUTES)


def send_links(email, link_for_token):
    """Queue a sign-in link to every lead whose address is `email` (any case); returns how many were queued.

    `link_for_token(token)` makes the full address of the link (the view knows where the workspace is)."""
    leads = SchoolContact.objects.filter(email__iexact=email.strip())
    count = 0
    for lead in leads.select_related("school"):
        token = secrets.token_urlsafe(32)
        LeadSignInLink.objects.create(lead=lead, token_hash=_hash(token))
        context = {
            "lead": lead,
            "school": lead.school,
            "link": link_for_token(token),
            "minutes": settings.SCHOOL_SIGN_IN_LINK_MINUTES,
        }
        message = EmailMessage(
            subject=f"Sign in to the Schools of Sanctuary workspace for {lead.school.name}",
            body=render_to_string("schools/email/sign_in_link.txt", context),
            to=[lead.email],
        )
        queue_email(message, purpose="School workspace sign-in link")
        count += 1
    return count


class LinkProblem(Exception):
    """The link cannot sign anybody in; `message` says why, in words for the lead."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


EXPIRED = "This sign-in link has expired: links work for {minutes} minutes. Ask for a new one below."
USED = "This sign-in link has already been used: each link works once. Ask for a new one below."
UNKNOWN = "This sign-in link is not one we sent, or it was copied only in part. Ask for a new one below."


def check_link(token):
    """The link for `token` if it can still sign in; else LinkProblem saying plainly why not."""
    link = LeadSignInLink.objects.select_related("lead__school").filter(token_hash=_hash(token)).first()
    if link is None:
        raise LinkProblem(UNKNOWN)
    if link.used_at is not None:
        raise LinkProblem(USED)
    if link.created_at <= timezone.now() - link_lifetime():
        raise LinkProblem(EXPIRED.format(minutes=settings.SCHOOL_SIGN_IN_LINK_MINUTES))
    return link


def use_link(request, token):
    """Sign the link's lead in (a new session key: nothing from before carries over) and return the lead."""
    link = check_link(token)
    now = timezone.now()
    taken = LeadSignInLink.objects.filter(pk=link.pk, used_at__isnull=True, created_at__gt=now - link_lifetime())
    if not taken.update(used_at=now):
        raise LinkProblem(USED)  # another request used it a moment ago
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"lead": link.lead.pk, "email": link.lead.email.lower(), "seen": time.time()}
    return link.lead


def sign_out(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


class SignedOut(Exception):
    """The session holds no lead any more; `reason` is shown on the sign-in page ("" when never signed in)."""

    def __init__(self, reason=""):
        super().__init__(reason)
        self.reason = reason


# How stale "last seen" may be: the idle limit counts from up to this long before the last request.
SEEN_RESOLUTION_SECONDS = 60
IDLE = "You were signed out after {minutes} minutes without activity. Ask for a new link to sign in again."
REMOVED = "You were signed out: EMAS no longer list this address as a lead of the school."


def signed_in_lead(request):
    """The lead this session signed in as (with their school), or SignedOut. Each call is activity."""
    held = request.session.get(SESSION_KEY)
    if not held:
        raise SignedOut()
    if time.time() - held.get("seen", 0) > settings.SCHOOL_LEAD_IDLE_MINUTES * 60:
        sign_out(request)
        raise SignedOut(IDLE.format(minutes=settings.SCHOOL_LEAD_IDLE_MINUTES))
    lead = SchoolContact.objects.select_related("school").filter(pk=held.get("lead")).first()
    if lead is None or lead.email.lower() != held.get("email"):
        sign_out(request)
        raise SignedOut(REMOVED)
    if time.time() - held["seen"] > SEEN_RESOLUTION_SECONDS:  # a session write at most once a minute, not per request
        held["seen"] = time.time()
        request.session.modified = True
    return lead
