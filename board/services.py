"""The board's business rules: posting, moderating, reporting, reacting, commenting.

Views and admin screens call these, so each rule is written (and tested) once, and each moderation
decision lands in Wagtail's audit log with who and when.
"""

import re
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection

from page_cache import cache as page_cache

from .apps import BOARD_COLLECTION_NAME
from .emails import send_moderator_digest, send_rejection_email
from .models import (
    BlockedWord,
    BoardComment,
    BoardPost,
    BoardReaction,
    BoardReport,
    hash_token,
    new_token,
    page_cache_topic,
)


def contains_blocked_word(*texts):
    """The first blocked word or phrase found (whole words, any case) in the texts, or None."""
    phrases = list(BlockedWord.objects.values_list("phrase", flat=True))
    if not phrases:
        return None
    haystack = " ".join(" ".join(text.split()) for text in texts if text).lower()
    for phrase in phrases:
        if re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", haystack):
            return phrase
    return None


def board_collection():
    """Board images live in their own collection, which only Moderators see (BoardConfig.admin_group_collections)."""
    collection = Collection.objects.filter(name=BOARD_COLLECTION_NAME).first()
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.add_child(name=BOARD_COLLECTION_NAME)
    return collection


def store_image(cleaned_image, title, alt):
    """Save re-encoded image bytes (never the upload) as a Wagtail image with a random file name."""
    Image = get_image_model()
    image = Image(
        title=title[:255],
        collection=board_collection(),
        description=alt[:255],
        width=cleaned_image.width,
        height=cleaned_image.height,
        file_size=len(cleaned_image.content),
    )
    image.file.save(
        f"board-{uuid.uuid4().hex}.{cleaned_image.extension}", ContentFile(cleaned_image.content), save=False
    )
    # Saving the file resets the dimension fields; we know them already from the re-encoding.
    image.width, image.height = cleaned_image.width, cleaned_image.height
    image.save()
    return image


@contextmanager
def _files_removed_on_failure():
    """Files reach storage before the rows pointing at them commit; if the transaction fails, delete them.

    Yields a list to which callers append the `FieldFile`s they wrote. Used around the writing transaction; when
    that is inside a caller's (the public-form pipeline runs every save in one), the constraints the database
    defers to the commit (every foreign key, e.g. a section deleted meanwhile) are checked before leaving, while
    the files can still be taken back: the caller's commit comes after this has let go of them.
    """
    written = []
    try:
        yield written
        if written and transaction.get_connection().in_atomic_block:
            Image = get_image_model()
            connection = transaction.get_connection()
            connection.check_constraints(table_names=[BoardPost._meta.db_table, Image._meta.db_table])
    except BaseException:
        for field_file in written:
            field_file.storage.delete(field_file.name)
        raise


def _held_for_review(board, post_or_comment_texts):
    return board.requires_approval or contains_blocked_word(*post_or_comment_texts) is not None


def submit_post(board, data, cleaned_image=None, cleaned_attachment=None):
    """Store a new post; return (post, author_token). Pending unless the board trusts posters and no word is blocked.

    Runs in one transaction: a failure saves nothing (no orphan image, no half post).
    """
    token = new_token()
    with _files_removed_on_failure() as written, transaction.atomic():
        post = BoardPost(board=board, author_token_hash=hash_token(token))
        _apply_author_input(post, data, written, cleaned_image, cleaned_attachment)
        held = _held_for_review(board, _public_texts(post))
        if held:
            post.status = BoardPost.Status.PENDING
        else:
            post.status = BoardPost.Status.APPROVED
            post.approved_at = timezone.now()
        post.save()
        log(post, "board.submit", data={"status": post.status})
        if held:
            transaction.on_commit(_enqueue_digest)
    return post, token


# What an author writes on a post (submit and edit alike).
AUTHOR_FIELDS = ("section", "title", "message", "link", "image_alt", "display_name", "school", "email")


def _apply_author_input(post, data, written, cleaned_image, cleaned_attachment):
    """The author's fields and checked files onto `post`; files written are added to `written`, so that
    `_files_removed_on_failure` deletes them if the transaction fails."""
    for field in AUTHOR_FIELDS:
        setattr(post, field, data["section"] if field == "section" else data.get(field) or "")
    if cleaned_image is not None:
        post.image = store_image(cleaned_image, post.title, post.image_alt)
        written.append(post.image.file)
    if cleaned_attachment is not None:
        _set_attachment(post, cleaned_attachment, data.get("attachment_name"))
        written.append(post.attachment)


def _public_texts(post):
    """What a post shows the public, checked against the blocked words (alt text included: screen readers read it)."""
    return [post.title, post.message, post.display_name, post.school, post.image_alt]


def _set_attachment(post, cleaned_attachment, original_name):
    base = re.sub(r"[^\w.-]+", "-", (original_name or "attachment").rsplit(".", 1)[0]).strip("-.")[:60] or "attachment"
    post.attachment_name = f"{base}.{cleaned_attachment.extension}"
    post.attachment_type = cleaned_attachment.extension
    post.attachment.save(
        f"{uuid.uuid4().hex}.{cleaned_attachment.extension}", ContentFile(cleaned_attachment.content), save=False
    )


def edit_post_by_author(post, data, cleaned_image=None, cleaned_attachment=None, remove_image=False):
    """The author changes their post; any edit of an approved post sends it back to moderation.

    An image removed or replaced is deleted with its renditions once this commits (board/signals.py).
    """
    with _files_removed_on_failure() as written, transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)
        if remove_image:
            post.image = None
        _apply_author_input(post, data, written, cleaned_image, cleaned_attachment)
        was_public = post.status == BoardPost.Status.APPROVED
        held = was_public or _held_for_review(post.board, _public_texts(post))
        if held:
            post.status = BoardPost.Status.PENDING
            post.approved_at = None
        post.save()
        log(post, "board.author_edit", data={"was_approved": was_public})
        if held:
            transaction.on_commit(_enqueue_digest)
    return post


def delete_post_by_author(post):
    """The post and its audit entry; its image and attachment go with it (board/signals.py)."""
    with transaction.atomic():
        log(post, "wagtail.delete")
        post.delete()


def approve(post, user):
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)
        post.status = BoardPost.Status.APPROVED
        post.approved_at = post.approved_at or timezone.now()
        post.rejection_reason = ""
        post.save(update_fields=["status", "approved_at", "rejection_reason", "updated_at"])
        post.reports.filter(resolved=False).update(resolved=True)
        log(post, "board.approve", user=user)
    return post


def reject(post, user, reason):
    """Reject with a reason; the poster is told by email (through the outbox) if they gave an address.

    A rejected post never returns to the board, so its image goes now, with its description (board/images.py).
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)
        post.status = BoardPost.Status.REJECTED
        post.rejection_reason = reason
        post.pinned = False
        post.image, post.image_alt = None, ""
        post.save(update_fields=["status", "rejection_reason", "pinned", "image", "image_alt", "updated_at"])
        post.reports.filter(resolved=False).update(resolved=True)
        log(post, "board.reject", user=user, data={"reason": reason})
        if post.email:
            send_rejection_email(post.pk)  # into the outbox with the decision, delivered after commit
    return post


def hide(post, user):
    with transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)
        post.status = BoardPost.Status.HIDDEN
        post.save(update_fields=["status", "updated_at"])
        log(post, "board.hide", user=user)
    return post


def set_pinned(post, user, pinned):
    with transaction.atomic():
        BoardPost.objects.filter(pk=post.pk).update(pinned=pinned)
        post.pinned = pinned
        log(post, "board.pin" if pinned else "board.unpin", user=user)
    return post


def reporter_hashes(address, browser_key):
    """Who reported, without keeping who: a keyed hash of the address (IPv4 addresses are too few for a plain
    hash to hide them) and the same hash of the browser key that likes use."""
    address_hash = salted_hmac("board.report.address", address, algorithm="sha256").hexdigest() if address else ""
    return address_hash, hash_token(browser_key) if browser_key else ""


def report(post, reason, address="", browser_key=""):
    """A visitor reports an approved post; enough reporters hide it until a moderator reviews it.

    Every report is stored for the moderators, but one person reporting again (the same address, or the
    same browser from another address) does not count again: only distinct reporters can hide a post.
    """
    address_hash, browser_hash = reporter_hashes(address, browser_key)
    with page_cache.changes_only(page_cache_topic(post.board_id)), transaction.atomic():
        post = BoardPost.objects.select_for_update().get(pk=post.pk)  # one report at a time per post
        unresolved = post.reports.filter(resolved=False)
        same_reporter = Q(pk__in=[])
        if address_hash:
            same_reporter |= Q(reporter_address_hash=address_hash)
        if browser_hash:
            same_reporter |= Q(reporter_browser_hash=browser_hash)
        BoardReport.objects.create(
            post=post,
            reason=reason.strip(),
            reporter_address_hash=address_hash,
            reporter_browser_hash=browser_hash,
            counts_towards_hiding=not unresolved.filter(same_reporter).exists(),
        )
        post.report_count = F("report_count") + 1
        post.save(update_fields=["report_count"])
        post.refresh_from_db(fields=["report_count"])
        reporters = unresolved.filter(counts_towards_hiding=True).count()
        log(post, "board.report", data={"reason": reason.strip()[:500]})
        if post.status == BoardPost.Status.APPROVED and reporters >= settings.BOARD_REPORTS_TO_HIDE:
            post.status = BoardPost.Status.HIDDEN
            post.save(update_fields=["status", "updated_at"])
            page_cache.invalidate()  # the post leaves every page that listed it, the home page's too
            log(post, "board.auto_hide", data={"reports": unresolved.count(), "reporters": reporters})
            transaction.on_commit(_enqueue_digest)
    return post


def toggle_reaction(post, browser_key):
    """Like, or unlike if this browser already liked it. Returns whether the browser now likes the post."""
    key_hash = hash_token(browser_key)
    with page_cache.changes_only(page_cache_topic(post.board_id)), transaction.atomic():
        deleted, _ = BoardReaction.objects.filter(post=post, browser_key_hash=key_hash).delete()
        if deleted:
            BoardPost.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") - deleted)
            return False
        try:
            with transaction.atomic():
                BoardReaction.objects.create(post=post, browser_key_hash=key_hash)
        except IntegrityError:  # a double click raced us: it is liked already
            return True
        BoardPost.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
        return True


def add_comment(post, display_name, message):
    """Comments are moderated like posts: pending unless the board trusts posters and no word is blocked."""
    held = _held_for_review(post.board, [display_name, message])
    # The comment and its audit-log entry, or neither; it shows (if at all) only on the board's own pages.
    with page_cache.changes_only(page_cache_topic(post.board_id)), transaction.atomic():
        comment = BoardComment.objects.create(
            post=post,
            display_name=display_name,
            message=message,
            status=BoardComment.Status.PENDING if held else BoardComment.Status.APPROVED,
        )
        log(post, "board.comment", data={"comment": comment.pk, "status": comment.status})
        if held:
            transaction.on_commit(_enqueue_digest)
    return comment


def moderate_comment(comment, user, approve_it):
    with transaction.atomic():  # the decision and its audit-log entry, or neither
        comment.status = BoardComment.Status.APPROVED if approve_it else BoardComment.Status.REJECTED
        comment.save(update_fields=["status"])
        log(
            comment.post,
            "board.comment_approve" if approve_it else "board.comment_reject",
            user=user,
            data={"comment": comment.pk},
        )
    return comment


def _enqueue_digest():
    """After a post or comment is committed: tell moderators now, unless they were told within the interval (the
    scheduled digest job tells them at the end of it)."""
    send_moderator_digest()
