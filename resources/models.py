"""The resource library: resources schools use for Learn, Embed and Share, and the vocabularies that describe them.

Processes and audiences are fixed by the award (seeded by a data migration); resource types and languages are
editor-managed snippets, because EMAS adds new kinds of material and new community languages without a developer.
"""

import datetime
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BaseStreamBlock, validate_video_url
from home.models import IndexedWithChildRelationsMixin, OneQueryChildRouteMixin, PageMetaMixin, image_with_alt_text
from home.routing import page_view
from home.structure import NATIONAL_SITE

# The award's three processes, each with a listing at <library>/<slug>/.
PROCESS_ROUTE_SLUGS = ("learn", "embed", "share")
# Paths the library answers itself; a resource with one of these slugs could never be reached.
RESERVED_SLUGS = {"tag", "feed", *PROCESS_ROUTE_SLUGS}

# The award's fixed vocabularies: (slug, name, description). Seeded by migration 0002 and `ensure_vocabularies()`.
PROCESSES = [
    ("learn", "Learn", "Learn about what it means to be seeking sanctuary."),
    (
        "embed",
        "Embed",
        "Take positive action to embed concepts of welcome, safety and inclusion within your school and the "
        "wider community.",
    ),
    ("share", "Share", "Share your vision and achievements - be proud!"),
]
AUDIENCES = [
    ("early-years", "Early years", ""),
    ("primary", "Primary", ""),
    ("secondary", "Secondary", ""),
    ("whole-school", "Whole school", ""),
    ("staff-governors", "Staff and governors", ""),
    ("parents-families", "Parents and families", ""),
]


class Vocabulary(models.Model):
    """A term of one of the award's fixed lists (processes, audiences)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Process(Vocabulary):
    """Learn, Embed or Share: the three processes through which schools gather evidence for the award."""

    class Meta(Vocabulary.Meta):
        verbose_name_plural = "processes"


class Audience(Vocabulary):
    """Who a resource is for: a phase of education, staff and governors, or families."""


# The award has eight minimum criteria, numbered 1 to 8 across Learn, Embed and Share.
CRITERIA_COUNT = 8


class AwardCriterion(models.Model):
    """One of the award's eight minimum criteria, in our own words, under its process.

    The library tags resources with the criteria they help with (a facet of its own); the schools network
    (the `schools` app) builds on the same records. The eight are the real programme's, created by the site
    structure (`resources/structure.py`); editors may reword them, their numbers stay 1 to 8.
    """

    process = models.ForeignKey(
        Process,
        on_delete=models.PROTECT,
        related_name="criteria",
        help_text="The process the criterion belongs to: two are under Learn, three under Embed, three under Share.",
    )
    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(CRITERIA_COUNT)],
        help_text="The criterion's number in the award, 1 to 8. Used in the library's filter addresses "
        "(?criterion=2), so changing it breaks bookmarked filters.",
    )
    short_title = models.CharField(
        max_length=80,
        help_text="A few words shown in the library's filter and on resources, e.g. “Learning in the curriculum”.",
    )
    what_it_asks = models.TextField(
        max_length=600,
        help_text="What the criterion asks of a school, in one or two plain sentences of our own words (the "
        "official wording is on the national Schools of Sanctuary website).",
    )

    panels = [FieldPanel("number"), FieldPanel("process"), FieldPanel("short_title"), FieldPanel("what_it_asks")]

    class Meta:
        ordering = ["number"]
        verbose_name = "award criterion"
        verbose_name_plural = "award criteria"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=CRITERIA_COUNT), name="award_criterion_number_1_to_8"
            )
        ]

    def __str__(self):
        return f"Criterion {self.number}: {self.short_title}"

    @property
    def label(self):
        """How the library's filter names it: "2. Learning in the curriculum"."""
        return f"{self.number}. {self.short_title}"


def ensure_vocabularies():
    """Create the fixed processes and audiences if missing (after a flush); names editors changed are kept."""
    for model, rows in ((Process, PROCESSES), (Audience, AUDIENCES)):
        for order, (slug, name, description) in enumerate(rows):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "sort_order": order}
            )


class ResourceType(index.Indexed, models.Model):
    """What kind of material a resource is (guide, lesson plan, assembly…). Editors manage the list."""

    name = models.CharField(max_length=60, unique=True, help_text="Singular, as shown on cards, e.g. “Lesson plan”.")
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Used in filter addresses, e.g. lesson-plan. Changing it breaks bookmarked filters.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers are listed first in filters.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "resource type"

    def __str__(self):
        return self.name


class Language(index.Indexed, models.Model):
    """A language a resource is available in. An editor-managed list with ISO 639-1 codes, so Coventry's
    community languages (Arabic, Dari, Pashto, Tigrinya, Ukrainian…) can be added as families arrive, and
    pages can mark their text with the right `lang` attribute."""

    name = models.CharField(max_length=60, unique=True, help_text="The language's name in English, e.g. “Arabic”.")
    native_name = models.CharField(
        max_length=60, blank=True, help_text="The language's own name for itself, e.g. “العربية”. Optional."
    )
    code = models.CharField(
        max_length=12,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$",
                "Use an ISO 639 language code in lower case, e.g. “ar”, “uk” or “prs” (optionally with a region, "
                "e.g. “pt-BR”).",
            )
        ],
        help_text="ISO 639 code, e.g. en, ar, uk, fa, ps, ti. Used in filter addresses and for screen readers.",
    )

    panels = [FieldPanel("name"), FieldPanel("native_name"), FieldPanel("code")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def slug(self):
        return self.code


class TaggedResource(TaggedItemBase):
    content_object = ParentalKey("ResourcePage", on_delete=models.CASCADE, related_name="tagged_items")


class ResourceIndexPage(OneQueryChildRouteMixin, RoutablePageMixin, PageMetaMixin, Page):
    """The library: filterable cards of every resource beneath it, with tag and process pages and a feed."""

    child_route_model = "ResourcePage"
    child_route_select_related = ("resource_type", "thumbnail")

    intro = models.TextField(
        max_length=600, blank=True, help_text="A sentence or two under the title: what schools find here."
    )
    per_page = 12

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        HelpPanel(
            content="Add resources as child pages of this page. Visitors filter them by process, award criterion, "
            "audience, type, language and tag; the filters and their counts update themselves."
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["resources.ResourcePage"]
    max_count = 1

    class Meta:
        verbose_name = "resource library"

    def resources(self):
        """Live, public resources of this library (what the public may see)."""
        return ResourcePage.objects.child_of(self).live().public()

    def get_sitemap_urls(self, request=None):
        """The library, then its process and tag listings that have public resources (they are pages
        people search for, e.g. "refugee welcome resources Arabic")."""
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base, lastmod = urls[0]["location"], urls[0].get("lastmod")
        public = self.resources().values("pk")
        processes = (
            Process.objects.filter(resources__in=public, slug__in=PROCESS_ROUTE_SLUGS)
            .distinct()
            .order_by("sort_order", "name")
            .values_list("slug", flat=True)
        )
        tags = (
            Tag.objects.filter(resources_taggedresource_items__content_object__in=public)
            .distinct()
            .order_by("slug")
            .values_list("slug", flat=True)
        )
        listings = [f"{slug}/" for slug in processes] + [f"tag/{slug}/" for slug in tags]
        return urls + [{"location": f"{base}{path}", "lastmod": lastmod} for path in listings]

    # Routes (README "Layout"); the views live in resources/views.py and resources/feeds.py.
    library = page_view("", "resources.views.library_listing", name="library")
    tags = page_view("tag/", "resources.views.all_tags", name="tags")
    tag = page_view("tag/<slug:tag_slug>/", "resources.views.tag_listing", name="tag")
    process = page_view(
        rf"^(?P<process_slug>{'|'.join(PROCESS_ROUTE_SLUGS)})/$",
        "resources.views.process_listing",
        name="process",
        regex=True,
    )

    feed = page_view("feed/", "resources.feeds.library_feed", name="feed")


class ResourcePageForm(WagtailAdminPageForm):
    """A resource must lead somewhere: a document, an external link or a video."""

    def clean(self):
        cleaned = super().clean()
        # ClusterForm validates its formsets only after this method, so the documents' cleaned_data does not
        # exist yet: validate the formset here (Django keeps the result, it is not validated twice). While a
        # document row has its own error, that error is the one to fix first; the rule waits for clean rows.
        documents = self.formsets.get("documents")
        if documents is not None and not documents.is_valid():
            return cleaned
        has_document = documents is not None and any(
            form.cleaned_data.get("document") and not form.cleaned_data.get("DELETE") for form in documents.forms
        )
        if not (has_document or cleaned.get("external_url") or cleaned.get("video_url")):
            self.add_error(
                "external_url",
                "Add at least one thing the resource links to: a document to download, a website address or a "
                "video address.",
            )
        return cleaned


CardImage = image_with_alt_text(
    "thumbnail",
    help_text="Shown on the card. A cover, screenshot or illustration. Photos of pupils need consent.",
    alt_help_text="Describe the image if it adds information; leave empty if it is decorative.",
)


class ResourcePage(CardImage, IndexedWithChildRelationsMixin, PageMetaMixin, Page):
    """One resource: a guide, lesson plan, video… with what it is for and where to get it."""

    summary = models.TextField(
        max_length=400,
        help_text="One or two sentences shown on cards, in search results and in the feed: what it is and why "
        "it helps.",
    )
    body = StreamField(
        BaseStreamBlock(), blank=True, help_text="Optional: how schools can use the resource, tips, context."
    )
    tags = ClusterTaggableManager(
        through=TaggedResource,
        blank=True,
        help_text="Free words that help people find it, e.g. refugee week, trauma, EAL. Separate with commas.",
    )
    processes = ParentalManyToManyField(
        Process,
        related_name="resources",
        help_text="Which of the award's processes the resource helps with. Tick one or more.",
    )
    audiences = ParentalManyToManyField(
        Audience,
        related_name="resources",
        verbose_name="audience / phase",
        help_text="Who it is for. Tick every phase or group it suits.",
    )
    criteria = ParentalManyToManyField(
        AwardCriterion,
        related_name="resources",
        blank=True,
        verbose_name="award criteria",
        help_text="Which of the award's eight minimum criteria the resource helps a school meet. Optional; tick "
        "every one it really helps with. Visitors can filter the library by criterion.",
    )
    resource_type = models.ForeignKey(
        ResourceType,
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="resources",
        help_text="What kind of material it is. Manage the list in the admin menu under Resource library → "
        "Resource types.",
    )
    languages = ParentalManyToManyField(
        Language,
        related_name="resources",
        blank=True,
        help_text="The languages the resource itself is available in. Manage the list in the admin menu under "
        "Resource library → Languages.",
    )
    external_url = models.URLField(
        "website address",
        max_length=500,
        blank=True,
        help_text="The resource on another website, e.g. https://schools.cityofsanctuary.org/. Marked as external.",
    )
    video_url = models.URLField(
        "video address",
        max_length=500,
        blank=True,
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo address. Nothing loads from the provider until a visitor chooses to play.",
    )
    publication_date = models.DateField(
        default=datetime.date.today,
        help_text="When the resource itself was published or last revised by its authors. Sorts “newest”.",
    )
    featured = models.BooleanField(
        default=False, help_text="Featured resources are listed first in the library and on the home page."
    )
    related_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: a page on this site it belongs with, e.g. the webinar event a recording comes from.",
    )

    base_form_class = ResourcePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("processes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("criteria", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("resource_type"), FieldPanel("publication_date")]),
                FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("featured"),
            ],
            heading="Describe the resource",
        ),
        MultiFieldPanel(
            [
                InlinePanel("documents", label="Document to download", heading="Documents"),
                FieldPanel("external_url"),
                FieldPanel("video_url"),
            ],
            heading="Where to get it (at least one)",
        ),
        CardImage.image_panel(heading="Card image"),
        FieldPanel("body"),
        FieldPanel("related_page"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("resource_type", [index.SearchField("name")]),
        # "curriculum" or "pupil voice" finds the resources tagged with the criterion that asks for it.
        index.RelatedFields("criteria", [index.SearchField("short_title")]),
        index.FilterField("publication_date"),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "resource"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by the library itself (for its own pages); choose another slug."}
            )

    def get_meta_description(self):
        return self.search_description or self.summary

    @property
    def external_host(self):
        """The website's name for the button, e.g. schools.cityofsanctuary.org (the address's host, without
        "www."): what a visitor recognises, without a long path that would push a narrow screen sideways."""
        host = urlsplit(self.external_url or "").hostname or ""
        return host.removeprefix("www.")

    @property
    def external_host_parts(self):
        """The host's labels, so the template can let a narrow screen wrap it at its dots (with <wbr>)."""
        return self.external_host.split(".")

    @property
    def video(self):
        from home.blocks import video_embed_details

        return video_embed_details(self.video_url)

    def library(self):
        """The library this resource belongs to (also while previewing a resource not yet in the tree)."""
        parent = self.get_parent() if self.path else None
        if parent is not None:
            return parent.specific
        return ResourceIndexPage.objects.first()

    def related_resources(self, library, tags, processes, limit=3):
        """Other public resources sharing a tag or a process, those sharing most first."""
        from .library import card_queryset

        tag_ids = [tag.pk for tag in tags]
        process_ids = [process.pk for process in processes]
        if library is None or not (tag_ids or process_ids):
            return []
        # Counted by a correlated subquery on each through table's index: joining both tables and counting
        # DISTINCT multiplied rows (resources x tags x processes) and took 20 ms at 1,000 resources.
        shared_tags = _shared_count(TaggedResource, "content_object_id", "tag_id", tag_ids)
        shared_processes = _shared_count(ResourcePage.processes.through, "resourcepage_id", "process_id", process_ids)
        return list(
            card_queryset(ResourcePage.objects.child_of(library))
            .live()
            .public()
            .exclude(pk=self.pk)
            .annotate(shared_tags=shared_tags, shared_processes=shared_processes)
            .filter(models.Q(shared_tags__gt=0) | models.Q(shared_processes__gt=0))
            .order_by("-shared_tags", "-shared_processes", "-publication_date")[:limit]
        )

    def downloads_for(self, request):
        """The documents this visitor may download: those in a private collection are left out for the public
        (Wagtail's document view refuses them anyway; a link that only leads to a sign-in page helps nobody)."""
        items = [item for item in self.documents.all().select_related("document__collection") if item.document_id]
        restrictions_by_collection = {}  # documents usually share a collection: one query per collection
        allowed = []
        for item in items:
            collection = item.document.collection
            if collection.pk not in restrictions_by_collection:
                restrictions_by_collection[collection.pk] = list(collection.get_view_restrictions())
            if all(restriction.accept_request(request) for restriction in restrictions_by_collection[collection.pk]):
                allowed.append(item)
        return allowed

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        library = self.library()
        # Read once through the cluster, so previews of unsaved changes show (and relate by) what was typed.
        tags = sorted(self.tags.all(), key=lambda tag: tag.name.lower())
        processes = list(self.processes.all())
        context.update(
            {
                # One query whatever their number; sorted here too, as a preview's unsaved ticks come unordered.
                "criteria": sorted(self.criteria.all(), key=lambda criterion: criterion.number),
                "criteria_source_url": NATIONAL_SITE,
                "library": library,
                "tags": tags,
                "processes": processes,
                "audiences": list(self.audiences.all()),
                "languages": list(self.languages.all()),
                "downloads": self.downloads_for(request),
                "related_resources": self.related_resources(library, tags, processes),
            }
        )
        return context


def _shared_count(through, page_field, target_field, target_ids):
    """How many of `target_ids` the outer resource has in `through` (0 when none)."""
    rows = (
        through.objects.filter(**{page_field: OuterRef("pk"), f"{target_field}__in": target_ids})
        .order_by()
        .values(page_field)
        .annotate(n=models.Count("*"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows), Value(0))


class ResourceDocument(Orderable):
    """A document to download from a resource page, served through Wagtail's document view (privacy checked)."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Upload or choose a PDF, Word or PowerPoint file. Documents in a private collection stay private.",
    )
    title = models.CharField(max_length=150, blank=True, help_text="Defaults to the document's own title.")

    panels = [FieldPanel("document"), FieldPanel("title")]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title
