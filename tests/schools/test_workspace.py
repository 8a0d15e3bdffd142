"""A school's award workspace as its leads use it (schools/workspace_views.py): the task list, evidence with files
checked by their content, "ready for review", the application, and the rule that one school's lead can never read,
change or guess another school's evidence."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry, Site

from home.models import SiteSettings
from schools.models import CriterionProgress, Evidence, EvidenceFile
from tests import factories

pytestmark = pytest.mark.django_db

WORKSPACE = "/schools/workspace/"


@pytest.fixture
def school(db):
    home = factories.make_home()
    factories.make_school_directory(home)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.enquiry_email = "emas@coventry.example.org"
    site_settings.save()
    return factories.make_school(
        "Canal Basin Primary", status="working_towards", contacts=[("Amina Yusuf", "amina@canal.example.org")]
    )


@pytest.fixture
def lead(school):
    return school.contacts.get()


@pytest.fixture
def client_of(lead):
    return factories.lead_client(lead)


def criterion_url(number):
    return f"{WORKSPACE}criteria/{number}/"


def evidence_post(**overrides):
    data = {
        "done_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "what_was_done": "Year 5 learnt about the journeys of people seeking sanctuary in Coventry.",
        "who_took_part": "Year 5, two parents",
        "impact": "Pupils wrote welcome cards in six languages.",
        "link": "",
    }
    return {**data, **overrides}


def test_the_overview_is_a_task_list_of_the_eight_criteria(client_of, school):
    body = client_of.get(WORKSPACE).content.decode()
    assert "Completed 0 of 8 criteria" in body
    assert [m for m in re.findall(r'task-list__process[^"]*">([^<]+)<', body)] == ["Learn", "Embed", "Share"]
    assert len(re.findall(r'class="task-list__item"', body)) == 8
    assert body.count(">Not started</strong>") == 8
    assert "Working towards the award" in body and "Gather evidence" in body
    assert re.search(r'<a href="/schools/workspace/criteria/1/"[^>]*>Show evidence of ', body)


def test_a_lead_adds_evidence_with_a_file_marks_it_ready_and_sees_it_completed(client_of, school, lead):
    response = client_of.post(
        criterion_url(2),
        {**evidence_post(), "files": [factories.upload("Assembly plan.pdf", factories.PDF, "application/pdf")]},
    )
    assert response.status_code == 302 and response["Location"] == criterion_url(2) + "?added=1#evidence"
    entry = Evidence.objects.get()
    assert (entry.school, entry.criterion.number, entry.added_by) == (school, 2, lead)
    [attached] = entry.files.all()
    assert attached.name == "Assembly plan.pdf" and attached.content_type == "application/pdf"
    assert attached.file.name.startswith("schools/evidence/") and attached.key.hex in attached.file.name
    page = client_of.get(response["Location"]).content.decode()
    assert "Evidence added." in page and "Year 5 learnt about the journeys" in page and ">In progress</strong>" in page
    assert f"/schools/workspace/files/{attached.key}/" in page

    ready = client_of.post(criterion_url(2), {"action": "ready"})
    assert ready.status_code == 302
    overview = client_of.get(WORKSPACE).content.decode()
    assert "Completed 1 of 8 criteria" in overview and ">Ready for review</strong>" in overview
    actions = list(ModelLogEntry.objects.for_instance(school).values_list("action", flat=True))
    assert "schools.evidence_added" in actions and "schools.criterion_ready" in actions


def test_marking_ready_needs_evidence(client_of):
    response = client_of.post(criterion_url(3), {"action": "ready"})
    assert response.status_code == 409
    assert "Add at least one piece of evidence" in response.content.decode()
    assert not CriterionProgress.objects.exists()


def test_bad_evidence_is_shown_beside_its_field_keeps_the_rest_and_saves_nothing(client_of):
    response = client_of.post(
        criterion_url(1),
        {
            **evidence_post(done_on=(timezone.localdate() + timedelta(days=2)).isoformat(), what_was_done=""),
            "files": [factories.upload("notes.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a date that has passed" in body and "What did the school do? Say what the school did." in body
    assert "notes.pdf:" in body  # the file's own error, beside the files field
    assert "Choose your files again" in body
    assert "Pupils wrote welcome cards in six languages." in body and 'value="Year 5, two parents"' not in body
    assert "Year 5, two parents" in body
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()


def test_photos_are_re_encoded_without_their_location(client_of):
    client_of.post(
        criterion_url(4), {**evidence_post(), "files": [factories.upload("trip.jpg", factories.jpeg_with_gps())]}
    )
    attached = EvidenceFile.objects.get()
    stored = attached.file.read()
    assert b"PhoneMaker" not in stored and b"Whitley" not in stored
    assert not Image.open(BytesIO(stored)).getexif()
    assert attached.content_type == "image/jpeg"


def test_files_are_checked_by_content_and_limited_in_number(client_of):
    fake_docx = factories.upload("minutes.docx", b"PK\x03\x04 not really a document")
    response = client_of.post(criterion_url(5), {**evidence_post(), "files": [fake_docx]})
    assert response.status_code == 200 and "minutes.docx:" in response.content.decode()
    six = [factories.upload(f"p{n}.pdf", factories.PDF) for n in range(6)]
    response = client_of.post(criterion_url(5), {**evidence_post(), "files": six})
    assert "Add at most 5 files to one entry (you chose 6)." in response.content.decode()
    ok = [factories.upload("a.docx", factories.ooxml("docx")), factories.upload("b.pptx", factories.ooxml("pptx"))]
    assert client_of.post(criterion_url(5), {**evidence_post(), "files": ok}).status_code == 302
    assert sorted(EvidenceFile.objects.values_list("name", flat=True)) == ["a.docx", "b.pptx"]


def test_a_file_downloads_as_an_attachment_that_cannot_run(client_of, school, lead):
    entry = factories.add_evidence(school, 1, lead, files=[("plan.pdf", factories.PDF)])
    attached = entry.files.get()
    response = client_of.get(f"{WORKSPACE}files/{attached.key}/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == factories.PDF


def test_deleting_evidence_deletes_its_file_and_resets_the_criterion(
    client_of, school, lead, django_capture_on_commit_callbacks
):
    entry = factories.add_evidence(school, 6, lead, files=[("plan.pdf", factories.PDF)])
    attached = entry.files.get()
    storage, name = attached.file.storage, attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of.post(f"{WORKSPACE}evidence/{entry.pk}/delete/")
    assert response.status_code == 302
    assert not Evidence.objects.exists() and not storage.exists(name)
    assert not CriterionProgress.objects.exists()  # "Not started" again
    assert client_of.get(f"{WORKSPACE}evidence/{entry.pk}/delete/").status_code == 405


def make_ready(school, lead, numbers=range(1, 9)):
    from resources.models import AwardCriterion
    from schools import workspace

    for number in numbers:
        factories.add_evidence(school, number, lead)
        workspace.mark_ready(school, AwardCriterion.objects.get(number=number), lead)


def test_the_application_is_sent_when_all_eight_are_ready(client_of, school, lead, django_capture_on_commit_callbacks):
    make_ready(school, lead, range(1, 8))
    check = client_of.get(f"{WORKSPACE}apply/").content.decode()
    assert "once all eight criteria are marked ready for review (7 of 8 so far)" in check
    assert client_of.post(f"{WORKSPACE}apply/", {"confirm": "on"}).status_code == 409
    make_ready(school, lead, [8])

    check = client_of.get(f"{WORKSPACE}apply/").content.decode()
    assert "Check your answers before sending your application" in check and "Accept and send the application" in check
    unticked = client_of.post(f"{WORKSPACE}apply/", {})
    assert "Tick the box to confirm the declaration" in unticked.content.decode()
    school.refresh_from_db()
    assert school.status == "working_towards"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client_of.post(f"{WORKSPACE}apply/", {"confirm": "on"})
    assert sent["Location"] == WORKSPACE + "?sent=1"
    school.refresh_from_db()
    assert school.status == "application_submitted" and school.application_submitted_on == timezone.localdate()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["amina@canal.example.org", "emas@coventry.example.org"]
    emas = next(message for message in mail.outbox if message.to == ["emas@coventry.example.org"])
    assert "Canal Basin Primary" in emas.subject and f"/admin/schools/workspace/{school.pk}/" in emas.body
    assert "Application sent" in client_of.get(WORKSPACE + "?sent=1").content.decode()

    # Read-only now: nothing can be added, marked or deleted until EMAS return the application.
    locked = client_of.post(criterion_url(1), evidence_post())
    assert locked.status_code == 409 and "read-only" in locked.content.decode()
    assert 'name="what_was_done"' not in client_of.get(criterion_url(1)).content.decode()
    entry = Evidence.objects.filter(criterion__number=1).get()
    client_of.post(f"{WORKSPACE}evidence/{entry.pk}/delete/")
    assert Evidence.objects.filter(pk=entry.pk).exists()
    assert Evidence.objects.count() == 8


def test_a_school_that_only_signed_the_pledge_applies_through_working_towards(db, django_capture_on_commit_callbacks):
    factories.make_school_directory(factories.make_home())
    school = factories.make_school(status="pledge_signed", contacts=[("Lead", "lead@p.example.org")])
    lead = school.contacts.get()
    make_ready(school, lead)
    factories.lead_client(lead).post(f"{WORKSPACE}apply/", {"confirm": "on"})
    school.refresh_from_db()
    moves = [entry.data["to"] for entry in school.timeline()]
    assert moves[:2] == ["application_submitted", "working_towards"]


def test_the_portfolio_shows_every_criterion_and_its_evidence_for_printing(client_of, school, lead):
    factories.add_evidence(school, 7, lead, what_was_done="A family learning morning in Arabic and English.")
    body = client_of.get(f"{WORKSPACE}portfolio/").content.decode()
    assert body.count('class="portfolio__criterion"') == 8
    assert "A family learning morning in Arabic and English." in body
    assert "@media print" in (settings.BASE_DIR / "static/css/schools.css").read_text()


def test_user_written_text_keeps_its_own_direction(client_of, school, lead):
    factories.add_evidence(school, 1, lead, what_was_done="مرحبا بكم في مدرستنا")
    body = client_of.get(criterion_url(1)).content.decode()
    assert '<dd dir="auto">مرحبا بكم في مدرستنا</dd>' in body


# --- One school's lead, another school's workspace --------------------------------------------------------------


def test_no_workspace_url_or_file_of_one_school_is_open_to_another_schools_lead(school, lead):
    entry = factories.add_evidence(school, 1, lead, files=[("private.pdf", factories.PDF)])
    attached = entry.files.get()
    other_school = factories.make_school(
        "Foleshill Academy", status="working_towards", contacts=[("Olek", "olek@f.example.org")]
    )
    other = factories.lead_client(other_school.contacts.get())
    stranger = Client()
    anonymous_urls = [
        WORKSPACE,
        criterion_url(1),
        f"{WORKSPACE}apply/",
        f"{WORKSPACE}portfolio/",
        f"{WORKSPACE}files/{attached.key}/",
    ]
    for url in anonymous_urls:
        response = stranger.get(url)
        assert response.status_code == 302 and response["Location"] == "/schools/sign-in/", url
    for url in [f"{WORKSPACE}files/{attached.key}/", f"{WORKSPACE}evidence/{entry.pk}/delete/"]:
        assert other.get(url).status_code in (404, 405), url
        assert other.post(url).status_code == 404, url
    for url in [WORKSPACE, criterion_url(1), f"{WORKSPACE}apply/", f"{WORKSPACE}portfolio/"]:
        body = other.get(url).content.decode()
        assert "Evidence for 1." not in body and "private.pdf" not in body and "Canal Basin" not in body, url
    assert Evidence.objects.filter(pk=entry.pk).exists()
    # A guessed key, a guessed id: not found either.
    assert other.get(f"{WORKSPACE}files/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert other.post(f"{WORKSPACE}evidence/{entry.pk + 1}/delete/").status_code == 404
    # No evidence file under /media/, whoever asks.
    assert stranger.get(f"/media/{attached.file.name}").status_code == 404


def test_the_workspace_is_in_no_sitemap_search_or_feed(client_of, school, lead):
    factories.add_evidence(school, 1, lead, what_was_done="Zanzibar welcome evening")
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "workspace" not in sitemap and "sign-in" not in sitemap
    assert "Zanzibar welcome evening" not in Client().get("/search/?q=Zanzibar").content.decode()
    assert 'name="robots" content="noindex, nofollow"' in client_of.get(WORKSPACE).content.decode()


# Queries of each workspace page, pinned: the same with one evidence entry as with nine entries and nine files.
PINNED_QUERIES = {WORKSPACE: 16, criterion_url(1): 22, f"{WORKSPACE}apply/": 17, f"{WORKSPACE}portfolio/": 17}


def test_workspace_pages_cost_the_same_queries_however_much_evidence(
    client_of, school, lead, django_assert_max_num_queries
):
    factories.add_evidence(school, 1, lead, files=[("a.pdf", factories.PDF)])
    for url, queries in PINNED_QUERIES.items():
        with django_assert_max_num_queries(queries):
            assert client_of.get(url).status_code == 200
    for number in range(1, 9):
        factories.add_evidence(school, number, lead, files=[("b.pdf", factories.PDF)])
    for url, queries in PINNED_QUERIES.items():
        with django_assert_max_num_queries(queries):
            assert client_of.get(url).status_code == 200


NASTY = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "2026-02-30",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "٣٠/١٢/٢٠٢٥",
]


@pytest.mark.parametrize("field", ["done_on", "what_was_done", "who_took_part", "impact", "link", "action"])
def test_hostile_values_in_any_field_get_an_answer_never_a_500_and_save_nothing_invalid(client_of, field):
    for value in NASTY:
        response = client_of.post(criterion_url(1), {**evidence_post(), field: value})
        assert response.status_code in (200, 302, 409), (field, value[:20], response.status_code)
        if response.status_code == 200:
            assert "There is a problem" in response.content.decode()
    for entry in Evidence.objects.all():
        assert "\x00" not in entry.what_was_done + entry.who_took_part + entry.impact
        assert not entry.link.startswith("javascript:")
    response = client_of.post(f"{WORKSPACE}apply/", {"confirm": "\x00"})
    assert response.status_code in (200, 409)
    assert Client().post("/schools/sign-in/", {"email": "\x00" * 10}).status_code == 200
    assert Client().post("/schools/sign-in/" + "%00" * 3 + "/").status_code in (404, 410)


def test_robots_txt_keeps_crawlers_out_of_the_workspace(client, school):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /schools/sign-in/\nDisallow: /schools/workspace/\n" in text
    assert "Disallow: /admin/" in text
