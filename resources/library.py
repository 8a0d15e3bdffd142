"""Browsing the library: faceted filters, search, sort and pagination from a query string.

Filters combine with AND across facets and OR within one. Each option's count is the number of resources a
visitor gets by ticking it (given the other facets and the search), computed with one aggregate query per
facet, so the number of queries never grows with the number of resources or options.

Everything here reads untrusted query strings: unknown values are ignored, repeats collapse, lists and
strings are capped, and an out-of-range page shows the last page.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower
from django.utils.http import urlencode
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from security.public_input import paginate, search_terms, search_text

from .models import Audience, AwardCriterion, Language, Process, ResourcePage, ResourceType, TaggedResource

MAX_VALUES_PER_FACET = 20
MAX_VALUE_LENGTH = 100
MAX_SEARCH_RESULTS = 2000
TAG_OPTIONS_SHOWN = 25
# Card thumbnails: a srcset of two sizes in WebP with a JPEG fallback. Must match the `{% picture %}` in
# templates/resources/includes/resource_card.html exactly, so the page of cards prefetches every rendition
# and a card costs no query of its own.
CARD_PICTURE_SPEC = "format-{webp,jpeg} fill-{240x150,480x300}"
CARD_THUMBNAIL_SPECS = tuple(Filter.expand_spec(CARD_PICTURE_SPEC))
SORTS = {"newest": ("Newest first", ("-publication_date", "-pk")), "title": ("Title A–Z", ("title", "pk"))}
DEFAULT_SORT = "newest"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    legend: str
    options: list = field(default_factory=list)
    # True when only some options are offered (the most used tags): the template links to all of them.
    has_more: bool = False

    @property
    def selected_options(self):
        return [option for option in self.options if option.selected]


@dataclass
class ActiveFilter:
    legend: str
    label: str
    remove_query: str


@dataclass
class FilteredResults:
    """A page of a faceted listing (the library here, the schools directory too) and what its template shows."""

    page_obj: object
    facets: list
    active_filters: list
    search_query: str
    query_was_shortened: bool
    max_query_length: int

    @property
    def count(self):
        return self.page_obj.paginator.count

    @property
    def is_filtered(self):
        return bool(self.active_filters or self.search_query)


@dataclass
class LibraryResults(FilteredResults):
    sort: str
    sort_options: list


def requested_values(params, name):
    """A facet's requested values: trimmed, capped, without repeats, in the order given."""
    seen = []
    for raw in params.getlist(name)[: MAX_VALUES_PER_FACET * 5]:
        value = str(raw).strip()[:MAX_VALUE_LENGTH]
        if value and value not in seen:
            seen.append(value)
    return seen[:MAX_VALUES_PER_FACET]


def _through_q(through, owner_field, target_field, ids):
    """Resources linked to any of `ids` through an M2M table, as a subquery (no duplicate rows)."""
    return Q(pk__in=through.objects.filter(**{f"{target_field}__in": ids}).values(owner_field))


class _FacetSpec(ABC):
    """How one facet filters and counts. `options` are (id, value, label) rows."""

    def __init__(self, name, legend):
        self.name = name
        self.legend = legend

    @abstractmethod
    def load_options(self, requested):
        """The facet's options as (id, value, label) rows."""

    @abstractmethod
    def filter_q(self, ids):
        """A Q object keeping resources that have any of the option `ids`."""

    @abstractmethod
    def counts(self, resources):
        """{option id: count} over `resources` (a queryset), in one query."""


class _ManyToManyFacet(_FacetSpec):
    def __init__(self, name, legend, model, attribute, value_field="slug", label_field="name"):
        super().__init__(name, legend)
        self.model = model
        self.through = getattr(ResourcePage, attribute).through
        self.target_field = f"{model._meta.model_name}_id"
        self.value_field = value_field
        self.label_field = label_field

    def load_options(self, requested):
        # Values are compared with the query string's text, so a number (a criterion's) is offered as text.
        return [
            (row.pk, str(getattr(row, self.value_field)), getattr(row, self.label_field))
            for row in self.model.objects.all()
        ]

    def filter_q(self, ids):
        return _through_q(self.through, "resourcepage_id", self.target_field, ids)

    def counts(self, resources):
        rows = (
            self.through.objects.filter(resourcepage_id__in=resources.values("pk"))
            .values(self.target_field)
            .annotate(n=Count("resourcepage_id", distinct=True))
            .order_by()
        )
        return {row[self.target_field]: row["n"] for row in rows}


class _TypeFacet(_FacetSpec):
    def load_options(self, requested):
        return [(row.pk, row.slug, row.name) for row in ResourceType.objects.all()]

    def filter_q(self, ids):
        return Q(resource_type_id__in=ids)

    def counts(self, resources):
        rows = resources.order_by().values("resource_type_id").annotate(n=Count("pk"))
        return {row["resource_type_id"]: row["n"] for row in rows}


class _TagFacet(_FacetSpec):
    """Tags are open-ended: the most used ones are offered (listed A-Z whatever their case), plus any the
    visitor already chose; when there are more, the facet links to the library's page of all tags."""

    has_more = False

    def load_options(self, requested):
        if not requested:
            return []
        return [(row.pk, row.slug, row.name) for row in Tag.objects.filter(slug__in=requested)]

    def filter_q(self, ids):
        return _through_q(TaggedResource, "content_object_id", "tag_id", ids)

    def counts(self, resources):
        rows = (
            TaggedResource.objects.filter(content_object_id__in=resources.values("pk"))
            .values("tag_id", "tag__slug", "tag__name")
            .annotate(n=Count("content_object_id", distinct=True))
            .order_by("-n", Lower("tag__name"), "tag_id")[: TAG_OPTIONS_SHOWN + 1]
        )
        rows = list(rows)
        self.has_more = len(rows) > TAG_OPTIONS_SHOWN
        rows = sorted(rows[:TAG_OPTIONS_SHOWN], key=lambda row: (row["tag__name"].lower(), row["tag_id"]))
        self.top = [(row["tag_id"], row["tag__slug"], row["tag__name"]) for row in rows]
        return {row["tag_id"]: row["n"] for row in rows}


def facet_specs():
    return [
        _ManyToManyFacet("process", "Process", Process, "processes"),
        _ManyToManyFacet(
            "criterion", "Award criterion", AwardCriterion, "criteria", value_field="number", label_field="label"
        ),
        _ManyToManyFacet("audience", "Audience / phase", Audience, "audiences"),
        _TypeFacet("type", "Resource type"),
        _ManyToManyFacet("language", "Language", Language, "languages", value_field="code"),
        _TagFacet("tag", "Tag"),
    ]


def _search_q(terms):
    """Resources matching the words, through Wagtail's search backend (full-text on PostgreSQL).

    The backend answers with ids; the library's own filters (place in the tree, privacy) apply afterwards.
    """
    results = ResourcePage.objects.live().search(terms, operator="and")[:MAX_SEARCH_RESULTS]
    return Q(pk__in=[result.pk for result in results])


def query_without(params, name, value):
    """The query string without one chosen value (and without the page number): a filter's "remove" link."""
    pairs = []
    for key in params:
        if key == "page":
            continue
        for item in params.getlist(key):
            if not (key == name and item == value):
                pairs.append((key, item))
    return urlencode(pairs)


def card_queryset(queryset):
    """Everything a card shows, fetched in a fixed number of queries whatever the number of cards."""
    Image = get_image_model()
    return queryset.select_related("resource_type").prefetch_related(
        "processes",
        Prefetch("tagged_items", queryset=TaggedResource.objects.select_related("tag").order_by("tag__name")),
        Prefetch("thumbnail", queryset=Image.objects.prefetch_renditions(*CARD_THUMBNAIL_SPECS)),
    )


def all_tags(library):
    """Every tag of the library's public resources, A-Z whatever its case, with its number of resources."""
    return (
        Tag.objects.filter(resources_taggedresource_items__content_object__in=library.resources().values("pk"))
        .annotate(resource_count=Count("resources_taggedresource_items__content_object", distinct=True))
        .order_by(Lower("name"), "pk")
    )


def browse(library, params, fixed=None):
    """The library's listing for a request's query string. `fixed` pins a facet (tag or process pages)."""
    fixed = fixed or {}
    base = library.resources()
    specs = [spec for spec in facet_specs() if spec.name not in fixed]
    for name, obj in fixed.items():
        spec = next(spec for spec in facet_specs() if spec.name == name)
        base = base.filter(spec.filter_q([obj.pk]))

    max_length = settings.SEARCH_QUERY_MAX_LENGTH
    search = search_text(params.get("q", ""), max_length)
    terms = search_terms(search.text)
    search_q = _search_q(terms) if terms else Q()

    selections = {}
    options = {}
    for spec in specs:
        requested = requested_values(params, spec.name)
        rows = spec.load_options(requested)
        options[spec.name] = rows
        selections[spec.name] = [row for row in rows if row[1] in requested]

    def filters_except(name):
        q = search_q
        for spec in specs:
            chosen = selections[spec.name]
            if spec.name != name and chosen:
                q &= spec.filter_q([row[0] for row in chosen])
        return q

    facets = []
    active_filters = []
    for spec in specs:
        counts = spec.counts(base.filter(filters_except(spec.name)))
        chosen = selections[spec.name]
        chosen_ids = {row[0] for row in chosen}
        rows = options[spec.name]
        if isinstance(spec, _TagFacet):
            rows = list(chosen) + [row for row in spec.top if row[0] not in chosen_ids]
        facet = Facet(spec.name, spec.legend, has_more=getattr(spec, "has_more", False))
        for pk, value, label in rows:
            facet.options.append(FacetOption(value, label, counts.get(pk, 0), pk in chosen_ids))
        for _pk, value, label in chosen:
            active_filters.append(ActiveFilter(spec.legend, label, query_without(params, spec.name, value)))
        facets.append(facet)

    sort = params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT
    resources = card_queryset(base.filter(filters_except(None))).order_by(*SORTS[sort][1])
    page_obj = paginate(resources, library.per_page, params.get("page"))
    return LibraryResults(
        page_obj=page_obj,
        facets=facets,
        active_filters=active_filters,
        search_query=search.text,
        query_was_shortened=search.shortened,
        sort=sort,
        sort_options=[(key, label) for key, (label, _) in SORTS.items()],
        max_query_length=max_length,
    )
