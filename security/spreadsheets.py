"""Spreadsheet exports that are safe to open: text the public typed never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell starting with = + - @ (or a tab or carriage return before
one) as a formula, so an enquiry or a post saying `=HYPERLINK("http://evil.example","Click")` or
`+cmd|' /C calc'!A0` would run when an editor opens the export. `spreadsheet_safe()` prefixes such text with an
apostrophe, which every spreadsheet reads as "this is text", and which survives a round trip through CSV.

Every export goes through it: `make_wagtail_exports_formula_safe()` (run once, from SecurityConfig.ready) puts it
behind Wagtail's `SpreadsheetExportMixin`, which every export of the site uses: form submissions (the enquiry form,
any form page), the registrations' and board posts' listings (README "Admin listings"), the reports (site history
shows board post titles the public typed) and any listing given `list_export` later. Patching the mixin, rather
than subclassing each view, is deliberate: a subclass covers only the views we remember to change, and Wagtail's
reports cannot be given one.
"""

from django.core.exceptions import ImproperlyConfigured

# What a spreadsheet reads as the start of a formula. The full-width forms are read as formulas by Excel
# with an East Asian input method; leading spaces and control characters are skipped by some importers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_SKIPPED_BEFORE_A_FORMULA = " \x00\x0b\x0c"


def spreadsheet_safe(value):
    """`value` ready for a spreadsheet cell: text that could start a formula gets a leading apostrophe.

    Other values (numbers, dates, None) are returned as they are, so they keep their type in an XLSX file.
    Safe to apply twice: a prefixed value no longer starts like a formula.
    """
    if isinstance(value, str) and value.lstrip(_SKIPPED_BEFORE_A_FORMULA).startswith(FORMULA_STARTS):
        return "'" + value
    return value


def make_wagtail_exports_formula_safe():
    """Run every value of every Wagtail spreadsheet export (CSV and XLSX) through `spreadsheet_safe()`.

    Wraps `SpreadsheetExportMixin.preprocess_field_value`, the one step each cell goes through after Wagtail
    has turned it into what is written (a list joined into text, a related object into its name), so the
    guard sees the final text. Idempotent; refuses to start if Wagtail renames the step, rather than
    silently exporting unguarded cells.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = getattr(SpreadsheetExportMixin, "preprocess_field_value", None)
    if original is None:
        raise ImproperlyConfigured(
            "Wagtail's SpreadsheetExportMixin has no preprocess_field_value: exports would not be formula-safe."
        )
    if getattr(original, "formula_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return spreadsheet_safe(original(self, field, value, export_format))

    preprocess_field_value.formula_safe = True
    preprocess_field_value.__doc__ = original.__doc__
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
