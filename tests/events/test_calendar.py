"""iCalendar files parse with the `icalendar` library, keep stable UIDs, and get times right across clock changes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from events.dates import academic_year, format_event_dates

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_event_ics_is_valid_and_has_the_public_details(client, make_event):
    event = make_event(title="Welcoming new arrivals")
    response = client.get(event.url + "ics/")
    assert 'filename="' + event.slug + '.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == f"event-{event.pk}@testserver"
    assert str(vevent["SUMMARY"]) == "Welcoming new arrivals"
    assert str(vevent["LOCATION"]) == "Online"
    assert str(vevent["URL"]) == "http://testserver" + event.url
    assert "DTSTAMP" in vevent
    assert vevent.decoded("DTSTART") == event.start
    assert b"SECRET-JOIN" not in response.content


def test_feed_lists_upcoming_events_only_with_stable_uids(client, events_index, make_event):
    upcoming = make_event(title="Soon")
    first = parse(client.get("/events/feed/"))
    second = parse(client.get("/events/feed/"))
    uids = [str(vevent["UID"]) for vevent in first.walk("VEVENT")]
    assert f"event-{upcoming.pk}@testserver" in uids
    assert uids == [str(vevent["UID"]) for vevent in second.walk("VEVENT")]  # the same on every fetch
    assert str(first["UID"]) == str(second["UID"])
    summaries = [str(vevent["SUMMARY"]) for vevent in first.walk("VEVENT")]
    assert "Schools of Sanctuary Launch 2023/24" not in summaries  # past events are not in the feed
    starts = [vevent.decoded("DTSTART") for vevent in first.walk("VEVENT")]
    assert starts == sorted(starts)
    # The index links to it by name (the raw address overflowed a phone's screen).
    assert (
        '<a href="/events/feed/">Subscribe to the events calendar (iCal)</a>' in client.get("/events/").content.decode()
    )


@pytest.mark.parametrize(
    "start, end, expected_text, expected_utc_start, expected_utc_end",
    [
        # Last Sunday of October 2027: clocks go back at 02:00 BST. 00:30 BST → 03:00 GMT lasts 3½ hours.
        (
            datetime(2027, 10, 31, 0, 30, tzinfo=LONDON),
            datetime(2027, 10, 31, 3, 0, tzinfo=LONDON),
            "Sun 31 Oct 2027, 12:30am–3:00am",
            datetime(2027, 10, 30, 23, 30, tzinfo=UTC),
            datetime(2027, 10, 31, 3, 0, tzinfo=UTC),
        ),
        # Last Sunday of March 2027: clocks go forward at 01:00 GMT. A morning event is in BST (UTC+1).
        (
            datetime(2027, 3, 28, 10, 0, tzinfo=LONDON),
            datetime(2027, 3, 28, 11, 30, tzinfo=LONDON),
            "Sun 28 Mar 2027, 10:00am–11:30am",
            datetime(2027, 3, 28, 9, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 10, 30, tzinfo=UTC),
        ),
    ],
    ids=["october-clocks-back", "march-clocks-forward"],
)
def test_times_are_right_across_a_clock_change(
    client, make_event, start, end, expected_text, expected_utc_start, expected_utc_end
):
    event = make_event(start=start, end=end)
    assert event.display_dates == expected_text
    assert end.astimezone(UTC) - start.astimezone(UTC) == expected_utc_end - expected_utc_start
    assert expected_text in client.get(event.url).content.decode()
    for url in (event.url + "ics/", "/events/feed/"):
        calendar = parse(client.get(url))
        vevent = next(v for v in calendar.walk("VEVENT") if str(v["UID"]) == f"event-{event.pk}@testserver")
        assert vevent.decoded("DTSTART") == expected_utc_start
        assert vevent.decoded("DTEND") == expected_utc_end
        # Real elapsed time (Python subtracts wall-clock times within one zone, so compare in UTC).
        assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == end.astimezone(UTC) - start.astimezone(UTC)


def test_dates_read_like_the_issue_asks():
    start = datetime(2024, 10, 1, 15, 30, tzinfo=LONDON)
    assert format_event_dates(start, datetime(2024, 10, 1, 17, 0, tzinfo=LONDON)) == "Tue 1 Oct 2024, 3:30pm–5:00pm"
    assert (
        format_event_dates(start, datetime(2024, 10, 2, 12, 0, tzinfo=LONDON))
        == "Tue 1 Oct 2024, 3:30pm to Wed 2 Oct 2024, 12:00pm"
    )


@pytest.mark.parametrize(
    "moment, year",
    [
        (datetime(2023, 9, 1, 0, 30, tzinfo=LONDON), "2023/24"),
        (datetime(2024, 8, 31, 23, 30, tzinfo=LONDON), "2023/24"),  # 22:30 UTC, still August in London
        (datetime(2024, 9, 17, 15, 45, tzinfo=LONDON), "2024/25"),
        (datetime(2099, 10, 1, tzinfo=LONDON), "2099/00"),
    ],
)
def test_academic_years_run_september_to_august(moment, year):
    assert academic_year(moment) == year
