"""The public sign-up form and the editors' "email all attendees" form."""

from django import forms

from security.public_input import add_honeypot

from .models import EventRegistration


class RegistrationForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We send your confirmation, and any joining link, to this address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    school = forms.CharField(
        label="School or setting",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.ChoiceField(label="Your role", choices=[("", "Choose your role")] + EventRegistration.Role.choices)
    access_needs = forms.CharField(
        label="Access or dietary needs",
        required=False,
        max_length=1000,
        help_text="Anything we should arrange so you can take part, for example captions or step-free access.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="I agree to my details being used to organise this event, as the privacy notice describes",
        error_messages={"required": "Tick the box to agree to the privacy notice, so we can book your place."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_honeypot(self)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Enter your name.")
        return name

    def clean_school(self):
        school = " ".join(self.cleaned_data["school"].split())
        if not school:
            raise forms.ValidationError("Enter your school or setting.")
        return school


class AttendeeMessageForm(forms.Form):
    subject = forms.CharField(max_length=150, help_text="The email's subject line.")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10_000,
        help_text="Plain text. Each attendee gets their own email; addresses are never shared.",
    )
    include_waiting_list = forms.BooleanField(required=False, help_text="Also send it to people on the waiting list.")
