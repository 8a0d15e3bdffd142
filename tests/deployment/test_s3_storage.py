"""Media on S3-compatible storage, against a real S3 server: moto in server mode on a loopback port.

Production settings read from the environment (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, keys) are run
once in a fresh interpreter that writes a file through `default_storage`; the storage configuration they
produce is then used in-process (override_settings) so the public board form, Wagtail images and documents
and Wagtail's document view are exercised against the bucket.

What moto enforces, and what it does not: an unsigned GET of an object uploaded with a private ACL is
refused (403) and the same GET of a public-read object is allowed, so the 403 below is the object's ACL at
work. Moto does NOT check the signature of a pre-signed URL (any well-formed one is accepted; with moto's
IAM authentication switched on, pre-signed URLs fail with a server error instead), so the signed-URL checks
prove that the storage hands out signed, expiring URLs that the server serves, not that a forged signature
would be refused: that part is the real S3 service's job.

Cost: one moto server for the module and one settings subprocess; about 10-20 s in all.
"""

import io
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from html import unescape as html_unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from board.models import BoardPage, BoardPost
from demo.files import make_pdf
from tests import s3_server
from tests.factories import jpeg_with_gps, make_board, post_data, upload

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
BUCKET = "sanctuary-media"
SECRET = "x" * 20 + "s3-storage-test-key-0123456789abcdefghijklmn"

# Run by production settings in a fresh interpreter: the settings path from the environment, end to end.
WRITE_THROUGH_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
name = default_storage.save("documents/written-by-production-settings.txt", ContentFile(b"from settings"))
print(json.dumps({
    "STORAGES": settings.STORAGES,
    "storage_class": type(default_storage._wrapped).__module__ + "." + type(default_storage._wrapped).__name__,
    "name": name,
    "url": default_storage.url(name),
}))
"""


@pytest.fixture(scope="module")
def endpoint():
    with s3_server.moto_server() as url:
        yield url


@pytest.fixture(scope="module")
def s3(endpoint):
    """A client of our own, to look in the bucket from outside the app."""
    return s3_server.create_bucket(endpoint, BUCKET)


@pytest.fixture(scope="module")
def from_production_settings(endpoint, s3):
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=SECRET,
        **s3_server.aws_environment(endpoint, BUCKET),
    )
    result = subprocess.run(
        [sys.executable, "-c", WRITE_THROUGH_SETTINGS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def s3_media(from_production_settings):
    """This process's default storage becomes the one production settings built from the environment."""
    storages = {**settings.STORAGES, "default": from_production_settings["STORAGES"]["default"]}
    with override_settings(STORAGES=storages):
        yield


def anonymous_get(url):
    """A plain GET with no credentials, as any visitor's browser would make it: (status, body)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - http(s) URL on our moto server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def unsigned(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def assert_private_object(s3, endpoint, key, url, content):
    """The object is in the bucket, private, refused unsigned and served through its signed URL."""
    stored = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert stored == content
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant

    assert url.startswith(f"{endpoint}/{BUCKET}/")
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query or "Signature" in query
    assert "X-Amz-Expires" in query or "Expires" in query
    assert anonymous_get(url) == (200, content)
    assert anonymous_get(unsigned(url))[0] == 403


def jpeg(color):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), color).save(buffer, "JPEG")
    return buffer.getvalue()


def test_production_settings_from_the_environment_write_private_objects_to_the_bucket(
    from_production_settings, s3, endpoint
):
    assert from_production_settings["storage_class"] == "storages.backends.s3.S3Storage"
    key = from_production_settings["name"]
    assert_private_object(s3, endpoint, key, from_production_settings["url"], b"from settings")


def test_moto_refuses_unsigned_reads_because_of_the_acl(s3, endpoint):
    """Control: the same unsigned GET succeeds for a public-read object, so a 403 means the ACL held."""
    s3.put_object(Bucket=BUCKET, Key="control/public.txt", Body=b"public", ACL="public-read")
    s3.put_object(Bucket=BUCKET, Key="control/private.txt", Body=b"private", ACL="private")
    assert anonymous_get(f"{endpoint}/{BUCKET}/control/public.txt") == (200, b"public")
    assert anonymous_get(f"{endpoint}/{BUCKET}/control/private.txt")[0] == 403


def test_wagtail_image_and_document_are_private_objects_with_signed_urls(s3_media, s3, endpoint):
    content = jpeg((20, 120, 60))
    image = get_image_model()(title="Assembly", file=ImageFile(io.BytesIO(content), name="assembly.jpg"))
    image.save()
    assert (image.width, image.height) == (40, 30)
    assert_private_object(s3, endpoint, image.file.name, image.file.url, content)

    rendition = image.get_rendition("fill-20x15")
    rendered = s3.get_object(Bucket=BUCKET, Key=rendition.file.name)["Body"].read()
    assert PILImage.open(io.BytesIO(rendered)).size == (20, 15)
    assert_private_object(s3, endpoint, rendition.file.name, rendition.url, rendered)

    pdf = make_pdf("Welcome pack", ["Text"])
    document = get_document_model()(title="Welcome pack", collection=Collection.get_first_root_node())
    document.file.save("welcome-pack.pdf", ContentFile(pdf), save=False)
    document.save()
    assert_private_object(s3, endpoint, document.file.name, document.file.url, pdf)
    assert document.url.startswith("/documents/")  # the site links its own checking view, not the bucket


def test_board_photo_from_the_public_form_is_stored_re_encoded_and_private(s3_media, s3, endpoint, client, demo_home):
    board = make_board(
        demo_home,
        slug="open-board",
        title="Open board",
        posting_mode=BoardPage.PostingMode.ANYONE,
        posting_code="",
        requires_approval=False,
    )
    response = client.post(
        board.url + "post/",
        post_data(board, image=upload("photo.jpg", jpeg_with_gps(), "image/jpeg"), image_alt="Pupils' art"),
    )
    assert response.status_code == 302
    post = BoardPost.objects.get()
    key = post.image.file.name
    assert key.startswith("original_images/board-")
    stored = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert b"Whitley" not in stored and not PILImage.open(io.BytesIO(stored)).getexif()  # re-encoded on the way
    assert_private_object(s3, endpoint, key, post.image.file.url, stored)

    # The public board page links the photo through the board's image view, which checks the post is public
    # and streams the rendition from the bucket (board/images.py); never a bucket URL, signed or bare.
    html = client.get(board.url).content.decode()
    photo = re.search(r'<img[^>]*alt="Pupils&#x27; art"[^>]*>', html).group(0)
    src = html_unescape(re.search(r' src="([^"]+)"', photo).group(1))
    assert src.startswith("/board/images/") and endpoint not in html
    response = client.__class__().get(src)
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    assert PILImage.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"


def test_private_document_is_only_streamed_by_the_view_that_checks_privacy(s3_media, s3, endpoint, client):
    private = Collection.get_first_root_node().add_child(name="EMAS staff only")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    pdf = make_pdf("Staff notes", ["Confidential"])
    document = get_document_model()(title="Staff notes", collection=private)
    document.file.save("staff-notes.pdf", ContentFile(pdf), save=False)
    document.save()

    # The object itself: private in the bucket, refused to anyone without a signature.
    assert s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read() == pdf
    assert anonymous_get(f"{endpoint}/{BUCKET}/{document.file.name}")[0] == 403

    # The site's link is Wagtail's serve view, which sends a visitor to log in and never redirects to S3.
    assert document.url.startswith("/documents/")
    response = client.get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"] and endpoint not in response["Location"]
    assert b"%PDF" not in response.content

    # Signed in, the view streams the file from the bucket through the app.
    client.force_login(get_user_model().objects.create_user("emas", "emas@example.org", "a-long-password-1"))
    allowed = client.get(document.url)
    assert allowed.status_code == 200
    assert b"".join(allowed.streaming_content) == pdf
