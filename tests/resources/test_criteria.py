"""The award's eight minimum criteria in the library: made by the site structure (and, for sites that exist, a
data migration) once, editors' rewording kept; the admin listing 1 to 8 with numbers validated; the library's
"Award criterion" filter; resource pages that say which criteria they help with, at one query however many."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.structure import CRITERIA, NATIONAL_SITE
from resources import structure
from resources.models import AwardCriterion, ResourcePage
from security.admin_groups import EDITORS, MODERATORS
from tests.factories import add_resource, logged_in_client

pytestmark = pytest.mark.django_db


def stored():
    return [(c.number, c.process.slug, c.short_title, c.what_it_asks) for c in AwardCriterion.objects.all()]


def test_a_migrated_database_has_the_eight_criteria_as_the_structure_writes_them():
    # Existing sites get them from migration 0006, new ones from the structure: the two say the same.
    assert stored() == structure.award_criteria()
    assert [row[1] for row in stored()] == ["learn"] * 2 + ["embed"] * 3 + ["share"] * 3
    # The process pages list the same words (home/structure.py writes them once).
    assert [row[3] for row in stored()] == CRITERIA["learn"] + CRITERIA["embed"] + CRITERIA["share"]
    assert str(AwardCriterion.objects.get(number=2)) == "Criterion 2: Learning in the curriculum"


def test_the_site_structure_makes_them_once_and_keeps_what_editors_changed():
    AwardCriterion.objects.all().delete()  # as after a flush
    call_command("load_site_structure", stdout=io.StringIO())
    assert stored() == structure.award_criteria()

    second = AwardCriterion.objects.get(number=2)
    second.short_title = "Learning across the curriculum"
    second.what_it_asks = "Reworded by EMAS."
    second.save()
    AwardCriterion.objects.filter(number=5).delete()
    structure.ensure_vocabularies()
    structure.ensure_vocabularies()
    assert AwardCriterion.objects.count() == 8
    second.refresh_from_db()
    assert (second.short_title, second.what_it_asks) == ("Learning across the curriculum", "Reworded by EMAS.")
    assert AwardCriterion.objects.get(number=5).short_title == "Voices that shape the school"  # the award has 8


@pytest.mark.parametrize("number", [0, 9])
def test_a_number_outside_1_to_8_or_taken_is_refused(number):
    criterion = AwardCriterion.objects.get(number=3)
    criterion.number = number
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert "number" in error.value.message_dict
    criterion.number = 4
    with pytest.raises(ValidationError, match="already exists"):
        criterion.full_clean()


@pytest.fixture
def groups():
    call_command("ensure_admin_groups", stdout=io.StringIO())


def test_editors_see_the_criteria_1_to_8_and_reword_them_with_errors_beside_the_field(client, groups):
    client = logged_in_client(client, EDITORS)
    listing = client.get(reverse("wagtailsnippets_resources_awardcriterion:list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    positions = [html.index(title) for _, _, title, _ in structure.award_criteria()]
    assert positions == sorted(positions)  # listed 1 to 8
    assert "Resource library" in client.get("/admin/").content.decode()

    criterion = AwardCriterion.objects.get(number=2)
    edit = reverse("wagtailsnippets_resources_awardcriterion:edit", args=[criterion.pk])
    form = client.get(edit).content.decode()
    assert "filter addresses (?criterion=2)" in form  # help text
    data = {
        "number": "9",
        "process": criterion.process_id,
        "short_title": "Learning in lessons",
        "what_it_asks": criterion.what_it_asks,
    }
    response = client.post(edit, data)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 8." in response.content.decode()
    assert 'value="Learning in lessons"' in response.content.decode()  # the rest is kept
    response = client.post(edit, {**data, "number": "2"})
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert criterion.short_title == "Learning in lessons"


def test_a_moderator_cannot_see_the_criteria(client, groups):
    client = logged_in_client(client, MODERATORS)
    response = client.get(reverse("wagtailsnippets_resources_awardcriterion:list"))
    assert response.status_code in (302, 403)


# --- The library and resource pages -----------------------------------------------------------------------------


def criterion_facet(response):
    return next(facet for facet in response.context["results"].facets if facet.name == "criterion")


def test_the_library_filters_by_criterion_with_counts_and_numbered_labels(client, library):
    add_resource(library, "Welcome policy template", processes=["embed"], criteria=[3, 8])
    add_resource(library, "Lesson on journeys", processes=["learn"], criteria=[2])
    add_resource(library, "Untagged guide", processes=["learn"])
    response = client.get("/resources/")
    facet = criterion_facet(response)
    assert facet.legend == "Award criterion"
    assert [option.value for option in facet.options] == [str(number) for number in range(1, 9)]
    assert [(option.label, option.count) for option in facet.options[1:3]] == [
        ("2. Learning in the curriculum", 1),
        ("3. A welcome in policy and practice", 1),
    ]
    html = response.content.decode()
    assert '<legend class="facet__legend">Award criterion</legend>' in html
    assert 'name="criterion" value="3" id="facet-criterion-3"' in html

    response = client.get("/resources/?criterion=3&criterion=2")
    assert {resource.title for resource in response.context["results"].page_obj.object_list} == {
        "Welcome policy template",
        "Lesson on journeys",
    }
    html = response.content.decode()
    assert "Award criterion: 2. Learning in the curriculum" in html  # the filter, with a way to remove it
    assert 'href="/resources/?criterion=3"' in html


@pytest.mark.parametrize("junk", ["criterion=abc", "criterion=99", "criterion=", "criterion=2.0"])
def test_unknown_criterion_values_are_ignored(client, library, junk):
    add_resource(library, "Lesson on journeys", criteria=[2])
    response = client.get(f"/resources/?{junk}")
    assert response.status_code == 200
    assert response.context["results"].count == 1
    assert not response.context["results"].active_filters


def test_a_resource_page_says_which_criteria_it_helps_with_and_links_each_to_the_library(client, library):
    several = add_resource(library, "Sharing your journey", criteria=[7, 2, 5])
    html = client.get(several.url).content.decode()
    assert "<dt>Award criteria</dt>" in html
    assert "Helps with criteria " in html
    numbers = [
        f'<a href="/resources/?criterion={n}">{n}<span class="visually-hidden">: {title} (more resources for it)'
        for n, title in [(2, "Learning in the curriculum"), (5, "Voices that shape the school")]
    ]
    assert f"{numbers[0]}" in html and html.index(numbers[0]) < html.index(numbers[1])
    assert '</a>, <a href="/resources/?criterion=5">' in html
    assert '</a> and <a href="/resources/?criterion=7">' in html
    assert f'<a href="{NATIONAL_SITE}" rel="noopener">The award’s criteria' in html

    one = add_resource(library, "Welcome leaflet", criteria=[4])
    assert 'Helps with criterion <a href="/resources/?criterion=4">4<' in client.get(one.url).content.decode()
    none = add_resource(library, "Untagged guide")
    assert "Award criteria" not in client.get(none.url).content.decode()
    # Following a link shows the resources for that criterion.
    response = client.get("/resources/?criterion=5")
    assert [resource.title for resource in response.context["results"].page_obj.object_list] == ["Sharing your journey"]


def test_a_resource_page_costs_the_same_queries_with_one_criterion_as_with_eight(client, library):
    one = add_resource(library, "One criterion", slug="one-criterion", criteria=[1])
    eight = add_resource(library, "Eight criteria", slug="eight-criteria", criteria=range(1, 9))
    counts = []
    for page in (one, eight):
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_preview_shows_the_criteria_ticked_before_saving(library):
    resource = add_resource(library, "Draft of a guide", criteria=[6])
    resource.criteria = list(AwardCriterion.objects.filter(number__in=[8, 1]))  # as the edit form sets them
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    context = ResourcePage.objects.get(pk=resource.pk).specific.get_context(request)
    assert [criterion.number for criterion in context["criteria"]] == [6]
    context = resource.get_context(request)
    assert [criterion.number for criterion in context["criteria"]] == [1, 8]


def test_searching_the_library_for_a_criterions_words_finds_the_resources_tagged_with_it(client, library):
    add_resource(library, "Lesson on journeys", criteria=[2])
    add_resource(library, "Welcome policy template", criteria=[3])
    response = client.get("/resources/?q=curriculum")  # criterion 2: "Learning in the curriculum"
    assert [resource.title for resource in response.context["results"].page_obj.object_list] == ["Lesson on journeys"]
