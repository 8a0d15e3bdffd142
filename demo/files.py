"""Small files made on the fly for demo content, so downloads and images work offline.

The demo's pictures are the site's own illustrations (never downloaded), each drawn once as a list of simple
shapes on a 1200 x 800 canvas: Pillow turns them into the raster images Wagtail stores (uploads are
re-encoded, so they cannot be SVG), and `illustration_svg` into the SVG files in static/images/illustrations/
that the templates use. The demo's data files pick one by name (`ILLUSTRATIONS`, `drawing = "…"` in
demo/content/) and the loader takes its alt text from `illustration_description(name)`, so what the alt text says
is what the picture shows. The bench and the tests draw many cheap pictures with `make_banner_image(width, height)`.
"""

import html
import io
import math
import zlib

from PIL import Image, ImageDraw, ImageFont, ImageOps


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


CANVAS = (1200, 800)

# A warm palette: teal, coral and sunflower on cream and white; a range of skin tones and hair colours.
TEAL, TEAL_DARK, TEAL_LIGHT, TEAL_PALE = "#0b5c63", "#08393d", "#7cc5c0", "#e3f1f0"
CORAL, CORAL_DARK, CORAL_LIGHT, CORAL_PALE = "#e0684b", "#a63d28", "#f6b7a3", "#fde9e1"
SUN, SUN_LIGHT, SUN_PALE = "#f6b82c", "#fde7a8", "#fdf4dc"
GREEN, GREEN_LIGHT, BROWN, CREAM, WHITE, INK = "#3f8f5a", "#9fd3a8", "#8a5a3b", "#fbf6ee", "#ffffff", "#1b1b1f"
SKIN = ("#5c3a21", "#8d5524", "#c68642", "#e0ac69", "#f1c27d", "#ffdbac")
HAIR = ("#1b1b1f", "#3b2314", "#6b3e1f", "#b5651d", "#e5c07b")


# Shapes, in canvas units: ("rect", x, y, w, h, fill, radius), ("ellipse", cx, cy, rx, ry, fill),
# ("polygon", points, fill), ("line", points, colour, width) and ("text", cx, cy, text, size, fill).
def _rect(x, y, w, h, fill, radius=0):
    return ("rect", x, y, w, h, fill, radius)


def _ellipse(cx, cy, rx, ry, fill):
    return ("ellipse", cx, cy, rx, ry, fill)


def _polygon(points, fill):
    return ("polygon", points, fill)


def _line(points, colour, width):
    return ("line", points, colour, width)


def _text(cx, cy, text, size, fill):
    return ("text", cx, cy, text, size, fill)


def _arc_points(cx, cy, rx, ry, start, end, steps=12):
    """Points along an elliptical arc (degrees, 0 = right, 90 = down), for smiles and stands."""
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + ry * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def _person(x, top, skin, hair, shirt, scale=1.0):
    """A friendly figure, head and shoulders: hair, face, eyes, a smile and a rounded body."""
    r = 55 * scale
    return [
        _rect(x - 72 * scale, top + 1.7 * r, 144 * scale, 220 * scale, shirt, 60 * scale),
        _ellipse(x, top + r * 0.85, r * 1.08, r * 0.9, hair),
        _ellipse(x, top + r * 1.05, r * 0.92, r, skin),
        _ellipse(x - r * 0.35, top + r, 6 * scale, 7 * scale, INK),
        _ellipse(x + r * 0.35, top + r, 6 * scale, 7 * scale, INK),
        _line(_arc_points(x, top + r * 1.3, r * 0.35, r * 0.25, 20, 160, 8), INK, 5 * scale),
    ]


def _welcome_door(words):
    """An open school door with a welcome mat, a sign, plants and the sun."""
    return [
        _rect(0, 0, 1200, 800, SUN_PALE),
        _ellipse(1040, 120, 60, 60, SUN),
        _rect(0, 690, 1200, 110, GREEN_LIGHT),
        _rect(170, 210, 860, 490, CORAL_PALE),
        _polygon([(130, 222), (600, 80), (1070, 222)], CORAL),
        _rect(130, 210, 940, 24, CORAL_DARK),
        _rect(240, 310, 170, 140, TEAL),
        _rect(254, 324, 142, 112, TEAL_PALE),
        _rect(318, 324, 12, 112, TEAL),
        _rect(790, 310, 170, 140, TEAL),
        _rect(804, 324, 142, 112, TEAL_PALE),
        _rect(868, 324, 12, 112, TEAL),
        _rect(480, 320, 240, 380, TEAL),
        _rect(500, 340, 200, 360, SUN_LIGHT),
        _rect(470, 690, 260, 14, TEAL_DARK, 4),
        _polygon([(700, 340), (800, 305), (800, 735), (700, 700)], CORAL_DARK),
        _ellipse(780, 530, 10, 10, SUN),
        _rect(505, 255, 190, 50, WHITE, 12),
        _text(600, 281, words[0], 28, TEAL_DARK),
        _polygon([(460, 712), (740, 712), (790, 772), (410, 772)], CORAL),
        _text(600, 743, words[1], 30, WHITE),
        _rect(370, 620, 70, 80, CORAL_DARK, 8),
        _ellipse(405, 590, 52, 52, GREEN),
        _ellipse(385, 560, 30, 30, GREEN_LIGHT),
        _rect(880, 620, 70, 80, CORAL_DARK, 8),
        _ellipse(915, 590, 52, 52, GREEN),
        _ellipse(935, 560, 30, 30, GREEN_LIGHT),
    ]


def _round_the_table(_words):
    """Five children of different backgrounds round a table with books, paper and crayons."""
    shapes = [_rect(0, 0, 1200, 800, SUN_PALE), _ellipse(600, 250, 520, 210, SUN_LIGHT)]
    children = [
        (250, 250, SKIN[0], HAIR[0], TEAL),
        (425, 215, SKIN[4], HAIR[4], CORAL),
        (600, 235, SKIN[2], HAIR[1], SUN),
        (775, 210, SKIN[5], HAIR[3], GREEN),
        (950, 250, SKIN[1], HAIR[0], CORAL_DARK),
    ]
    for x, top, skin, hair, shirt in children:
        shapes += _person(x, top, skin, hair, shirt)
    shapes += [
        _rect(170, 560, 40, 200, BROWN, 10),
        _rect(990, 560, 40, 200, BROWN, 10),
        _ellipse(600, 560, 480, 95, "#c98b5e"),
        _ellipse(600, 548, 470, 85, "#e0a878"),
    ]
    for x, _top, skin, _hair, _shirt in children:
        shapes += [_ellipse(x - 48, 520, 30, 18, skin), _ellipse(x + 48, 520, 30, 18, skin)]
    shapes += [
        _polygon([(330, 560), (440, 540), (460, 590), (350, 610)], WHITE),
        _line([(360, 575), (430, 560)], TEAL, 6),
        _line([(365, 592), (420, 582)], CORAL, 6),
        _rect(540, 540, 120, 60, TEAL, 8),
        _rect(548, 532, 104, 60, TEAL_PALE, 8),
        _polygon([(740, 545), (850, 555), (840, 605), (730, 595)], WHITE),
        _ellipse(790, 575, 22, 18, SUN),
        _line([(880, 560), (940, 585)], CORAL_DARK, 10),
        _line([(880, 585), (935, 600)], TEAL, 10),
    ]
    return shapes


def _planting_a_tree(_words):
    """Two hands, of different skin tones, pressing soil round a young tree; the sun behind."""
    return [
        _rect(0, 0, 1200, 800, TEAL_PALE),
        _ellipse(600, 330, 300, 300, SUN_LIGHT),
        _ellipse(600, 760, 560, 170, "#6b4429"),
        _ellipse(600, 700, 330, 110, BROWN),
        _rect(588, 330, 24, 330, "#6b4429", 8),
        _line([(600, 480), (520, 410)], "#6b4429", 14),
        _line([(600, 440), (690, 370)], "#6b4429", 14),
        _ellipse(600, 300, 120, 95, GREEN),
        _ellipse(510, 390, 75, 55, GREEN_LIGHT),
        _ellipse(700, 360, 80, 58, GREEN_LIGHT),
        _ellipse(560, 250, 50, 40, GREEN_LIGHT),
        *_hand(SKIN[1], TEAL),  # the left hand and wrist, a deeper skin tone
        *_hand(SKIN[4], CORAL, mirrored=True),  # the right hand and wrist, a lighter one
    ]


def _hand(skin, cuff, mirrored=False):
    """A hand and wrist reaching in from the left edge (mirrored: the right), fingers curled over the soil."""
    width = CANVAS[0]

    def left(x, w):
        return width - x - w if mirrored else x

    def centre(x):
        return width - x if mirrored else x

    return [
        _rect(left(140, 260), 600, 260, 90, skin, 45),
        _ellipse(centre(420), 640, 80, 55, skin),
        _ellipse(centre(480), 615, 34, 22, skin),
        _ellipse(centre(490), 650, 34, 22, skin),
        _ellipse(centre(480), 683, 32, 20, skin),
        _rect(left(80, 90), 590, 90, 110, cuff, 20),
    ]


def _book_and_globe(_words):
    """An open book in front of a globe on its stand."""
    globe = [
        _ellipse(860, 320, 175, 175, TEAL_DARK),
        _ellipse(860, 320, 160, 160, TEAL_LIGHT),
        _polygon([(760, 230), (830, 200), (880, 240), (850, 300), (790, 320), (750, 280)], GREEN),
        _polygon([(880, 330), (950, 310), (990, 360), (940, 440), (890, 420)], GREEN),
        _polygon([(720, 360), (770, 360), (790, 420), (740, 430)], GREEN),
        _line(_arc_points(860, 320, 70, 160, -90, 90, 16), TEAL, 5),
        _line(_arc_points(860, 320, 70, 160, 90, 270, 16), TEAL, 5),
        _line([(700, 320), (1020, 320)], TEAL, 5),
        _line(_arc_points(860, 320, 200, 200, 100, 230, 16), CORAL_DARK, 14),
        _rect(845, 515, 30, 60, CORAL_DARK),
        _rect(770, 570, 180, 28, CORAL_DARK, 14),
    ]
    book = [
        _polygon([(170, 420), (600, 470), (1030, 420), (1030, 700), (600, 750), (170, 700)], CORAL_DARK),
        _polygon([(190, 400), (600, 450), (600, 730), (190, 680)], WHITE),
        _polygon([(600, 450), (1010, 400), (1010, 680), (600, 730)], CREAM),
        _line([(600, 450), (600, 730)], CORAL_LIGHT, 6),
    ]
    for i in range(6):
        y = 470 + i * 38
        book.append(_line([(240, y - 22), (550, y + 14)], TEAL_LIGHT if i % 2 else TEAL, 8))
        book.append(_line([(650, y + 14), (960, y - 22)], CORAL_LIGHT, 8))
    return [_rect(0, 0, 1200, 800, CORAL_PALE), _ellipse(180, 160, 40, 40, SUN), *globe, *book]


def _welcome_bubbles(words):
    """Speech bubbles, each saying welcome in a different language."""
    bubbles = [
        (300, 160, 230, 85, TEAL, WHITE, (230, 300)),
        (880, 140, 230, 85, CORAL_DARK, WHITE, (960, 280)),
        (600, 350, 260, 90, SUN, INK, (520, 490)),
        (250, 540, 220, 85, CORAL, INK, (180, 680)),
        (920, 520, 250, 90, TEAL_DARK, WHITE, (1000, 665)),
        (600, 700, 230, 75, WHITE, TEAL_DARK, (700, 790)),
    ]
    shapes = [_rect(0, 0, 1200, 800, TEAL_PALE)]
    for (cx, cy, rx, ry, fill, ink, tail), word in zip(bubbles, words, strict=True):
        shapes += [
            _polygon([(cx - 50, cy + ry * 0.5), (cx + 50, cy + ry * 0.5), tail], fill),
            _ellipse(cx, cy, rx, ry, fill),
            _text(cx, cy, word, 54 if len(word) < 10 else 44, ink),
        ]
    return shapes


def _city_pin(_words):
    """A map pin over a city skyline with three spires, as Coventry has."""
    shapes = [_rect(0, 0, 1200, 800, SUN_PALE), _ellipse(200, 140, 50, 50, SUN)]
    buildings = [
        (40, 470, 140, TEAL_LIGHT),
        (180, 400, 110, TEAL),
        (290, 500, 160, TEAL_LIGHT),
        (450, 430, 120, CORAL),
        (570, 480, 150, TEAL_LIGHT),
        (720, 380, 110, TEAL),
        (830, 460, 170, CORAL_LIGHT),
        (1000, 420, 160, TEAL),
    ]
    for x, top, w, fill in buildings:
        shapes.append(_rect(x, top, w, 700 - top, fill))
        for row in range(top + 30, 660, 60):
            for col in range(x + 20, x + w - 30, 45):
                shapes.append(_rect(col, row, 22, 30, WHITE if fill in (TEAL, CORAL) else SUN_LIGHT, 3))
    for x, base, height in ((235, 400, 170), (765, 380, 220), (1080, 420, 150)):
        shapes += [
            _rect(x - 22, base - 60, 44, 60, TEAL_DARK),
            _polygon([(x - 22, base - 60), (x + 22, base - 60), (x, base - 60 - height)], TEAL_DARK),
        ]
    shapes += [
        _rect(0, 700, 1200, 100, GREEN_LIGHT),
        _ellipse(600, 640, 90, 22, "#c9b79a"),
        _polygon([(480, 330), (720, 330), (600, 640)], CORAL_DARK),
        _ellipse(600, 300, 130, 130, CORAL_DARK),
        _ellipse(600, 300, 60, 60, WHITE),
        _ellipse(600, 300, 28, 28, SUN),
    ]
    return shapes


# name -> (drawing, words on the SVG, words on the raster, alt text of the SVG, alt text of the raster).
# The SVGs name welcome in scripts browsers draw; Pillow's built-in font is Latin only.
_DRAWINGS = {
    "welcome-door": (_welcome_door, ("SCHOOL", "WELCOME"), ("SCHOOL", "WELCOME")),
    "round-the-table": (_round_the_table, (), ()),
    "planting-a-tree": (_planting_a_tree, (), ()),
    "book-and-globe": (_book_and_globe, (), ()),
    "welcome-bubbles": (
        _welcome_bubbles,
        ("Welcome", "Croeso", "Witamy", "أهلاً وسهلاً", "Ласкаво просимо", "Karibu"),
        ("Welcome", "Croeso", "Witamy", "Bienvenue", "Karibu", "Bem-vindo"),
    ),
    "city-pin": (_city_pin, (), ()),
}
ILLUSTRATIONS = {
    "welcome-door": "Illustration: an open school door with a sign saying School and a mat saying Welcome",
    "round-the-table": (
        "Illustration: five smiling children of different backgrounds round a table with books and drawings"
    ),
    "planting-a-tree": "Illustration: two hands, one darker and one lighter, pressing soil round a young tree",
    "book-and-globe": "Illustration: an open book in front of a globe",
    "welcome-bubbles": (
        "Illustration: speech bubbles saying welcome in six languages: Welcome, Croeso, Witamy, Bienvenue, "
        "Karibu and Bem-vindo"
    ),
    "city-pin": "Illustration: a map pin over a city skyline with three spires",
    "circles": "Abstract illustration of overlapping coloured circles",
}


def illustration_description(name):
    """The alt text (Wagtail image description) that says truthfully what `make_banner_image(name=)` draws."""
    return ILLUSTRATIONS[name]


def _shapes(name, for_svg):
    drawing, svg_words, raster_words = _DRAWINGS[name]
    return drawing(svg_words if for_svg else raster_words)


def illustration_svg(name):
    """The illustration as an SVG document (the files in static/images/illustrations/ are these)."""
    width, height = CANVAS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
    ]

    def number(value):
        return f"{value:.1f}".rstrip("0").rstrip(".")

    def points(values):
        return " ".join(f"{number(x)},{number(y)}" for x, y in values)

    for shape in _shapes(name, for_svg=True):
        kind = shape[0]
        if kind == "rect":
            _, x, y, w, h, fill, radius = shape
            rounded = f' rx="{number(radius)}"' if radius else ""
            size = f'width="{number(w)}" height="{number(h)}"'
            parts.append(f'<rect x="{number(x)}" y="{number(y)}" {size}{rounded} fill="{fill}"/>')
        elif kind == "ellipse":
            _, cx, cy, rx, ry, fill = shape
            parts.append(
                f'<ellipse cx="{number(cx)}" cy="{number(cy)}" rx="{number(rx)}" ry="{number(ry)}" fill="{fill}"/>'
            )
        elif kind == "polygon":
            parts.append(f'<polygon points="{points(shape[1])}" fill="{shape[2]}"/>')
        elif kind == "line":
            _, values, colour, width_ = shape
            parts.append(
                f'<polyline points="{points(values)}" fill="none" stroke="{colour}" stroke-width="{number(width_)}" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
        else:
            _, cx, cy, text, size, fill = shape
            parts.append(
                f'<text x="{number(cx)}" y="{number(cy)}" font-size="{size}" fill="{fill}" font-weight="700" '
                'font-family="system-ui, sans-serif" text-anchor="middle" dominant-baseline="central">'
                f"{html.escape(text, quote=False)}</text>"
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _draw_raster(name, width, height):
    # Drawn at twice the size needed, then scaled down: Pillow's shapes have no anti-aliasing of their own.
    scale = 2 * max(width / CANVAS[0], height / CANVAS[1])
    image = Image.new("RGB", (round(CANVAS[0] * scale), round(CANVAS[1] * scale)), WHITE)
    draw = ImageDraw.Draw(image)

    def at(value):
        return value * scale

    for shape in _shapes(name, for_svg=False):
        kind = shape[0]
        if kind == "rect":
            _, x, y, w, h, fill, radius = shape
            box = [at(x), at(y), at(x + w), at(y + h)]
            draw.rounded_rectangle(box, radius=at(min(radius, w / 2, h / 2)), fill=fill)
        elif kind == "ellipse":
            _, cx, cy, rx, ry, fill = shape
            draw.ellipse([at(cx - rx), at(cy - ry), at(cx + rx), at(cy + ry)], fill=fill)
        elif kind == "polygon":
            draw.polygon([(at(x), at(y)) for x, y in shape[1]], fill=shape[2])
        elif kind == "line":
            _, values, colour, line_width = shape
            scaled = [(at(x), at(y)) for x, y in values]
            draw.line(scaled, fill=colour, width=max(1, round(at(line_width))), joint="curve")
            radius = at(line_width) / 2
            for x, y in (scaled[0], scaled[-1]):
                draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
        else:
            _, cx, cy, text, size, fill = shape
            font = ImageFont.load_default(size=max(1, round(at(size))))
            draw.text((at(cx), at(cy)), text, fill=fill, font=font, anchor="mm")
    return ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS)


def _draw_circles(width, height, palette):
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
    return image


def make_banner_image(width=1200, height=800, palette=("#0b4f6c", "#f2c14e", "#1d6b3a", "#e8eef2"), name="circles"):
    """A demo picture as JPEG bytes: one of the site's illustrations by `name` (see `ILLUSTRATIONS`).

    The default, "circles", is the abstract picture of overlapping circles in `palette` (benchmarks and tests
    use it for many images cheaply); `palette` applies to it only.
    """
    image = _draw_circles(width, height, palette) if name == "circles" else _draw_raster(name, width, height)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82)
    return out.getvalue()
