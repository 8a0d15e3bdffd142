"""The public views behind the events pages' routes: the programme and the webinar archive (EventIndexPage);
sign up, see what happens next, cancel with a signed link (EventPage)."""

import logging

from django.db import DatabaseError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect

from page_cache.cache import cache_until
from security.public_input import RateLimit, SaveRefused, handle_public_form, paginate, search_text

from .dates import academic_year
from .forms import RegistrationForm
from .models import EventPage, EventRegistration
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

ARCHIVE_PER_PAGE = 24
UPCOMING_PER_PAGE = 24
PAST_PER_PAGE = 12
SEARCH_MAX_LENGTH = 100
SIGNUP_RATE_LIMITED_MESSAGE = (
    "You have signed up several times in a short time. Please wait a few minutes and try again, or contact the "
    "EMAS teacher team."
)


def event_index(request, index):
    """The programme: upcoming events, then past ones, each list paged on its own (`?upcoming=` and `?page=`), so
    a busy term does not make one very long page on a phone."""
    now = timezone.now()
    events = index.events()
    upcoming_page = paginate(
        events.filter(end__gte=now).order_by("start", "pk"), UPCOMING_PER_PAGE, request.GET.get("upcoming")
    )
    past_page = paginate(events.filter(end__lt=now).order_by("-start", "-pk"), PAST_PER_PAGE, request.GET.get("page"))
    # An upcoming event moves to the past list when it ends.
    cache_until(request, min((event.end for event in upcoming_page), default=None))
    return index.render(request, context_overrides={"upcoming_page": upcoming_page, "past_page": past_page, "now": now})


def webinar_archive(request, index):
    """Past events with a recording, newest first, grouped by academic year, searchable."""
    query = search_text(request.GET.get("q", ""), SEARCH_MAX_LENGTH).text
    recordings = EventPage.objects.live().public().descendant_of(index).recordings(timezone.now())
    if query:
        recordings = recordings.matching(query)
    results = paginate(recordings.order_by("-start", "-pk"), ARCHIVE_PER_PAGE, request.GET.get("page"))
    events = list(results.object_list)
    EventPage.prefetch_speakers(events)
    groups = []
    for event in events:
        year = academic_year(event.start)
        if not groups or groups[-1]["year"] != year:
            groups.append({"year": year, "events": []})
        groups[-1]["events"].append(event)
    return index.render(
        request,
        template="events/webinar_archive.html",
        context_overrides={"groups": groups, "results": results, "webinar_query": query},
    )


@csrf_protect
def register(request, event):
    """GET shows the sign-up page (the form, or why sign-up is not open); POST books a place or a waiting spot."""
    if request.method in ("GET", "HEAD"):
        return event.render_signup(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    return handle_public_form(
        request,
        RegistrationForm(request.POST),
        rate_limits=[RateLimit(f"event-signup:{event.pk}")],
        rate_limited_message=SIGNUP_RATE_LIMITED_MESSAGE,
        save=lambda form: _book(event, form),
        render=lambda form, status: event.render_signup(request, form, status=status),
        on_success=lambda answer: redirect(
            event.url + event.reverse_subpage("registered", kwargs={"token": make_done_token(event, answer)})
        ),
        # Tell a bot nothing: it sees a generic thank-you, nothing is stored or sent.
        on_honeypot=lambda: TemplateResponse(request, "events/registration_done.html", {"page": event, "answer": None}),
        what="Event sign-up",
    )


def _book(event, form):
    """A place or a waiting spot for the sign-up form's person; the answer the "what happens next" page shows."""
    try:
        return answer_for(register_for_event(event, form.cleaned_data))
    except SignupClosed as closed:
        raise SaveRefused("Sign-up for this event has closed, so we could not book a place.") from closed
    except AlreadyRegistered as already:
        # Answered as a new sign-up would be, so the page tells nobody whether an address is signed up;
        # the address itself is emailed (once this commits) that it already is, with its cancel link.
        return already.answer


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
