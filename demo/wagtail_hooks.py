"""What the demo tells editors in the admin, never on the public pages."""

from wagtail import hooks


@hooks.register("register_log_actions")
def register_demo_log_actions(actions):
    # The demo's translations (demo/content/families.toml) were written for the demo, not by a translator: each
    # translated page's history says so, where editors look before publishing a change.
    actions.register_action(
        "demo.translation_unchecked",
        "Demo translation: to be checked by a translator",
        "Demo translation: to be checked by a translator",
    )
