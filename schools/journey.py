"""The award journey as a set of statuses and the moves allowed between them (no models here, so forms, admin
views, jobs and tests share one rulebook).

    interested -> pledge signed -> working towards -> application submitted -> appraisal booked -> awarded
    awarded -> renewal due (from three months before the award expires) -> re-awarded, or lapsed
    re-awarded -> renewal due -> ...; lapsed -> working towards (a school may start again)

An application can be returned (submitted -> working towards) and an appraisal can end without the award
(appraisal booked -> working towards). The award lasts AWARD_YEARS; its expiry is always derived from the award
date, never typed.
"""

import calendar
import datetime

from django.db import models

AWARD_YEARS = 3
RENEWAL_DUE_MONTHS = 3
# "Renewals due soon" in the admin (the listing's filter, the dashboard): awards that expire within this time.
RENEWAL_SOON = datetime.timedelta(days=90)


class JourneyStatus(models.TextChoices):
    INTERESTED = "interested", "Interested"
    PLEDGE_SIGNED = "pledge_signed", "Pledge signed"
    WORKING_TOWARDS = "working_towards", "Working towards the award"
    APPLICATION_SUBMITTED = "application_submitted", "Application submitted"
    APPRAISAL_BOOKED = "appraisal_booked", "Appraisal booked"
    AWARDED = "awarded", "Awarded"
    RENEWAL_DUE = "renewal_due", "Renewal due"
    REAWARDED = "reawarded", "Re-awarded"
    LAPSED = "lapsed", "Award lapsed"


S = JourneyStatus
ALLOWED_MOVES = {
    S.INTERESTED: (S.PLEDGE_SIGNED,),
    S.PLEDGE_SIGNED: (S.WORKING_TOWARDS,),
    S.WORKING_TOWARDS: (S.APPLICATION_SUBMITTED,),
    S.APPLICATION_SUBMITTED: (S.APPRAISAL_BOOKED, S.WORKING_TOWARDS),
    S.APPRAISAL_BOOKED: (S.AWARDED, S.WORKING_TOWARDS),
    S.AWARDED: (S.RENEWAL_DUE, S.LAPSED),
    S.RENEWAL_DUE: (S.REAWARDED, S.LAPSED),
    S.REAWARDED: (S.RENEWAL_DUE, S.LAPSED),
    S.LAPSED: (S.WORKING_TOWARDS,),
}
# Statuses in which a school holds the award (renewal due: it still holds it until the expiry date).
HOLDS_AWARD = frozenset({S.AWARDED, S.RENEWAL_DUE, S.REAWARDED})
# Statuses on the way to a first award (the directory's "Working towards").
ON_THE_WAY = frozenset({S.PLEDGE_SIGNED, S.WORKING_TOWARDS, S.APPLICATION_SUBMITTED, S.APPRAISAL_BOOKED})
# Moves that start a new three-year award on the date given.
STARTS_AN_AWARD = frozenset({S.AWARDED, S.REAWARDED})


class IllegalMove(ValueError):
    """A move the journey does not allow; its message says what is allowed instead, for the editor."""


def check_move(current, new):
    """Raise IllegalMove unless a school in `current` may move to `new`."""
    current, new = S(current), S(new)
    allowed = ALLOWED_MOVES[current]
    if new not in allowed:
        options = " or ".join(f"“{S(status).label}”" for status in allowed)
        raise IllegalMove(
            f"A school that is “{current.label}” cannot move to “{new.label}”. From here it can move to {options}."
        )


def add_years(day, years):
    """`day` moved by whole years; 29 February becomes 28 February in a year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day, months):
    """`day` moved by whole months (negative: back), kept within the target month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def expiry_of(awarded_on):
    return add_years(awarded_on, AWARD_YEARS) if awarded_on else None


def renewal_due_from(awarded_on):
    expiry = expiry_of(awarded_on)
    return add_months(expiry, -RENEWAL_DUE_MONTHS) if expiry else None


def latest_award_expiring_by(day):
    """The latest award date whose award has expired by `day` (expiry on or before it), for database filters:
    `awarded_on <= latest_award_expiring_by(day)`. An award of 29 February expires on 28 February, so when `day`
    is 28 February and three years back is a leap year, 29 February is included too."""
    latest = add_years(day, -AWARD_YEARS)
    if (day.month, day.day) == (2, 28) and calendar.isleap(latest.year):
        latest = latest.replace(day=29)
    return latest
