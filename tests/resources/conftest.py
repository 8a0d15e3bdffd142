"""A small library built in each test: a home page, the resource library and helpers to add resources."""

import datetime
import io
import itertools

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.demo_files import make_banner_image
from home.models import HomePage
from resources.models import (
    Audience,
    Language,
    Process,
    ResourceIndexPage,
    ResourcePage,
    ResourceType,
    ensure_vocabularies,
)

_slugs = itertools.count(1)


@pytest.fixture
def library(db):
    ensure_vocabularies()
    root = Page.get_first_root_node()
    home = HomePage(title="Schools of Sanctuary", slug="test-home", hero_heading="Welcome", hero_intro="Coventry.")
    root.add_child(instance=home)
    Site.objects.update(root_page=home)
    library = ResourceIndexPage(title="Resource library", slug="resources", intro="Find what helps your school.")
    home.add_child(instance=library)
    for slug, name in [("guide", "Guide"), ("lesson-plan", "Lesson plan"), ("assembly", "Assembly")]:
        ResourceType.objects.get_or_create(slug=slug, defaults={"name": name})
    for code, name in [("en", "English"), ("ar", "Arabic"), ("uk", "Ukrainian")]:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    return library


@pytest.fixture
def thumbnail(db):
    image = get_image_model()(title="Card", file=ImageFile(io.BytesIO(make_banner_image(240, 160)), name="card.jpg"))
    image.save()
    return image


def add_resource(
    library,
    title,
    *,
    processes=("learn",),
    audiences=("primary",),
    resource_type="guide",
    languages=("en",),
    tags=(),
    summary="A resource for schools.",
    date=None,
    external_url="https://example.org/resource",
    live=True,
    **fields,
):
    """Add a resource the way the admin stores one (tags, processes… committed with the page)."""
    resource = ResourcePage(
        title=title,
        slug=fields.pop("slug", f"resource-{next(_slugs)}"),
        summary=summary,
        resource_type=ResourceType.objects.get(slug=resource_type) if resource_type else None,
        publication_date=date or datetime.date(2024, 1, 1),
        external_url=external_url,
        live=live,
        **fields,
    )
    resource.processes = list(Process.objects.filter(slug__in=processes))
    resource.audiences = list(Audience.objects.filter(slug__in=audiences))
    resource.languages = list(Language.objects.filter(code__in=languages))
    resource.tags.add(*tags)
    library.add_child(instance=resource)
    return resource
