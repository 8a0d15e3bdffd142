"""EMAS's side of the award workspace, through the real admin: reading a school's evidence, reviewing each criterion
("Reviewed by EMAS" or "Needs more", the lead emailed, the comment in the workspace), the dashboard's list of
workspaces waiting for review, evidence files for staff only, and the audit log; then retention and personal data."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from privacy.registry import erase_personal_data, export_personal_data
from resources.models import AwardCriterion
from schools import workspace
from schools.apps import SCHOOLS_NETWORK
from schools.models import CriterionProgress, Evidence, EvidenceFile, LeadSignInLink, SchoolContact
from security.admin_groups import EDITORS, MODERATORS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    call_command("ensure_admin_groups", stdout=io.StringIO())
    factories.make_school_directory(factories.make_home())
    school = factories.make_school(
        "Canal Basin Primary", status="working_towards", contacts=[("Amina Yusuf", "amina@canal.example.org")]
    )
    lead = school.contacts.get()
    for number in (1, 2):
        factories.add_evidence(school, number, lead, files=[(f"evidence-{number}.pdf", factories.PDF)])
        workspace.mark_ready(school, AwardCriterion.objects.get(number=number), lead)
    return school


@pytest.fixture
def emas(client, school):
    return factories.logged_in_client(client, SCHOOLS_NETWORK)


def review_url(school):
    return f"/admin/schools/workspace/{school.pk}/"


def test_emas_read_the_evidence_and_review_a_criterion_as_needs_more(emas, school, django_capture_on_commit_callbacks):
    page = emas.get(review_url(school)).content.decode()
    assert "Completed 2 of 8 criteria" in page and "Evidence for 1." in page and "evidence-1.pdf" in page
    assert page.count("Save the review of criterion") == 2  # only criteria with evidence can be reviewed

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = emas.post(
            review_url(school),
            {"criterion": "2", "c2-status": "needs_more", "c2-comment": "Add what the parents said about it."},
        )
    assert response.status_code == 302 and response["Location"].endswith("#criterion-2")
    progress = CriterionProgress.objects.get(school=school, criterion__number=2)
    assert progress.status == "needs_more" and progress.reviewed_by.groups.filter(name=SCHOOLS_NETWORK).exists()
    [message] = mail.outbox
    assert message.to == ["amina@canal.example.org"] and "Needs more" in message.subject
    assert "Add what the parents said about it." in message.body and "/schools/sign-in/" in message.body
    entry = ModelLogEntry.objects.filter(action="schools.criterion_reviewed").get()
    assert entry.data["comment"] == "Add what the parents said about it." and entry.user == progress.reviewed_by

    lead_view = factories.lead_client(school.contacts.get()).get("/schools/workspace/criteria/2/").content.decode()
    assert "EMAS’s comment" in lead_view and "Add what the parents said about it." in lead_view
    overview = factories.lead_client(school.contacts.get()).get("/schools/workspace/").content.decode()
    assert "Completed 1 of 8 criteria" in overview and ">Needs more</strong>" in overview


def test_needs_more_without_a_comment_is_refused_beside_the_field(emas, school):
    response = emas.post(review_url(school), {"criterion": "1", "c1-status": "needs_more", "c1-comment": " "})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Say what is missing, so the school knows what to add." in body
    assert CriterionProgress.objects.get(school=school, criterion__number=1).status == "ready"
    response = emas.post(review_url(school), {"criterion": "1", "c1-status": "invented"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_reviewed_counts_as_completed(emas, school):
    emas.post(review_url(school), {"criterion": "1", "c1-status": "reviewed", "c1-comment": ""})
    overview = factories.lead_client(school.contacts.get()).get("/schools/workspace/").content.decode()
    assert "Completed 2 of 8 criteria" in overview and ">Reviewed by EMAS</strong>" in overview


def test_the_dashboard_lists_workspaces_waiting_for_review(emas, school):
    factories.make_school("Foleshill Academy", status="working_towards")
    html = emas.get("/admin/").content.decode()
    panel = html[html.index("Workspaces waiting for review") :]
    assert f'href="/admin/schools/workspace/{school.pk}/">Canal Basin Primary: 2 criteria ready for review' in panel
    assert "Foleshill Academy" not in panel[: panel.index("</ul>")]
    edit = emas.get(f"/admin/snippets/schools/school/edit/{school.pk}/").content.decode()
    assert review_url(school) in edit


def test_evidence_files_are_for_staff_who_manage_schools_only(client, emas, school):
    attached = EvidenceFile.objects.filter(evidence__criterion__number=1).get()
    url = f"/admin/schools/evidence-files/{attached.key}/"
    response = emas.get(url)
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="evidence-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    for group in (EDITORS, MODERATORS):
        other = factories.logged_in_client(type(client)(), group)
        assert other.get(url).status_code in (302, 403)
        assert other.get(review_url(school)).status_code in (302, 403)
        assert other.post(review_url(school), {"criterion": "1", "c1-status": "reviewed"}).status_code in (302, 403)
    assert CriterionProgress.objects.get(school=school, criterion__number=1).status == "ready"


def test_returning_the_application_reopens_the_workspace(emas, school, django_capture_on_commit_callbacks):
    """EMAS reopen a sent application with "Move on the journey" (back to "working towards")."""
    lead = school.contacts.get()
    for number in range(3, 9):
        factories.add_evidence(school, number, lead)
        workspace.mark_ready(school, AwardCriterion.objects.get(number=number), lead)
    with django_capture_on_commit_callbacks(execute=True):
        workspace.submit_application(school, lead)
    assert not workspace.is_editable(school)
    response = emas.post(
        f"/admin/schools/move/{school.pk}/",
        {"status": "working_towards", "on": timezone.localdate().isoformat(), "note": "Add more on Share"},
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert workspace.is_editable(school)
    page = factories.lead_client(lead).get("/schools/workspace/criteria/8/").content.decode()
    assert 'name="what_was_done"' in page


def test_retention_deletes_the_evidence_of_a_school_that_left(school, settings, django_capture_on_commit_callbacks):
    settings.SCHOOL_EVIDENCE_RETENTION_DAYS = 365
    files = [(attached.file.storage, attached.file.name) for attached in EvidenceFile.objects.all()]
    school.status, school.status_changed_on = "lapsed", timezone.localdate() - timedelta(days=364)
    school.save()
    call_command("apply_retention", stdout=io.StringIO())
    assert Evidence.objects.count() == 2
    school.status_changed_on = timezone.localdate() - timedelta(days=366)
    school.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=io.StringIO())
    assert not Evidence.objects.exists() and not EvidenceFile.objects.exists()
    assert not any(storage.exists(name) for storage, name in files)


def test_retention_deletes_old_sign_in_links(school, settings):
    lead = school.contacts.get()
    LeadSignInLink.objects.create(lead=lead, token_hash="a" * 64, created_at=timezone.now() - timedelta(days=31))
    LeadSignInLink.objects.create(lead=lead, token_hash="b" * 64)
    call_command("apply_retention", stdout=io.StringIO())
    assert list(LeadSignInLink.objects.values_list("token_hash", flat=True)) == ["b" * 64]


def test_personal_data_export_and_erase_cover_leads_and_their_evidence(school):
    LeadSignInLink.objects.create(lead=school.contacts.get(), token_hash="c" * 64)
    exported = export_personal_data("Amina@canal.example.org")["schools"]
    assert sorted(entry["criterion"] for entry in exported["workspace_evidence_added"]) == [1, 2]
    assert exported["workspace_evidence_added"][0]["files"][0].startswith("evidence-")
    assert len(exported["sign_in_links"]) == 1
    counts = erase_personal_data("amina@canal.example.org")
    assert counts["schools.school contacts deleted"] == 1 and counts["schools.sign-in links deleted"] == 1
    assert not SchoolContact.objects.exists() and not LeadSignInLink.objects.exists()
    # The evidence is the school's: it stays, without the lead's name.
    assert Evidence.objects.count() == 2 and not Evidence.objects.filter(added_by__isnull=False).exists()
