"""The demo loader (demo/loader.py): the data in demo/content/ becomes the demo site once, around what editors
changed, one part at a time if asked; and the data names the real site's shared values instead of copying them."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management import call_command
from django.db import models
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from board.models import BlockedWord, BoardPage, BoardPost
from demo import loader
from events.models import EventIndexPage
from home import structure
from home.models import ContentPage
from resources.models import ResourceIndexPage, ResourcePage
from tests.factories import load_demo_part


def what_is_stored():
    kinds = (Page, Revision, get_image_model(), get_document_model(), BoardPost, BlockedWord)
    return {model.__name__: model.objects.count() for model in kinds}


def test_loading_the_demo_again_adds_nothing_anywhere(demo_site):
    """Every `make run` loads the demo again: no page, revision, picture, document, post or blocked word twice."""
    before = what_is_stored()
    call_command("load_demo_content", stdout=io.StringIO())
    assert what_is_stored() == before


def test_a_part_loads_alone_into_its_own_section_and_no_other(demo_home):
    """The suite's states load one part at a time; resources without the events simply go without the link."""
    load_demo_part(demo_home, "board")
    assert BoardPage.objects.get(slug="board").posts.count() == len(loader.read("board")["posts"]["items"])
    assert not EventIndexPage.objects.exists() and not ResourceIndexPage.objects.exists()

    load_demo_part(demo_home, "resources")
    assert ResourcePage.objects.count() == len(list(loader.page_entries(loader.read("resources"))))
    assert ResourcePage.objects.get(slug="launch-webinar-2023-24-recording").related_page is None
    assert not EventIndexPage.objects.exists()


def test_every_page_the_data_links_to_is_in_the_whole_demo(demo_site):
    """A link to a page that is not there is left empty (an editor may have deleted it): so the data's own links
    must each name a page the demo has, or a typo would pass unseen."""
    links = []
    for name in loader.PARTS:
        for entry in loader.page_entries(loader.read(name)):
            model = apps.get_model(entry["type"])
            for key, value in entry.items():
                field = next((field for field in model._meta.get_fields() if field.name == key), None)
                if isinstance(field, models.ForeignKey) and issubclass(field.related_model, Page):
                    links.append(value)
    assert links, "the demo links the webinar's notes to the webinar"
    for path in links:
        assert loader.page_at(demo_site, path) is not None, path
    webinar = ResourcePage.objects.get(slug="launch-webinar-2023-24-recording")
    assert webinar.related_page.slug == "schools-of-sanctuary-launch-2023-24"


def test_shared_values_are_written_once_in_the_site_structure():
    """The national website, the resource pack…: the data names them (`{NATIONAL_SITE}`), never copies them."""
    text = "".join(path.read_text(encoding="utf-8") for path in loader.CONTENT.glob("*.toml"))
    for name, value in loader.SHARED.items():
        assert value not in text, f"write {{{name}}} in demo/content/ instead of copying {value!r}"
    resources = {entry["slug"]: entry for entry in loader.page_entries(loader.read("resources"))}
    assert resources["schools-of-sanctuary-website"]["external_url"] == structure.NATIONAL_SITE
    assert resources["schools-of-sanctuary-resource-pack"]["external_url"] == structure.RESOURCE_PACK


def test_an_unknown_shared_name_is_refused():
    with pytest.raises(ValueError, match="NATIONAL_SITES"):
        loader.resolve({"pages": [{"external_url": "{NATIONAL_SITES}"}]})


def test_a_page_that_extends_another_takes_its_fields_and_keeps_its_own():
    data = {
        "page_defaults": {"type": "events.EventPage", "parent": "events"},
        "pages": [
            {"slug": "session", "title": "Session", "capacity": 40},
            {"extends": "session", "slug": "repeat", "capacity": 10},
        ],
    }
    first, repeat = loader.page_entries(data)
    assert first == {
        "type": "events.EventPage",
        "parent": "events",
        "slug": "session",
        "title": "Session",
        "capacity": 40,
    }
    assert repeat == {**first, "slug": "repeat", "capacity": 10}


def test_a_misspelt_field_in_the_data_is_refused_not_ignored(demo_home):
    data = {"pages": [{"type": "home.ContentPage", "parent": "", "slug": "typo", "title": "Typo", "intor": "Hello"}]}
    with pytest.raises(FieldDoesNotExist, match="intor"):
        loader.Part("home", data, demo_home, io.StringIO(), date(2026, 3, 20)).load()


def test_what_the_demo_fills_in_stays_as_an_editor_changed_it(events_index):
    """The webinar archive's introduction is the demo's only while it is still the structure's own."""
    events_index.webinars_intro = "Our own words about the recordings."
    events_index.save_revision().publish()
    load_demo_part(events_index.get_parent().specific, "events")
    assert EventIndexPage.objects.get().webinars_intro == "Our own words about the recordings."


def test_the_checklist_goes_after_the_resource_pack_link_once(demo_home):
    body = ContentPage.objects.get(slug="apply").body
    position = [block.block_type for block in body].index("document")
    assert body[position - 1].block_type == "call_to_action"
    assert body[position - 1].value["url"] == structure.RESOURCE_PACK
    load_demo_part(demo_home, "home")
    assert [block.block_type for block in ContentPage.objects.get(slug="apply").body].count("document") == 1


def test_the_demo_is_in_the_search_index_and_the_reference_index(demo_site):
    """The loader indexes once at the end (`indexed_once_at_the_end`), not on each save: every live page is
    searchable, and the admin's "usage" of a picture (Wagtail's reference index) knows the pages showing it."""
    from wagtail.models import Page, ReferenceIndex

    from resources.models import ResourcePage

    resource = ResourcePage.objects.live().order_by("pk").first()
    assert resource in list(ResourcePage.objects.live().search(resource.title))
    assert Page.objects.live().search("sanctuary").count() > 10
    image = demo_site.specific.hero_image
    assert image is not None
    assert ReferenceIndex.get_references_to(image).filter(object_id=str(demo_site.pk)).exists()
    # The handlers are connected again after the load: an editor's change is searchable at once.
    resource.title = "Quokka welcome kit"
    resource.save_revision().publish()
    assert list(ResourcePage.objects.live().search("Quokka")) == [resource]
