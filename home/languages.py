"""The languages of the public site: which versions of a page exist, and which page a link leads to.

Pages are translated with wagtail-localize: a translation shares the English page's `translation_key` and lives in
its own locale (`/ar/…`). Families are sent only to pages that exist in their language: a page not yet translated
is either absent (the link falls back to the English page) or an alias of the English page, which the editors'
"sync" made and which shows the English text under a notice in the visitor's language (templates/base.html).

Each function here runs a fixed number of queries whatever the number of pages or languages, as the public pages'
query counts are pinned (tests/home/test_languages.py).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource


@dataclass(frozen=True)
class Version:
    """One language's version of a page, as the language switcher and `<link rel="alternate">` show it."""

    language_code: str  # the locale's code, e.g. "ar"; also the `hreflang`
    name: str  # the language's name in itself, e.g. "العربية"
    url: str  # the page's address on this site, for links
    full_url: str  # absolute, for `<link rel="alternate">` and the sitemap
    current: bool
    direction: str  # "rtl" or "ltr"


def language_name(code):
    """The language's name in itself (Django's LANG_INFO and our EXTRA_LANG_INFO), e.g. "Українська"; the language's
    own rather than a region's ("English", not "British English")."""
    return _language_info(code, "name_local")


def language_name_translated(code):
    """The language's name in the visitor's language (Django's catalogues), e.g. "الإنجليزية" for English in Arabic."""
    return _language_info(code, "name_translated")


def _language_info(code, key):
    for candidate in (code.split("-")[0], code):
        try:
            return get_language_info(candidate)[key]
        except KeyError:
            continue
    return dict(settings.LANGUAGES).get(code, code)


def direction(code):
    return "rtl" if code.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


def untranslated_from(page):
    """The language code of the page `page` is an alias of, when that is in another language: the page is not
    translated yet and shows that language's text. Otherwise "". One query, and only for an alias."""
    if page is None or not getattr(page, "alias_of_id", None):
        return ""
    source = Page.objects.filter(pk=page.alias_of_id).exclude(locale_id=page.locale_id)
    return source.values_list("locale__language_code", flat=True).first() or ""


def html_lang(code):
    """A language code as HTML's `lang` writes it: "en-gb" -> "en-GB"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if len(region) == 2 else code


def translated(pages):
    """`pages` without the aliases of a page in another language: those show that language's text at a translated
    address (not translated yet), so they are no version of the page in their language (switcher, sitemap)."""
    return pages.exclude(Q(alias_of__isnull=False) & ~Q(alias_of__locale=F("locale")))


def versions(page, request=None):
    """The live versions of `page` in every language, the default language first, then as LANGUAGES orders them.
    Aliases of another language's page (not yet translated) are left out: they are not a version in that language.
    """
    if page is None or not getattr(page, "pk", None):
        return []
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    pages = (
        translated(Page.objects.filter(translation_key=page.translation_key))
        .live()
        .select_related("locale")
        .only("id", "url_path", "path", "depth", "locale", "translation_key")
    )
    found = []
    for version in pages:
        code = version.locale.language_code
        found.append(
            Version(
                language_code=code,
                name=language_name(code),
                url=version.get_url(request),
                full_url=version.get_full_url(request),
                current=version.pk == page.pk,
                direction=direction(code),
            )
        )
    return sorted(found, key=lambda version: order.get(version.language_code, len(order)))


def in_current_language(pages):
    """Each page of `pages` in the visitor's language where it is translated (or aliased there), else itself, in
    the same order: what navigation and links in text lead to, so a family reading Arabic stays in Arabic where they
    can. No query when every page is in that language already; else one."""
    pages = list(pages)
    language = translation.get_language()
    if all(_language_of(page) == language for page in pages):  # fetched with their locale: nothing to look up
        return pages
    locale = active_locale()
    if locale is None or all(page.locale_id == locale.pk for page in pages):
        return pages
    localized = {
        page.translation_key: page
        for page in Page.objects.filter(translation_key__in=[page.translation_key for page in pages], locale=locale)
        .live()
        .select_related("locale")  # the menu marks the language of each link
        .only("id", "title", "url_path", "path", "depth", "translation_key", "locale")
    }
    return [localized.get(page.translation_key, page) for page in pages]


def active_locale():
    """The visitor's locale (the active language's), or None where that language has none yet. From `locale_ids`:
    no query."""
    try:
        code = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
    pk = locale_ids().get(code)
    return Locale(pk=pk, language_code=code) if pk else None


def _language_of(page):
    """The page's language when its locale came with it (`select_related("locale")`), else None."""
    locale = page._state.fields_cache.get("locale")
    return locale.language_code if locale is not None else None


LOCALE_IDS_KEY = "languages:locale-ids"


def locale_ids():
    """{language code: Locale id} of every locale, kept in the cache: locales change only when an editor adds or
    deletes a language (which forgets it), and every page of another language needs them."""
    ids = cache.get(LOCALE_IDS_KEY)
    if ids is None:
        ids = dict(Locale.objects.values_list("language_code", "pk"))
        cache.set(LOCALE_IDS_KEY, ids, None)
    return ids


@receiver([post_save, post_delete], sender=Locale)
def forget_locale_ids(**kwargs):
    cache.delete(LOCALE_IDS_KEY)
    transaction.on_commit(lambda: cache.delete(LOCALE_IDS_KEY))  # and what was read before the commit


def translations_behind_their_source():
    """Pages whose translations miss their latest changes: the page (in English, say) was published after its
    translations were last synced from it. Newest change first; each with `page_id`, `published_at` and the source's
    `pk` (wagtail-localize's "Sync translated pages" takes it). One query."""
    source_pages = Page.objects.filter(translation_key=OuterRef("object_id"), locale_id=OuterRef("locale_id"))
    return (
        TranslationSource.objects.filter(translations__enabled=True)
        .distinct()
        .annotate(
            page_id=Subquery(source_pages.values("pk")[:1]),
            page_title=Subquery(source_pages.values("title")[:1]),
            published_at=Subquery(source_pages.values("last_published_at")[:1]),
        )
        .filter(published_at__gt=F("last_updated_at"))
        .order_by("-published_at")
    )
