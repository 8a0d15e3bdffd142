"""How every admin listing exports to a spreadsheet: Wagtail's own export, each cell as a person reads it.

A listing declares its export with Wagtail's `list_export` (and `export_headings`, `export_filename`) and gives its
index view `ListingExportMixin`, on a snippet viewset (`index_view_class`) or a wagtail-modeladmin `ModelAdmin`
alike. Each cell then goes through `export_cell`: a choice as its label, never its stored code; an empty value as
an empty cell (modeladmin writes "-", which the formula guard turned into "'-"); a date and time in the site's
local time (Wagtail writes XLSX times in UTC and CSV times as Python prints them). A column that needs more than
the object (a link built from the request, an event named with its date) is computed in the view's
`export_value`. The CSV starts with a byte-order mark, without which Excel reads UTF-8 as another encoding and
garbles names typed in Arabic or Ukrainian.

What the public typed is kept from running as a formula by security/spreadsheets.py, behind every Wagtail export;
nothing here needs to repeat it. README "Admin listings" says the whole pattern.
"""

import datetime
from collections import OrderedDict

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin

XLSX, CSV = SpreadsheetExportMixin.FORMAT_XLSX, SpreadsheetExportMixin.FORMAT_CSV
CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"


def export_cell(item, field):
    """The value of `item`'s `field` (a model field, an attribute or a method without arguments) as the admin
    shows it: the label of a choice, never its code. Anything else is returned as it is: nothing typed stays ""
    (an empty cell), numbers and dates keep their type in an XLSX file, related objects are written by name."""
    try:
        model_field = item._meta.get_field(field)
    except FieldDoesNotExist:  # an attribute or a method
        model_field = None
    if model_field is not None and model_field.choices:
        return getattr(item, f"get_{field}_display")()
    value = getattr(item, field)
    return value() if callable(value) else value


def _local_naive(value):
    """XLSX cells hold no time zone: write the time a person in Coventry would read."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _local_text(value):
    return (timezone.localtime(value) if timezone.is_aware(value) else value).strftime(CSV_DATETIME_FORMAT)


class ListingExportMixin:
    """For an admin index view with `list_export` (Wagtail's generic or snippet `IndexView`, or modeladmin's): every
    cell through `export_value`, times in local time, a dated file name and a CSV that Excel reads as UTF-8."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {XLSX: _local_naive, CSV: _local_text},
    }

    def export_value(self, item, field):
        """One cell; a view overrides it for the columns the object alone cannot give."""
        return export_cell(item, field)

    def to_row_dict(self, item):
        return OrderedDict((field, self.export_value(item, field)) for field in self.list_export)

    def get_filename(self):
        """The listing's `export_filename` and today's date, so two downloads neither clash nor get mixed up."""
        return f"{super().get_filename()}-{timezone.localdate():%Y-%m-%d}"

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)
