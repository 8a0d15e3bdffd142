from django.apps import AppConfig
from django.conf import settings
from django.conf.locale import LANG_INFO


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site"
    # Page, image and document permissions for Editors are added by security/admin_groups.py.
    admin_group_permissions = {"Editors": {"wagtailadmin.access_admin"}}

    def ready(self):
        # Django's table of languages lacks some our families read (Pashto, Tigrinya, Somali): each one's name in
        # itself and its direction, for the language switcher and `{% get_language_info %}`.
        for code, info in settings.EXTRA_LANG_INFO.items():
            LANG_INFO.setdefault(code, info)
        # The cached ids of the locales are forgotten when an editor adds or deletes one (its signal receivers).
        from . import languages  # noqa: F401
