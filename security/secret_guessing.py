"""Limits on guessing what protects private pages and admin accounts (issue 14, items 12 and 13).

- Page passwords (Wagtail's "private, password" view restriction): each wrong password counts against the
  visitor's address; after PAGE_PASSWORD_FAILURE_LIMIT in the window the form answers 429 with a clear message,
  even for the right password, until the window ends.
- Admin password reset: each request counts against the address it comes from and against the email address it
  names. Over either limit no email is sent, but the page answers exactly as when one is, so nobody learns whether
  an account exists or how many emails it was sent.
"""

import logging

from django.conf import settings
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from wagtail.admin.forms.auth import PasswordResetForm
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction
from wagtail.views import authenticate_with_password as wagtail_authenticate_with_password

from .public_input import RateLimit, client_ip

logger = logging.getLogger(__name__)

TOO_MANY_GUESSES_MESSAGE = (
    "You have entered a wrong password too many times. For your security, please wait {minutes} minutes and "
    "try again, or ask the person who gave you the link for the password."
)


def _page_password_limit():
    return RateLimit(
        "page-password", limit=settings.PAGE_PASSWORD_FAILURE_LIMIT, window=settings.PAGE_PASSWORD_FAILURE_WINDOW
    )


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page-password form, refused (429) for an address that has guessed wrong too often."""
    if request.method != "POST":
        return wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
    limit, address = _page_password_limit(), client_ip(request)
    if limit.exceeded(address):
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        page = get_object_or_404(Page, id=page_id).specific
        # The form again, empty, with the message as its error; the guess itself is never checked.
        form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": request.POST.get("return_url")})
        form.cleaned_data, form._errors = {}, ErrorDict()
        form.add_error(None, TOO_MANY_GUESSES_MESSAGE.format(minutes=limit.wait_minutes()))
        action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])
        response = page.serve_password_required_response(request, form, action_url)
        response.status_code = 429
        return response
    response = wagtail_authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code != 302:  # the form again: a wrong password
        limit.hit(address)
    return response


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Wagtail's password-reset form that sends at most a few emails per address and per account email."""

    def save(self, *args, request=None, **kwargs):
        window = settings.PASSWORD_RESET_WINDOW
        by_address = RateLimit("password-reset-ip", limit=settings.PASSWORD_RESET_LIMIT_PER_IP, window=window)
        by_email = RateLimit("password-reset-email", limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window=window)
        email = self.cleaned_data["email"].strip().lower()
        # Both are counted, so a refused request still uses up the address's allowance.
        allowed = [by_address.hit(client_ip(request) if request else ""), by_email.hit(email)]
        if not all(allowed):
            logger.warning("Password reset email not sent: too many requests")
            return
        super().save(*args, request=request, **kwargs)
