"""Board images: photos the public posts (often of pupils), shown only while their post is public, and gone once
they leave it.

- Every route by which an image leaves its post (the author removes or replaces it, a moderator rejects the post
  or swaps the image in the admin, the post is deleted, an erasure request) ends in `discard_image()`:
  board/signals.py calls it whenever a saved or deleted post no longer shows an image it showed.
- When a post stops being public (hidden, reported, sent back to moderation by an edit) its renditions are
  deleted (`forget_renditions()`), files included: a rendition URL noted while the post was public stops
  answering even where a proxy or a bucket serves media directly. Moderators' screens make new ones on demand.
- Pages link a board image through `url()`, the board's own image view (board/views.py `serve_image`), which
  streams a rendition only while one of its posts is public (or to its author or a moderator), with a short cache
  lifetime so that a removal takes effect within minutes. The media view refuses board files to the public
  (`PRIVATE_IMAGE_FILE_PREFIXES`), and their storage names never appear on a public page.
"""

from django.urls import reverse
from wagtail.images import get_image_model

# A shared cache may keep a public post's image this long after the post leaves the board.
PUBLIC_MAX_AGE = 5 * 60
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}


def discard_image(image_id):
    """Delete a board image that left its post, with every rendition, unless another post still shows it.

    The rows go inside the caller's transaction (a rollback keeps them); Wagtail's own post_delete handlers
    delete the original and each rendition file through the storage API once it commits (S3 or a folder alike).
    Only images in the board's collection are deleted: a moderator who showed one of the site's own images on
    a post and then removed it has not asked for it to be deleted.
    """
    from .apps import BOARD_COLLECTION_NAME
    from .models import BoardPost

    if image_id is None or BoardPost.objects.filter(image_id=image_id).exists():
        return
    get_image_model().objects.filter(pk=image_id, collection__name=BOARD_COLLECTION_NAME).delete()


def forget_renditions(image_id):
    """Delete an image's renditions (rows now, files after the commit); the original stays for moderators."""
    if image_id is not None:
        get_image_model().get_rendition_model().objects.filter(image_id=image_id).delete()


def public_name(rendition):
    """The last part of a rendition's URL: its filter and type ("width-400.jpg"), never its storage name."""
    return f"{rendition.filter_spec}.{extension(rendition)}"


def extension(rendition):
    return rendition.file.name.rsplit(".", 1)[-1].lower()


def url(rendition):
    # By image and filter, not by rendition: renditions Wagtail has just made in bulk have no id yet.
    return reverse("board_image", args=[rendition.image_id, public_name(rendition)])


def existing_rendition(image_id, name):
    """The stored rendition a URL names, or None. Never makes one: a URL cannot make the server resize."""
    filter_spec = name.rpartition(".")[0]
    renditions = get_image_model().get_rendition_model().objects.filter(image_id=image_id, filter_spec=filter_spec)
    return next((rendition for rendition in renditions if public_name(rendition) == name), None)
