"""Public views of a board (called from BoardPage's routes). Thin: the rules live in services.py."""

import hashlib
import hmac
import logging
import secrets
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe
from wagtail.images import get_image_model

from security.public_input import (
    RateLimit,
    client_ip,
    client_network,
    handle_public_form,
    paginate,
    query_datetime,
    safe_next_url,
    search_text,
)

from . import services
from .forms import CommentForm, EditPostForm, PostForm, ReportForm
from .models import CARD_IMAGE_WIDTHS, PAGE_IMAGE_WIDTHS, BoardComment, BoardPost, BoardReaction, hash_token

logger = logging.getLogger(__name__)

SESSION_KEY = "board_author_proofs"
_LEGACY_SESSION_KEYS = ("board_author_tokens", "board_last_post")
AUTHOR_COOKIE = "board_author"
LAST_POST_COOKIE = "board_last_post"
LAST_POST_MAX_AGE = 3600  # how long the page after posting shows the private edit link
BROWSER_COOKIE = "board_browser"
SEARCH_MAX_LENGTH = 200
CARD_IMAGE_RENDITIONS = tuple(f"width-{width}" for width in CARD_IMAGE_WIDTHS)
PAGE_IMAGE_RENDITIONS = tuple(f"width-{width}" for width in PAGE_IMAGE_WIDTHS)
# `sizes` of a card's image: the board's columns are 18rem or more, three across from 60em (board.css).
CARD_IMAGE_SIZES = "(min-width: 60em) 22rem, (min-width: 40em) 50vw, calc(100vw - 4rem)"
# With only two sections, each column takes half the width.
CARD_IMAGE_SIZES_TWO_COLUMNS = "(min-width: 60em) 33rem, (min-width: 40em) 50vw, calc(100vw - 4rem)"
# On the post's own page the post takes two thirds of the width from 60em (board.css), all of it below.
POST_IMAGE_SIZES = "(min-width: 60em) 44rem, calc(100vw - 4rem)"
UPDATES_LIMIT = 20
POST_RATE_LIMITED_MESSAGE = (
    "Several posts have arrived from here in a short time. Please wait a few minutes and try again: what you wrote "
    "is still in the form below."
)
REPORT_RATE_LIMITED_MESSAGE = "You have sent several reports in a short time. Please wait a few minutes."
COMMENT_RATE_LIMITED_MESSAGE = (
    "You have sent several comments in a short time. Please wait a few minutes and try again: your comment is "
    "still in the form below."
)


# --- helpers ---------------------------------------------------------------------------------------------


def _author_proofs(request):
    """{post id: proof} of this browser's own posts, from the session (see `_author_proof`)."""
    if not hasattr(request, "session"):
        return {}
    if any(key in request.session for key in _LEGACY_SESSION_KEYS):
        # Sessions from before issue 14 held the raw edit tokens: drop them (their private links still work).
        for key in _LEGACY_SESSION_KEYS:
            request.session.pop(key, None)
    proofs = request.session.get(SESSION_KEY)
    return proofs if isinstance(proofs, dict) else {}


def _author_key(request):
    """This browser's author key: from its cookie, or a new one that `_set_author_cookie` will hand out."""
    key = getattr(request, "_board_author_key", None) or request.COOKIES.get(AUTHOR_COOKIE, "")
    if not (40 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum()):
        key = secrets.token_urlsafe(32)
    request._board_author_key = key
    return key


def _author_proof(key, post):
    """What the session keeps for a post its browser wrote: HMAC(browser's author key, post id and token hash).

    Why not the token: the session table (cached_db: the database and Redis) would then hold, in clear, a key
    to edit every post, and the private edit link's token with it. The author key that makes a proof lives
    only in the browser's HttpOnly cookie, never on the server; the token's hash is in the post's row. A
    leaked session table (or a stolen session cookie) without that browser's cookie cannot make a proof
    match, and a leaked post table gives only hashes. Deleting the post or changing its token ends the proof.
    """
    message = f"{post.pk}:{post.author_token_hash}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def _remember_author(request, post):
    """After the author proved they hold the post's token: remember it for this browser (needs the cookie)."""
    proofs = dict(_author_proofs(request))
    proofs.pop(str(post.pk), None)
    proofs[str(post.pk)] = _author_proof(_author_key(request), post)
    # Keep the session small: the 50 most recent posts are plenty for one browser.
    request.session[SESSION_KEY] = dict(list(proofs.items())[-50:])


def _set_author_cookie(request, response):
    response.set_cookie(AUTHOR_COOKIE, _author_key(request), **_private_cookie(settings.SESSION_COOKIE_AGE))
    return response


def _is_author(request, post):
    proof = _author_proofs(request).get(str(post.pk))
    key = request.COOKIES.get(AUTHOR_COOKIE, "")
    return bool(proof and key and post.author_token_hash) and hmac.compare_digest(proof, _author_proof(key, post))


def _last_post_link(request, post):
    """The private edit link shown once after posting: from a short-lived signed cookie, never the session."""
    value = request.get_signed_cookie(LAST_POST_COOKIE, default="", salt=LAST_POST_COOKIE, max_age=LAST_POST_MAX_AGE)
    post_id, _, token = value.partition(":")
    if post_id == str(post.pk) and post.author_token_matches(token):
        return token
    return ""


def _browser_key(request):
    key = request.COOKIES.get(BROWSER_COOKIE, "")
    return key if 20 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum() else ""


def _private_cookie(max_age):
    """Options of the board's own cookies: for this site's server only, never read by scripts."""
    return {
        "max_age": max_age,
        "httponly": True,
        "samesite": "Lax",
        "secure": not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
    }


def _set_browser_cookie(response, key):
    response.set_cookie(BROWSER_COOKIE, key, **_private_cookie(365 * 24 * 3600))


def public_posts_queryset(board):
    """Approved posts with what the card template needs in a fixed number of queries."""
    Image = get_image_model()
    queryset = (
        BoardPost.objects.approved()
        .filter(board=board)
        .select_related("section")
        .prefetch_related(Prefetch("image", queryset=Image.objects.prefetch_renditions(*CARD_IMAGE_RENDITIONS)))
        .defer("email", "author_token_hash", "rejection_reason")
    )
    if board.comments_enabled:
        queryset = queryset.prefetch_related(
            Prefetch(
                "comments",
                queryset=BoardComment.objects.filter(status=BoardComment.Status.APPROVED),
                to_attr="public_comments",
            )
        )
    return queryset.public_order()


def _filters(request, board, sections):
    section_slug = request.GET.get("section", "")
    section = next((s for s in sections if s.slug == section_slug), None)
    school = search_text(request.GET.get("school", ""), 120).text
    q, q_shortened = search_text(request.GET.get("q", ""), SEARCH_MAX_LENGTH)
    return {
        "section": section,
        "school": school,
        "q": q,
        "q_shortened": q_shortened,
        "active": bool(section or school or q),
    }


def _apply_filters(queryset, filters):
    if filters["school"]:
        queryset = queryset.filter(school__iexact=filters["school"])
    if filters["q"]:
        for word in filters["q"].split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(message__icontains=word)
                | Q(school__icontains=word)
                | Q(display_name__icontains=word)
            )
    return queryset


def _first_page_of_each_section(posts, sections, per_page):
    """The first `per_page` posts of every section in one query (numbered within their section by a window
    function), and every section's count in another, instead of a count and a page per section; the images
    and comments are then fetched once for all sections."""
    counts = dict(posts.order_by().values_list("section_id").annotate(n=Count("pk")))
    ranked = posts.annotate(
        section_rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=list(posts.query.order_by))
    ).filter(section_rank__lte=per_page)
    by_section = {}
    for post in ranked:
        by_section.setdefault(post.section_id, []).append(post)
    columns = []
    for section in sections:
        # A paginator over range(count) knows the number of pages without another query.
        paginator = Paginator(range(counts.get(section.pk, 0)), per_page)
        columns.append({"section": section, "page": PaginatorPage(by_section.get(section.pk, []), 1, paginator)})
    return columns


def _liked_ids(request, posts):
    key = _browser_key(request)
    if not key or not posts:
        return set()
    return set(
        BoardReaction.objects.filter(post__in=[p.pk for p in posts], browser_key_hash=hash_token(key)).values_list(
            "post_id", flat=True
        )
    )


def _my_waiting_posts(request, board):
    """This browser's own posts that are not public yet (marked 'awaiting approval' for their author only)."""
    proofs = _author_proofs(request)
    ids = [int(pk) for pk in proofs if pk.isdigit()][:50]
    if not ids:
        return []
    posts = BoardPost.objects.filter(board=board, pk__in=ids, status=BoardPost.Status.PENDING).select_related("section")
    return [post for post in posts if _is_author(request, post)]


def _base_context(request, board):
    context = board.get_context(request)
    context["board_url"] = board.url
    return context


# --- the board --------------------------------------------------------------------------------------------


def board_index(request, board):
    sections = list(board.sections.all())
    filters = _filters(request, board, sections)
    per_page = board.posts_per_section
    base = _apply_filters(public_posts_queryset(board), filters)
    columns = []
    wall_page = None
    if board.layout == board.Layout.WALL or filters["section"]:
        queryset = base.filter(section=filters["section"]) if filters["section"] else base
        wall_page = paginate(queryset, per_page * 2 if not filters["section"] else per_page, request.GET.get("page"))
        shown = list(wall_page.object_list)
    else:
        columns = _first_page_of_each_section(base, sections, per_page)
        shown = [post for column in columns for post in column["page"].object_list]
    schools = (
        BoardPost.objects.approved()
        .filter(board=board)
        .exclude(school="")
        .order_by("school")
        .values_list("school", flat=True)
        .distinct()[:200]
    )
    context = _base_context(request, board)
    context.update(
        {
            "sections": sections,
            "columns": columns,
            "wall_page": wall_page,
            "filters": filters,
            "schools": list(schools),
            "liked_ids": _liked_ids(request, shown),
            "my_waiting_posts": _my_waiting_posts(request, board),
            "has_posts": bool(shown),
            "poll_since": timezone.now().isoformat(),
            "export_urls": _export_urls(request, board),
            "card_image_sizes": CARD_IMAGE_SIZES_TWO_COLUMNS
            if wall_page is None and len(sections) == 2
            else CARD_IMAGE_SIZES,
        }
    )
    return TemplateResponse(request, "board/board_page.html", context)


def _posting_closed_response(request, board):
    context = _base_context(request, board)
    return TemplateResponse(request, "board/post_form.html", {**context, "closed": True}, status=403)


@csrf_protect
def new_post(request, board):
    if not board.accepts_posts:
        return _posting_closed_response(request, board)
    needs_code = board.posting_mode == board.PostingMode.CODE
    if request.method in {"GET", "HEAD"}:
        form = PostForm(board=board, needs_code=needs_code, initial=_initial_section(request, board))
        return _render_post_form(request, board, form)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    code_attempts = _CodeAttempts(request, board) if needs_code else None

    def refuse_while_locked_out():
        if code_attempts and code_attempts.locked():
            # Files are left out: a refused form is not worth re-encoding images for.
            refused = PostForm(request.POST, board=board, code_refused=code_attempts.message())
            refused.is_valid()
            return _render_post_form(request, board, refused, status=429)
        return None

    def posted(result):
        post, token = result
        _remember_author(request, post)
        response = redirect(board.url + board.reverse_subpage("post_detail", args=[post.pk]) + "?posted=1")
        response.set_signed_cookie(
            LAST_POST_COOKIE, f"{post.pk}:{token}", salt=LAST_POST_COOKIE, **_private_cookie(LAST_POST_MAX_AGE)
        )
        return _set_author_cookie(request, response)

    return handle_public_form(
        request,
        PostForm(
            request.POST,
            request.FILES,
            board=board,
            needs_code=needs_code,
            on_wrong_code=code_attempts.count_wrong_code if code_attempts else None,
        ),
        before_validation=refuse_while_locked_out,
        rate_limits=[
            RateLimit(f"board-post:{board.pk}", settings.BOARD_POST_RATE_LIMIT, settings.BOARD_POST_RATE_WINDOW),
            (
                RateLimit(
                    f"board-post-all:{board.pk}", settings.BOARD_POSTS_PER_BOARD_LIMIT, settings.BOARD_POST_RATE_WINDOW
                ),
                "board",
            ),
        ],
        rate_limited_message=POST_RATE_LIMITED_MESSAGE,
        save=lambda form: services.submit_post(board, form.cleaned_data, form.cleaned_image, form.cleaned_attachment),
        render=lambda form, status: _render_post_form(request, board, form, status=status),
        on_success=posted,
        # Tell a bot nothing: it sees the usual confirmation, nothing is stored.
        on_honeypot=lambda: redirect(board.url + "?posted=1"),
        what="Board post",
    )


class _CodeAttempts:
    """Wrong posting codes, counted per address and per board (a guesser spread over many addresses).

    Only wrong codes count: a classroom behind one school address posts with the right code as fast as its
    pupils type, in parallel too (tests/board/test_nothing_lost.py). Once either count reaches its limit,
    every form is refused, even with the right code, until the window ends; a locked-out guess is not
    compared at all. Each wrong code is an atomic increment, so guesses sent in parallel can pass the
    limit only by the requests already being answered at that moment (the servers' workers), never by
    the size of the burst. An IPv6 address counts as its /64.
    """

    def __init__(self, request, board):
        window = self.window = settings.BOARD_CODE_FAILURE_WINDOW
        per_address = RateLimit(f"board-code:{board.pk}", settings.BOARD_CODE_FAILURES_PER_ADDRESS, window)
        per_board = RateLimit(f"board-code-all:{board.pk}", settings.BOARD_CODE_FAILURES_PER_BOARD, window)
        self.counts = [(per_address, client_network(request)), (per_board, "board")]

    def locked(self):
        return any(limit.exceeded(identity) for limit, identity in self.counts)

    def count_wrong_code(self):
        for limit, identity in self.counts:
            limit.hit(identity)

    def message(self):
        minutes = max(1, round(self.window / 60))
        return (
            f"Too many wrong posting codes. Please wait {minutes} minute{'s' if minutes != 1 else ''} "
            "or ask EMAS for the code."
        )


def _initial_section(request, board):
    slug = request.GET.get("section", "")
    section = board.sections.filter(slug=slug).first() if slug else None
    return {"section": section.pk} if section else {}


def _render_post_form(request, board, form, status=200, post=None):
    form.note_files_not_kept()
    context = _base_context(request, board)
    context.update({"form": form, "editing": post})
    return TemplateResponse(request, "board/post_form.html", context, status=status)


def _get_post_for_author(request, board, post_id):
    post = BoardPost.objects.filter(board=board, pk=post_id).select_related("section", "image").first()
    if (
        post is None
        or not _is_author(request, post)
        or post.status
        in {
            BoardPost.Status.REJECTED,
            BoardPost.Status.HIDDEN,
        }
    ):
        raise Http404("No such post")
    return post


def post_detail(request, board, post_id):
    post = (
        BoardPost.objects.filter(board=board, pk=post_id)
        .select_related("section")
        .prefetch_related(
            Prefetch("image", queryset=get_image_model().objects.prefetch_renditions(*PAGE_IMAGE_RENDITIONS))
        )
        .first()
    )
    if post is None or not post.is_visible_to(partial(_is_author, request)):
        raise Http404("No such post")
    is_author = _is_author(request, post)
    comments = []
    if post.is_public and board.comments_enabled:
        comments = list(post.comments.filter(status=BoardComment.Status.APPROVED))
    edit_link = None
    token = _last_post_link(request, post) if request.GET.get("posted") and is_author else ""
    if token:
        edit_link = request.build_absolute_uri(
            board.url + board.reverse_subpage("edit_post_with_link", args=[post.pk, token])
        )
    context = _base_context(request, board)
    context.update(
        {
            "post": post,
            "is_author": is_author,
            "comments": comments,
            "comment_form": CommentForm(),
            "comment_action": board.url + board.reverse_subpage("comment_post", args=[post.pk]),
            "liked_ids": _liked_ids(request, [post]),
            "just_posted": bool(request.GET.get("posted")) and is_author,
            "edit_link": edit_link,
            "post_image_sizes": POST_IMAGE_SIZES,
        }
    )
    return TemplateResponse(request, "board/post_detail.html", context)


@csrf_protect
def edit_post(request, board, post_id):
    post = _get_post_for_author(request, board, post_id)
    if request.method != "POST":
        form = EditPostForm(board=board, post=post, initial=EditPostForm.initial_for(post))
        return _render_post_form(request, board, form, post=post)
    return handle_public_form(
        request,
        EditPostForm(request.POST, request.FILES, board=board, post=post),
        save=lambda form: services.edit_post_by_author(
            post,
            form.cleaned_data,
            form.cleaned_image,
            form.cleaned_attachment,
            remove_image=form.cleaned_data.get("remove_image", False),
        ),
        render=lambda form, status: _render_post_form(request, board, form, status=status, post=post),
        on_success=lambda edited: redirect(edited.get_absolute_url() + "?edited=1"),
        on_honeypot=lambda: redirect(board.url),
        what="Board post edit",
    )


def edit_post_with_link(request, board, post_id, token):
    """The private edit link shown after posting: it puts the author's key into this browser, then edits."""
    post = BoardPost.objects.filter(board=board, pk=post_id).first()
    if post is None or not post.author_token_matches(token):
        raise Http404("No such post")
    _remember_author(request, post)
    return _set_author_cookie(request, redirect(board.url + board.reverse_subpage("edit_post", args=[post.pk])))


@csrf_protect
def delete_post(request, board, post_id):
    post = _get_post_for_author(request, board, post_id)
    if request.method == "POST":
        services.delete_post_by_author(post)
        proofs = dict(_author_proofs(request))
        proofs.pop(str(post_id), None)
        request.session[SESSION_KEY] = proofs
        return redirect(board.url + "?deleted=1")
    context = _base_context(request, board)
    context["post"] = post
    return TemplateResponse(request, "board/post_delete.html", context)


def _public_post_or_404(board, post_id):
    post = BoardPost.objects.approved().filter(board=board, pk=post_id).select_related("section").first()
    if post is None:
        raise Http404("No such post")
    return post


@csrf_protect
def like_post(request, board, post_id):
    """GET: a small page asking "Like this post?" with a POST form; POST: like, or take the like back.

    The like button on each card is a GET form to here, so the board's pages hold no CSRF token and the page
    cache can share them; board.js fetches this page for its token and posts without leaving the board.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not board.reactions_enabled:
        raise Http404("Reactions are off")
    post = _public_post_or_404(board, post_id)
    if request.method != "POST":
        return _like_confirm_page(request, board, post)
    key = _browser_key(request) or secrets.token_urlsafe(24)
    likes = RateLimit(f"board-like:{board.pk}", settings.BOARD_LIKE_RATE_LIMIT, settings.BOARD_LIKE_RATE_WINDOW)
    if not likes.hit(client_ip(request)):
        return _like_not_stored(request, board, post, LIKE_RATE_LIMITED_MESSAGE, status=429)
    try:
        liked = services.toggle_reaction(post, key)
        post.refresh_from_db(fields=["reaction_count"])
    except DatabaseError:
        logger.exception("Like not saved")
        return _like_not_stored(request, board, post, LIKE_SAVE_FAILED_MESSAGE, status=503)
    if _wants_json(request):
        response = JsonResponse(
            {"liked": liked, "count": post.reaction_count, "count_unit": like_count_unit(post.reaction_count)}
        )
    else:
        response = redirect(_back(request, board, post))
    _set_browser_cookie(response, key)
    return response


def like_count_unit(count):
    """The word after a like count, as the templates' `like{{ count|pluralize }}` says it: "1 like", "2 likes"."""
    return "like" if count == 1 else "likes"


LIKE_RATE_LIMITED_MESSAGE = "There have been a lot of likes from here in the last few minutes. Please try again later."
LIKE_SAVE_FAILED_MESSAGE = (
    "Sorry, we could not save your like just now, so nothing changed. Please try again in a few minutes."
)


def _like_not_stored(request, board, post, message, status):
    """Say why nothing changed: as JSON to board.js, else on the like page with its form to try again."""
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    return _like_confirm_page(request, board, post, error=message, status=status)


def _like_confirm_page(request, board, post, error="", status=200):
    """Reads only: never likes, never sets the browser-key cookie (link previewers and prefetchers come here)."""
    context = _base_context(request, board)
    context.update(
        {
            "post": post,
            "liked": post.pk in _liked_ids(request, [post]),
            "next_url": _requested_next(request, board, post),
            "back_url": _back(request, board, post),
            "error": error,
        }
    )
    return TemplateResponse(request, "board/like_confirm.html", context, status=status)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _requested_next(request, board, post):
    """The request's `next` if it is the board's own page or the post's (with any query string), else ''."""
    own_paths = {
        urlsplit(board.url).path,
        urlsplit(board.url + board.reverse_subpage("post_detail", args=[post.pk])).path,
    }
    return safe_next_url(request, own_paths=own_paths)


def _back(request, board, post):
    """Return to where the visitor was (the board's page or the post's), at the post."""
    next_url = _requested_next(request, board, post)
    if next_url:
        return f"{next_url}#post-{post.pk}"
    return post.get_absolute_url()


@csrf_protect
def report_post(request, board, post_id):
    post = _public_post_or_404(board, post_id)

    def render(form, status=200):
        context = _base_context(request, board)
        context.update({"post": post, "form": form})
        return TemplateResponse(request, "board/report_form.html", context, status=status)

    if request.method != "POST":
        return render(ReportForm())
    key = _browser_key(request) or secrets.token_urlsafe(24)

    def reported(_report):
        response = redirect(board.url + "?reported=1")
        _set_browser_cookie(response, key)  # the same browser from another address is still one reporter
        return response

    return handle_public_form(
        request,
        ReportForm(request.POST),
        rate_limits=[RateLimit(f"board-report:{board.pk}")],
        rate_limited_message=REPORT_RATE_LIMITED_MESSAGE,
        save=lambda form: services.report(
            post, form.cleaned_data["reason"], address=client_network(request), browser_key=key
        ),
        render=render,
        on_success=reported,
        on_honeypot=lambda: redirect(board.url + "?reported=1"),
        what="Board report",
    )


@csrf_protect
def comment_post(request, board, post_id):
    if not board.comments_enabled:
        raise Http404("Comments are off")
    post = _public_post_or_404(board, post_id)
    if request.method != "POST":
        return redirect(post.get_absolute_url() + "#comments")

    def render(form, status):
        context = _base_context(request, board)
        context.update(
            {
                "post": post,
                "is_author": False,
                "comments": list(post.comments.filter(status=BoardComment.Status.APPROVED)),
                "comment_form": form,
                "comment_action": request.path,
                "liked_ids": _liked_ids(request, [post]),
                "post_image_sizes": POST_IMAGE_SIZES,
            }
        )
        return TemplateResponse(request, "board/post_detail.html", context, status=status)

    return handle_public_form(
        request,
        CommentForm(request.POST),
        rate_limits=[RateLimit(f"board-comment:{board.pk}")],
        rate_limited_message=COMMENT_RATE_LIMITED_MESSAGE,
        save=lambda form: services.add_comment(post, form.cleaned_data["display_name"], form.cleaned_data["message"]),
        render=render,
        on_success=lambda _comment: redirect(post.get_absolute_url() + "?commented=1#comments"),
        on_honeypot=lambda: redirect(post.get_absolute_url() + "?commented=1#comments"),
        what="Board comment",
    )


def post_attachment(request, board, post_id):
    """Attachments are downloaded, never displayed inline: the browser cannot run them as a page."""
    post = BoardPost.objects.filter(board=board, pk=post_id).exclude(attachment="").first()
    if post is None or not post.is_visible_to(partial(_is_author, request)):
        raise Http404("No such attachment")
    content_types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }
    try:
        handle = post.attachment.open("rb")
    except FileNotFoundError as error:
        raise Http404("No such attachment") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=post.attachment_name or f"attachment.{post.attachment_type}",
        content_type=content_types.get(post.attachment_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def updates(request, board):
    """Newly approved posts since `since` (ISO time), as card HTML for the polling script."""
    since = query_datetime(request.GET.get("since", ""))
    if since is None:
        return JsonResponse({"error": "since must be an ISO 8601 time, such as 2025-03-01T09:30:00Z"}, status=400)
    posts = list(public_posts_queryset(board).filter(approved_at__gt=since).order_by("-approved_at")[:UPDATES_LIMIT])
    liked_ids = _liked_ids(request, posts)
    board_url = board.url
    items = [
        {
            "id": post.pk,
            "section": post.section.slug,
            "html": render_to_string(
                "board/includes/post_card.html",
                {
                    "post": post,
                    "page": board,
                    "board_url": board_url,
                    "liked_ids": liked_ids,
                    "heading_level": 3,
                    "card_image_sizes": CARD_IMAGE_SIZES,
                    "next_path": board_url,
                },
                request=request,
            ),
        }
        for post in reversed(posts)
    ]
    response = JsonResponse({"now": timezone.now().isoformat(), "posts": items})
    response["Cache-Control"] = "no-store"
    return response


def print_view(request, board):
    sections = list(board.sections.all())
    filters = _filters(request, board, sections)
    queryset = _apply_filters(public_posts_queryset(board), filters)
    if filters["section"]:
        queryset = queryset.filter(section=filters["section"])
    posts = list(queryset[:500])
    by_section = [{"section": s, "posts": [p for p in posts if p.section_id == s.pk]} for s in sections]
    context = _base_context(request, board)
    context.update({"by_section": [g for g in by_section if g["posts"]], "truncated": len(posts) == 500})
    return TemplateResponse(request, "board/print.html", context)


def _can_export(request):
    return request.user.is_authenticated and request.user.has_perm("board.view_boardpost")


def _export_urls(request, board):
    """The moderation listing's exports of this board's approved posts, for those who may see that listing."""
    return {fmt: board.admin_export_url(fmt) for fmt in ("csv", "xlsx")} if _can_export(request) else {}


def export(request, board, export_format):
    """The board's old export addresses (bookmarks, shared links) lead to the admin's export of its approved posts;
    the export itself is the moderation listing's (board/wagtail_hooks.py, README "Admin listings")."""
    if not _can_export(request):
        raise PermissionDenied("Only the board's moderators can export it.")
    return redirect(board.admin_export_url(export_format))


@require_safe
def serve_image(request, image_id, name):
    """A board image's rendition, only while one of its posts is public, or to its author or a moderator.

    Pages link board images here (board/images.py), never to /media/, so that hiding or rejecting a post takes
    its image off the web: shared caches may keep a public image for five minutes, authors' and moderators'
    copies stay private. Streamed through the storage API, so it works with a folder or a bucket alike.
    """
    from . import images

    posts = list(BoardPost.objects.filter(image_id=image_id).only("pk", "status", "author_token_hash"))
    if any(post.is_public for post in posts):
        cache_control = f"public, max-age={images.PUBLIC_MAX_AGE}"
    elif posts and (
        request.user.has_perm("board.change_boardpost")
        or any(post.is_visible_to(partial(_is_author, request)) for post in posts)
    ):
        cache_control = "private, no-cache"
    else:
        raise Http404("No such image")
    rendition = images.existing_rendition(image_id, name)
    if rendition is None:
        raise Http404("No such image")
    try:
        handle = rendition.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("No such image") from error
    response = FileResponse(handle, content_type=images.CONTENT_TYPES.get(images.extension(rendition), "image/jpeg"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = cache_control
    return response
