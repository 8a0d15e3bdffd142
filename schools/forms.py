"""The admin's "Move on the journey" form: the journey's rules (journey.py) checked beside the fields."""

from django import forms
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput

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
