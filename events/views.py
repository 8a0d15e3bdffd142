"""Thin public views behind EventPage's routes: sign up, see what happens next, cancel with a signed link."""

import logging

from django.db import DatabaseError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from security.public_input import SAVE_FAILED_MESSAGE, RateLimit, client_ip, is_honeypot_filled

from .forms import RegistrationForm
from .models import EventRegistration
from .services import (
    AlreadyRegistered,
    SignupClosed,
    answer_for,
    answer_from_done_token,
    cancel_registration,
    make_done_token,
    register_for_event,
    registration_from_cancel_token,
)

logger = logging.getLogger(__name__)


@csrf_protect
def register(request, event):
    """GET shows the sign-up page (the form, or why sign-up is not open); POST books a place or a waiting spot."""
    if request.method in ("GET", "HEAD"):
        return event.render_signup(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    form = RegistrationForm(request.POST)
    if is_honeypot_filled(form):
        # Tell a bot nothing: it sees a generic thank-you, nothing is stored or sent.
        return TemplateResponse(request, "events/registration_done.html", {"page": event, "answer": None})
    if not form.is_valid():
        return event.render_signup(request, form)
    if not RateLimit(f"event-signup:{event.pk}").hit(client_ip(request)):
        form.add_error(
            None,
            "You have signed up several times in a short time. Please wait a few minutes and try again, or "
            "contact the EMAS teacher team.",
        )
        return event.render_signup(request, form, status=429)
    try:
        answer = answer_for(register_for_event(event, form.cleaned_data))
    except SignupClosed:
        form.add_error(None, "Sign-up for this event has closed, so we could not book a place.")
        return event.render_signup(request, form, status=409)
    except AlreadyRegistered as already:
        # Answered as a new sign-up would be, so the page tells nobody whether an address is signed up;
        # the address itself has been emailed that it already is, with its cancel link.
        answer = already.answer
    except DatabaseError:
        logger.exception("Event sign-up not saved")
        form.add_error(None, SAVE_FAILED_MESSAGE)
        return event.render_signup(request, form, status=503)
    return redirect(event.url + event.reverse_subpage("registered", kwargs={"token": make_done_token(event, answer)}))


def registered(request, event, token):
    """What happens next, after signing up. The link expires after an hour and shows no personal details."""
    answer = answer_from_done_token(token, event)
    context = {"page": event, "answer": answer}
    return TemplateResponse(request, "events/registration_done.html", context, status=200 if answer else 404)


@csrf_protect
def cancel(request, event, token):
    """GET shows what will be cancelled and a button; only POST cancels (link previewers must not cancel)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    registration = registration_from_cancel_token(token, event)
    context = {"page": event, "registration": registration, "state": "confirm"}
    if registration is None or registration.anonymised:
        context["state"] = "invalid"
        return TemplateResponse(request, "events/cancel.html", context, status=400)
    if registration.status == EventRegistration.Status.CANCELLED:
        context["state"] = "already"
    elif event.start <= timezone.now():
        context["state"] = "started"
    elif request.method == "POST":
        had_place = registration.status == EventRegistration.Status.CONFIRMED
        try:
            promoted = cancel_registration(registration)
        except DatabaseError:
            logger.exception("Event cancellation not saved")
            context["state"] = "failed"
            return TemplateResponse(request, "events/cancel.html", context, status=503)
        # The page says what became of the place: someone waiting has it, or it is free to book again.
        context.update(state="done", had_place=had_place, someone_promoted=promoted is not None)
    return TemplateResponse(request, "events/cancel.html", context)
