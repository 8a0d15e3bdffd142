"""The board's emails, queued in the outbox: the moderators' digest and rejection notices."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.mail import queue_email

from .models import BoardComment, BoardPost, ModeratorDigest


def moderator_emails():
    """Active staff who may change board posts (superusers and members of groups with the permission)."""
    User = get_user_model()
    perm = Q(groups__permissions__codename="change_boardpost") | Q(user_permissions__codename="change_boardpost")
    users = User.objects.filter(is_active=True).filter(Q(is_superuser=True) | perm).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def send_moderator_digest():
    """Tell moderators how many posts wait; at most one email per interval, however many posts arrive.

    The guard is a database row locked while we decide, so two servers cannot both send.
    """
    now = timezone.now()
    interval = timedelta(seconds=settings.BOARD_DIGEST_INTERVAL_SECONDS)
    with transaction.atomic():
        ModeratorDigest.objects.get_or_create(key="board")
        digest = ModeratorDigest.objects.select_for_update().get(key="board")
        if digest.last_sent_at and now - digest.last_sent_at < interval:
            return False
        waiting = BoardPost.objects.filter(status=BoardPost.Status.PENDING).count()
        reported = BoardPost.objects.filter(status=BoardPost.Status.HIDDEN, reports__resolved=False).distinct().count()
        comments = BoardComment.objects.filter(status=BoardComment.Status.PENDING).count()
        recipients = moderator_emails()
        if not (waiting or reported or comments) or not recipients:
            return False
        digest.last_sent_at = now
        digest.save(update_fields=["last_sent_at"])
        body = render_to_string(
            "board/email/moderator_digest.txt",
            {"waiting": waiting, "reported": reported, "comments": comments, "base_url": settings.BASE_URL},
        )
        subject = f"Community board: {waiting} post(s) waiting for approval"
        queue_email(EmailMessage(subject=subject, body=body, bcc=recipients), purpose="Moderators' digest")
    return True


def send_rejection_email(post_id):
    """Tell a poster (if they left an email) why their post was not published.

    The email holds nothing the poster typed (not their name, the title or the message), only the board, the
    section, the day and the moderator's reason: the address was typed too, never confirmed, so a post
    written to be rejected could otherwise have us deliver its words to a stranger. The template is not
    given the post, so it cannot show them."""
    post = (
        BoardPost.objects.select_related("board", "section")
        .filter(pk=post_id, status=BoardPost.Status.REJECTED)
        .first()
    )
    if post is None or not post.email:
        return False
    context = {
        "board": post.board,
        "section": post.section.name,
        "sent_on": post.created_at,
        "reason": post.rejection_reason,
    }
    body = render_to_string("board/email/post_rejected.txt", context)
    message = EmailMessage(subject=f"Your post on {post.board.title} was not published", body=body, to=[post.email])
    queue_email(message, purpose="Board post not published")
    return True
