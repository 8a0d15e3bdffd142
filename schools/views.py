"""The public views behind the directory page's routes: the directory (schools/directory.py reads the query
string) and a school's own page. Both show only what `School.objects.listed()` lets the public see, and never
a contact: the contacts are not even fetched."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from .directory import browse
from .models import School

BOARD_POSTS_SHOWN = 5
# Must match the `{% picture %}` of templates/schools/school_detail.html exactly, so the photo's renditions come
# with it and the page costs the same queries with or without one.
PHOTO_PICTURE_SPEC = "format-{webp,jpeg} fill-{320x200,640x400}"
PHOTO_SPECS = tuple(Filter.expand_spec(PHOTO_PICTURE_SPEC))


def directory(request, page):
    context = page.get_context(request)
    context["results"] = browse(page, request.GET)
    return TemplateResponse(request, "schools/school_directory_page.html", context)


def board_posts(school_name, limit=BOARD_POSTS_SHOWN):
    """The school's public board posts (dicts of title, url, date), from the apps that registered
    `school_board_posts` (the board): schools and the board never import each other."""
    posts = []
    for find in hooks.get_hooks("school_board_posts"):
        posts += find(school_name, limit)
    return sorted(posts, key=lambda post: post["date"], reverse=True)[:limit]


def school_detail(request, page, slug):
    """A listed school's page; a school that is not listed (or not on the journey the public is told of) is a
    404, the same as a slug that never existed, so the page does not reveal that an unlisted school exists."""
    photos = get_image_model().objects.prefetch_renditions(*PHOTO_SPECS)
    school = get_object_or_404(School.objects.listed().prefetch_related(Prefetch("photo", queryset=photos)), slug=slug)
    path = page.reverse_subpage("school_detail", args=[school.slug])
    context = page.get_context(request)
    context.update(
        {
            "school": school,
            "breadcrumb_current": school.name,
            "school_full_url": f"{page.full_url}{path}" if page.full_url else "",
            "board_posts": board_posts(school.name),
        }
    )
    return TemplateResponse(request, "schools/school_detail.html", context)
