"""The moderation listing's filters and its spreadsheet export: the board's export for sharing (README "Admin
listings"), driven through the real admin views by a logged-in Moderator, and refused to Editors."""

import csv
import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from board.models import BoardComment, BoardPost
from security.admin_groups import EDITORS, MODERATORS
from tests.factories import logged_in_client, make_board, make_post

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/board/boardpost/"
SECRET_EMAIL = "private.teacher@school.example.org"
HEADINGS = [
    "Board",
    "Status",
    "Section",
    "Title",
    "Message",
    "Link",
    "Name shown",
    "School",
    "Approved",
    "Likes",
    "Attachment",
    "Post",
]


@pytest.fixture
def moderator(client, board):
    call_command("ensure_admin_groups", stdout=io.StringIO())
    return logged_in_client(client, MODERATORS)


@pytest.fixture
def mixed_board(board):
    """One post in each state; only the approved one is in the board's export."""
    make_post(board, title="APPROVED-POST", message="approved text", school="Visible School", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.PENDING, title="PENDING-POST", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.REJECTED, title="REJECTED-POST", email=SECRET_EMAIL)
    make_post(board, status=BoardPost.Status.HIDDEN, title="HIDDEN-POST", email=SECRET_EMAIL)
    return board


def _content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def exported(response, export_format):
    """The spreadsheet as rows of {heading: cell}; an XLSX file must hold no formula."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = _content(response)
    if export_format == "csv":
        header, *rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def export(client, export_format, **filters):
    return exported(client.get(QUEUE, {**filters, "export": export_format}), export_format)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_are_for_moderators_and_hold_the_filtered_posts_without_emails(mixed_board, moderator, export_format):
    """The board page's links export its approved posts; the export never holds a poster's email."""
    html = moderator.get(mixed_board.url).content.decode()
    link = mixed_board.admin_export_url(export_format)
    assert "Export CSV" in html and "Export Excel" in html and link.replace("&", "&amp;") in html
    response = moderator.get(link)
    rows = exported(response, export_format)
    assert list(rows[0]) == HEADINGS
    assert [row["Title"] for row in rows] == ["APPROVED-POST"]
    assert SECRET_EMAIL not in _content(moderator.get(link)).decode(errors="replace")
    # Unfiltered, a moderator's export holds every post, says which board and status each has, and still no email.
    everything = moderator.get(QUEUE, {"export": export_format})
    assert {(row["Board"], row["Status"], row["Title"]) for row in exported(everything, export_format)} == {
        (mixed_board.title, "Approved", "APPROVED-POST"),
        (mixed_board.title, "Awaiting approval", "PENDING-POST"),
        (mixed_board.title, "Rejected", "REJECTED-POST"),
        (mixed_board.title, "Hidden", "HIDDEN-POST"),
    }
    assert SECRET_EMAIL not in _content(moderator.get(QUEUE, {"export": export_format})).decode(errors="replace")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_boards_own_export_addresses_lead_moderators_to_the_admin_export_and_refuse_everyone_else(
    mixed_board, moderator
):
    for export_format in ["csv", "xlsx"]:
        response = moderator.get(mixed_board.url + f"export/{export_format}/")
        assert response.status_code == 302
        assert response["Location"] == mixed_board.admin_export_url(export_format)
        anonymous = Client()
        assert anonymous.get(mixed_board.url + f"export/{export_format}/").status_code == 403
        refused = anonymous.get(mixed_board.admin_export_url(export_format))
        assert refused.status_code == 302 and "/admin/login/" in refused["Location"]
    assert "Export CSV" not in Client().get(mixed_board.url).content.decode()


def test_editors_get_neither_the_listing_nor_its_export(mixed_board, moderator):
    editor = logged_in_client(Client(), EDITORS)
    for url in [QUEUE + "?export=csv", QUEUE + "?export=xlsx", mixed_board.admin_export_url("csv")]:
        response = editor.get(url)
        # Wagtail turns "permission denied" in the admin into a redirect to the dashboard.
        assert response.status_code == 302 and response["Location"] == "/admin/", url
        assert b"APPROVED-POST" not in response.content
    assert editor.get(mixed_board.url + "export/csv/").status_code == 403
    assert "Export CSV" not in editor.get(mixed_board.url).content.decode()


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_are_safe_from_formula_injection(board, moderator, export_format):
    post = make_post(
        board,
        title='=HYPERLINK("http://evil.example","click")',
        message="+cmd|' /C calc'!A0",
        school="@SUM(1+1)",
        display_name="-2+3",
    )
    BoardPost.objects.filter(pk=post.pk).update(attachment_name="=1+1.pdf")  # as an upload's name could read
    [row] = export(moderator, export_format)
    assert row["Title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Message"] == "'+cmd|' /C calc'!A0"
    assert (row["Name shown"], row["School"], row["Attachment"]) == ("'-2+3", "'@SUM(1+1)", "'=1+1.pdf")


def test_export_cells_are_what_a_person_reads(board, moderator):
    """Section by name, an empty cell for nothing typed, the name the board shows, the time in Coventry (a
    summer time here), likes as a number, the post's public address."""
    post = make_post(board, section="embed", title="Welcome wall", display_name="", school="", link="")
    BoardPost.objects.filter(pk=post.pk).update(approved_at=datetime(2025, 6, 2, 9, 5, tzinfo=UTC), reaction_count=4)
    [row] = export(moderator, "xlsx")
    assert row["Section"] == "Embed"
    assert row["Name shown"] == "Anonymous"  # as on the board
    assert row["School"] is None and row["Link"] is None and row["Attachment"] is None
    assert row["Approved"] == datetime(2025, 6, 2, 10, 5)  # a date cell, in local time
    assert row["Likes"] == 4
    assert row["Post"] == f"http://testserver{board.url}posts/{post.pk}/"
    [row] = export(moderator, "csv")
    assert (row["Section"], row["School"], row["Approved"], row["Likes"]) == ("Embed", "", "2025-06-02 10:05", "4")
    response = moderator.get(QUEUE, {"export": "csv"})
    assert _content(response).startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    assert response["Content-Disposition"].startswith('attachment; filename="board-posts-')


def test_export_costs_the_same_queries_however_many_posts_and_boards(board, moderator, demo_home):
    """A busy board's spreadsheet must not cost a query per post, nor per board for the posts' addresses."""

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = export(moderator, "xlsx")
        return len(captured), len(rows)

    make_post(board, title="First")
    queries()  # caches warmed (content types, site root paths)
    few, _ = queries()
    other = make_board(demo_home, slug="second-board", title="Second board")
    for number in range(6):
        make_post(other if number % 2 else board, title=f"Post {number}", section=["learn", "share"][number % 2])
    assert queries() == (few, 7)


def test_listing_filters_by_board_section_and_status_and_exports_what_it_shows(board, moderator, demo_home):
    other = make_board(demo_home, slug="refugee-week", title="Refugee Week")
    make_post(board, section="learn", title="Ours learn")
    make_post(board, section="share", title="Ours share")
    make_post(board, section="learn", status=BoardPost.Status.PENDING, title="Ours waiting")
    make_post(other, section="learn", title="Theirs learn")
    learn = board.sections.get(slug="learn")

    html = moderator.get(QUEUE).content.decode()
    # Every board has its own "Learn": the section filter names each with its board; statuses by their labels.
    assert f'<option value="{learn.pk}">{board.title}: Learn</option>' in html
    assert f'<option value="{other.sections.get(slug="learn").pk}">Refugee Week: Learn</option>' in html
    assert re.search(r'value="pending" id="id_status_\d+">\s*Awaiting approval</label>', html)
    assert "export=xlsx" in html and "export=csv" in html  # Wagtail's own download buttons

    def titles(**filters):
        listed = moderator.get(QUEUE, filters).content.decode()
        shown = {title for title in ["Ours learn", "Ours share", "Ours waiting", "Theirs learn"] if title in listed}
        assert {row["Title"] for row in export(moderator, "xlsx", **filters)} == shown  # the export is the listing
        return shown

    assert titles(board=board.pk) == {"Ours learn", "Ours share", "Ours waiting"}
    assert titles(board=other.pk) == {"Theirs learn"}
    assert titles(section=learn.pk) == {"Ours learn", "Ours waiting"}
    assert titles(status="pending") == {"Ours waiting"}
    assert titles(board=board.pk, status="approved") == {"Ours learn", "Ours share"}


def test_comment_listing_filters_by_status(board, moderator):
    post = make_post(board, title="Commented")
    BoardComment.objects.create(post=post, message="Waiting comment", status=BoardComment.Status.PENDING)
    BoardComment.objects.create(post=post, message="Live comment", status=BoardComment.Status.APPROVED)
    listing = reverse("wagtailsnippets_board_boardcomment:list")
    html = moderator.get(listing, {"status": "pending"}).content.decode()
    assert "Waiting comment" in html and "Live comment" not in html
    html = moderator.get(listing, {"status": "approved"}).content.decode()
    assert "Live comment" in html and "Waiting comment" not in html
