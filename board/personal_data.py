"""Personal data the board holds: posters' email, display name and school; text that mentions an address.

Comments, reports and likes store no email address (likes only a hashed browser key), so they cannot be
tied to a person by email; where their text mentions the address, it is exported and redacted.
"""

from datetime import timedelta

from django.db.models import Q
from wagtail.log_actions import log

from privacy.registry import RetentionRule, redact

from .models import BoardComment, BoardPost, BoardReport
from .services import delete_post_by_author


def _posts(email):
    return BoardPost.objects.filter(email__iexact=email).select_related("board", "section", "image").order_by("pk")


def _post_data(post):
    return {
        "id": post.pk,
        "board": post.board.title,
        "section": post.section.name,
        "status": post.get_status_display(),
        "title": post.title,
        "message": post.message,
        "link": post.link,
        "image": post.image.title if post.image else "",
        "image_alt": post.image_alt,
        "attachment": post.attachment_name,
        "display_name": post.display_name,
        "school": post.school,
        "email": post.email,
        "rejection_reason": post.rejection_reason,
        "created_at": post.created_at,
        "approved_at": post.approved_at,
        "likes": post.reaction_count,
        "reports": post.report_count,
    }


def _mentioning(email):
    return (
        BoardPost.objects.filter(Q(message__icontains=email) | Q(title__icontains=email) | Q(link__icontains=email))
        .exclude(email__iexact=email)
        .order_by("pk"),
        BoardComment.objects.filter(message__icontains=email).order_by("pk"),
        BoardReport.objects.filter(reason__icontains=email).order_by("pk"),
    )


def export(email):
    posts, comments, reports = _mentioning(email)
    return {
        "posts": [_post_data(post) for post in _posts(email)],
        "posts_mentioning_the_address": [_post_data(post) for post in posts],
        "comments_mentioning_the_address": [
            {"post": c.post_id, "display_name": c.display_name, "message": c.message, "created_at": c.created_at}
            for c in comments
        ],
        "reports_mentioning_the_address": [
            {"post": r.post_id, "reason": r.reason, "created_at": r.created_at} for r in reports
        ],
    }


def erase(email):
    """Posts never made public are deleted with their image and attachment. Approved posts stay on the board,
    anonymised (no email, name or school: shown as 'Anonymous', and no photo, which may show the person or their
    pupils): they are shared teaching ideas that others have liked, commented on and linked to, and what tied
    them to a person is gone. Text that mentions the address is redacted in place."""
    anonymised = deleted = 0
    for post in _posts(email):
        if post.is_public:
            post.email = post.display_name = post.school = ""
            post.image, post.image_alt = None, ""  # deleted with its renditions (board/images.py)
            post.save(update_fields=["email", "display_name", "school", "image", "image_alt", "updated_at"])
            log(post, "privacy.erase", data={"what": "board post anonymised"})
            anonymised += 1
        else:
            delete_post_by_author(post)  # its image and attachment go with it (board/signals.py)
            deleted += 1
    posts, comments, reports = _mentioning(email)
    redacted = 0
    for post in posts:
        post.title, post.message = redact(post.title, email), redact(post.message, email)
        post.link = "" if email in post.link.lower() else post.link
        post.save(update_fields=["title", "message", "link", "updated_at"])
        log(post, "privacy.erase", data={"what": "address redacted from text"})
        redacted += 1
    for comment in comments:
        comment.message = redact(comment.message, email)
        comment.save(update_fields=["message"])
        redacted += 1
    for report in reports:
        report.reason = redact(report.reason, email)
        report.save(update_fields=["reason"])
        redacted += 1
    return {"posts anonymised": anonymised, "posts deleted": deleted, "texts redacted": redacted}


def _old_poster_emails(days, now, dry_run):
    old = BoardPost.objects.filter(created_at__lt=now - timedelta(days=days)).exclude(email="")
    return old.count() if dry_run else old.update(email="")


RETENTION_RULES = [
    RetentionRule(
        "board_emails",
        "board posters' email addresses removed (posts stay)",
        "BOARD_EMAIL_RETENTION_DAYS",
        _old_poster_emails,
    ),
]
