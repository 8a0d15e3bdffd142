"""The award journey's rules (schools/journey.py) through `School.move_to`: every allowed move made, every other
refused with nothing saved, each move in Wagtail's audit log, the award's expiry derived from its date."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from schools import journey
from schools.journey import ALLOWED_MOVES, IllegalMove, JourneyStatus
from schools.models import MOVE_ACTION, School
from tests.factories import make_school, make_superuser

pytestmark = pytest.mark.django_db

LEGAL = [(current, new) for current, moves in ALLOWED_MOVES.items() for new in moves]
ILLEGAL = [(current, new) for current in JourneyStatus for new in JourneyStatus if new not in ALLOWED_MOVES[current]]


def test_every_status_has_its_moves_and_every_move_is_tested():
    assert set(ALLOWED_MOVES) == set(JourneyStatus)
    assert len(LEGAL) + len(ILLEGAL) == len(JourneyStatus) ** 2
    assert len(LEGAL) == 14


@pytest.mark.parametrize(("current", "new"), LEGAL)
def test_every_allowed_move_is_made_and_logged(current, new):
    user = make_superuser("emas", "emas@coventry.example.org", first_name="Emma", last_name="Smith")
    school = make_school(status=current, awarded_on=datetime.date(2024, 5, 1))
    on = datetime.date(2024, 6, 3)
    school.move_to(new, user=user, on=on, note="Agreed at the network meeting")
    school.refresh_from_db()
    assert school.status == new
    assert school.status_changed_on == on
    entry = school.timeline().first()
    assert entry.user == user
    assert entry.action == MOVE_ACTION
    assert entry.data["from"] == current and entry.data["to"] == new
    assert entry.data["on"] == "2024-06-03" and entry.data["note"] == "Agreed at the network meeting"
    assert entry.message.startswith(f"Moved from “{JourneyStatus(current).label}” to “{JourneyStatus(new).label}”")


@pytest.mark.parametrize(("current", "new"), ILLEGAL)
def test_every_other_move_is_refused_saying_what_is_allowed_and_nothing_is_saved(current, new):
    school = make_school(status=current)
    before = ModelLogEntry.objects.count()
    with pytest.raises(IllegalMove) as refused:
        school.move_to(new)
    message = str(refused.value)
    assert f"cannot move to “{JourneyStatus(new).label}”" in message
    for allowed in ALLOWED_MOVES[current]:
        assert f"“{JourneyStatus(allowed).label}”" in message
    assert School.objects.get(pk=school.pk).status == current
    assert ModelLogEntry.objects.count() == before


def test_each_step_sets_its_own_date_and_the_award_its_expiry():
    school = make_school()
    school.move_to("pledge_signed", on=datetime.date(2023, 9, 5))
    school.move_to("working_towards", on=datetime.date(2023, 10, 1))
    school.move_to("application_submitted", on=datetime.date(2024, 3, 1))
    school.move_to("appraisal_booked", on=datetime.date(2024, 4, 10), appraisal_panel="A\nB\nC")
    school.move_to("awarded", on=datetime.date(2024, 5, 20))
    school = School.objects.get(pk=school.pk)
    assert school.pledge_signed_on == datetime.date(2023, 9, 5)
    assert school.application_submitted_on == datetime.date(2024, 3, 1)
    assert (school.appraisal_on, school.appraisal_panel) == (datetime.date(2024, 4, 10), "A\nB\nC")
    assert school.awarded_on == school.first_awarded_on == datetime.date(2024, 5, 20)
    assert school.expires_on == datetime.date(2027, 5, 20)
    assert school.renewal_due_from == datetime.date(2027, 2, 20)
    assert school.public_status == "Awarded 2024"
    # Re-awarded: a new three years from the new date; the first award is remembered.
    school.move_to("renewal_due", on=datetime.date(2024, 6, 1))
    school.move_to("reawarded", on=datetime.date(2024, 7, 1))
    school = School.objects.get(pk=school.pk)
    assert school.first_awarded_on == datetime.date(2024, 5, 20)
    assert school.expires_on == datetime.date(2027, 7, 1)
    assert [entry.data["to"] for entry in school.timeline()] == [
        "reawarded",
        "renewal_due",
        "awarded",
        "appraisal_booked",
        "application_submitted",
        "working_towards",
        "pledge_signed",
    ]


def test_an_award_cannot_be_dated_in_the_future():
    school = make_school(status="appraisal_booked")
    with pytest.raises(IllegalMove, match="cannot be dated in the future"):
        school.move_to("awarded", on=datetime.date.today() + datetime.timedelta(days=2))
    assert School.objects.get(pk=school.pk).status == "appraisal_booked"


@pytest.mark.parametrize(
    ("awarded_on", "expires_on", "renewal_due_from"),
    [
        (datetime.date(2024, 2, 29), datetime.date(2027, 2, 28), datetime.date(2026, 11, 28)),
        (datetime.date(2025, 11, 30), datetime.date(2028, 11, 30), datetime.date(2028, 8, 30)),
        (datetime.date(2025, 5, 31), datetime.date(2028, 5, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2023, 5, 31), datetime.date(2026, 5, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2025, 1, 15), datetime.date(2028, 1, 15), datetime.date(2027, 10, 15)),
    ],
)
def test_expiry_is_derived_from_the_award_date(awarded_on, expires_on, renewal_due_from):
    """Three years on (29 February becomes 28 February), renewal due three months before (kept in the month)."""
    assert journey.expiry_of(awarded_on) == expires_on
    assert journey.renewal_due_from(awarded_on) == renewal_due_from
    assert journey.expiry_of(None) is None and journey.renewal_due_from(None) is None


@pytest.mark.parametrize(
    "day",
    [datetime.date(2027, 2, 28), datetime.date(2028, 2, 29), datetime.date(2028, 2, 28), datetime.date(2026, 3, 1)],
)
def test_the_latest_award_expiring_by_a_day_matches_the_derived_expiry(day):
    """The database filter's bound agrees with `expiry_of` for every award date around it (29 February too)."""
    latest = journey.latest_award_expiring_by(day)
    for offset in range(-5, 6):
        awarded_on = latest + datetime.timedelta(days=offset)
        assert (journey.expiry_of(awarded_on) <= day) == (awarded_on <= latest), awarded_on
