"""The Schools listing, its export, the edit form's journey panel, "Move on the journey" and the dashboard panel,
driven through the real admin by a member of the Schools network group, and refused to Moderators and Editors."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schools.apps import SCHOOLS_NETWORK
from schools.journey import JourneyStatus
from schools.models import Area, Phase, School
from security.admin_groups import EDITORS, MODERATORS
from tests.factories import logged_in_client, make_school, make_staff

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/schools/school/"
LEAD_EMAIL = "lead.private@oakfield.example.org"
EVIL_NAME = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def groups(db):
    call_command("ensure_admin_groups", stdout=io.StringIO())


@pytest.fixture
def emas(client, groups):
    """A client signed in as a member of the Schools network group (and nothing else)."""
    return logged_in_client(client, SCHOOLS_NETWORK)


@pytest.fixture
def schools(groups):
    today = timezone.localdate()
    return {
        "oakfield": make_school(
            "Oakfield Primary",
            status="awarded",
            awarded_on=today - datetime.timedelta(days=3 * 365 - 40),  # expires in about 40 days
            urn="123456",
            postcode="cv1 5fb",
            area=Area.FOLESHILL,
            contacts=[("Ada Lead", LEAD_EMAIL)],
        ),
        "riverside": make_school(
            "Riverside Academy",
            status="awarded",
            awarded_on=today - datetime.timedelta(days=400),
            phase=Phase.SECONDARY,
            area=Area.EARLSDON,
            postcode="CV5 6AA",
        ),
        "willow": make_school("Willow Nursery", status="application_submitted", phase=Phase.EARLY_YEARS),
        "hill": make_school("Hill Top Special", status="interested", phase=Phase.SPECIAL, area=Area.FOLESHILL),
    }


def _content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def exported(response, export_format):
    """The spreadsheet as rows of {heading: cell}; an XLSX file must hold no formula."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="schools-')
    content = _content(response)
    if export_format == "csv":
        assert content.startswith("\ufeff".encode())
        header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def listed(client, **params):
    html = client.get(LISTING, params).content.decode()
    return {
        name for name in ["Oakfield Primary", "Riverside Academy", "Willow Nursery", "Hill Top Special"] if name in html
    }


# --- The listing ------------------------------------------------------------------------------------------------


def test_the_listing_shows_status_award_and_expiry_with_counts_per_status(emas, schools):
    response = emas.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    oakfield = schools["oakfield"]
    assert "Oakfield Primary" in html and "Awarded" in html and "Application submitted" in html
    cells = re.findall(r"<td >\s*(.*?)\s*</td>", html[html.index("Oakfield Primary") :], re.S)[:5]
    assert cells == [
        "Awarded",
        "Primary",
        "Foleshill",
        f"{oakfield.awarded_on:%-d %b %Y}",
        f"{oakfield.expires_on:%-d %b %Y}",
    ]
    # Counts per status above the listing, each a link to the filtered listing.
    assert re.search(r'href="/admin/snippets/schools/school/\?status=awarded">Awarded: <strong>2</strong>', html)
    assert re.search(r"\?status=application_submitted\">Application submitted: <strong>1</strong>", html)
    assert re.search(r"\?status=lapsed\">Award lapsed: <strong>0</strong>", html)
    assert f'href="{reverse("schools_move", args=[oakfield.pk])}"' in html
    assert "export=xlsx" in html and "export=csv" in html
    # Private contacts are not in the listing's page (they are in the export and on the record).
    assert LEAD_EMAIL not in html


def test_filters_by_status_phase_area_and_renewal_due_soon(emas, schools):
    assert listed(emas, status="awarded") == {"Oakfield Primary", "Riverside Academy"}
    assert listed(emas, phase="secondary") == {"Riverside Academy"}
    assert listed(emas, area="foleshill") == {"Oakfield Primary", "Hill Top Special"}
    assert listed(emas, renewal_due_soon="true") == {"Oakfield Primary"}
    assert listed(emas, status="awarded", area="foleshill") == {"Oakfield Primary"}
    # Labels, not codes, in the filters.
    html = emas.get(LISTING).content.decode()
    assert re.search(r'value="application_submitted"[^>]*>\s*Application submitted', html)
    assert "Renewal due in the next 90 days" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [("oakfield", {"Oakfield Primary"}), ("123456", {"Oakfield Primary"}), ("CV5 6AA", {"Riverside Academy"})],
)
def test_search_by_name_urn_and_postcode(emas, schools, query, expected):
    assert listed(emas, q=query) == expected


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_is_the_filtered_listing_with_the_leads_contacts(emas, schools, export_format):
    rows = exported(emas.get(LISTING, {"export": export_format, "status": "awarded"}), export_format)
    assert [row["Name"] for row in rows] == ["Oakfield Primary", "Riverside Academy"]
    oakfield = rows[0]
    assert (oakfield["Status"], oakfield["Phase"], oakfield["Area"]) == ("Awarded", "Primary", "Foleshill")
    assert (oakfield["DfE URN"], oakfield["Postcode"]) == ("123456", "CV1 5FB")
    assert LEAD_EMAIL in oakfield["Contacts (private)"] and "Ada Lead" in oakfield["Contacts (private)"]
    expires = schools["oakfield"].expires_on
    if export_format == "xlsx":
        assert oakfield["Award expires"] == expires  # a date cell
    else:
        assert oakfield["Award expires"] == expires.isoformat()
    assert rows[1]["Contacts (private)"] in ("", None)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_export_is_safe_from_formula_injection(emas, groups, export_format):
    school = make_school(EVIL_NAME, contacts=[("+cmd|' /C calc'!A0", "=1+1@example.org")])
    school.address = "@SUM(1+1)"
    school.save()
    [row] = exported(emas.get(LISTING, {"export": export_format}), export_format)
    assert row["Name"] == "'" + EVIL_NAME
    assert row["Address"] == "'@SUM(1+1)"
    assert row["Contacts (private)"].startswith("'+cmd")


def test_the_export_costs_the_same_queries_however_many_schools(emas, groups):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = exported(emas.get(LISTING, {"export": "xlsx"}), "xlsx")
        return len(captured), len(rows)

    make_school(contacts=[("A", "a@example.org")])
    queries()
    few, _ = queries()
    for number in range(6):
        make_school(
            status="awarded", contacts=[(f"Lead {number}", f"lead{number}@example.org"), ("B", "b@example.org")]
        )
    assert queries() == (few, 7)


# --- The edit form ----------------------------------------------------------------------------------------------


def test_the_edit_form_shows_the_journey_read_only_with_its_timeline_and_groups_public_and_private(emas, schools):
    oakfield = schools["oakfield"]
    html = emas.get(reverse("wagtailsnippets_schools_school:edit", args=[oakfield.pk])).content.decode()
    assert "Public: the school as the directory shows it" in html
    assert "Private: the school&#x27;s sanctuary leads" in html or "Private: the school's sanctuary leads" in html
    assert LEAD_EMAIL in html  # the contacts, to EMAS
    assert 'name="status"' not in html and 'name="awarded_on"' not in html
    assert "Award expires" in html and oakfield.expires_on.strftime("%-d %B %Y") in html
    timeline = html[html.index("schools-admin-timeline") :]
    assert timeline.index("Appraisal booked → <strong>Awarded</strong>") < timeline.index("→ <strong>Pledge signed")
    assert "Ms C Sanctuary (lived experience)" in html


def test_saving_the_edit_form_cannot_change_the_status(emas, schools):
    willow = schools["willow"]
    url = reverse("wagtailsnippets_schools_school:edit", args=[willow.pk])
    data = {
        "name": "Willow Nursery School",
        "slug": willow.slug,
        "phase": willow.phase,
        "school_type": willow.school_type,
        "postcode": "cv2 1aa",
        "status": "awarded",
        "awarded_on": "2024-01-01",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Bo Lead",
        "contacts-0-email": "bo@willow.example.org",
        "contacts-0-ORDER": "1",
    }
    response = emas.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    willow.refresh_from_db()
    assert (willow.name, willow.postcode, willow.status, willow.awarded_on) == (
        "Willow Nursery School",
        "CV2 1AA",
        "application_submitted",
        None,
    )
    assert list(willow.contacts.values_list("email", flat=True)) == ["bo@willow.example.org"]


# --- Move on the journey ----------------------------------------------------------------------------------------


def move_url(school):
    return reverse("schools_move", args=[school.pk])


def test_the_move_form_offers_only_the_allowed_moves_and_moves_the_school(emas, schools):
    willow = schools["willow"]
    html = emas.get(move_url(willow)).content.decode()
    options = re.findall(r'<option value="([a-z_]*)"', html)
    assert options == ["appraisal_booked", "working_towards"]
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date defaults to today
    visit = timezone.localdate() + datetime.timedelta(days=14)  # an appraisal visit may be still to come
    response = emas.post(
        move_url(willow),
        {"status": "appraisal_booked", "on": visit.isoformat(), "note": "Visit agreed", "appraisal_panel": "A\nB\n\nC"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsnippets_schools_school:edit", args=[willow.pk])
    willow.refresh_from_db()
    assert (willow.status, willow.appraisal_on, willow.appraisal_panel) == ("appraisal_booked", visit, "A\nB\nC")
    entry = willow.timeline().first()
    assert entry.user.groups.filter(name=SCHOOLS_NETWORK).exists() and entry.data["note"] == "Visit agreed"
    followed = emas.get(response["Location"]).content.decode()
    assert "Willow Nursery moved from “Application submitted” to “Appraisal booked”." in followed


def test_a_stale_form_posted_twice_is_refused_beside_the_field_and_nothing_is_saved(emas, schools):
    hill = schools["hill"]
    data = {"status": "pledge_signed", "on": timezone.localdate().isoformat(), "note": ""}
    assert emas.post(move_url(hill), data).status_code == 302
    again = emas.post(move_url(hill), data)
    assert again.status_code == 200
    html = again.content.decode()
    assert "cannot move to “Pledge signed”. From here it can move to “Working towards the award”." in html
    errors = html[html.index('id="id_status-errors"') :]
    assert errors.index("cannot move to") < errors.index('name="status"')  # the message is beside the field
    assert hill.timeline().count() == 1
    hill.refresh_from_db()
    assert hill.status == "pledge_signed"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"status": "awarded"}, "status", "cannot move to"),  # crafted: not offered from here
        ({"status": "no-such-status"}, "status", "Select a valid choice"),
        ({"status": "appraisal_booked", "appraisal_panel": "Only one"}, "appraisal_panel", "at least 3 people"),
        ({"status": "working_towards", "appraisal_panel": "A\nB\nC"}, "appraisal_panel", "only when booking"),
        ({"status": "working_towards", "on": "31/02/2025"}, "on", "Enter a valid date"),
    ],
)
def test_the_move_forms_errors_are_beside_their_field(emas, schools, data, field, message):
    willow = schools["willow"]
    before = willow.timeline().count()
    response = emas.post(move_url(willow), {"on": timezone.localdate().isoformat(), "note": "kept", **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    errors = html[html.index(f'id="id_{field}-errors"') :]
    assert errors.index(message) < errors.index(f'name="{field}"')
    assert re.search(r">\s*kept</textarea>", html)  # what was typed is kept
    willow.refresh_from_db()
    assert willow.status == "application_submitted" and willow.timeline().count() == before


def test_an_award_dated_in_the_future_is_refused(emas, schools):
    school = make_school(status="appraisal_booked")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = emas.post(move_url(school), {"status": "awarded", "on": tomorrow.isoformat()})
    assert response.status_code == 200 and "cannot be dated in the future" in response.content.decode()
    school.refresh_from_db()
    assert school.status == "appraisal_booked"


def test_moving_needs_change_school_not_just_view(client, schools):
    viewer = make_staff(username="viewer")
    viewer.user_permissions.set(Permission.objects.filter(codename__in=["access_admin", "view_school"]))
    client.force_login(viewer)
    assert client.get(LISTING).status_code == 200  # may look
    willow = schools["willow"]
    for response in [client.get(move_url(willow)), client.post(move_url(willow), {"status": "working_towards"})]:
        assert response.status_code in (302, 403)
    willow.refresh_from_db()
    assert willow.status == "application_submitted"


# --- The dashboard ----------------------------------------------------------------------------------------------


def test_the_dashboard_panel_shows_schools_by_status_renewals_due_and_applications_waiting(emas, schools):
    html = emas.get("/admin/").content.decode()
    panel = html[html.index('id="schools-network-title"') :]
    panel = panel[: panel.index("</section>")]
    assert re.search(
        r'href="/admin/snippets/schools/school/\?renewal_due_soon=true"><strong>1</strong> renewal ', panel
    )
    assert re.search(r"\?status=application_submitted\"><strong>1</strong> application waiting for a panel", panel)
    assert '?status=awarded">Awarded: 2</a>' in panel and "Interested: 1" in panel
    assert "Award lapsed" not in panel  # statuses with no school are left out


# --- Refused to everyone else -----------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [MODERATORS, EDITORS])
def test_moderators_and_editors_see_no_schools_anywhere_in_the_admin(groups, schools, group):
    client = Client()
    client.force_login(make_staff(group, username=f"{group}-only".lower()))
    oakfield = schools["oakfield"]
    urls = [
        LISTING,
        LISTING + "?export=csv",
        LISTING + "?export=xlsx",
        LISTING + "?q=" + LEAD_EMAIL,
        reverse("wagtailsnippets_schools_school:edit", args=[oakfield.pk]),
        reverse("wagtailsnippets_schools_school:history", args=[oakfield.pk]),
        move_url(oakfield),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
        assert LEAD_EMAIL.encode() not in _content(response), url
    assert client.post(move_url(oakfield), {"status": "renewal_due"}).status_code in (302, 403)
    oakfield.refresh_from_db()
    assert oakfield.status == JourneyStatus.AWARDED
    dashboard = client.get("/admin/").content.decode()
    assert "schools-network-title" not in dashboard and LISTING not in dashboard
    assert School.objects.count() == 4


def test_a_new_school_is_added_as_interested(emas, groups):
    url = reverse("wagtailsnippets_schools_school:add")
    html = emas.get(url).content.decode()
    assert "A new school starts as “Interested”" in html and 'name="status"' not in html
    data = {
        "name": "New Meadow Primary",
        "slug": "",
        "phase": "primary",
        "school_type": "academy",
        "urn": "12AB56",
        "postcode": "cv1 5fb",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Cat Lead",
        "contacts-0-email": "cat@meadow.example.org",
        "contacts-0-ORDER": "1",
    }
    refused = emas.post(url, data)
    assert refused.status_code == 200 and "Enter the school’s URN as the 6 digits" in refused.content.decode()
    assert 'value="New Meadow Primary"' in refused.content.decode()  # the rest is kept
    assert emas.post(url, {**data, "urn": "654321"}).status_code == 302
    school = School.objects.get(name="New Meadow Primary")
    assert (school.status, school.slug, school.postcode) == ("interested", "new-meadow-primary", "CV1 5FB")
    assert school.contacts.get().email == "cat@meadow.example.org"
