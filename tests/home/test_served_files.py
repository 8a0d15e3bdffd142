"""What the site serves from uploads: documents as sandboxed downloads, image renditions only, no bombs decoded."""

import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from board.models import BoardPost
from tests.factories import PDF, make_board, post_data, upload

pytestmark = pytest.mark.django_db

# The file's own policy, plus the site-wide refusal to be framed (security.headers adds frame-ancestors).
STRICT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def make_document(name, content, title="A document"):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.parametrize(
    "name,content",
    [
        ("welcome-pack.pdf", PDF),
        ("notes.txt", b"Plain text notes for teachers."),
        # What an attacker would try: markup stored as a document (by a careless import, say).
        ("page.html", b"<html><script>alert(document.cookie)</script></html>"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
)
def test_documents_are_downloads_with_a_sandboxing_csp(client, name, content):
    document = make_document(name, content)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_a_conditional_request_for_a_document_keeps_the_headers(client):
    document = make_document("plan.pdf", PDF)
    first = client.get(document.url)
    again = client.get(document.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Content-Security-Policy"] == STRICT_CSP


def test_document_urls_still_check_the_file_name(client):
    document = make_document("plan.pdf", PDF)
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404


def test_original_uploads_svg_and_html_are_never_served_from_media(client, tmp_path):
    images = Path(settings.MEDIA_ROOT) / "images"
    images.mkdir(parents=True, exist_ok=True)
    (images / "drawing.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (images / "page.html").write_bytes(b"<script>alert(1)</script>")
    (Path(settings.MEDIA_ROOT) / "original_images").mkdir(exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "original_images" / "upload.jpg").write_bytes(b"\xff\xd8")
    assert client.get("/media/images/drawing.svg").status_code == 404
    assert client.get("/media/images/page.html").status_code == 404
    assert client.get("/media/original_images/upload.jpg").status_code == 404
    assert client.get("/media/board/attachments/x.pdf").status_code == 404


def test_image_renditions_are_served_sandboxed(client):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 100, 0)).save(buffer, "PNG")
    image = get_image_model()(title="Green")
    image.file.save("green.png", ContentFile(buffer.getvalue()), save=False)
    image.width, image.height = 40, 30  # saving the file resets them
    image.save()
    rendition = image.get_rendition("width-20")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == STRICT_CSP
    assert response["X-Content-Type-Options"] == "nosniff"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def tiny_png_declaring(width, height):
    """A valid-looking PNG of a few dozen bytes whose header claims `width` x `height` pixels."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def test_a_tiny_png_declaring_huge_dimensions_is_refused_beside_the_field_without_decoding(client, demo_home):
    board = make_board(demo_home)
    bomb = tiny_png_declaring(100_000, 100_000)  # ten gigapixels: ~1.25 GB at one bit per pixel
    assert len(bomb) < 200
    tracemalloc.start()
    try:
        response = client.post(
            board.url + "post/", post_data(board, image=upload("bomb.png", bomb), image_alt="A picture")
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    image_error = soup.find(id="id_image_error")  # the message next to the image field
    assert image_error is not None and "too large" in image_error.get_text()
    assert BoardPost.objects.count() == 0
    assert peak < 50 * 1024 * 1024, f"peak Python memory {peak / 1e6:.0f} MB: the image was decoded"


def test_attachments_are_checked_by_content_not_by_name_or_declared_type(client, demo_home):
    board = make_board(demo_home)
    html_as_pdf = upload("plan.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = client.post(board.url + "post/", post_data(board, attachment=html_as_pdf))
    assert response.status_code == 200
    assert "This file is not one of those" in response.content.decode()
    assert BoardPost.objects.count() == 0
