"""Rendering of what the public wrote: escaped first, then web addresses linked, line breaks kept."""

from django import template
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def board_message(text):
    """Escape, then turn http(s) addresses into rel="nofollow" links, then keep line breaks.

    `urlize` gets text that is already escaped (a SafeString), so nothing the poster typed can become
    markup; only the links urlize builds itself are HTML.
    """
    escaped = escape(text or "")
    linked = urlize(escaped, trim_url_limit=60, nofollow=True, autoescape=True)
    # linebreaks wraps paragraphs and turns single newlines into <br>; the input is already safe.
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308 - built from escaped text above  # nosec B308, B703
