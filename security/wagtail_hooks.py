"""Admin hooks of the security app: the two-factor setup and verification pages."""

from django.urls import path
from wagtail import hooks

from . import two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/setup/", two_factor.setup, name="security_two_factor_setup"),
        path("two-factor/verify/", two_factor.verify, name="security_two_factor_verify"),
    ]
