"""The award's daily clock (`manage.py school_renewals`, schools/reminders.py) on chosen days: renewal due and
lapse by date, in the audit log with no user; reminders 90 and 30 days before expiry queued once each, to the
school's leads and to EMAS (the enquiry address in Site settings), however many times the job runs."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from wagtail.models import Site

from home.models import SiteSettings
from outbox.models import OutboxMessage
from scheduler.jobs import run_due_jobs, scheduled_jobs
from schools import reminders
from schools.models import RenewalReminder, School
from tests.factories import make_school

pytestmark = pytest.mark.django_db

EMAS = "emas.team@coventry.example.org"
AWARDED_ON = datetime.date(2024, 6, 10)  # expires 10 June 2027; renewal due from 10 March 2027
EXPIRES_ON = datetime.date(2027, 6, 10)


@pytest.fixture
def emas_address(db):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.enquiry_email = EMAS
    site_settings.save()
    return EMAS


def day(days_before_expiry):
    return EXPIRES_ON - datetime.timedelta(days=days_before_expiry)


def run_on(today):
    """The job, as on `today` (the command refuses a day to come: see the last tests)."""
    return reminders.run(today=today)


def status_of(school):
    return School.objects.get(pk=school.pk).status


def test_an_award_falls_due_for_renewal_three_months_before_it_expires_and_lapses_on_its_expiry(emas_address):
    school = make_school(status="awarded", awarded_on=AWARDED_ON)
    run_on(datetime.date(2027, 3, 9))
    assert status_of(school) == "awarded"
    assert run_on(datetime.date(2027, 3, 10))["renewal due"] == 1
    assert status_of(school) == "renewal_due"
    entry = school.timeline().first()
    assert entry.user is None and entry.data["to"] == "renewal_due" and entry.data["on"] == "2027-03-10"
    assert entry.data["note"].startswith("Automatic: renewal due from 10 March 2027")
    run_on(datetime.date(2027, 6, 9))
    assert status_of(school) == "renewal_due"
    assert run_on(EXPIRES_ON)["lapsed"] == 1
    assert status_of(school) == "lapsed"
    entry = school.timeline().first()
    assert (entry.user, entry.data["from"], entry.data["to"]) == (None, "renewal_due", "lapsed")
    assert entry.data["note"] == "Automatic: the award expired on 10 June 2027."
    assert run_on(EXPIRES_ON) == {"renewal due": 0, "lapsed": 0, "reminders": 0}  # nothing more to do
    assert school.timeline().count() == 7  # five moves to the award, then the two automatic ones


def test_a_re_award_starts_a_new_three_years_and_a_missed_day_is_caught_up(emas_address):
    school = make_school(status="reawarded", awarded_on=datetime.date(2024, 2, 29))
    assert School.objects.get(pk=school.pk).expires_on == datetime.date(2027, 2, 28)
    # The job did not run for months: the award has expired, so the school lapses straight from re-awarded.
    run_on(datetime.date(2027, 4, 1))
    entry = school.timeline().first()
    assert (entry.data["from"], entry.data["to"], entry.data["on"]) == ("reawarded", "lapsed", "2027-02-28")


def test_schools_without_the_award_are_left_alone(emas_address):
    others = [make_school(status=status) for status in ["interested", "working_towards", "appraisal_booked"]]
    run_on(datetime.date(2040, 1, 1))
    assert [status_of(school) for school in others] == ["interested", "working_towards", "appraisal_booked"]
    assert not OutboxMessage.objects.exists()


def test_reminders_go_once_each_90_and_30_days_before_to_the_leads_and_to_emas(emas_address):
    school = make_school(
        "Oakfield Primary",
        status="awarded",
        awarded_on=AWARDED_ON,
        contacts=[("Ada Lead", "ada@oakfield.example.org"), ("Ben Deputy", "ben@oakfield.example.org")],
    )
    run_on(day(91))
    assert not OutboxMessage.objects.exists()
    for _ in range(2):  # a second run that day sends nothing more
        run_on(day(90))
    for _ in range(2):
        run_on(day(60))  # and nor do the days in between
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [(message.to, message.purpose) for message in messages] == [
        (["ada@oakfield.example.org", "ben@oakfield.example.org"], "School renewal reminder"),
        ([EMAS], "School renewal reminder (EMAS)"),
    ]
    to_school, to_emas = messages
    assert to_school.subject == "Oakfield Primary: the Schools of Sanctuary award expires on 10 June 2027"
    assert "expires on 10 June 2027" in to_school.body and "EMAS" in to_school.body
    assert to_school.reply_to == [EMAS]
    assert f"/admin/snippets/schools/school/edit/{school.pk}/" in to_emas.body
    assert "ada@oakfield.example.org" in to_emas.body
    assert "/admin/" not in to_school.body
    for _ in range(2):
        run_on(day(30))
        run_on(day(1))
    assert OutboxMessage.objects.count() == 4
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {90, 30}


def test_a_school_without_contacts_still_has_emas_told(emas_address):
    make_school("Quiet Lane Primary", status="awarded", awarded_on=AWARDED_ON)
    run_on(day(85))  # the 90-day reminder, caught up
    [message] = OutboxMessage.objects.all()
    assert message.to == [EMAS]
    assert "no contacts on record" in message.body


def test_a_reminder_whose_day_was_missed_gives_way_to_the_next(emas_address):
    make_school(status="awarded", awarded_on=AWARDED_ON, contacts=[("Ada", "ada@example.org")])
    run_on(day(20))
    assert list(RenewalReminder.objects.values_list("days_before", flat=True)) == [30]
    assert OutboxMessage.objects.count() == 2


def test_a_re_award_gets_its_own_reminders(emas_address):
    school = make_school(status="awarded", awarded_on=AWARDED_ON, contacts=[("Ada", "ada@example.org")])
    run_on(day(90))
    school.refresh_from_db()
    school.move_to("reawarded", on=datetime.date.today())
    new_expiry = School.objects.get(pk=school.pk).expires_on
    run_on(new_expiry - datetime.timedelta(days=90))
    assert RenewalReminder.objects.filter(days_before=90).count() == 2
    assert OutboxMessage.objects.count() == 4


def test_the_reminders_are_delivered_in_the_background(emas_address, django_capture_on_commit_callbacks):
    make_school(status="awarded", awarded_on=AWARDED_ON, contacts=[("Ada", "ada@oakfield.example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run(today=day(90))
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@oakfield.example.org", EMAS]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_the_job_runs_daily_from_the_scheduler(emas_address):
    [job] = [job for job in scheduled_jobs() if job.name == "school_renewals"]
    assert job.every == datetime.timedelta(days=1)
    school = make_school(status="awarded", awarded_on=datetime.date(2020, 1, 1))
    outcome = run_due_jobs(only={"school_renewals"})
    assert outcome["school_renewals"] == "0 school(s) now renewal due, 1 lapsed, 0 reminder(s) queued"
    assert status_of(school) == "lapsed"


def test_the_command_catches_up_on_a_past_day_and_refuses_a_day_to_come(emas_address):
    school = make_school(status="awarded", awarded_on=datetime.date(2020, 5, 1))
    output = io.StringIO()
    call_command("school_renewals", "--date", "2023-02-01", stdout=output)
    assert output.getvalue().strip() == "1 school(s) now renewal due, 0 lapsed, 1 reminder(s) queued"
    assert status_of(school) == "renewal_due"
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="cannot be in the future"):
        call_command("school_renewals", "--date", tomorrow.isoformat(), stdout=io.StringIO())
