from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """What the site holds about people and for how long: the personal-data map each app contributes (the
    `register_personal_data` hook), subject access and erasure (`manage.py personal_data`), retention
    (`manage.py apply_retention`) and backups (`manage.py backup` / `restore`). docs/privacy.md is its map."""

    name = "privacy"
    verbose_name = "Privacy"
