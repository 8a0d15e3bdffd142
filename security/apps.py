from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """What keeps the site safe, for every app: admin two-factor and least-privilege groups, security headers,
    checked uploads, public input (query strings, rate limits, redirect targets, links), secret guessing,
    request size limits and spreadsheet-safe exports. It imports no other local app."""

    name = "security"
    verbose_name = "Security"

    def ready(self):
        from . import admin_groups, spreadsheets

        spreadsheets.make_wagtail_exports_formula_safe()
        admin_groups.register_image_permission_policy()
