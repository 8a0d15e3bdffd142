"""The webinar archive: past events with a recording, grouped by school year, searchable; and site search."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from wagtail.rich_text import RichText

from events.models import EventSpeaker

LONDON = ZoneInfo("Europe/London")
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def webinar(make_event, title, start, **fields):
    start = start.replace(tzinfo=LONDON)
    event = make_event(title=title, start=start, end=start.replace(hour=start.hour + 1), video_url=VIDEO, **fields)
    return event


def year_groups(html):
    soup = BeautifulSoup(html, "html.parser")
    return [
        (
            section.h2.get_text(" ", strip=True).replace(" school year", ""),
            [a.get_text() for a in section.select("h3 a")],
        )
        for section in soup.select("section.webinar-year")
    ]


def test_archive_groups_by_academic_year_newest_first(client, events_index, make_event):
    webinar(make_event, "Spring webinar 2025", datetime(2025, 3, 4, 16))
    webinar(make_event, "Autumn webinar 2024", datetime(2024, 9, 10, 16))
    webinar(make_event, "Summer webinar 2024", datetime(2024, 8, 31, 10))
    make_event(
        title="Past event without recording",
        start=datetime(2024, 11, 1, 16, tzinfo=LONDON),
        end=datetime(2024, 11, 1, 17, tzinfo=LONDON),
    )
    html = client.get("/events/webinars/").content.decode()
    groups = year_groups(html)
    assert [year for year, _ in groups] == ["2024/25", "2023/24"]
    assert groups[0][1] == [
        "Spring webinar 2025",
        "Schools of Sanctuary Launch 2024/25 (updated September 2024)",
        "Autumn webinar 2024",
    ]
    assert groups[1][1] == ["Summer webinar 2024", "Schools of Sanctuary Launch 2023/24"]
    assert "Past event without recording" not in html
    assert "With Megan Greenwood (City of Sanctuary UK)" in html


def test_upcoming_event_with_a_video_is_not_in_the_archive(client, make_event):
    make_event(title="Future with trailer", video_url=VIDEO)
    assert "Future with trailer" not in client.get("/events/webinars/").content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        (
            "Greenwood",
            {"Schools of Sanctuary Launch 2023/24", "Schools of Sanctuary Launch 2024/25 (updated September 2024)"},
        ),
        ("time efficient", {"Schools of Sanctuary Launch 2023/24"}),  # in the 2023/24 summary and transcript
        ("Refugee Week", {"Schools of Sanctuary Launch 2023/24"}),  # only in its transcript
        ("2024/25", {"Schools of Sanctuary Launch 2024/25 (updated September 2024)"}),
        ("xylophone", set()),
    ],
)
def test_archive_search_by_title_speaker_and_transcript(client, events_index, query, expected):
    html = client.get("/events/webinars/", {"q": query}).content.decode()
    found = {title for _, titles in year_groups(html) for title in titles}
    assert found == expected
    if not expected:
        assert "No webinars match" in html


@pytest.mark.parametrize("params", [{"q": "x" * 5000}, {"page": "999"}, {"page": "abc"}, {"q": "'\"<>%_"}])
def test_archive_survives_junk_query_strings(client, events_index, params):
    response = client.get("/events/webinars/", params)
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{"page": "999"}, {"page": "-1"}, {"page": "x"}])
def test_index_survives_junk_page_numbers(client, events_index, params):
    assert client.get("/events/", params).status_code == 200


def test_past_event_page_leads_with_the_recording(client, events_index):
    html = client.get("/events/schools-of-sanctuary-launch-2023-24/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main")
    first_section = main.find("section")
    assert first_section.h2.get_text() == "Watch the recording"
    assert "youtube-nocookie.com/embed/" in str(first_section)  # privacy-friendly embed...
    assert first_section.find("a", href="https://www.youtube.com/watch?v=sosLaunch23")  # ...and a plain link
    assert "Megan Greenwood, City of Sanctuary UK" in first_section.get_text()
    assert main.find(id="transcript")
    assert "Sign-up for this event has closed." in html


def test_site_search_finds_webinars_by_title_speaker_and_transcript(client, make_event, events_index):
    event = webinar(
        make_event,
        "Trauma-informed classrooms",
        datetime(2024, 2, 6, 16),
        transcript=RichText("<p>Pupils arriving mid-year benefit from a buddy scheme.</p>"),
    )
    EventSpeaker.objects.create(event=event, name="Dr Farida Okonkwo", organisation="Refugee Education Network")
    event.save_revision().publish()  # reindex with the speaker
    for query in ("Trauma-informed", "Okonkwo", "buddy scheme"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "Trauma-informed classrooms" in html, query
    html = client.get("/search/", {"q": "Megan Greenwood"}).content.decode()
    assert "Schools of Sanctuary Launch 2023/24" in html


def test_speakers_added_in_the_editor_are_searchable_as_soon_as_it_is_published(client, make_event, events_index):
    """The editor's form holds new speakers in memory until the page is saved; search must see them at publish."""
    event = webinar(make_event, "Welcoming Ukrainian families", datetime(2024, 3, 5, 16))
    event.speakers.add(EventSpeaker(name="Dr Zainab Rahimi", organisation="Coventry EAL Network"))
    event.save_revision().publish()
    html = client.get("/search/", {"q": "Rahimi"}).content.decode()
    assert "Welcoming Ukrainian families" in html


def test_archive_rows_have_date_speaker_what_it_covers_and_links(client, events_index):
    soup = BeautifulSoup(client.get("/events/webinars/").content, "html.parser")
    main = soup.find("main")
    lead = main.find(class_="lead").get_text(" ", strip=True)
    assert "2023/24 Schools of Sanctuary Launch" in lead and "Megan Greenwood, from City of Sanctuary UK" in lead
    launch = next(
        row for row in main.select("article.webinar") if row.h3.get_text() == "Schools of Sanctuary Launch 2023/24"
    )
    text = launch.get_text(" ", strip=True)
    assert "Tue 26 Sep 2023, 3:45pm–4:45pm" in text
    assert "With Megan Greenwood (City of Sanctuary UK)" in text
    assert "minimum criteria and process" in text
    links = {a.get_text(" ", strip=True): a["href"] for a in launch.select(".webinar__links a")}
    assert links == {
        "Watch the recording : Schools of Sanctuary Launch 2023/24": "https://www.youtube.com/watch?v=sosLaunch23",
        "Transcript : Schools of Sanctuary Launch 2023/24": "/events/schools-of-sanctuary-launch-2023-24/#transcript",
    }


def test_archive_links_the_slides_when_there_are_some(client, make_event):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    slides = get_document_model()(title="Launch slides")
    slides.file.save("launch-slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    webinar(make_event, "Webinar with slides", datetime(2024, 2, 6, 16), slides=slides)
    soup = BeautifulSoup(client.get("/events/webinars/").content, "html.parser")
    row = next(row for row in soup.select("article.webinar") if row.h3.get_text() == "Webinar with slides")
    slide_link = next(a for a in row.select(".webinar__links a") if a.get_text().startswith("Slides"))
    assert slide_link["href"] == slides.url and "(PDF)" in slide_link.get_text()


def test_archive_without_recordings_says_so(client, events_index):
    from events.models import EventPage

    EventPage.objects.update(video_url="")
    html = client.get("/events/webinars/").content.decode()
    assert "No recordings yet" in html
    assert BeautifulSoup(html, "html.parser").select("article.webinar") == []


def test_a_webinar_search_fills_only_its_own_box_not_the_site_search(client, events_index):
    """The archive's query is its own: the header's site search stays empty (it was pre-filled with it)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/events/webinars/", {"q": "Greenwood"}).content, "html.parser")
    assert soup.find("input", id="webinar-q")["value"] == "Greenwood"
    site_search = soup.select_one("header input[name=q]")
    assert site_search is not None and site_search.get("value", "") == ""
