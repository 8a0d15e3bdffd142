"""The EMAS teacher enquiry form: what a teacher sees, what is stored, and what is emailed."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from home.models import SiteSettings
from tests.factories import ENQUIRY as VALID


@pytest.fixture
def contact(demo_home):
    return demo_home.get_children().get(slug="contact").specific


def test_form_shows_labelled_fields(client, contact):
    response = client.get("/contact/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Your name", "Work email address", "School or setting", "Your message"):
        assert label in html
    assert '<label for="id_your_name"' in html


def test_inputs_tell_the_browser_what_they_ask_for(client, contact):
    """WCAG 1.3.5: browsers and assistive technology can fill in the teacher's name, email and school."""
    soup = BeautifulSoup(client.get("/contact/").content.decode(), "html.parser")
    assert soup.find(id="id_your_name")["autocomplete"] == "name"
    assert soup.find(id="id_work_email_address")["autocomplete"] == "email"
    assert soup.find(id="id_school_or_setting")["autocomplete"] == "organization"
    assert not soup.find(id="id_your_message").has_attr("autocomplete")


def test_valid_enquiry_redirects_to_a_thank_you_page_so_a_refresh_cannot_send_it_again(client, contact):
    response = client.post("/contact/", VALID)
    assert response.status_code == 302
    assert response["Location"] == "/contact/thank-you/"
    assert FormSubmission.objects.filter(page=contact).count() == 1
    thank_you = client.get(response["Location"])
    html = thank_you.content.decode()
    assert thank_you.status_code == 200
    assert "Thank you: your message has been sent" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'href="/contact/thank-you/" aria-current="page">Thank you</a>' in html  # the breadcrumb
    # The same page for everybody: nothing of what was sent is shown (or could be cached for somebody else).
    for value in VALID.values():
        assert value not in html
    client.get(response["Location"])  # a refresh
    assert FormSubmission.objects.count() == 1


def test_thank_you_page_shows_the_editors_landing_text(client, contact):
    contact.thank_you_text = "<p>We reply within five working days.</p>"
    contact.save_revision().publish()
    html = client.get("/contact/thank-you/").content.decode()
    assert "We reply within five working days." in html
    assert client.post("/contact/thank-you/", VALID).status_code == 405
    assert FormSubmission.objects.count() == 0


def test_valid_enquiry_is_stored_and_emailed_to_the_settings_address(
    client, contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", VALID, follow=True)
    assert response.redirect_chain == [("/contact/thank-you/", 302)]
    assert "Thank you: your message has been sent" in response.content.decode()
    submission = FormSubmission.objects.get(page=contact)
    assert submission.form_data["your_name"] == "Amira Hassan"
    assert "website_url" not in submission.form_data  # the honeypot is not stored
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    settings = SiteSettings.objects.get()
    assert message.to == [settings.enquiry_email]
    assert message.reply_to == ["a.hassan@school.example.org"]
    assert "How do we start collecting evidence for Learn?" in message.body
    assert "Work email address" in message.body


def test_email_goes_to_the_address_editors_set(client, contact, django_capture_on_commit_callbacks):
    settings = SiteSettings.objects.get()
    settings.enquiry_email = "new.inbox@coventry.example.org"
    settings.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", VALID)
    assert mail.outbox[0].to == ["new.inbox@coventry.example.org"]


def test_invalid_enquiry_shows_errors_next_to_fields_and_keeps_input(client, contact):
    data = {**VALID, "work_email_address": "not-an-email", "your_name": ""}
    response = client.post("/contact/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert 'value="not-an-email"' in html  # what the teacher typed is kept
    assert "How do we start collecting evidence for Learn?" in html
    # The message sits in the field's own group, beside its label, not only in the summary.
    field = BeautifulSoup(html, "html.parser").find("input", id="id_work_email_address").find_parent(class_="field")
    assert "Enter a valid email address." in field.find(class_="field__error").get_text()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_submission_is_silently_dropped(client, contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", {**VALID, "website_url": "http://spam.example"}, follow=True)
    assert response.redirect_chain == [("/contact/thank-you/", 302)]  # as for a real enquiry
    assert "Thank you" in response.content.decode()
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_rate_limit_refuses_kindly_and_stores_nothing_more(client, contact, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post("/contact/", VALID).status_code == 302
    response = client.post("/contact/", VALID)
    assert response.status_code == 429
    assert "several messages in a short time" in response.content.decode()
    assert 'value="Amira Hassan"' in response.content.decode()
    assert FormSubmission.objects.count() == 2


def test_markup_in_an_enquiry_is_escaped_on_the_page(client, contact):
    response = client.post("/contact/", {**VALID, "your_name": "", "your_message": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_email_when_no_enquiry_address_is_set(client, contact, django_capture_on_commit_callbacks):
    SiteSettings.objects.update(enquiry_email="")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/contact/", VALID)
    assert FormSubmission.objects.count() == 1
    assert mail.outbox == []


def test_enquiry_email_is_never_on_public_pages(client, contact):
    address = SiteSettings.objects.get().enquiry_email
    for url in ("/", "/contact/", "/about/", "/sitemap.xml"):
        assert address not in client.get(url).content.decode()
