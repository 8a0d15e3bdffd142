"""The community board: boards (pages), their sections, and what schools post on them.

Posts, comments, reactions and reports are plain models (not pages): they come from the public, in
volume, and are moderated in the admin's queue rather than published through the page tree.
"""

import hashlib
import hmac
import secrets
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.models import PageMetaMixin, image_with_alt_text
from home.routing import page_view
from page_cache import cache as page_cache
from security.links import link_host, web_link

MESSAGE_MAX_LENGTH = 2000
# The widths a post's image is offered at (srcset), on the board's cards and on the post's own page.
CARD_IMAGE_WIDTHS = (800, 400)
PAGE_IMAGE_WIDTHS = (1200, 800, 400)


def hash_token(token):
    """Tokens are stored hashed: a leaked database does not let anyone edit posts."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(24)


def page_cache_topic(board_id):
    """What visitors' likes, reports and comments change in the page cache: only this board's own pages."""
    return f"board:{board_id}"


class BoardPage(RoutablePageMixin, PageMetaMixin, Page):
    """A board schools post to, e.g. the Coventry board or one per year or theme. Its routes live in views.py."""

    class Layout(models.TextChoices):
        COLUMNS = "columns", "Columns: one column per section"
        WALL = "wall", "Wall: a grid of all posts"

    class PostingMode(models.TextChoices):
        ANYONE = "anyone", "Anyone may post"
        CODE = "code", "Only people with the posting code"
        CLOSED = "closed", "Closed: nobody can post"

    intro = models.TextField(max_length=600, blank=True, help_text="A sentence or two under the title.")
    layout = models.CharField(
        max_length=10,
        choices=Layout.choices,
        default=Layout.COLUMNS,
        help_text="Columns show each section side by side; a wall shows all posts in one grid.",
    )
    posting_mode = models.CharField(
        max_length=10,
        choices=PostingMode.choices,
        default=PostingMode.CODE,
        help_text="Who may add posts. Closed boards stay visible but take no new posts.",
    )
    posting_code = models.CharField(
        max_length=64,
        blank=True,
        help_text="The code EMAS gives to schools. Needed when only people with the code may post. "
        "Change it to stop old codes working.",
    )
    requires_approval = models.BooleanField(
        default=True,
        help_text="Every post waits for a moderator before it appears. Untick only for trusted boards: posts "
        "containing a blocked word are held for review anyway.",
    )
    comments_enabled = models.BooleanField(default=False, help_text="Let visitors comment (comments are moderated).")
    reactions_enabled = models.BooleanField(default=True, help_text="Show a 'like' button on each post.")
    posting_guidance = RichTextField(
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text="Shown above the posting form: what to post, and what not to.",
    )
    posts_per_section = models.PositiveSmallIntegerField(
        default=12, help_text="How many posts each section shows before 'More posts'."
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("sections", label="Sections", min_num=1, heading="Sections (columns)"),
        MultiFieldPanel(
            [
                FieldPanel("layout"),
                FieldPanel("posts_per_section"),
            ],
            heading="Layout",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("posting_mode"), FieldPanel("posting_code")]),
                FieldPanel("requires_approval"),
                FieldRowPanel([FieldPanel("comments_enabled"), FieldPanel("reactions_enabled")]),
                FieldPanel("posting_guidance"),
            ],
            heading="Posting",
        ),
        HelpPanel(content="Posts are moderated under Board posts in the menu. Blocked words are managed there too."),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = []

    class Meta:
        verbose_name = "board page"

    def clean(self):
        super().clean()
        if self.posting_mode == self.PostingMode.CODE and not self.posting_code.strip():
            raise ValidationError({"posting_code": "Set a posting code, or choose who may post differently."})
        if self.posts_per_section < 1 or self.posts_per_section > 100:
            raise ValidationError({"posts_per_section": "Choose between 1 and 100 posts per section."})

    def get_meta_description(self):
        return self.search_description or self.intro

    @property
    def accepts_posts(self):
        return self.posting_mode != self.PostingMode.CLOSED

    def posting_code_matches(self, code):
        """Constant-time comparison, so the code cannot be guessed from response times.

        Ignores upper and lower case and spaces around the code: teachers type what they were told
        ("coventry-welcome-2024"), not necessarily as the code is stored.
        """
        if self.posting_mode != self.PostingMode.CODE:
            return True
        expected = (self.posting_code or "").strip().casefold()
        given = (code or "").strip().casefold()
        return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())

    def serve(self, request, *args, **kwargs):
        page_cache.depends_on(page_cache_topic(self.pk))
        return super().serve(request, *args, **kwargs)

    # Routes (README "Layout": one way to route sub-pages); the views live in board/views.py and board/feeds.py.
    board_index = page_view("", "board.views.board_index")
    new_post = page_view("post/", "board.views.new_post")
    post_detail = page_view("posts/<int:post_id>/", "board.views.post_detail")
    edit_post = page_view("posts/<int:post_id>/edit/", "board.views.edit_post")
    edit_post_with_link = page_view("posts/<int:post_id>/edit/<str:token>/", "board.views.edit_post_with_link")
    delete_post = page_view("posts/<int:post_id>/delete/", "board.views.delete_post")
    like_post = page_view("posts/<int:post_id>/like/", "board.views.like_post")
    report_post = page_view("posts/<int:post_id>/report/", "board.views.report_post")
    comment_post = page_view("posts/<int:post_id>/comment/", "board.views.comment_post")
    post_attachment = page_view("posts/<int:post_id>/attachment/", "board.views.post_attachment")
    updates = page_view("updates/", "board.views.updates")
    rss_feed = page_view("feed/rss/", "board.feeds.rss_feed")
    atom_feed = page_view("feed/atom/", "board.feeds.atom_feed")
    print_view = page_view("print/", "board.views.print_view")
    export = page_view(r"^export/(?P<export_format>csv|xlsx)/$", "board.views.export", regex=True)

    def admin_export_url(self, export_format):
        """The moderation listing's spreadsheet of this board's approved posts ("csv" or "xlsx")."""
        query = urlencode({"board": self.pk, "status": BoardPost.Status.APPROVED, "export": export_format})
        return f"{reverse('wagtailsnippets_board_boardpost:list')}?{query}"


class BoardSection(Orderable):
    """A column of a board, e.g. Learn, Embed, Share."""

    board = ParentalKey(BoardPage, on_delete=models.CASCADE, related_name="sections")
    name = models.CharField(max_length=60, help_text="The column heading, e.g. 'Refugee Week ideas'.")
    slug = models.SlugField(
        max_length=60,
        help_text="Used in links to this section (letters, numbers and hyphens), e.g. 'refugee-week'.",
    )
    description = models.CharField(max_length=250, blank=True, help_text="One line under the heading (optional).")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["board", "slug"], name="board_section_unique_slug")]

    def __str__(self):
        return self.name


class BoardPostQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=BoardPost.Status.APPROVED)

    def public_order(self):
        return self.order_by("-pinned", models.F("approved_at").desc(nulls_last=True), "-pk")


PostImage = image_with_alt_text(
    help_text="Re-encoded on upload with all metadata removed.",
    alt_help_text="Describes the image for people who cannot see it.",
    alt_text_required=True,
)


class BoardPost(PostImage):
    """Something a school shared. Public only once approved; the email is never shown publicly."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        HIDDEN = "hidden", "Hidden"

    board = models.ForeignKey(BoardPage, on_delete=models.CASCADE, related_name="posts")
    section = models.ForeignKey(
        BoardSection, on_delete=models.PROTECT, related_name="posts", help_text="The column the post appears in."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    pinned = models.BooleanField(default=False, help_text="Pinned posts come first in their section.")
    title = models.CharField(max_length=120, help_text="A short heading for the post.")
    message = models.TextField(
        max_length=MESSAGE_MAX_LENGTH, help_text="Plain text; web addresses become links, line breaks are kept."
    )
    link = models.URLField(max_length=500, blank=True, help_text="A web page the post points to (http or https).")
    attachment = models.FileField(upload_to="board/attachments/%Y/%m/", blank=True, max_length=200)
    attachment_name = models.CharField(max_length=120, blank=True, help_text="The file name shown to visitors.")
    attachment_type = models.CharField(max_length=10, blank=True, editable=False)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="Shown as the author. Empty shows 'Anonymous'."
    )
    school = models.CharField(max_length=120, blank=True, help_text="The poster's school, shown with the post.")
    email = models.EmailField(
        blank=True, help_text="For moderation replies only. Never shown on the public site, feeds or exports."
    )
    author_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    reaction_count = models.PositiveIntegerField(default=0, editable=False)
    report_count = models.PositiveIntegerField(default=0, editable=False)
    rejection_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    objects = BoardPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "board post"
        indexes = [models.Index(fields=["board", "section", "status", "pinned", "approved_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.board.url + self.board.reverse_subpage("post_detail", args=[self.pk])

    def clean(self):
        if self.section_id and self.board_id and self.section.board_id != self.board_id:
            raise ValidationError({"section": "Choose a section of this post's board."})
        super().clean()  # the photo's alt text (ImageWithAltText)
        try:
            self.link = web_link(self.link)
        except ValidationError as error:
            raise ValidationError({"link": error.messages}) from error

    @property
    def author(self):
        return self.display_name or "Anonymous"

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    def is_visible_to(self, is_author):
        """Whether a visitor may see this post and its files: anyone once it is approved; while it awaits approval,
        only its author. `is_author(post)` says whether the visitor proved they wrote it (board.views keeps the
        proof); it is asked only about a post awaiting approval, so a public post never reads the session.
        Rejected and hidden posts are seen by nobody on the site (moderators see them in the admin)."""
        if self.is_public:
            return True
        return self.status == self.Status.PENDING and is_author(self)

    @cached_property
    def public_link(self):
        """The link as a browser opens it, or "" if it is not acceptable (rows stored before security/links.py)."""
        return web_link(self.link) if link_host(self.link) else ""

    @cached_property
    def link_domain(self):
        """The host the browser opens (punycode for international names), shown as "Visit …"."""
        return link_host(self.link).removeprefix("www.")

    def attachment_url(self):
        return self.board.url + self.board.reverse_subpage("post_attachment", args=[self.pk])

    def author_token_matches(self, token):
        return bool(token and self.author_token_hash) and hmac.compare_digest(self.author_token_hash, hash_token(token))

    def admin_moderate_url(self):
        return reverse("board_moderate", args=[self.pk])

    def admin_moderate_link(self):
        return format_html(
            '<a class="button button-small" href="{}">Moderate<span class="w-sr-only"> {}</span></a>',
            self.admin_moderate_url(),
            self.title,
        )


class BoardComment(models.Model):
    """A plain-text comment on a post, moderated like posts."""

    Status = BoardPost.Status

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="comments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    display_name = models.CharField(max_length=80, blank=True, help_text="Shown with the comment.")
    message = models.TextField(max_length=1000, help_text="Plain text.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = "board comment"

    def __str__(self):
        return f"{self.author} on {self.post}"

    @property
    def author(self):
        return self.display_name or "Anonymous"


class BoardReaction(models.Model):
    """One 'like' per post per browser. The browser key is stored hashed."""

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="reactions")
    browser_key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "browser_key_hash"], name="board_reaction_one_per_browser")
        ]

    def __str__(self):
        return f"Like on {self.post_id}"


class BoardReport(models.Model):
    """A visitor's report about a post; reaches our editors, never a vendor.

    Every report is kept, but only one per reporter counts towards hiding the post: a reporter is known by
    a keyed hash of their address and a hash of their browser's key (services.report), never by either in
    clear.
    """

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved = models.BooleanField(default=False, help_text="Ticked when a moderator has reviewed the post.")
    reporter_address_hash = models.CharField(max_length=64, blank=True, editable=False)
    reporter_browser_hash = models.CharField(max_length=64, blank=True, editable=False)
    counts_towards_hiding = models.BooleanField(
        default=True,
        editable=False,
        help_text="False when the same person (address or browser) had already reported the post.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "board report"

    def __str__(self):
        return f"Report on {self.post}"


class BlockedWord(models.Model):
    """A word or phrase that holds a post for review, even on boards that do not need approval."""

    phrase = models.CharField(
        max_length=100,
        unique=True,
        validators=[RegexValidator(r"\S", "Enter a word or phrase.")],
        help_text="Matched as a whole word or phrase, ignoring upper and lower case.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why it is on the list (for other editors).")

    panels = [FieldPanel("phrase"), FieldPanel("note")]

    class Meta:
        ordering = ["phrase"]
        verbose_name = "blocked word"

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.phrase = " ".join(self.phrase.split()).lower()
        super().save(*args, **kwargs)


class ModeratorDigest(models.Model):
    """When the last 'posts waiting' email went out: at most one per BOARD_DIGEST_INTERVAL_SECONDS (15 minutes),
    across all servers."""

    key = models.CharField(max_length=30, unique=True, default="board")
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Digest {self.key}: {self.last_sent_at}"
