"""StreamField blocks shared by every page type: one body, defined once.

Feature apps (resources, events, board) import `BaseStreamBlock` from here so an editor meets the
same blocks everywhere.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")


def parse_video_url(url):
    """Return (provider, video_id) for a YouTube or Vimeo address, or None.

    Parsed locally, so saving a page never needs the provider to be reachable.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif path.split("/")[0] in {"embed", "shorts", "live", "v"} and "/" in path:
            video_id = path.split("/")[1]
        else:
            return None
        return ("youtube", video_id) if _YOUTUBE_ID.match(video_id) else None
    if host == "youtu.be":
        video_id = path.split("/")[0]
        return ("youtube", video_id) if _YOUTUBE_ID.match(video_id) else None
    if host in {"vimeo.com", "player.vimeo.com"}:
        candidates = [segment for segment in path.split("/") if _VIMEO_ID.match(segment)]
        return ("vimeo", candidates[0]) if candidates else None
    return None


def video_embed_details(url):
    """Everything a template needs to show a privacy-friendly video, or None for an unknown URL."""
    parsed = parse_video_url(url or "")
    if parsed is None:
        return None
    provider, video_id = parsed
    if provider == "youtube":
        return {
            "provider": "YouTube",
            "watch_url": f"https://www.youtube.com/watch?v={video_id}",
            # youtube-nocookie sets no tracking cookies until the visitor plays the video.
            "embed_url": f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0",
        }
    return {
        "provider": "Vimeo",
        "watch_url": f"https://vimeo.com/{video_id}",
        "embed_url": f"https://player.vimeo.com/video/{video_id}?dnt=1",
    }


def validate_video_url(value):
    if parse_video_url(value or "") is None:
        raise ValidationError(
            "Enter the address of a YouTube or Vimeo video, for example https://www.youtube.com/watch?v=…"
        )


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Heading 2"), ("h3", "Heading 3"), ("h4", "Heading 4")],
        default="h2",
        help_text="Use Heading 2 for sections and smaller levels inside them; do not skip levels.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it. Required.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=150, help_text="Who said it, e.g. 'Year 6 pupil'.")

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class PageOrAddressMixin:
    """For link blocks with a `page` and a `url` child: exactly one of them, said beside both fields."""

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = "Choose either a page on this site or an external address (one of them, not both)."
            raise StructBlockValidationError(block_errors={"page": ErrorList([message]), "url": ErrorList([message])})
        return value


class CallToActionBlock(PageOrAddressMixin, blocks.StructBlock):
    text = blocks.CharBlock(max_length=80, help_text="Say where the link goes, e.g. 'Contact the EMAS team'.")
    page = blocks.PageChooserBlock(required=False, help_text="A page on this site…")
    url = blocks.URLBlock(required=False, help_text="…or an address on another site.")
    style = blocks.ChoiceBlock(
        choices=[("button", "Button"), ("link", "Link")],
        default="button",
    )

    class Meta:
        icon = "link"
        template = "blocks/call_to_action_block.html"


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    items = blocks.ListBlock(AccordionItemBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Accordion (FAQ)"
        template = "blocks/accordion_block.html"


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, max_length=150, help_text="Defaults to the document's title.")

    class Meta:
        icon = "doc-full"
        label = "Document download"
        template = "blocks/document_block.html"


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label="Video address",
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo address. Nothing loads from the provider until a visitor chooses to play.",
    )
    title = blocks.CharBlock(max_length=150, help_text="What the video is, for people using screen readers.")
    transcript_url = blocks.URLBlock(required=False, help_text="Optional link to a transcript.")

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video"] = video_embed_details(value["url"])
        return context


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, icon="pilcrow", template="blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    accordion = AccordionBlock()
    document = DocumentDownloadBlock()
    video = VideoBlock()


class ProcessCardBlock(blocks.StructBlock):
    """One of the award's three processes (Learn, Embed, Share) on the home page."""

    title = blocks.CharBlock(max_length=60)
    text = blocks.TextBlock(max_length=300)
    page = blocks.PageChooserBlock()

    class Meta:
        icon = "doc-full-inverse"
        template = "blocks/process_card_block.html"


class FooterLinkBlock(PageOrAddressMixin, blocks.StructBlock):
    text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False)

    class Meta:
        icon = "link"
