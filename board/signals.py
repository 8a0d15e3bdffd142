"""A board post's uploads go with it, whoever deletes it or takes them off it: its author (editing or deleting),
a moderator in the admin (rejecting, swapping the image, deleting one post or in bulk), an erasure request, or a
board being deleted. Photos of pupils must not outlive the post that showed them (board/images.py).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from .images import discard_image, forget_renditions
from .models import BoardPost

_NOT_LOADED = object()


def remember_saved_state(sender, instance, **kwargs):
    """Note the image and status the post was loaded with, to tell afterwards what a save took away.

    Fields deferred by the query are not read (that would cost a query per post); a post loaded without them
    cannot have changed them."""
    instance._saved_image_id = instance.__dict__.get("image_id", _NOT_LOADED)
    instance._saved_status = instance.__dict__.get("status", _NOT_LOADED)


def image_left_or_post_hidden(sender, instance, created, update_fields=None, **kwargs):
    saved_image_id, saved_status = instance._saved_image_id, instance._saved_status
    if update_fields is None or {"image", "image_id"} & set(update_fields):
        if saved_image_id not in (_NOT_LOADED, None) and saved_image_id != instance.image_id:
            discard_image(saved_image_id)
        instance._saved_image_id = instance.image_id
    if update_fields is None or "status" in update_fields:
        if saved_status == BoardPost.Status.APPROVED and instance.status != BoardPost.Status.APPROVED:
            forget_renditions(instance.image_id)
        instance._saved_status = instance.status


def remove_uploads(sender, instance, **kwargs):
    """Delete the attachment file once the deletion commits, and the image (board/images.py)."""
    if instance.attachment:
        storage, name = instance.attachment.storage, instance.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
    discard_image(instance.image_id)
    if instance._saved_image_id not in (_NOT_LOADED, None, instance.image_id):
        discard_image(instance._saved_image_id)


def connect():
    post_init.connect(remember_saved_state, sender=BoardPost, dispatch_uid="board_post_remember_saved_state")
    post_save.connect(image_left_or_post_hidden, sender=BoardPost, dispatch_uid="board_post_image_left")
    post_delete.connect(remove_uploads, sender=BoardPost, dispatch_uid="board_post_remove_uploads")
