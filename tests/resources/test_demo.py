"""The demo library: the seed's starting resources, at least 20 more across every process, audience and type,
downloads that work offline, the webinar linked to its event, and a second load that changes nothing."""

import io

from django.core.management import call_command
from wagtail.models import Page

from demo import loader
from resources.models import Audience, AwardCriterion, Process, ResourceIndexPage, ResourcePage, ResourceType

RESOURCES = list(loader.page_entries(loader.read("resources")))
# The recording's notes link to the launch webinar by its path in the events section (demo/content/resources.toml).
LAUNCH_EVENT_SLUG = next(
    entry["related_page"] for entry in RESOURCES if entry["slug"] == "launch-webinar-2023-24-recording"
).removeprefix("events/")


def test_demo_library_has_the_seed_resources_and_more(client, demo_site):
    library = ResourceIndexPage.objects.get()
    assert library.slug == "resources" and library.show_in_menus and library.live
    resources = ResourcePage.objects.child_of(library).live()
    assert resources.count() == len(RESOURCES) >= 25
    urls = set(resources.values_list("external_url", flat=True))
    assert {"https://schools.cityofsanctuary.org/", "https://cityofsanctuary.org/"} <= urls
    titles = set(resources.values_list("title", flat=True))
    assert "Schools of Sanctuary Resource Pack" in titles
    assert "The Coventry Schools of Sanctuary Padlet" in titles
    assert "Schools of Sanctuary launch 2023/24: webinar recording" in titles
    for model, relation in [(Process, "processes"), (Audience, "audiences")]:
        for term in model.objects.all():
            assert resources.filter(**{relation: term}).exists(), term
    for resource_type in ResourceType.objects.all():
        assert resources.filter(resource_type=resource_type).exists(), resource_type
    assert client.get("/").content.decode().count('href="/resources/"') >= 1  # in the menu


def test_demo_resources_are_tagged_with_the_criteria_they_help_with(client, demo_site):
    # The data names criteria by number (the loader's natural key for them); each of the eight has resources.
    for entry in RESOURCES:
        resource = ResourcePage.objects.get(slug=entry["slug"])
        assert sorted(criterion.number for criterion in resource.criteria.all()) == sorted(entry["criteria"])
    for criterion in AwardCriterion.objects.all():
        assert criterion.resources.live().exists(), criterion
    html = client.get(ResourcePage.objects.get(slug="refugee-week").url).content.decode()
    assert 'Helps with criteria <a href="/resources/?criterion=2">2<' in html
    options = next(f for f in client.get("/resources/").context["results"].facets if f.name == "criterion").options
    assert [option.count for option in options] == [
        sum(option.value in map(str, entry["criteria"]) for entry in RESOURCES) for option in options
    ]


def test_webinar_recording_is_linked_to_its_event_when_events_exist(demo_site):
    webinar = ResourcePage.objects.get(slug="launch-webinar-2023-24-recording")
    event = Page.objects.filter(slug=LAUNCH_EVENT_SLUG).first()
    assert webinar.related_page_id == (event.pk if event else None)


def test_demo_downloads_work_offline(client, demo_site):
    resource = ResourcePage.objects.get(slug="new-arrivals-induction-checklist")
    document = resource.documents.get().document
    html = client.get(resource.url).content.decode()
    assert f'href="{document.url}"' in html
    assert "PDF, " in html
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_loading_twice_keeps_editors_changes_and_adds_nothing(demo_site):
    resource = ResourcePage.objects.get(slug="refugee-week")
    resource.title = "Refugee Week (edited)"
    resource.save_revision().publish()
    removed = ResourcePage.objects.get(slug="naldic")
    count = ResourcePage.objects.count()
    call_command("load_demo_content", stdout=io.StringIO())
    assert ResourcePage.objects.count() == count
    assert ResourcePage.objects.get(slug="refugee-week").title == "Refugee Week (edited)"
    removed.delete()
    call_command("load_demo_content", stdout=io.StringIO())
    assert ResourcePage.objects.filter(slug="naldic").exists()  # only what is missing is added back
    assert ResourceIndexPage.objects.count() == 1
