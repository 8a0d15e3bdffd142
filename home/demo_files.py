"""Small files made on the fly for demo content, so downloads and images work offline."""

import io
import zlib

from PIL import Image, ImageDraw


def make_pdf(title, lines):
    """A valid one-page PDF with a title and lines of text (Helvetica, no external fonts)."""

    def escape(text):
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1", "replace")

    content = [b"BT /F1 18 Tf 56 780 Td (" + escape(title) + b") Tj ET"]
    y = 748
    for line in lines:
        content.append(b"BT /F1 11 Tf 56 %d Td (" % y + escape(line) + b") Tj ET")
        y -= 18
    stream = zlib.compress(b"\n".join(content))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_banner_image(width=1200, height=800, palette=("#0b4f6c", "#f2c14e", "#1d6b3a", "#e8eef2")):
    """An abstract, calm illustration: overlapping circles, like people gathering. Returns JPEG bytes."""
    image = Image.new("RGB", (width, height), palette[3])
    draw = ImageDraw.Draw(image, "RGBA")
    circles = [
        (0.22, 0.55, 0.30, palette[0]),
        (0.50, 0.42, 0.26, palette[1]),
        (0.74, 0.60, 0.28, palette[2]),
        (0.40, 0.80, 0.18, palette[1]),
        (0.88, 0.25, 0.14, palette[0]),
    ]
    for cx, cy, r, colour in circles:
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        box = [(cx - r) * width, cy * height - r * width, (cx + r) * width, cy * height + r * width]
        draw.ellipse(box, fill=(*rgb, 170))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
