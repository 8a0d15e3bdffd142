"""Editors' actions on registrations: cancel, promote from the waiting list, and email an event's attendees.

Each needs the 'change event registration' permission; Wagtail's admin URLs already require a login with
admin access. Changes go through `events.services`, so the same rules (and emails) apply as for the public.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from security.public_input import safe_next_url

from .forms import AttendeeMessageForm
from .models import EventPage, EventRegistration
from .services import cancel_registration, promote_registration

PERMISSION = "events.change_eventregistration"


def _require_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _listing_url(request):
    """Back to where the editor was (the listing with its filters), if `next` says so safely."""
    return safe_next_url(request) or reverse("events_eventregistration_modeladmin_index")


def registration_action(request, pk, action):
    """GET asks to confirm; POST cancels or promotes and sends the matching email."""
    _require_permission(request)
    registration = get_object_or_404(EventRegistration.objects.select_related("event"), pk=pk)
    if request.method == "POST":
        if action == "cancel":
            if registration.status == EventRegistration.Status.CANCELLED:
                messages.warning(request, f"{registration} was already cancelled.")
            else:
                promoted = cancel_registration(registration)
                text = f"Cancelled {registration}."
                if promoted:
                    text += f" {promoted} was promoted from the waiting list and emailed."
                messages.success(request, text)
        elif promote_registration(registration):
            messages.success(request, f"{registration} now has a place and has been emailed.")
        else:
            messages.warning(request, f"{registration} is not on the waiting list, so there is nothing to promote.")
        return redirect(_listing_url(request))
    return TemplateResponse(
        request,
        "events/admin/confirm_action.html",
        {"registration": registration, "action": action, "next": _listing_url(request)},
    )


def email_attendees(request, event_id):
    """A message from the EMAS team to everyone booked on one event, sent in the background."""
    _require_permission(request)
    event = get_object_or_404(EventPage, pk=event_id)
    reachable = event.registrations.filter(anonymised=False)
    counts = {"confirmed": reachable.confirmed().count(), "waiting": reachable.waiting_in_order().count()}
    form = AttendeeMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from .emails import queue_attendee_message

        data = form.cleaned_data
        with transaction.atomic():  # every attendee's email queued, or none
            queue_attendee_message(event.pk, data["subject"], data["message"], data["include_waiting_list"])
        recipients = counts["confirmed"] + (counts["waiting"] if data["include_waiting_list"] else 0)
        messages.success(request, f"Your message to {recipients} people about “{event.title}” is being sent.")
        return redirect(reverse("events_eventregistration_modeladmin_index") + f"?event__page_ptr__exact={event.pk}")
    return TemplateResponse(
        request, "events/admin/email_attendees.html", {"event": event, "form": form, "counts": counts}
    )
