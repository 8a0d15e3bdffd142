"""Template tags for the site's frame: navigation, breadcrumbs and the home page's slots."""

import datetime

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail import hooks
from wagtail.models import Site

from home import languages

register = template.Library()


@register.filter
def html_datetime(value):
    """A `<time datetime>` value HTML accepts: ISO 8601 in local time, whole seconds.

    Django's `date:'c'` prints microseconds when there are any (`…:07.123456`), and HTML allows at most three
    fractional digits, so every `datetime` attribute goes through this filter instead.
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.simple_tag(takes_context=True)
def main_menu_pages(context):
    """Live pages directly under the site's home page that editors ticked 'Show in menus' for, each in the
    visitor's language where it is translated; `lang`: the language of one that is not (its title is English)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    pages = languages.in_current_language(
        site.root_page.get_children()
        .live()
        .in_menu()
        .select_related("locale")
        .only("id", "title", "url_path", "path", "depth", "translation_key", "locale")
    )
    active = translation.get_language()
    current = context.get("page")
    current_path = getattr(current, "path", "") or ""
    items = []
    for menu_page in pages:
        if current is not None and menu_page.pk == getattr(current, "pk", None):
            state = "page"
        elif current_path.startswith(menu_page.path):
            state = "true"
        else:
            state = ""
        language = menu_page.locale.language_code
        items.append({"page": menu_page, "current": state, "lang": "" if language == active else language})
    return items


@register.simple_tag(takes_context=True)
def home_url(context):
    """The home page's address in the visitor's language (`/ar/` for Arabic), or `/`."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return "/"
    home = site.root_page  # in the default language, as Wagtail's sites are
    if translation.get_language() != settings.LANGUAGE_CODE:
        [home] = languages.in_current_language([home])
    return home.get_url(request) or "/"


@register.simple_tag(takes_context=True)
def page_versions(context, page):
    """The live versions of `page` in every language (home/languages.py), for the switcher and hreflang links."""
    return languages.versions(page, context.get("request"))


@register.filter
def untranslated(page):
    """The language of the text `page` shows when it is an alias of a page in another language (not translated
    yet), else ""."""
    return languages.untranslated_from(page)


# A language code's `lang` spelling, its name in itself, its name in the visitor's language, its direction.
register.filter("html_lang", languages.html_lang)
register.filter("language_name", languages.language_name)
register.filter("language_name_translated", languages.language_name_translated)
register.filter("text_direction", languages.direction)


@register.simple_tag
def interface_language():
    """` lang="…" dir="…"` of the visitor's language, for interface text that may stand inside text marked as another
    language (an untranslated page shows the English text, with the contact card and slots in Persian)."""
    code = translation.get_language()
    return format_html(' lang="{}" dir="{}"', languages.html_lang(code), languages.direction(code))


@register.filter
def with_text_direction(field):
    """A form field's input, with `dir="auto"` where a person types free text, so a phrase typed in Arabic or Persian
    reads right to left as it is typed and when it is shown again (Django's own attributes are kept)."""
    if field.widget_type in {"text", "textarea", "search"}:
        return field.as_widget(attrs={"dir": "auto"})
    return field


@register.simple_tag(takes_context=True)
def page_link(context, param, number):
    """This page's query string with `param` (default "page") set to `number`; filters and searches stay."""
    query = context["request"].GET.copy()
    query[param or "page"] = number
    return f"?{query.urlencode()}"


@register.simple_tag
def breadcrumb_pages(page):
    """Ancestors of `page` from the home page down, without the tree's invisible root."""
    if page is None or not getattr(page, "pk", None) or page.depth <= 2:
        return []
    return list(page.get_ancestors().filter(depth__gte=2).only("id", "title", "url_path", "path", "depth"))


def _render_slots(hook_name, *args):
    """Join what each function registered for `hook_name` returns (HTML, or '' to stay out of the way).

    Each feature app registers its own function, so the base app never imports a feature app.
    """
    parts = [fn(*args) for fn in hooks.get_hooks(hook_name)]
    return mark_safe("".join(part for part in parts if part))  # noqa: S308 - hook output is rendered templates  # nosec B308, B703


@register.simple_tag(takes_context=True)
def home_page_slots(context):
    """The home page's slots: functions registered with the `home_page_slots` hook take the template context."""
    return _render_slots("home_page_slots", context)


@register.simple_tag(takes_context=True)
def process_page_slots(context, process):
    """A Learn, Embed or Share page's slots: `process_page_slots` functions take the context and the process slug."""
    return _render_slots("process_page_slots", context, process)


@register.simple_tag(takes_context=True)
def language_page_slots(context):
    """On a page in another language than the default: `language_page_slots` functions take the context and the
    language's code (the library's resources in that language)."""
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE:
        return ""
    return _render_slots("language_page_slots", context, language)


@register.simple_tag(takes_context=True)
def whats_on_slots(context):
    """What is on next (events, recordings): `whats_on_slots` functions take the template context."""
    return _render_slots("whats_on_slots", context)


def render_slot(template_name, context, extra):
    """Helper for feature apps' hooks: render an include with the request in context."""
    return render_to_string(template_name, {**extra, "page": context.get("page")}, request=context.get("request"))


@register.inclusion_tag("includes/video_embed.html")
def video_embed(url, title, transcript_url=""):
    """A privacy-friendly YouTube/Vimeo player for any page: `{% video_embed page.video_url page.title %}`."""
    from home.blocks import video_embed_details

    return {"video": video_embed_details(url), "url": url, "title": title, "transcript_url": transcript_url}
