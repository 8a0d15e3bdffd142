"""The moderation screen for one post: preview, reports, history, and the decisions (approve, reject, hide, pin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.log_actions import registry as log_registry

from . import services
from .forms import RejectForm
from .models import BoardComment, BoardPost


def moderate_post(request, pk):
    if not request.user.has_perm("board.change_boardpost"):
        raise PermissionDenied
    post = get_object_or_404(BoardPost.objects.select_related("board", "section", "image"), pk=pk)
    reject_form = RejectForm()
    if request.method == "POST":
        try:
            response = _decide(request, post)
        except DatabaseError:
            # Each decision is one transaction: it was rolled back whole, so the post is as it was.
            messages.error(request, "Nothing was changed: the database did not accept the decision. Try again.")
            return redirect(reverse("board_moderate", args=[post.pk]))
        return response
    return _render(request, post, reject_form)


def _decide(request, post):
    """Carry out one moderation decision from the POSTed form; each service call is one transaction."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "approve":
        services.approve(post, user)
        messages.success(request, f"Approved “{post.title}”. It is on the board now.")
    elif action == "reject":
        reject_form = RejectForm(request.POST)
        if reject_form.is_valid():
            services.reject(post, user, reject_form.cleaned_data["reason"])
            note = " The poster will get an email with your reason." if post.email else ""
            messages.success(request, f"Rejected “{post.title}”.{note}")
        else:
            return _render(request, post, reject_form, status=200)
    elif action == "hide":
        services.hide(post, user)
        messages.success(request, f"Hid “{post.title}” from the board.")
    elif action in {"pin", "unpin"}:
        services.set_pinned(post, user, action == "pin")
        messages.success(request, f"{'Pinned' if action == 'pin' else 'Unpinned'} “{post.title}”.")
    elif action in {"approve_comment", "reject_comment"}:
        comment = get_object_or_404(BoardComment, pk=request.POST.get("comment"), post=post)
        services.moderate_comment(comment, user, action == "approve_comment")
        messages.success(request, "Comment approved." if action == "approve_comment" else "Comment rejected.")
    else:
        messages.error(request, "Choose what to do with the post.")
    return redirect(reverse("board_moderate", args=[post.pk]))


def _render(request, post, reject_form, status=200):
    context = {
        "post": post,
        "reject_form": reject_form,
        "reports": list(post.reports.all()[:50]),
        "comments": list(post.comments.exclude(status=BoardComment.Status.REJECTED)),
        "history": list(log_registry.get_logs_for_instance(post).select_related("user").order_by("-timestamp")[:50]),
        "edit_url": reverse("wagtailsnippets_board_boardpost:edit", args=[post.pk]),
        "history_url": reverse("wagtailsnippets_board_boardpost:history", args=[post.pk]),
        "list_url": reverse("wagtailsnippets_board_boardpost:list"),
        "public_url": post.get_absolute_url() if post.is_public else "",
    }
    return TemplateResponse(request, "board/admin/moderate.html", context, status=status)
