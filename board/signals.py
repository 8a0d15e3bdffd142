"""A board post's uploads go with it, whoever deletes it: its author, a moderator in the admin (one post or in
bulk), an erasure request, or a board being deleted. Photos of pupils must not outlive the post that showed them.
"""

from django.db import transaction
from django.db.models.signals import post_delete
from wagtail.images import get_image_model

from .models import BoardPost


def remove_uploads(sender, instance, **kwargs):
    """Delete the attachment file once the deletion commits, and the image unless another post still shows it
    (posts upload their own images; the demo and bench data share a few)."""
    if instance.attachment:
        storage, name = instance.attachment.storage, instance.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
    if instance.image_id and not BoardPost.objects.filter(image_id=instance.image_id).exists():
        # Wagtail removes the image's file and renditions after the commit (its own post_delete handler).
        get_image_model().objects.filter(pk=instance.image_id).delete()


def connect():
    post_delete.connect(remove_uploads, sender=BoardPost, dispatch_uid="board_post_remove_uploads")
