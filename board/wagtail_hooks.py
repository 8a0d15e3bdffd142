"""The board in the Wagtail admin: the moderation queue (with its filters and the board's spreadsheet export),
blocked words, the dashboard count, the home slot.

The queue is a snippet viewset, not a wagtail-modeladmin listing: snippets are Wagtail's maintained way
to manage non-page models (modeladmin is a deprecated add-on), and they come with filters, search,
bulk actions, an edit form (for "edit before approving") and a History view that shows our audit-log
entries (who approved, rejected, hid or pinned a post, and when) on each post. Posts keep their own
status field rather than snippet draft state, because a post's life (pending → approved/rejected,
hidden after reports) is a moderation decision, not an editor's draft.
"""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Lower, Trim
from django.urls import path, reverse
from django.utils.functional import cached_property
from laces.components import Component
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.models import PageViewRestriction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from home.admin_exports import ListingExportMixin
from home.templatetags.site_tags import render_slot
from scheduler.jobs import ScheduledJob

from . import admin_views, personal_data, services, structure
from .emails import send_moderator_digest
from .forms import RejectForm
from .models import BlockedWord, BoardComment, BoardPage, BoardPost, BoardSection

LOG_ACTIONS = {
    "board.submit": ("Post submitted", "Submitted by a visitor"),
    "board.author_edit": ("Post edited by its author", "Edited by its author (back to moderation)"),
    "board.approve": ("Post approved", "Approved"),
    "board.reject": ("Post rejected", "Rejected"),
    "board.hide": ("Post hidden", "Hidden from the board"),
    "board.pin": ("Post pinned", "Pinned to the top of its section"),
    "board.unpin": ("Post unpinned", "Unpinned"),
    "board.report": ("Post reported", "Reported by a visitor"),
    "board.auto_hide": ("Post hidden after reports", "Hidden automatically after reports"),
    "board.comment": ("Comment added", "A visitor commented"),
    "board.comment_approve": ("Comment approved", "Comment approved"),
    "board.comment_reject": ("Comment rejected", "Comment rejected"),
}


@hooks.register("register_log_actions")
def register_board_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


class SectionChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, section):
        return f"{section.board.title}: {section.name}"


class SectionFilter(django_filters.ModelChoiceFilter):
    """Sections named with their board: every board has its own "Learn"."""

    field_class = SectionChoiceField


class BoardPostFilterSet(WagtailFilterSet):
    section = SectionFilter(
        label="Section", queryset=BoardSection.objects.select_related("board").order_by("board__path", "sort_order")
    )
    reported = django_filters.BooleanFilter(
        label="Reported", method="filter_reported", help_text="Posts with reports a moderator has not reviewed."
    )

    class Meta:
        model = BoardPost
        fields = ["status", "board", "section", "pinned"]

    def filter_reported(self, queryset, name, value):
        unresolved = Q(reports__resolved=False)
        return queryset.filter(unresolved).distinct() if value else queryset.exclude(unresolved)


class PreviewColumn(Column):
    """What moderators decide on, in the list itself: a snippet of the text, the link's domain, a thumbnail."""

    cell_template_name = "board/admin/preview_cell.html"


class BoardPostIndexView(ListingExportMixin, IndexView):
    """The moderation queue; its export is the board's spreadsheet for sharing (README "Admin listings")."""

    def export_value(self, item, field):
        if field == "public_url":
            return self._board_url(item.board) + item.board.reverse_subpage("post_detail", args=[item.pk])
        return super().export_value(item, field)

    @cached_property
    def _board_urls(self):
        return {}

    def _board_url(self, board):
        """The board's public address, worked out once per board rather than once per post."""
        if board.pk not in self._board_urls:
            self._board_urls[board.pk] = self.request.build_absolute_uri(board.get_url(request=self.request))
        return self._board_urls[board.pk]


class BoardPostViewSet(SnippetViewSet):
    model = BoardPost
    index_view_class = BoardPostIndexView
    icon = "comment"
    menu_label = "Posts"
    menu_order = 100
    filterset_class = BoardPostFilterSet
    search_fields = ["title", "message", "school", "display_name", "email"]
    ordering = ["-created_at"]
    list_per_page = 30
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title",
        PreviewColumn("preview", label="Preview"),
        StatusTagColumn("status", label="Status", accessor="get_status_display", primary=lambda p: p.is_public),
        Column("section", label="Section"),
        Column("board", label="Board"),
        Column("report_count", label="Reports"),
        Column("created_at", label="Posted"),
        Column("moderate", label="Moderate", accessor="admin_moderate_link"),
    ]
    # For sharing: what the board shows, never the poster's email; the board and status say which posts an
    # unfiltered export holds (the board's own export links filter on one board's approved posts).
    list_export = [
        "board",
        "status",
        "section",
        "title",
        "message",
        "link",
        "author",
        "school",
        "approved_at",
        "reaction_count",
        "attachment_name",
        "public_url",
    ]
    export_headings = {
        "author": "Name shown",
        "approved_at": "Approved",
        "reaction_count": "Likes",
        "attachment_name": "Attachment",
        "public_url": "Post",
    }
    export_filename = "board-posts"
    panels = [
        HelpPanel(
            content="Fix a typo or remove a detail here, then use <strong>Moderate</strong> to approve. "
            "The poster's email is private: it is never shown on the site."
        ),
        FieldRowPanel([FieldPanel("board"), FieldPanel("section")]),
        FieldPanel("title"),
        FieldPanel("message"),
        FieldPanel("link"),
        BoardPost.image_panel(),
        MultiFieldPanel([FieldPanel("attachment_name")], heading="Attachment"),
        FieldRowPanel([FieldPanel("display_name"), FieldPanel("school")]),
        FieldPanel("email"),
        FieldPanel("pinned"),
    ]

    def get_queryset(self, request):
        from wagtail.images import get_image_model

        images = get_image_model().objects.prefetch_renditions("max-80x60")
        return BoardPost.objects.select_related("board", "section").prefetch_related(Prefetch("image", queryset=images))


class BoardCommentFilterSet(WagtailFilterSet):
    class Meta:
        model = BoardComment
        fields = ["status"]


class BoardCommentViewSet(SnippetViewSet):
    model = BoardComment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 110
    filterset_class = BoardCommentFilterSet
    search_fields = ["message", "display_name"]
    list_display = ["message", "post", "status", "created_at"]
    copy_view_enabled = False
    panels = [FieldPanel("status"), FieldPanel("display_name"), FieldPanel("message")]

    def get_queryset(self, request):
        return BoardComment.objects.select_related("post")


class BlockedWordViewSet(SnippetViewSet):
    model = BlockedWord
    icon = "warning"
    menu_label = "Blocked words"
    menu_order = 120
    search_fields = ["phrase", "note"]
    list_display = ["phrase", "note"]
    copy_view_enabled = False


class BoardGroup(SnippetViewSetGroup):
    items = (BoardPostViewSet, BoardCommentViewSet, BlockedWordViewSet)
    menu_icon = "comment"
    menu_label = "Community board"
    menu_name = "community-board"
    menu_order = 250


register_snippet(BoardGroup)


@hooks.register("register_admin_urls")
def register_board_admin_urls():
    return [path("board/moderate/<int:pk>/", admin_views.moderate_post, name="board_moderate")]


class _StatusBulkAction(SnippetBulkAction):
    models = [BoardPost]
    template_name = "board/admin/confirm_bulk_action.html"

    def check_perm(self, snippet):
        return self.request.user.has_perm("board.change_boardpost")


class ApproveBulkAction(_StatusBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected posts"
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for post in objects:
            services.approve(post, user)
        return len(objects), 0

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"Approved {num_parent_objects} post(s)."


class RejectBulkAction(_StatusBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected posts"
    action_priority = 20
    form_class = RejectForm

    @classmethod
    def execute_action(cls, objects, user=None, reason="", **kwargs):
        for post in objects:
            services.reject(post, user, reason)
        return len(objects), 0

    def get_execution_context(self):
        return {
            **super().get_execution_context(),
            "user": self.request.user,
            "reason": self.cleaned_form.cleaned_data.get("reason", ""),
        }

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"Rejected {num_parent_objects} post(s)."


hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", RejectBulkAction)


class WaitingPostsPanel(Component):
    """On the admin dashboard: how many posts and comments wait for a moderator."""

    name = "board_waiting"
    order = 90
    template_name = "board/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "waiting": BoardPost.objects.filter(status=BoardPost.Status.PENDING).count(),
            "reported": BoardPost.objects.filter(reports__resolved=False).distinct().count(),
            "comments": BoardComment.objects.filter(status=BoardComment.Status.PENDING).count(),
            "queue_url": reverse("wagtailsnippets_board_boardpost:list"),
        }


@hooks.register("construct_homepage_panels")
def add_waiting_posts_panel(request, panels):
    if request.user.has_perm("board.change_boardpost"):
        panels.insert(0, WaitingPostsPanel())


def _is_private(page):
    """Whether the page or an ancestor has a view restriction, in one query."""
    steps = range(page.steplen, len(page.path) + 1, page.steplen)
    return PageViewRestriction.objects.filter(page__path__in=[page.path[:end] for end in steps]).exists()


@hooks.register("home_page_slots")
def recent_board_posts(context):
    """The home page's 'recent ideas from schools': approved posts of the first live, public board (3 queries)."""
    # One query when there is no board; the privacy check only runs when there is one.
    board = BoardPage.objects.live().order_by("path").first()
    if board is None or _is_private(board):
        return ""
    posts = list(
        BoardPost.objects.approved()
        .filter(board=board)
        .only("pk", "title", "message", "display_name", "school", "approved_at")
        .order_by(F("approved_at").desc(nulls_last=True), "-pk")[:3]
    )
    return render_slot(
        "board/includes/home_slot.html", context, {"posts": posts, "board": board, "board_url": board.url}
    )


@hooks.register("process_page_slots", order=30)  # resources, then events, then posts
def process_board_posts(context, process):
    """Recent approved posts from the board section with the process's slug (e.g. 'learn') on a Learn, Embed or
    Share page; nothing when the first live, public board has no such section or no posts in it (3 queries)."""
    board = BoardPage.objects.live().order_by("path").first()
    if board is None or _is_private(board):
        return ""
    posts = list(
        BoardPost.objects.approved()
        .filter(board=board, section__slug=process)
        .select_related("section")
        .only("pk", "title", "message", "display_name", "school", "approved_at", "section__name", "section__slug")
        .order_by(F("approved_at").desc(nulls_last=True), "-pk")[:3]
    )
    if not posts:
        return ""
    section = posts[0].section
    return render_slot(
        "board/includes/process_slot.html",
        context,
        {"posts": posts, "board": board, "section": section, "section_url": f"{board.url}?section={section.slug}"},
    )


# This app's part of a new site's structure, and of the personal-data map (README "Which app may import which").
hooks.register("register_site_structure", structure.load)
hooks.register("register_personal_data", lambda: personal_data)


@hooks.register("register_scheduled_jobs")
def board_jobs():
    """The digest also goes out when a post arrives; this tells moderators of posts that arrived while the last
    digest's interval was still running."""
    return [
        ScheduledJob(
            "board_moderator_digest",
            timedelta(seconds=settings.BOARD_DIGEST_INTERVAL_SECONDS),
            send_moderator_digest,
            "email moderators how many posts and comments wait (at most one per interval)",
        )
    ]


@hooks.register("school_board_posts")
def school_board_posts(school_name, limit):
    """What a school shared on the public boards, for its page in the schools directory (which must not import
    the board): approved posts whose school, trimmed and in any case, is `school_name`, newest first, as dicts of
    title, url and date. Boards that are not live or sit under a view restriction (Wagtail's `public()`) are left
    out (3 queries)."""
    name = (school_name or "").strip().lower()
    if not name or limit <= 0:
        return []
    boards = {board.pk: board for board in BoardPage.objects.live().public()}
    if not boards:
        return []
    posts = (
        BoardPost.objects.approved()
        .filter(board_id__in=boards)
        .annotate(school_key=Lower(Trim("school")))
        .filter(school_key=name)
        .only("pk", "title", "board_id", "approved_at", "created_at")
        .order_by(F("approved_at").desc(nulls_last=True), "-pk")[:limit]
    )
    return [
        {
            "title": post.title,
            "url": boards[post.board_id].url + boards[post.board_id].reverse_subpage("post_detail", args=[post.pk]),
            "date": post.approved_at or post.created_at,
        }
        for post in posts
    ]
