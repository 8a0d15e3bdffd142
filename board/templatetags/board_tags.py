"""Rendering of what the public wrote (escaped first, then web addresses linked, line breaks kept) and of the
images posted with it."""

from django import template
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, linebreaks, urlize
from django.utils.safestring import mark_safe

from board import images as board_images
from board.models import CARD_IMAGE_WIDTHS, PAGE_IMAGE_WIDTHS

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


@register.simple_tag
def board_image(image, kind, sizes, **attrs):
    """A post's image as `<img srcset sizes width height>`, on a "card" or on the post's own "page".

    Like Wagtail's `{% srcset_image %}`, except that widths beyond the upload are not asked for (Wagtail never
    enlarges, so they would be duplicate `640w` sources and copies of the same file): the upload is offered at
    its own size instead. `width`/`height` are the largest source's: with `max-width: 100%` in board.css the
    image is never shown wider than its pixels, and the page does not shift as it loads. The views prefetch
    these renditions. Every URL is the board's image view, which serves it only while its post is public
    (board/images.py), never the file's own /media/ address.
    """
    widths = sorted({"card": CARD_IMAGE_WIDTHS, "page": PAGE_IMAGE_WIDTHS}[kind])
    wanted = [width for width in widths if width < image.width]
    wanted += [width for width in widths if width >= image.width][:1]
    renditions = sorted(
        image.get_renditions(*(f"width-{width}" for width in wanted)).values(), key=lambda r: r.width, reverse=True
    )
    # The first (largest) is the fallback src and gives the width and height attributes.
    largest = renditions[0]
    tag = {"src": board_images.url(largest), "width": largest.width, "height": largest.height, "alt": ""}
    tag.update(attrs)
    if len(renditions) > 1:
        tag["srcset"] = ", ".join(f"{board_images.url(rendition)} {rendition.width}w" for rendition in renditions)
        tag["sizes"] = sizes
    return format_html("<img{}>", flatatt(tag))
