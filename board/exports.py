"""Editors' exports of a board's approved posts: CSV and XLSX, safe to open in a spreadsheet.

Every cell goes through security.spreadsheets.spreadsheet_safe (text that would run as a formula gets a leading
apostrophe), like every other export of the site. Emails are never exported: the export is for sharing.
"""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from security.spreadsheets import spreadsheet_safe_row

from .models import BoardPost
from .views import editor_can_export

HEADERS = ["Section", "Title", "Message", "Link", "Name shown", "School", "Approved", "Likes", "Attachment", "Post"]


def export_rows(request, board):
    posts = (
        BoardPost.objects.approved()
        .filter(board=board)
        .select_related("section")
        .order_by("section__sort_order", "-pinned", "-approved_at", "-pk")
    )
    base = request.build_absolute_uri(board.url)
    for post in posts.iterator(chunk_size=500):
        detail = base + board.reverse_subpage("post_detail", args=[post.pk])
        yield [
            post.section.name,
            post.title,
            post.message,
            post.link,
            post.author,
            post.school,
            timezone.localtime(post.approved_at).strftime("%Y-%m-%d %H:%M") if post.approved_at else "",
            post.reaction_count,
            post.attachment_name,
            detail,
        ]


def _filename(board, extension):
    return f"{slugify(board.title) or 'board'}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_csv(request, board):
    editor_can_export(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in export_rows(request, board):
        writer.writerow(spreadsheet_safe_row(row))
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(board, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_xlsx(request, board):
    from openpyxl import Workbook

    editor_can_export(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Approved posts")
    sheet.append(HEADERS)
    for row in export_rows(request, board):
        sheet.append(spreadsheet_safe_row(row))
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(board, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response
