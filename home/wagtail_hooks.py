"""Admin hooks of the base app: the two-factor setup and verification pages, and the audit-log action of
personal-data erasure, so the admin's history shows it by name."""

from django.urls import path
from wagtail import hooks

from . import two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/setup/", two_factor.setup, name="home_two_factor_setup"),
        path("two-factor/verify/", two_factor.verify, name="home_two_factor_verify"),
    ]


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action("privacy.erase", "Personal data erased", "Personal data erased (subject request)")
