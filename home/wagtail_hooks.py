"""Admin hooks of the base app: what it holds about people (enquiries, accounts, the audit log, sessions), its part
of the site's structure, and the dashboard's list of translations behind their English pages."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import languages, personal_data

hooks.register("register_personal_data", lambda: personal_data)


@hooks.register("before_serve_page")
def only_the_addresses_language(page, request, serve_args, serve_kwargs):
    """An address shows a page in its own language or nothing: where a language has no home page yet (/ti/ before
    an editor adds and syncs Tigrinya), Wagtail would serve the English page under /ti/. Not found instead. The
    locale is looked up once per request (the menu reuses it), so this costs no query."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return
    locale = languages.active_locale(request, language)
    if locale is None or page.locale_id != locale.pk:
        raise Http404


class TranslationsBehindPanel(Component):
    """On the dashboard: pages changed since their translations were last synced, each with wagtail-localize's
    "Sync translated pages" (its Translations report says how much of each translation is done, not this)."""

    name = "translations_behind"
    order = 90
    template_name = "home/admin/translations_panel.html"
    LIMIT = 10

    def get_context_data(self, parent_context=None):
        behind = list(languages.translations_behind_their_source()[: self.LIMIT + 1])
        return {
            "behind": [
                {
                    "title": source.page_title,
                    "published_at": source.published_at,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[source.page_id]),
                    "sync_url": reverse("wagtail_localize:update_translations", args=[source.pk]),
                }
                for source in behind[: self.LIMIT]
            ],
            "more": len(behind) > self.LIMIT,
            "report_url": reverse("wagtail_localize:translations_report"),
        }


@hooks.register("construct_homepage_panels")
def add_translations_panel(request, panels):
    if request.user.has_perm("wagtail_localize.submit_translation"):
        panels.append(TranslationsBehindPanel())
