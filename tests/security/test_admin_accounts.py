"""Admin accounts: brute-force lockout on the real sign-in form, strong passwords, and optional TOTP two-factor."""

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-admin-passphrase-42"
LOCKED_OUT = "Too many failed sign-in attempts"


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("editor-in-chief", "chief@coventry.example.org", PASSWORD)


def sign_in(client, password, username="editor-in-chief", **headers):
    return client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password, "next": "/admin/"}, **headers
    )


def is_signed_in(client):
    return client.get("/admin/").status_code == 200


def test_after_five_failures_even_the_right_password_is_refused_with_a_clear_message(admin_user, settings):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "wrong-guess")
        assert response.status_code == 200 and LOCKED_OUT not in response.text
    response = sign_in(client, "wrong-guess")
    assert response.status_code == 429
    assert LOCKED_OUT in response.text and "30 minutes" in response.text
    assert 'class="login-form"' in response.text  # the Wagtail sign-in page, not a bare error

    response = sign_in(client, PASSWORD)
    assert response.status_code == 429 and LOCKED_OUT in response.text
    assert not is_signed_in(client)


def test_lockout_is_per_username_and_address_so_the_real_admin_elsewhere_still_signs_in(admin_user, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong-guess")
    colleague = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(colleague, PASSWORD).status_code == 302
    assert is_signed_in(colleague)
    # Another editor at the same school (same address) is not locked out either.
    get_user_model().objects.create_superuser("second-editor", "second@coventry.example.org", PASSWORD)
    same_school = Client(REMOTE_ADDR="203.0.113.7")
    assert sign_in(same_school, PASSWORD, username="second-editor").status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_does_not_escape_the_lockout(admin_user, settings):
    """With NUM_PROXIES = 1 the proxy's own (last) X-Forwarded-For entry is the client; the rest is forgeable."""
    settings.NUM_PROXIES = 1
    client = Client(REMOTE_ADDR="10.0.0.2")  # every request arrives from the proxy
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong-guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7")
    response = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7")
    assert response.status_code == 429 and LOCKED_OUT in response.text
    # Another school behind the same proxy is a different client and is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert sign_in(other, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302


def test_a_weak_password_is_refused_when_an_admin_creates_a_user(admin_user, client):
    client.force_login(admin_user)
    data = {
        "username": "new-editor",
        "email": "new.editor@coventry.example.org",
        "first_name": "New",
        "last_name": "Editor",
        "password1": "password123",
        "password2": "password123",
    }
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 200
    assert "This password is too short" in response.text
    assert "This password is too common" in response.text
    assert not get_user_model().objects.filter(username="new-editor").exists()

    data["password1"] = data["password2"] = "correct horse battery staple sanctuary"
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302
    assert get_user_model().objects.get(username="new-editor").check_password(data["password1"])


def totp_code(device, steps_ahead=0):
    """The code an authenticator app would show, computed from the device's key as the app does."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.drift = device.drift + steps_ahead
    return f"{totp.token():0{device.digits}d}"


def test_two_factor_when_required_sends_admins_to_set_up_and_then_to_enter_a_code(admin_user, settings):
    settings.WAGTAIL_ADMIN_REQUIRE_2FA = True
    client = Client()
    assert sign_in(client, PASSWORD).status_code == 302
    for path in ("/admin/", "/admin/pages/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("security_two_factor_setup"), path

    setup_page = client.get(reverse("security_two_factor_setup"))
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    secret = re.search(r"data-totp-secret>([A-Z2-7=]+)<", setup_page.text).group(1)
    assert "otpauth://totp/" in setup_page.text

    wrong = client.post(reverse("security_two_factor_setup"), {"token": f"{(int(totp_code(device)) + 1) % 10**6:06d}"})
    assert "That code is not right" in wrong.text
    assert client.get("/admin/").status_code == 302
    # django-otp slows guessing: straight after a wrong code even the right one must wait (1 s, doubling).
    assert (
        "Too many wrong codes" in client.post(reverse("security_two_factor_setup"), {"token": totp_code(device)}).text
    )
    time.sleep(1.1)

    response = client.post(reverse("security_two_factor_setup"), {"token": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert base64.b32encode(device.bin_key).decode() == secret

    # A new session must enter a code again (the next one the app shows: a code is never accepted twice).
    later = Client()
    sign_in(later, PASSWORD)
    response = later.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == reverse("security_two_factor_verify")
    reused = later.post(reverse("security_two_factor_verify"), {"token": totp_code(device)})
    assert reused.status_code == 200 and "That code is not right" in reused.text
    time.sleep(1.1)
    response = later.post(reverse("security_two_factor_verify"), {"token": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert later.get("/admin/pages/").status_code == 200


def test_two_factor_is_off_by_default_in_development(admin_user, client):
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200
