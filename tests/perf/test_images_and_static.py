"""Images as responsive, prefetched renditions; static files hashed, compressed and cached for a year."""

import io
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from demo.files import make_banner_image
from resources.models import ResourceIndexPage
from tests.factories import add_resource

ROOT = Path(__file__).resolve().parents[2]


def _distinct_images(number, width=96, height=64):
    Image = get_image_model()
    images = []
    for n in range(number):
        content = make_banner_image(width, height)
        image = Image(title=f"Card {n}", file=ImageFile(io.BytesIO(content), name=f"card-{n}.jpg"))
        image.save()
        images.append(image)
    return images


def _listing_queries(client, url):
    client.get(url)  # the first render creates the renditions, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.django_db
def test_a_listing_of_24_cards_costs_the_same_queries_as_one_of_2(client, library, monkeypatch):
    monkeypatch.setattr(ResourceIndexPage, "per_page", 24)
    images = _distinct_images(24)
    for n, image in enumerate(images[:2]):
        add_resource(library, f"Resource {n}", thumbnail=image, thumbnail_alt=f"Card image {n}")
    two_queries, two_html = _listing_queries(client, library.url)
    assert two_html.count("<picture>") == 2
    for n, image in enumerate(images[2:], start=2):
        add_resource(library, f"Resource {n}", thumbnail=image, thumbnail_alt=f"Card image {n}")
    many_queries, html = _listing_queries(client, library.url)
    assert html.count("<picture>") == 24
    assert many_queries == two_queries


@pytest.mark.django_db
def test_card_images_are_responsive_modern_lazy_and_sized(client, library):
    (image,) = _distinct_images(1, 600, 400)
    add_resource(library, "With a picture", thumbnail=image, thumbnail_alt="Pupils at the welcome assembly")
    html = client.get(library.url).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.DOTALL).group(0)
    assert 'type="image/webp"' in picture
    assert re.search(r'srcset="[^"]+ 240w, [^"]+ 480w"', picture)
    assert 'sizes="' in picture
    img = re.search(r"<img [^>]+>", picture).group(0)
    assert 'loading="lazy"' in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'alt="Pupils at the welcome assembly"' in img


def test_static_files_are_hashed_compressed_and_immutable(tmp_path):
    """collectstatic with the production storage into a temporary directory, then whitenoise serves it."""
    script = f"""
import os, sys
sys.path.insert(0, {str(ROOT)!r})
os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.production", SECRET_KEY={secrets.token_urlsafe(64)!r},
                  STATIC_ROOT={str(tmp_path)!r}, ALLOWED_HOSTS="testserver", DATABASE_URL="sqlite:///:memory:")
import django
django.setup()
from django.core.management import call_command
call_command("collectstatic", "--noinput", verbosity=0)
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
url = staticfiles_storage.url("css/site.css")
client = Client(HTTP_X_FORWARDED_PROTO="https")
for encoding in ("br", "gzip", ""):
    response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
    print(url, encoding or "identity", response.status_code, response.get("Content-Encoding", "-"),
          response["Cache-Control"], sep="\\t")
"""
    env = {key: value for key, value in __import__("os").environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert process.returncode == 0, process.stderr[-3000:]
    output = process.stdout
    rows = [line.split("\t") for line in output.strip().splitlines()]
    assert len(rows) == 3, output
    for url, _encoding, status, _content_encoding, cache_control in rows:
        assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css$", url), url
        assert status == "200"
        assert "immutable" in cache_control and "max-age=315360000" in cache_control, cache_control
    assert [row[3] for row in rows] == ["br", "gzip", "-"]
