"""The Learn, Embed and Share pages: the lead once, what the award asks under each process, and that process's
resources, upcoming events and board posts from the feature apps' `process_page_slots`."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from board.models import BoardPost
from events.models import EventIndexPage, EventPage
from home.structure import CRITERIA, EMBED, LEARN, NATIONAL_SITE, SHARE

LEADS = {"learn": LEARN + ".", "embed": EMBED, "share": SHARE}
# A content page's 13 (languages: 2), then resources 4, events 4 and board 3, whatever the data.
PROCESS_PAGE_MAX_QUERIES = 25


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("process", ["learn", "embed", "share"])
def test_a_process_page_says_its_lead_once_and_what_the_award_asks(client, demo_home, process):
    main = main_of(client.get(f"/{process}/"))
    assert main.count(LEADS[process].replace("'", "&#x27;")) == 1
    assert "What the award asks" in main
    count = {"learn": "two", "embed": "three", "share": "three"}[process]
    assert f"The award has eight minimum criteria; {count} of them are under" in main
    for criterion in CRITERIA[process]:
        assert criterion.replace("’", "’")[:60] in main
    assert len(CRITERIA["learn"]) + len(CRITERIA["embed"]) + len(CRITERIA["share"]) == 8
    assert f'href="{NATIONAL_SITE}"' in main and "official wording" in main


def test_the_learn_page_leads_into_learn_resources_events_and_posts(client, demo_site):
    main = main_of(client.get("/learn/"))
    assert "Resources for Learn" in main
    assert 'href="/resources/learn/"' in main
    assert len(re.findall(r'class="card resource-card', main)) == 3
    # The demo tags its introduction session 'learn': that is the event the Learn page shows.
    assert "Upcoming events for Learn" in main
    assert "Introduction to Schools of Sanctuary for Coventry Schools" in main
    assert "Welcoming new arrivals" not in main  # tagged 'embed'
    learn_posts = BoardPost.objects.approved().filter(section__slug="learn")
    other_posts = BoardPost.objects.approved().exclude(section__slug="learn")
    assert learn_posts.exists() and other_posts.exists()
    assert all(post.title in main for post in learn_posts)
    assert not any(post.title in main for post in other_posts)
    assert 'href="/board/?section=learn"' in main


def test_without_events_for_the_process_it_shows_the_next_events(client, demo_site):
    EventPage.objects.filter(tagged_items__tag__slug="share").delete()
    main = main_of(client.get("/share/"))
    assert "Upcoming events</h2>" in main
    assert "Welcoming new arrivals" in main


def test_process_pages_have_a_pinned_query_count_whatever_the_data(client, demo_site, django_assert_max_num_queries):
    for url in ("/learn/", "/embed/", "/share/"):
        client.get(url)
        with django_assert_max_num_queries(PROCESS_PAGE_MAX_QUERIES):
            assert client.get(url).status_code == 200
    index = EventIndexPage.objects.get()
    for number in range(8):
        start = timezone.now() + timedelta(days=3 + number)
        event = EventPage(
            title=f"Learning session {number}",
            summary="A session for schools.",
            slug=f"learning-session-{number}",
            start=start,
            end=start + timedelta(hours=1),
            event_format=EventPage.Format.ONLINE,
            capacity=10,
        )
        event.tags.add("learn")
        index.add_child(instance=event)
        event.save_revision().publish()
    with django_assert_max_num_queries(PROCESS_PAGE_MAX_QUERIES):
        assert client.get("/learn/").status_code == 200
