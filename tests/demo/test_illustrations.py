"""The demo's own illustrations: each one distinct, the raster and SVG drawn from one description."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from demo.files import ILLUSTRATIONS, illustration_description, illustration_svg, make_banner_image

DRAWN = [name for name in ILLUSTRATIONS if name != "circles"]
SVG_FOLDER = Path(settings.BASE_DIR) / "static" / "images" / "illustrations"


@pytest.mark.parametrize("name", DRAWN)
def test_each_illustration_is_a_jpeg_of_the_size_asked_for_with_alt_text(name):
    image = Image.open(io.BytesIO(make_banner_image(480, 320, name=name)))
    assert (image.format, image.size) == ("JPEG", (480, 320))
    assert illustration_description(name).startswith("Illustration: ")


def test_the_illustrations_are_different_pictures():
    thumbnails = {
        name: Image.open(io.BytesIO(make_banner_image(60, 40, name=name))).tobytes() for name in ILLUSTRATIONS
    }
    assert len(set(thumbnails.values())) == len(ILLUSTRATIONS)


def test_other_apps_calls_still_draw_the_circles():
    """Benchmarks and tests call make_banner_image(width, height[, palette]): the default stays the circles."""
    assert make_banner_image(200, 120) == make_banner_image(200, 120, name="circles")


@pytest.mark.parametrize("name", DRAWN)
def test_the_static_svg_is_the_same_drawing(name):
    assert (SVG_FOLDER / f"{name}.svg").read_text(encoding="utf-8") == illustration_svg(name)
