"""The one shared place that accepts files from the public.

Images are decoded by Pillow and re-encoded from their pixels, so nothing of the original file survives:
no EXIF (GPS position, camera serial), no XMP, no ICC profile, no comments, no polyglot payloads.
Attachments are checked by their content, never by their name. Both raise `ValidationError` with a
message a teacher can act on.
"""

import io
import warnings
import zipfile

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from PIL import Image, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
IMAGE_MAX_BYTES = 5 * MB
IMAGE_MAX_PIXELS = 25_000_000
# A 25,000,000 x 1 PNG is a few KB and within the pixel limit, yet each rendition of it takes seconds: enough of
# them time out the moderation screens. No photo or banner needs a longer side or a thinner shape than these.
IMAGE_MAX_SIDE = 10_000
IMAGE_MAX_ASPECT_RATIO = 20
ATTACHMENT_MAX_BYTES = 10 * MB

# Pillow format name -> (extension, MIME type) of what we store.
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_OOXML_MAIN_PARTS = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml"}
_OOXML_CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}


class CleanedFile:
    """Bytes we produced or checked ourselves, with the name and type we decided."""

    def __init__(self, content, extension, content_type, width=None, height=None):
        self.content = content
        self.extension = extension
        self.content_type = content_type
        self.width = width
        self.height = height

    def __len__(self):
        return len(self.content)


def _extension(file):
    name = getattr(file, "name", "") or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_limited(file, max_bytes, too_big_message):
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(too_big_message, code="too_big")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_big_message, code="too_big")
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    return data


def check_image_shape(width, height):
    """Refuse a side over IMAGE_MAX_SIDE or a shape thinner than 1:IMAGE_MAX_ASPECT_RATIO, from the header alone.

    Used for the public's uploads (below) and editors' uploads in the admin (security/image_forms.py)."""
    size = f"{width:,} × {height:,} pixels"
    if max(width, height) > IMAGE_MAX_SIDE:
        raise ValidationError(
            f"The image is too large ({size}). Please upload one no more than {IMAGE_MAX_SIDE:,} pixels wide or high.",
            code="side_too_long",
        )
    if max(width, height) > IMAGE_MAX_ASPECT_RATIO * max(min(width, height), 1):
        raise ValidationError(
            f"The image is too long and thin to show ({size}). Please upload one that is no more than "
            f"{IMAGE_MAX_ASPECT_RATIO} times as wide as it is high, or as high as it is wide.",
            code="extreme_aspect_ratio",
        )


def clean_uploaded_image(file, max_bytes=IMAGE_MAX_BYTES, max_pixels=IMAGE_MAX_PIXELS):
    """Check an uploaded image by its content and re-encode it without any metadata.

    Returns a `CleanedFile` holding the new bytes. Orientation from EXIF is applied to the pixels
    first, so photos taken on their side still show the right way up once the EXIF is gone.
    """
    not_image = "Upload a JPEG, PNG, WebP or GIF image. This file is not one of those (or it is damaged)."
    extension = _extension(file)
    if extension and extension not in IMAGE_EXTENSIONS:
        raise ValidationError(
            f"“.{extension[:10]}” files cannot be used as images. Upload a JPEG, PNG, WebP or GIF image.",
            code="invalid_extension",
        )
    data = _read_limited(
        file, max_bytes, f"The image is larger than {max_bytes // MB} MB. Please upload a smaller version."
    )
    too_many_pixels = (
        f"The image is too large ({{pixels:,}} pixels). Please upload one of at most {max_pixels // 1_000_000} "
        "megapixels."
    )
    with warnings.catch_warnings():
        # Pillow warns (rather than refusing) between its limit and twice its limit; treat both as refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in IMAGE_FORMATS:
                    raise ValidationError(not_image, code="invalid_type")
                if width * height > max_pixels:
                    raise ValidationError(too_many_pixels.format(pixels=width * height), code="too_many_pixels")
                check_image_shape(width, height)
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                f"The image is too large to process safely. Please upload one of at most "
                f"{max_pixels // 1_000_000} megapixels.",
                code="too_many_pixels",
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(not_image, code="invalid_image") from error
        return _reencode(image, image_format)


def _reencode(image, image_format):
    """Draw the pixels into a fresh image and save only those: no info dict, no EXIF, no ICC, no XMP."""
    extension, content_type = IMAGE_FORMATS[image_format]
    animated = image_format == "GIF" and getattr(image, "n_frames", 1) > 1
    if animated:
        image.seek(0)  # keep the first frame only: animations are distracting and hard to moderate
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        pixels = image.convert("RGB")
    elif image_format == "GIF":
        pixels = image.convert("RGBA") if "transparency" in image.info else image.convert("RGB")
    else:
        pixels = image.convert("RGBA") if image.mode in {"RGBA", "LA", "P", "PA"} else image.convert("RGB")
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    output = io.BytesIO()
    if image_format == "JPEG":
        clean.save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "PNG":
        clean.save(output, "PNG", optimize=True)
    elif image_format == "WEBP":
        clean.save(output, "WEBP", quality=88)
    else:
        clean.save(output, "GIF")
    return CleanedFile(output.getvalue(), extension, content_type, width=clean.width, height=clean.height)


def clean_uploaded_attachment(file, max_bytes=ATTACHMENT_MAX_BYTES):
    """Accept a PDF, DOCX or PPTX checked by its content; return a `CleanedFile` with the type we found."""
    data = _read_limited(
        file, max_bytes, f"The attachment is larger than {max_bytes // MB} MB. Please upload a smaller file."
    )
    wrong_type = "Attach a PDF, Word (.docx) or PowerPoint (.pptx) file. This file is not one of those."
    extension = _extension(file)
    if extension and extension not in ATTACHMENT_TYPES:
        raise ValidationError(wrong_type, code="invalid_extension")
    kind = None
    if data.startswith(b"%PDF-"):
        kind = "pdf"
    elif data.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(data)
    if kind is None:
        raise ValidationError(wrong_type, code="invalid_type")
    if extension and extension != kind:
        raise ValidationError(
            f"This file is named .{extension} but it is really a .{kind} file. Rename it and try again.",
            code="extension_mismatch",
        )
    return CleanedFile(data, kind, ATTACHMENT_TYPES[kind])


def _ooxml_kind(data):
    """'docx' or 'pptx' when the zip is a real Office document (declared and containing its main part)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > 1 * MB:
                return None
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    for kind, main_part in _OOXML_MAIN_PARTS.items():
        if main_part in names and _OOXML_CONTENT_TYPES[kind] in content_types:
            return kind
    return None


class FileInputWithNotKeptNote(forms.ClearableFileInput):
    """A file field that can say, beside itself, that the file chosen before an error is gone.

    Browsers never refill a file input, so after any error on the form the person must choose the file again;
    `not_kept_note` (set by the form, e.g. the board's `PostForm.note_files_not_kept`) says so right above the
    input, and the input's aria-describedby points at it.
    """

    not_kept_note = ""

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.not_kept_note:
            return html
        note = format_html(
            '<p class="field__note file-not-kept" id="{}_not_kept"><strong>{}</strong></p>',
            (attrs or {}).get("id") or f"id_{name}",
            self.not_kept_note,
        )
        return note + html
