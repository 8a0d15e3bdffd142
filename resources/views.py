"""The public views behind the library page's routes: the library, its process and tag listings, all tags.

Each listing is the same faceted page (resources/library.py reads the query string), with a fixed facet for a
process or a tag, so that "Learn: resources" and "Resources tagged Arabic" are pages of their own that search
engines and the sitemap know.
"""

from django.http import Http404
from django.template.response import TemplateResponse
from taggit.models import Tag

from .library import all_tags as tags_a_to_z
from .library import browse
from .models import Process


def _listing(request, library, *, heading, intro, fixed=None, extra=None):
    results = browse(library, request.GET, fixed=fixed or {})
    context = library.get_context(request)
    context.update({"results": results, "listing_heading": heading, "listing_intro": intro, "fixed": fixed or {}})
    context.update(extra or {})
    return TemplateResponse(request, "resources/resource_index_page.html", context)


def library_listing(request, library):
    return _listing(request, library, heading=library.title, intro=library.intro)


def all_tags(request, library):
    """All tags A-Z: the library's filter offers only the most used, and links here for the rest."""
    context = library.get_context(request)
    context.update({"all_tags": list(tags_a_to_z(library)), "route_title": "All tags in the resource library"})
    return TemplateResponse(request, "resources/resource_tags.html", context)


def tag_listing(request, library, tag_slug):
    tag = Tag.objects.filter(slug=tag_slug, resources_taggedresource_items__isnull=False).first()
    if tag is None:
        raise Http404("No resources have this tag.")
    title = f"Resources tagged “{tag.name}”"
    return _listing(
        request,
        library,
        heading=title,
        intro=f"Resources in the library tagged “{tag.name}”.",
        fixed={"tag": tag},
        extra={"route_title": title},
    )


def process_listing(request, library, process_slug):
    process = Process.objects.filter(slug=process_slug).first()
    if process is None:
        raise Http404("Unknown process.")
    title = f"{process.name}: resources"
    return _listing(
        request,
        library,
        heading=title,
        intro=process.description,
        fixed={"process": process},
        extra={"route_title": title},
    )
