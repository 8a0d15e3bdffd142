"""Browsing the public directory: the listed schools, filtered by status, phase and area, searched by name, paged.

Only schools that agreed to be listed (`listed_publicly`) and are on the award journey in a way the public can be
told appear: those that hold the award ("Awarded", whatever their renewal stage) and those on the way to it
("Working towards"). A school that has only said it is interested, or whose award lapsed, is not in the directory
(its page is a 404): "Interested" is not yet a commitment to show, and a lapsed award would read as a current one.

Filters work as the resource library's do (resources/library.py): AND across facets, OR within one, and each
option's count is what ticking it gives given the other facets and the search, in one aggregate query per facet,
so the number of queries never grows with the number of schools.
"""

from django.conf import settings
from django.db.models import Count, Q

from resources.library import ActiveFilter, Facet, FacetOption, FilteredResults, query_without, requested_values
from security.public_input import paginate, search_terms, search_text

from . import journey
from .models import Area, Phase, School

AWARDED = "awarded"
WORKING_TOWARDS = "working-towards"
# The public's two statuses, each the journey's statuses it covers.
PUBLIC_STATUSES = {
    AWARDED: ("Awarded", journey.HOLDS_AWARD),
    WORKING_TOWARDS: ("Working towards", journey.ON_THE_WAY),
}
# The fields a directory entry shows: never a contact, never a note on the journey.
LIST_FIELDS = ("pk", "name", "slug", "phase", "area", "status", "awarded_on")


def status_q(values):
    statuses = set()
    for value in values:
        statuses |= PUBLIC_STATUSES[value][1]
    return Q(status__in=statuses)


class _ChoiceFacet:
    """A facet over one choice field of School (phase, area): options in the choices' order, shown when they have
    schools (given the other facets) or are ticked."""

    def __init__(self, name, legend, choices, field):
        self.name, self.legend, self.choices, self.field = name, legend, choices, field

    def options(self):
        return list(self.choices)

    def filter_q(self, values):
        return Q(**{f"{self.field}__in": values})

    def counts(self, schools):
        rows = schools.order_by().values(self.field).annotate(n=Count("pk"))
        return {row[self.field]: row["n"] for row in rows}


class _StatusFacet(_ChoiceFacet):
    def __init__(self):
        super().__init__("status", "Status", [(key, label) for key, (label, _) in PUBLIC_STATUSES.items()], "status")

    def filter_q(self, values):
        return status_q(values)

    def counts(self, schools):
        return public_status_counts(schools)


def public_status_counts(schools):
    """{"awarded": n, "working-towards": m} over `schools`, in one query (the status facet, the home page's slot)."""
    aggregates = {key: Count("pk", filter=Q(status__in=statuses)) for key, (_, statuses) in PUBLIC_STATUSES.items()}
    return schools.order_by().aggregate(**aggregates)


def facet_specs():
    return [
        _StatusFacet(),
        _ChoiceFacet("phase", "Phase", Phase.choices, "phase"),
        _ChoiceFacet("area", "Area of the city", Area.choices, "area"),
    ]


def _name_q(terms):
    q = Q()
    for term in terms:
        q &= Q(name__icontains=term)
    return q


def browse(directory_page, params):
    """The directory for a request's query string."""
    specs = facet_specs()
    max_length = settings.SEARCH_QUERY_MAX_LENGTH
    search = search_text(params.get("q", ""), max_length)
    search_q = _name_q(search_terms(search.text))
    base = School.objects.listed()

    selections = {}
    for spec in specs:
        known = {value for value, _ in spec.options()}
        selections[spec.name] = [value for value in requested_values(params, spec.name) if value in known]

    def filters_except(name):
        q = search_q
        for spec in specs:
            if spec.name != name and selections[spec.name]:
                q &= spec.filter_q(selections[spec.name])
        return q

    facets, active_filters = [], []
    for spec in specs:
        counts = spec.counts(base.filter(filters_except(spec.name)))
        chosen = selections[spec.name]
        facet = Facet(spec.name, spec.legend)
        for value, label in spec.options():
            count = counts.get(value, 0)
            if count or value in chosen:
                facet.options.append(FacetOption(value, label, count, value in chosen))
            if value in chosen:
                active_filters.append(ActiveFilter(spec.legend, label, query_without(params, spec.name, value)))
        facets.append(facet)

    schools = base.filter(filters_except(None)).only(*LIST_FIELDS).order_by("name", "pk")
    return FilteredResults(
        page_obj=paginate(schools, directory_page.per_page, params.get("page")),
        facets=facets,
        active_filters=active_filters,
        search_query=search.text,
        query_was_shortened=search.shortened,
        max_query_length=max_length,
    )
