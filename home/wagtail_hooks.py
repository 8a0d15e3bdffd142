"""Admin hooks of the base app: what it holds about people (enquiries, accounts, the audit log, sessions), its part
of the site's structure, and the dashboard's list of translations behind their English pages."""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.rich_text.pages import PageLinkHandler

from . import languages, personal_data

hooks.register("register_personal_data", lambda: personal_data)


@hooks.register("before_serve_page")
def only_the_addresses_language(page, request, serve_args, serve_kwargs):
    """An address shows a page in its own language or nothing: where a language has no home page yet (/ti/ before
    an editor adds and syncs Tigrinya), Wagtail would serve the English page under /ti/. Not found instead (no
    query: the locales' ids are cached)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return
    locale = languages.active_locale()
    if locale is None or page.locale_id != locale.pk:
        raise Http404


class PageLinkInTheVisitorsLanguage(PageLinkHandler):
    """Wagtail's links to pages in rich text, each to the page in the visitor's language where it exists, as
    Wagtail's own do, but with the locale from the cache and the translations in one query for all the links of a
    text, rather than a query or two per link."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        pages = cls.get_many(attrs_list)
        localized = iter(languages.in_current_language(page for page in pages if page is not None))
        return [format_html('<a href="{}">', next(localized).url) if page is not None else "<a>" for page in pages]


@hooks.register("register_rich_text_features", order=100)  # after Wagtail's own, which it replaces
def register_page_links_in_the_visitors_language(features):
    features.register_link_type(PageLinkInTheVisitorsLanguage)


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
