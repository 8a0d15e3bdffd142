"""The sitemap: every public page in every language, each with its other languages' addresses.

Wagtail's own sitemap lists the site's root page and what is below it: the default language's tree only. Here the
translations are listed too, and each page carries `<xhtml:link rel="alternate" hreflang>` for every language it
is translated into (Django's sitemap template writes a URL's `alternates`), as its `<head>` does
(templates/base.html). An alias of a page in another language (not translated yet: the English text at a
translated address) is left out, as it is from the language switcher.
"""

from collections import defaultdict

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from home.languages import html_lang, translated


class PagesInEveryLanguage(Sitemap):
    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        under_a_home = Q()
        for home in homes.only("path"):
            under_a_home |= Q(path__startswith=home.path)
        return (
            translated(Page.objects.filter(under_a_home))
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        """Wagtail's `_urls` (each page's `get_sitemap_urls`), with the page's own address given its alternates."""
        items = list(self.paginator.page(page).object_list)
        versions = self._versions({item.translation_key for item in items})
        urls, last_mods = [], set()
        for item in items:
            own_address = item.get_full_url(self.request)
            others = versions.get(item.translation_key, [])
            for url_info in item.get_sitemap_urls(self.request):
                if len(others) > 1 and url_info.get("location") == own_address:
                    url_info["alternates"] = [
                        {
                            "location": other.get_full_url(self.request),
                            "lang_code": html_lang(other.locale.language_code),
                        }
                        for other in others
                    ]
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _versions(self, translation_keys):
        """The live, public, translated (not aliased) versions of each translation key, in one query."""
        versions = defaultdict(list)
        pages = (
            translated(Page.objects.filter(translation_key__in=translation_keys))
            .live()
            .public()
            .select_related("locale")
            .only("id", "url_path", "path", "depth", "translation_key", "locale")
            .order_by("locale__language_code")
        )
        for version in pages:
            versions[version.translation_key].append(version)
        return versions
