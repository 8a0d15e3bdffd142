"""The sanctuary leads' contacts in `manage.py personal_data export|erase` (docs/privacy.md): found by their
address in any case, deleted on erasure (the school and its other leads stay), the address redacted where typed."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import ModelLogEntry

from schools.models import School, SchoolContact
from tests.factories import make_school

pytestmark = pytest.mark.django_db

EMAIL = "Ada.Lead@Oakfield.example.org"  # stored in mixed case: matching ignores case


@pytest.fixture
def lead():
    oakfield = make_school(
        "Oakfield Primary", contacts=[("Ada Lead", EMAIL), ("Ben Deputy", "ben@oakfield.example.org")]
    )
    willow = make_school("Willow Nursery", contacts=[("Ada Lead", EMAIL.upper())])
    hill = make_school("Hill Top Special", status="appraisal_booked")
    School.objects.filter(pk=hill.pk).update(appraisal_panel=f"Ms A Lead <{EMAIL.lower()}>\nMr B\nMs C")
    return {"oakfield": oakfield, "willow": willow, "hill": hill}


def export(email):
    output = io.StringIO()
    call_command("personal_data", "export", email, stdout=output)
    return json.loads(output.getvalue())["data"]["schools"]


def test_export_finds_the_leads_contacts_at_every_school_in_any_case(lead):
    data = export(EMAIL.lower())
    assert [(row["school"], row["name"], row["email"]) for row in data["school_contacts"]] == [
        ("Oakfield Primary", "Ada Lead", EMAIL),
        ("Willow Nursery", "Ada Lead", EMAIL.upper()),
    ]
    assert data["school_contacts"][0]["role"] == "Sanctuary lead"
    [panel] = data["appraisal_panels_mentioning_the_address"]
    assert panel["school"] == "Hill Top Special"
    assert export("nobody@example.org") == {
        "school_contacts": [],
        "sign_in_links": [],
        "workspace_evidence_added": [],
        "appraisal_panels_mentioning_the_address": [],
    }


def test_erase_deletes_the_contacts_keeps_the_schools_and_redacts_the_panel(lead):
    output = io.StringIO()
    call_command("personal_data", "erase", EMAIL, "--yes", stdout=output)
    assert not SchoolContact.objects.filter(email__iexact=EMAIL).exists()
    assert list(lead["oakfield"].contacts.values_list("email", flat=True)) == ["ben@oakfield.example.org"]
    assert School.objects.count() == 3
    hill = School.objects.get(pk=lead["hill"].pk)
    assert hill.appraisal_panel == "Ms A Lead <[email removed]>\nMr B\nMs C"
    assert ModelLogEntry.objects.filter(action="privacy.erase", object_id=str(lead["oakfield"].pk)).exists()
    assert export(EMAIL) == {
        "school_contacts": [],
        "sign_in_links": [],
        "workspace_evidence_added": [],
        "appraisal_panels_mentioning_the_address": [],
    }
