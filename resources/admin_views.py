"""Admin: the tags used on resources, each with a way to add a resource already tagged with it."""

from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from .models import ResourceIndexPage, TaggedResource


def add_resource_url(**initial):
    """The admin address that adds a resource to the library, with fields filled in (see wagtail_hooks)."""
    library_id = ResourceIndexPage.objects.values_list("pk", flat=True).first()
    if library_id is None:
        return None
    url = reverse("wagtailadmin_pages:add", args=("resources", "resourcepage", library_id))
    return f"{url}?{urlencode(initial)}" if initial else url


def resource_tags(request):
    tags = (
        TaggedResource.objects.values("tag__name", "tag__slug")
        .annotate(resource_count=Count("content_object", distinct=True))
        .order_by("tag__name")
    )
    library = ResourceIndexPage.objects.live().first()
    return TemplateResponse(
        request,
        "resources/admin/resource_tags.html",
        {"tags": tags, "library": library, "add_url": add_resource_url()},
    )
