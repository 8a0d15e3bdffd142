"""The shared upload checks: images re-encoded without metadata; attachments checked by content."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from security.uploads import clean_uploaded_attachment, clean_uploaded_image
from tests.factories import PDF, image_bytes, jpeg_with_gps, ooxml, upload


def reopen(cleaned):
    return Image.open(io.BytesIO(cleaned.content))


def test_gps_and_every_other_bit_of_metadata_is_stripped():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test file really has GPS
    cleaned = clean_uploaded_image(upload("photo.jpg", original))
    out = reopen(cleaned)
    assert out.format == "JPEG"
    assert dict(out.getexif()) == {}
    assert not out.getexif().get_ifd(0x8825)
    assert "exif" not in out.info and "comment" not in out.info and "icc_profile" not in out.info
    assert b"Whitley" not in cleaned.content and b"PhoneMaker" not in cleaned.content
    assert (cleaned.width, cleaned.height) == (80, 60)


def test_exif_orientation_is_applied_to_the_pixels():
    image = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° when shown
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    cleaned = clean_uploaded_image(upload("sideways.jpg", buffer.getvalue()))
    assert (cleaned.width, cleaned.height) == (20, 40)


@pytest.mark.parametrize("fmt,ext", [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")])
def test_each_allowed_format_is_accepted_and_keeps_its_type(fmt, ext):
    cleaned = clean_uploaded_image(upload(f"x.{ext}", image_bytes(fmt)))
    assert cleaned.extension == ext
    assert reopen(cleaned).format == fmt


def test_png_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret location")
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "PNG", pnginfo=info)
    cleaned = clean_uploaded_image(upload("x.png", buffer.getvalue()))
    assert b"secret location" not in cleaned.content


def _refused(name, content, **kwargs):
    with pytest.raises(ValidationError) as error:
        clean_uploaded_image(upload(name, content), **kwargs)
    return " ".join(error.value.messages)


def test_decompression_bomb_is_refused():
    # 12,000 x 12,000 pixels of one colour compress to a tiny PNG but would need ~430 MB to decode.
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    assert "too large" in _refused("bomb.png", buffer.getvalue())


def test_pillow_decompression_bomb_error_is_refused_even_with_a_high_limit():
    buffer = io.BytesIO()
    Image.new("1", (14_000, 14_000)).save(buffer, "PNG")  # above Pillow's own 89.5 megapixel warning
    assert "too large" in _refused("bomb.png", buffer.getvalue(), max_pixels=10**10)


def test_truncated_file_is_refused():
    data = image_bytes("JPEG", size=(400, 300))
    assert "not one of those" in _refused("cut.jpg", data[: len(data) // 2])


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "cannot be used as images" in _refused("drawing.svg", svg)
    assert "not one of those" in _refused("drawing.png", svg)


def test_html_named_png_is_refused():
    assert "not one of those" in _refused("cat.png", b"<html><script>alert(document.cookie)</script></html>")


def test_wrong_extension_is_refused():
    assert "cannot be used as images" in _refused("photo.exe", image_bytes("JPEG"))
    assert "cannot be used as images" in _refused("photo.html", image_bytes("PNG"))


def test_other_image_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "BMP")
    assert "not one of those" in _refused("x.gif", buffer.getvalue())


def test_too_many_bytes_and_pixels_are_refused():
    assert "larger than 5 MB" in _refused("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1))
    assert "megapixels" in _refused("wide.png", image_bytes("PNG", size=(600, 600)), max_pixels=100_000)


def test_empty_file_is_refused():
    assert "empty" in _refused("x.jpg", b"")


@pytest.mark.parametrize(
    "name,content,kind", [("a.pdf", PDF, "pdf"), ("b.docx", ooxml("docx"), "docx"), ("c.pptx", ooxml("pptx"), "pptx")]
)
def test_attachments_are_recognised_by_content(name, content, kind):
    assert clean_uploaded_attachment(upload(name, content)).extension == kind


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("evil.pdf", b"<html><script>alert(1)</script>", "not one of those"),
        ("macro.docm", ooxml("docx"), "not one of those"),
        ("report.docx", PDF, "really a .pdf"),
        ("slides.pptx", ooxml("docx"), "really a .docx"),
        ("x.exe", b"MZ\x90\x00", "not one of those"),
    ],
)
def test_bad_attachments_are_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        clean_uploaded_attachment(upload(name, content))
    assert message in " ".join(error.value.messages)


def test_a_plain_zip_is_not_an_office_document():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<xml/>")  # no [Content_Types].xml
    with pytest.raises(ValidationError):
        clean_uploaded_attachment(upload("x.docx", buffer.getvalue()))


def test_attachment_size_limit():
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        clean_uploaded_attachment(upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024)))


@pytest.mark.parametrize(
    "size, message",
    [
        ((25_000_000, 1), "no more than 10,000 pixels wide or high"),
        ((1, 25_000_000), "no more than 10,000 pixels wide or high"),
        ((10_001, 10), "no more than 10,000 pixels wide or high"),
        ((10, 201), "too long and thin"),
    ],
)
def test_extreme_shapes_are_refused_from_the_header(size, message):
    buffer = io.BytesIO()
    Image.new("1", size, 1).save(buffer, "PNG", optimize=True)
    assert message in _refused("thin.png", buffer.getvalue())


def test_long_but_sane_shapes_are_accepted():
    for size in [(10_000, 500), (100, 2_000), (1, 1)]:
        buffer = io.BytesIO()
        Image.new("1", size, 1).save(buffer, "PNG")
        assert reopen(clean_uploaded_image(upload("ok.png", buffer.getvalue()))).size == size
