"""Admin hooks of the privacy app: the audit-log action of personal-data erasure, so the admin's history shows
it by name."""

from wagtail import hooks


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action("privacy.erase", "Personal data erased", "Personal data erased (subject request)")
