"""The base app's email: an enquiry passed on to EMAS, queued in the outbox with the submission."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site

from outbox.mail import queue_email

from .models import SiteSettings


def send_enquiry_email(submission_id):
    """Email one enquiry to the address in Site settings; nothing to do if that address is empty."""
    submission = FormSubmission.objects.select_related("page").filter(pk=submission_id).first()
    if submission is None:
        return
    page = submission.page.specific
    site = page.get_site() or Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if not site_settings.enquiry_email:
        return
    labels = {field.clean_name: field.label for field in page.get_form_fields()}
    rows = [(labels.get(name, name), value) for name, value in submission.form_data.items()]
    reply_to = [value for name, value in submission.form_data.items() if "email" in name and value][:1]
    body = render_to_string(
        "home/email/enquiry_notification.txt",
        {"page": page, "rows": rows, "submission": submission, "settings": site_settings},
    )
    message = EmailMessage(subject=page.email_subject, body=body, to=[site_settings.enquiry_email], reply_to=reply_to)
    queue_email(message, purpose="Enquiry", key=f"enquiry-{submission.pk}")
