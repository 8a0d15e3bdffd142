"""The schools network's forms: the admin's "Move on the journey" (the journey's rules, journey.py, checked beside
the fields) and EMAS's review of a criterion; the workspace's sign-in, evidence and declaration, which the public
may reach and which take the shared checks of public input (honeypot, uploads checked by their content)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

from security.links import WebLinkField
from security.public_input import HoneypotField
from security.uploads import (
    IMAGE_EXTENSIONS,
    FileInputWithNotKeptNote,
    clean_uploaded_attachment,
    clean_uploaded_image,
)

from . import journey
from .journey import JourneyStatus

MIN_PANEL_MEMBERS = 3


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label="Move to",
        choices=JourneyStatus.choices,
        help_text="Only the steps the journey allows from where the school is now are offered.",
    )
    on = forms.DateField(
        label="Date",
        widget=AdminDateInput,
        help_text="The day this step happened: the pledge signed, the application received, the appraisal visit "
        "(it may be still to come), the award made (not in the future).",
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, or what was agreed: shown on the school's timeline to everyone who manages schools.",
    )
    appraisal_panel = forms.CharField(
        label="Appraisal panel",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only when booking the appraisal: the panel's members, one per line, at least three, at least one "
        "with lived experience of seeking sanctuary.",
    )

    def __init__(self, school, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.school = school
        allowed = school.allowed_moves()
        # Any status is accepted as input, so a stale or crafted choice gets the journey's own message (not
        # Django's "Select a valid choice"); only the allowed ones are offered.
        self.fields["status"].widget.choices = [(status.value, status.label) for status in allowed]
        if len(allowed) == 1:
            self.fields["status"].initial = allowed[0].value

    def clean_status(self):
        status = self.cleaned_data["status"]
        try:
            journey.check_move(self.school.status, status)
        except journey.IllegalMove as error:
            raise forms.ValidationError(str(error), code="illegal_move") from error
        return JourneyStatus(status)

    def clean(self):
        cleaned = super().clean()
        status, on = cleaned.get("status"), cleaned.get("on")
        if status in journey.STARTS_AN_AWARD and on and on > timezone.localdate():
            self.add_error("on", "An award cannot be dated in the future: record it on the day it is made.")
        if status == JourneyStatus.APPRAISAL_BOOKED:
            members = [line.strip() for line in cleaned.get("appraisal_panel", "").splitlines() if line.strip()]
            if len(members) < MIN_PANEL_MEMBERS:
                self.add_error(
                    "appraisal_panel",
                    f"Name the panel's members, one per line: at least {MIN_PANEL_MEMBERS} people "
                    f"(you gave {len(members)}).",
                )
            else:
                cleaned["appraisal_panel"] = "\n".join(members)
        elif cleaned.get("appraisal_panel", "").strip():
            self.add_error("appraisal_panel", "The panel is recorded only when booking the appraisal: leave it empty.")
        return cleaned


# --- The workspace (school leads) -------------------------------------------------------------------------------


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The work address EMAS have for you as your school's sanctuary lead.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    website_url = HoneypotField()


EVIDENCE_FILES_MAX = 5
FILES_NOT_KEPT = "Choose your files again: for your security, browsers do not keep a chosen file after an error."


class MultipleFileInput(FileInputWithNotKeptNote):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Up to EVIDENCE_FILES_MAX files, each checked by its content: PDF, Word (.docx), PowerPoint (.pptx), or an
    image, which is re-encoded from its pixels so no location or camera details survive. Cleans to a list of
    (name as uploaded, CleanedFile)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.pptx,.jpg,.jpeg,.png,.webp,.gif"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if len(uploads) > EVIDENCE_FILES_MAX:
            raise ValidationError(f"Add at most {EVIDENCE_FILES_MAX} files to one entry (you chose {len(uploads)}).")
        cleaned, errors = [], []
        for upload in uploads:
            upload = super().clean(upload, initial)
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            try:
                if extension in IMAGE_EXTENSIONS:
                    checked = clean_uploaded_image(upload)
                else:
                    checked = clean_uploaded_attachment(upload)
            except ValidationError as error:
                errors += [f"{upload.name[:80]}: {message}" for message in error.messages]
                continue
            cleaned.append((upload.name[:120], checked))
        if errors:
            raise ValidationError(errors)
        return cleaned


class EvidenceForm(forms.Form):
    done_on = forms.DateField(
        label="When did it happen?",
        help_text="The date, or the first day of something that took longer. For example 14 March 2026.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date it happened.",
            "invalid": "Enter a real date, for example 2026-03-14.",
        },
    )
    what_was_done = forms.CharField(
        label="What did the school do?",
        max_length=3000,
        error_messages={"required": "Say what the school did."},
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, and how it meets the criterion. Up to 3,000 characters.",
    )
    who_took_part = forms.CharField(
        label="Who took part?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: Year 5, the school council, parents from the Arabic-speaking community. "
        "Do not name pupils.",
    )
    impact = forms.CharField(
        label="What difference did it make?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What changed for pupils, families or staff, and how you know.",
    )
    link = WebLinkField(
        label="Link",
        required=False,
        help_text="A web page that shows it, starting with https:// (your school's news page, a video).",
    )
    files = EvidenceFilesField(
        label="Files",
        required=False,
        help_text=f"Up to {EVIDENCE_FILES_MAX} files: PDF, Word (.docx), PowerPoint (.pptx) up to 10 MB each, or "
        "photos (JPEG, PNG, WebP, GIF) up to 5 MB each. We remove location and camera details from photos. Only "
        "photos of pupils whose parents agreed.",
    )

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise ValidationError("Enter a date that has passed: evidence is of something the school has done.")
        return done_on

    def note_files_not_kept(self):
        """After any error, say beside the file input that the files must be chosen again."""
        if self.errors and self.files:
            self.fields["files"].widget.not_kept_note = FILES_NOT_KEPT

    def evidence_data(self):
        names = ("done_on", "what_was_done", "who_took_part", "impact", "link")
        return {name: self.cleaned_data[name] for name in names}


class DeclarationForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm that the evidence is accurate, that the school's headteacher agrees to this application, "
        "and that the school has consent for every photo of a pupil in it.",
        error_messages={"required": "Tick the box to confirm the declaration before you send the application."},
    )


class ReviewForm(forms.Form):
    """EMAS's review of one criterion in the admin."""

    status = forms.ChoiceField(
        label="Review",
        widget=forms.RadioSelect,
        choices=[("reviewed", "Reviewed by EMAS: the evidence meets the criterion"), ("needs_more", "Needs more")],
    )
    comment = forms.CharField(
        label="Comment for the school",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the school's leads in their workspace and emailed to them. Needed for “Needs more”: "
        "say what is missing.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "needs_more" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say what is missing, so the school knows what to add.")
        return cleaned
