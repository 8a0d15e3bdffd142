"""Fixtures for the board's tests: boards in each posting mode, files to upload, an editor."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from board.models import BoardPage, BoardPost, BoardSection
from board.services import submit_post

CODE = "SANCTUARY-TEST-42"


def make_board(home, slug="test-board", **fields):
    board = BoardPage(
        title=fields.pop("title", "Test board"),
        slug=slug,
        posting_mode=fields.pop("posting_mode", BoardPage.PostingMode.CODE),
        posting_code=fields.pop("posting_code", CODE),
        **fields,
    )
    for name, section_slug in [("Learn", "learn"), ("Embed", "embed"), ("Share", "share")]:
        board.sections.add(BoardSection(name=name, slug=section_slug, description=f"{name} ideas"))
    home.add_child(instance=board)
    board.save_revision().publish()
    return board


@pytest.fixture
def board(demo_home):
    return make_board(demo_home, comments_enabled=True)


@pytest.fixture
def open_board(demo_home):
    """Anyone may post and posts appear at once (unless a blocked word holds them)."""
    return make_board(
        demo_home,
        slug="open-board",
        title="Open board",
        posting_mode=BoardPage.PostingMode.ANYONE,
        posting_code="",
        requires_approval=False,
        comments_enabled=True,
    )


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        "moderator", "moderator@coventry.example.org", "password-1234", first_name="Mo", last_name="Derator"
    )


def post_data(board, **overrides):
    data = {
        "posting_code": CODE,
        "section": board.sections.get(slug="learn").pk,
        "title": "Our welcome assembly",
        "message": "Pupils said hello in twelve languages.",
        "link": "",
        "image_alt": "",
        "display_name": "Mrs Begum",
        "school": "Whitley Primary",
        "email": "begum@school.example.org",
        "website_url": "",
    }
    data.update(overrides)
    return data


def make_post(board, status=BoardPost.Status.APPROVED, section="learn", **fields):
    data = {
        "section": board.sections.get(slug=section),
        "title": fields.pop("title", "A post"),
        "message": fields.pop("message", "Some text"),
        **fields,
    }
    post, _ = submit_post(board, data)
    if status == BoardPost.Status.APPROVED:
        from django.utils import timezone

        BoardPost.objects.filter(pk=post.pk).update(status=status, approved_at=timezone.now())
    else:
        BoardPost.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    return post


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_kwargs):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    Image.new(mode, size, color).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg_with_gps():
    """A JPEG carrying EXIF GPS (the school's location), camera make and a comment, like a phone photo."""
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 1  # Orientation
    gps = {1: "N", 2: (52.0, 24.0, 30.0), 3: "W", 4: (1.0, 30.0, 45.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Taken at Whitley Primary")
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def ooxml(kind):
    main = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml"}[kind]
    ctype = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    }[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{main}" ContentType="{ctype}"/></Types>',
        )
        archive.writestr(main, "<xml/>")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
