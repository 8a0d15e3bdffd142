"""The public library: each facet alone and combined, counts that match what a visitor gets, tag and process
pages, search within the library, sorting, pagination, and junk query strings."""

import datetime
import itertools

import pytest

from tests.factories import add_resource

pytestmark = pytest.mark.slow(30)


@pytest.fixture
def stocked(library):
    """Six resources with known facets."""
    add_resource(
        library,
        "Welcome signs",
        processes=["embed"],
        audiences=["primary", "early-years"],
        resource_type="guide",
        languages=["en", "ar"],
        tags=["welcome", "languages"],
        criteria=[3, 4],
        date=datetime.date(2024, 3, 1),
    )
    add_resource(
        library,
        "Induction checklist",
        processes=["embed"],
        audiences=["secondary"],
        resource_type="guide",
        tags=["welcome", "induction"],
        criteria=[3],
        date=datetime.date(2024, 5, 1),
    )
    add_resource(
        library,
        "Refugee Week assembly",
        processes=["learn", "share"],
        audiences=["primary", "secondary"],
        resource_type="assembly",
        tags=["refugee week"],
        criteria=[2, 6],
        date=datetime.date(2023, 6, 1),
    )
    add_resource(
        library,
        "Teaching about refugees",
        processes=["learn"],
        audiences=["primary"],
        resource_type="lesson-plan",
        languages=["en", "uk"],
        tags=["lessons"],
        criteria=[2],
        date=datetime.date(2022, 9, 1),
    )
    add_resource(
        library,
        "Embedding welcome in primary",
        processes=["embed", "learn"],
        audiences=["primary"],
        resource_type="lesson-plan",
        tags=["welcome"],
        criteria=[3, 5],
        date=datetime.date(2024, 9, 1),
    )
    add_resource(library, "A draft nobody sees", processes=["embed"], audiences=["primary"], criteria=[3], live=False)
    return library


def titles(response):
    return [resource.title for resource in response.context["results"].page_obj.object_list]


def facet(response, name):
    return {
        option.value: option for option in next(f for f in response.context["results"].facets if f.name == name).options
    }


def test_library_lists_live_resources_as_cards(client, stocked):
    response = client.get("/resources/")
    assert response.status_code == 200
    assert set(titles(response)) == {
        "Welcome signs",
        "Induction checklist",
        "Refugee Week assembly",
        "Teaching about refugees",
        "Embedding welcome in primary",
    }
    html = response.content.decode()
    assert "A draft nobody sees" not in html
    assert "5 resources" in html
    assert 'class="badge badge--embed">Embed</span>' in html
    assert '<span class="tag">induction</span>' in html
    assert '<span class="resource-card__type">Lesson plan</span>' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("process=embed", {"Welcome signs", "Induction checklist", "Embedding welcome in primary"}),
        ("audience=secondary", {"Induction checklist", "Refugee Week assembly"}),
        ("type=lesson-plan", {"Teaching about refugees", "Embedding welcome in primary"}),
        ("language=ar", {"Welcome signs"}),
        ("tag=refugee-week", {"Refugee Week assembly"}),
        # OR within a facet
        (
            "process=share&process=embed",
            {"Welcome signs", "Induction checklist", "Refugee Week assembly", "Embedding welcome in primary"},
        ),
        ("language=ar&language=uk", {"Welcome signs", "Teaching about refugees"}),
        # AND across facets
        ("process=embed&audience=primary", {"Welcome signs", "Embedding welcome in primary"}),
        (
            "process=learn&audience=primary&type=lesson-plan",
            {"Teaching about refugees", "Embedding welcome in primary"},
        ),
        ("process=embed&tag=welcome&audience=secondary", {"Induction checklist"}),
        ("process=share&type=guide", set()),
        # The award's criteria, by number: alone, OR within, AND with the other facets
        ("criterion=3", {"Welcome signs", "Induction checklist", "Embedding welcome in primary"}),
        (
            "criterion=2&criterion=5",
            {"Refugee Week assembly", "Teaching about refugees", "Embedding welcome in primary"},
        ),
        ("criterion=3&audience=secondary", {"Induction checklist"}),
        ("criterion=2&process=share&type=assembly", {"Refugee Week assembly"}),
        ("criterion=3&language=ar&tag=welcome", {"Welcome signs"}),
        ("criterion=8", set()),
    ],
)
def test_each_facet_alone_and_combined(client, stocked, query, expected):
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert response.context["results"].count == len(expected)


def test_every_count_equals_what_a_visitor_gets_by_ticking_that_option(client, stocked):
    """For every option, alone and beside a choice in another facet: the number shown is the number listed."""
    starting_points = [
        "",
        "process=embed",
        "audience=primary",
        "tag=welcome",
        "q=welcome",
        "language=en",
        "criterion=3",
        "criterion=2",
    ]
    checked = by_criterion = 0
    for start in starting_points:
        response = client.get(f"/resources/?{start}")
        for current in response.context["results"].facets:
            start_name = start.split("=")[0]
            if current.name == start_name:
                continue
            for option in current.options:
                if option.selected:
                    continue
                joined = "&".join(part for part in [start, f"{current.name}={option.value}"] if part)
                applied = client.get(f"/resources/?{joined}")
                assert applied.context["results"].count == option.count, (start, current.name, option.value)
                assert f'data-results-count="{option.count}"' in applied.content.decode()
                checked += 1
                by_criterion += current.name == "criterion"
    assert checked > 40
    assert by_criterion >= 8 * 6  # every criterion, from each starting point outside that facet


def test_counts_are_shown_beside_each_option(client, stocked):
    response = client.get("/resources/?process=embed")
    audiences = facet(response, "audience")
    assert audiences["primary"].count == 2
    assert audiences["secondary"].count == 1
    assert audiences["early-years"].count == 1
    # The selected facet keeps counting its other options as if they were added (OR within a facet).
    processes = facet(response, "process")
    assert processes["embed"].selected
    assert processes["learn"].count == 3
    assert 'Primary <span class="facet__count" data-count="2">(2' in response.content.decode()


def test_selected_filters_are_listed_with_a_way_to_remove_each(client, stocked):
    response = client.get("/resources/?process=embed&audience=primary&page=2")
    html = response.content.decode()
    assert "Process: Embed" in html
    assert 'href="/resources/?audience=primary"' in html  # removing Embed keeps Primary and drops the page
    assert 'href="/resources/?process=embed"' in html
    assert "Clear all filters" in html
    assert 'name="process" value="embed" id="facet-process-embed" checked' in html


def test_no_results_state_offers_a_way_back(client, stocked):
    response = client.get("/resources/?process=share&type=guide")
    html = response.content.decode()
    assert "No resources match these filters" in html
    assert "Clear all filters and show every resource" in html


def test_empty_library_says_so(client, library):
    response = client.get("/resources/")
    assert response.status_code == 200
    assert "There are no resources here yet" in response.content.decode()


def test_search_within_the_library(client, stocked):
    # Title, summary, body and tags are searched: "Induction checklist" is tagged "welcome".
    assert set(titles(client.get("/resources/?q=welcome"))) == {
        "Welcome signs",
        "Embedding welcome in primary",
        "Induction checklist",
    }
    assert titles(client.get("/resources/?q=welcome+languages")) == ["Welcome signs"]
    assert titles(client.get("/resources/?q=induction")) == ["Induction checklist"]
    # Search and facets combine.
    assert titles(client.get("/resources/?q=welcome&audience=early-years")) == ["Welcome signs"]
    response = client.get("/resources/?q=xylophone")
    assert response.context["results"].count == 0
    assert "No resources match" in response.content.decode()


def test_sort_by_newest_or_title(client, stocked):
    newest = titles(client.get("/resources/"))
    assert newest[0] == "Embedding welcome in primary"
    assert newest[-1] == "Teaching about refugees"
    assert titles(client.get("/resources/?sort=title")) == sorted(newest)


def test_pagination_keeps_the_filters(client, library):
    for number in range(15):
        add_resource(library, f"Lesson {number:02d}", processes=["learn"], date=datetime.date(2024, 1, number + 1))
    add_resource(library, "Other", processes=["share"])
    first = client.get("/resources/?process=learn")
    assert first.context["results"].count == 15
    assert len(titles(first)) == 12
    assert 'href="?process=learn&amp;page=2"' in first.content.decode()
    second = client.get("/resources/?process=learn&page=2")
    assert len(titles(second)) == 3
    assert set(titles(first)).isdisjoint(titles(second))


@pytest.mark.parametrize(
    "query",
    [
        "process=nonsense",
        "process=embed&process=embed&process=embed",
        "type=%00&language=zz&tag=does-not-exist",
        "page=999",
        "page=-1",
        "page=abc",
        "page=" + "9" * 5000,
        "sort=drop-table",
        "q=" + "refugee " * 2000,
        "q=%22unbalanced&q=(((",
        "q=%00%ff",
        "audience=" + "x" * 10_000,
        "&".join(f"tag=t{number}" for number in range(500)),
    ],
)
def test_junk_query_strings_give_a_normal_page(client, stocked, query):
    response = client.get(f"/resources/?{query}")
    assert response.status_code == 200
    assert "Resource library" in response.content.decode()


def test_unknown_values_are_ignored_and_repeats_collapse(client, stocked):
    everything = client.get("/resources/").context["results"].count
    assert client.get("/resources/?process=nonsense").context["results"].count == everything
    embed = client.get("/resources/?process=embed").context["results"].count
    assert client.get("/resources/?process=embed&process=embed&process=nonsense").context["results"].count == embed


def test_page_beyond_the_end_shows_the_last_page(client, stocked):
    response = client.get("/resources/?page=999")
    assert response.context["results"].page_obj.number == 1
    assert len(titles(response)) == 5


def test_huge_search_is_shortened_and_said_so(client, stocked):
    response = client.get("/resources/?q=" + "welcome " * 100)
    assert response.status_code == 200
    assert "Your search was shortened to its first 200 characters." in response.content.decode()


def test_tag_page(client, stocked):
    response = client.get("/resources/tag/welcome/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Resources tagged “welcome”</h1>" in html
    assert "<title>Resources tagged “welcome”" in html
    assert set(titles(response)) == {"Welcome signs", "Induction checklist", "Embedding welcome in primary"}
    # Other facets still narrow it down.
    assert titles(client.get("/resources/tag/welcome/?audience=secondary")) == ["Induction checklist"]
    assert client.get("/resources/tag/no-such-tag/").status_code == 404


def test_process_pages(client, stocked):
    for slug, expected in [
        ("learn", {"Refugee Week assembly", "Teaching about refugees", "Embedding welcome in primary"}),
        ("embed", {"Welcome signs", "Induction checklist", "Embedding welcome in primary"}),
        ("share", {"Refugee Week assembly"}),
    ]:
        response = client.get(f"/resources/{slug}/")
        assert response.status_code == 200
        assert set(titles(response)) == expected
        assert f"<h1>{slug.title()}: resources</h1>" in response.content.decode()
        # The process facet is the page itself, so it is not offered again.
        assert all(f.name != "process" for f in response.context["results"].facets)
    assert client.get("/resources/share/?type=assembly").context["results"].count == 1


def test_private_resources_are_not_listed(client, stocked):
    from wagtail.models import PageViewRestriction

    hidden = add_resource(stocked, "Staff-only notes", processes=["embed"])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/resources/?process=embed")
    assert "Staff-only notes" not in titles(response)
    assert facet(response, "process")["embed"].count == 3
    assert "Staff-only notes" not in client.get("/resources/feed/").content.decode()


def test_combinations_never_fail(client, stocked):
    """Every pair of options across two facets renders, and its count matches its listing."""
    first = client.get("/resources/")
    options = [(f.name, o.value) for f in first.context["results"].facets for o in f.options]
    for (name_a, value_a), (name_b, value_b) in itertools.islice(itertools.combinations(options, 2), 0, None, 7):
        response = client.get(f"/resources/?{name_a}={value_a}&{name_b}={value_b}")
        assert response.status_code == 200
        assert response.context["results"].count == len(titles(response))


def test_every_tag_is_reachable_from_the_library_with_thirty_tags(client, library):
    """The filter offers the most used tags; every other one is a link away, without JavaScript."""
    from bs4 import BeautifulSoup

    names = [f"Topic {index:02d}" if index % 2 else f"topic {index:02d}" for index in range(30)]
    for index, name in enumerate(names):
        # The first tags are used most, so which ones the filter offers is known.
        for copy in range(1 + (30 - index) // 10):
            add_resource(library, f"{name} resource {copy}", tags=[name])

    soup = BeautifulSoup(client.get("/resources/").content, "html.parser")
    offered = [label.get_text(" ", strip=True).split(" (")[0] for label in soup.select("#facet-tag label")]
    assert offered == sorted(offered, key=str.lower), "tags are listed A-Z whatever their case"
    more = soup.select_one("#facet-tag .facet__more a")
    assert more is not None, "the library links to the tags it does not offer"

    tags_page = client.get(more["href"])
    assert tags_page.status_code == 200
    tags_soup = BeautifulSoup(tags_page.content, "html.parser")
    assert len(tags_soup.find_all("h1")) == 1
    links = {link.get_text(strip=True): link["href"] for link in tags_soup.select(".tag-index a")}
    assert list(links) == sorted(names, key=str.lower)
    for name, href in links.items():
        response = client.get(href)
        assert response.status_code == 200, name
        assert f"Resources tagged “{name}”" in response.content.decode()


def test_all_tags_page_lists_only_tags_of_public_resources(client, library):
    add_resource(library, "Public", tags=["welcome"])
    add_resource(library, "Draft", tags=["secret draft tag"], live=False)
    html = client.get("/resources/tag/").content.decode()
    assert 'href="/resources/tag/welcome/"' in html
    assert "secret draft tag" not in html
