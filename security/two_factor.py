"""Optional TOTP two-factor for the Wagtail admin (django-otp), enforced when WAGTAIL_ADMIN_REQUIRE_2FA is on.

An admin user who has not passed two-factor in this session is sent, before any admin page, to set up an
authenticator app (first time) or to enter its current six-digit code. The setup page shows the otpauth://
link and the secret as text, which every authenticator app accepts; no QR library is needed.
"""

import base64

from django import forms
from django.conf import settings
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .headers import is_admin_path

# Admin pages a user must reach before passing two-factor: the two-factor pages themselves, and signing out.
OPEN_URL_NAMES = ("security_two_factor_setup", "security_two_factor_verify", "wagtailadmin_logout")


class RequireAdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_pass_two_factor(request):
            has_device = user_has_device(request.user, confirmed=True)
            return redirect("security_two_factor_verify" if has_device else "security_two_factor_setup")
        return self.get_response(request)

    def _must_pass_two_factor(self, request):
        if not settings.WAGTAIL_ADMIN_REQUIRE_2FA or not is_admin_path(request.path_info):
            return False
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return False
        return request.path_info not in {reverse(name) for name in OPEN_URL_NAMES}


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


WRONG_CODE = "That code is not right. Check the time on your phone and enter the newest code your app shows."
TOO_MANY = "Too many wrong codes in a row: wait a few seconds, then enter the newest code."


def _check(device, token):
    """Whether the code is right; an error message for the form if not (django-otp slows repeated guesses)."""
    allowed, _ = device.verify_is_allowed()
    if allowed and device.verify_token(token):
        return None
    return WRONG_CODE if allowed else TOO_MANY


def _unconfirmed_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def setup(request):
    """First time: show the secret, then confirm the device with one code from the app."""
    if user_has_device(request.user, confirmed=True):
        return redirect("security_two_factor_verify")
    device = _unconfirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check(device, form.cleaned_data["token"])
        if error is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("wagtailadmin_home")
        form.add_error("token", error)
    context = {
        "form": form,
        "config_url": device.config_url,
        "secret": base64.b32encode(device.bin_key).decode(),
    }
    return TemplateResponse(request, "wagtailadmin/two_factor/setup.html", context)


def verify(request):
    """Each session: one code from the app the user set up."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("security_two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = WRONG_CODE
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            error = _check(device, form.cleaned_data["token"])
            if error is None:
                otp_login(request, device)
                return redirect("wagtailadmin_home")
        form.add_error("token", error)
    return TemplateResponse(request, "wagtailadmin/two_factor/verify.html", {"form": form})
