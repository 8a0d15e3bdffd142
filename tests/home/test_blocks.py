"""The shared StreamField blocks: validation editors meet, and what the public sees."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from home.blocks import (
    BaseStreamBlock,
    CallToActionBlock,
    CaptionedImageBlock,
    FooterLinkBlock,
    VideoBlock,
    parse_video_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ?t=10", ("youtube", "dQw4w9WgXcQ")),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ&list=x", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871?h=abc", ("vimeo", "76979871")),
        ("https://example.com/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=short", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>', None),
        ("not a url", None),
    ],
)
def test_video_urls_are_recognised_locally(url, expected):
    assert parse_video_url(url) == expected


def test_video_block_rejects_other_sites_with_a_clear_message():
    block = VideoBlock()
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"url": "https://example.com/video", "title": "Webinar", "transcript_url": ""}))
    assert "YouTube or Vimeo" in str(caught.value.block_errors["url"])


def test_video_renders_a_privacy_friendly_link_without_contacting_the_provider():
    block = VideoBlock()
    html = block.render(
        block.to_python({"url": "https://youtu.be/dQw4w9WgXcQ", "title": "Launch webinar", "transcript_url": ""})
    )
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in html
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0"' in html
    assert "<iframe" not in html  # nothing loads from YouTube until the visitor chooses to play
    assert 'aria-label="Watch on YouTube (external site): Launch webinar">Watch on YouTube (external site)</a>' in html


def test_call_to_action_needs_exactly_one_destination():
    block = CallToActionBlock()
    cleaned = block.clean(block.to_python({"text": "Go", "page": None, "url": "https://example.org", "style": "link"}))
    assert cleaned["url"] == "https://example.org"
    with pytest.raises(StructBlockValidationError) as caught:
        block.clean(block.to_python({"text": "Go", "page": None, "url": "", "style": "button"}))
    assert "either a page on this site or an external address" in str(caught.value.block_errors["url"])


@pytest.mark.parametrize("block", [CallToActionBlock(), FooterLinkBlock()], ids=["call to action", "footer link"])
def test_link_blocks_refuse_no_destination_and_two_destinations_beside_both_fields(block, db):
    from wagtail.models import Page

    page = Page.objects.get(depth=1)
    for page_value, url in [(None, ""), (page.pk, "https://example.org")]:
        with pytest.raises(StructBlockValidationError) as caught:
            block.clean(block.to_python({"text": "Go", "page": page_value, "url": url}))
        for field in ("page", "url"):
            assert "one of them, not both" in str(caught.value.block_errors[field])


def test_image_block_requires_alt_text():
    block = CaptionedImageBlock()
    with pytest.raises((StructBlockValidationError, ValidationError)) as caught:
        block.clean({"image": None, "alt_text": "", "caption": ""})
    assert "alt_text" in caught.value.block_errors


def test_body_renders_headings_quotes_and_accordions(db):
    block = BaseStreamBlock()
    value = block.to_python(
        [
            {"type": "heading", "value": {"text": "Welcome", "level": "h3"}},
            {"type": "quote", "value": {"text": "Everyone is welcome <here>", "attribution": "Year 6"}},
            {
                "type": "accordion",
                "value": {"heading": "FAQ", "items": [{"question": "Who can apply?", "answer": "<p>Any school</p>"}]},
            },
        ]
    )
    html = block.render(value)
    assert "<h3>Welcome</h3>" in html
    assert "Everyone is welcome &lt;here&gt;" in html
    assert "<summary>Who can apply?</summary>" in html
