"""Signing in to the award workspace (schools/sign_in.py): a one-time link emailed to a sanctuary lead, valid for 15
minutes, used once, bound to the lead; the form answers the same whatever address is typed and is rate limited; a
session ends after inactivity, on "Sign out" and when EMAS remove the lead."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.models import ModelLogEntry

from schools.models import LeadSignInLink, SchoolContact
from tests import factories

pytestmark = pytest.mark.django_db

SIGN_IN = "/schools/sign-in/"
WORKSPACE = "/schools/workspace/"
LINK = re.compile(r"https?://[^/\s]+(/schools/sign-in/[A-Za-z0-9_-]+/)")


@pytest.fixture
def school(db):
    factories.make_school_directory(factories.make_home())
    return factories.make_school(
        "Canal Basin Primary", status="working_towards", contacts=[("Amina Yusuf", "amina.yusuf@canal.example.org")]
    )


def ask_for_link(client, email, capture):
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(SIGN_IN, {"email": email})
    return response


def link_path(message):
    return LINK.search(message.body)[1]


def test_a_lead_asks_for_a_link_opens_it_and_signs_in(client, school, django_capture_on_commit_callbacks):
    response = ask_for_link(client, "Amina.Yusuf@canal.example.org ", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == SIGN_IN + "?sent=1"
    [message] = mail.outbox
    assert message.to == ["amina.yusuf@canal.example.org"]
    assert "Canal Basin Primary" in message.subject and "15 minutes" in message.body
    path = link_path(message)

    # Opening the link (as a mail scanner would) signs nobody in and uses nothing up.
    opened = client.get(path)
    assert opened.status_code == 200 and "Sign in as Amina Yusuf" in opened.content.decode()
    assert client.get(WORKSPACE)["Location"] == SIGN_IN
    assert LeadSignInLink.objects.get().used_at is None

    signed_in = client.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == WORKSPACE
    page = client.get(WORKSPACE)
    assert page.status_code == 200
    assert "Signed in as <strong>Amina Yusuf</strong> for <strong>Canal Basin Primary</strong>" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    entry = ModelLogEntry.objects.filter(action="schools.lead_signed_in").get()
    assert entry.data["lead"] == "Amina Yusuf" and entry.object_id == str(school.pk)


def test_the_answer_is_the_same_for_any_address(client, school, django_capture_on_commit_callbacks):
    known = ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    unknown = ask_for_link(Client(), "nobody@canal.example.org", django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    after_known = client.get(known["Location"]).content.decode()
    after_unknown = Client().get(unknown["Location"]).content.decode()
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", after_known) == strip.sub("", after_unknown)
    assert "If that address belongs to a school’s sanctuary lead" in after_known


def test_a_person_who_leads_two_schools_gets_a_link_for_each(client, school, django_capture_on_commit_callbacks):
    factories.make_school("Foleshill Academy", contacts=[("Amina Yusuf", "amina.yusuf@canal.example.org")])
    ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    assert sorted(message.subject.rsplit(" for ", 1)[1] for message in mail.outbox) == [
        "Canal Basin Primary",
        "Foleshill Academy",
    ]


def test_a_link_works_once(client, school, django_capture_on_commit_callbacks):
    ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    assert client.post(path).status_code == 302
    again = Client().post(path)
    assert again.status_code == 410
    body = again.content.decode()
    assert "already been used" in body and "Ask for a new one below" in body and 'name="email"' in body
    assert Client().get(path).status_code == 410


def test_a_link_expires_after_fifteen_minutes(client, school, django_capture_on_commit_callbacks):
    ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    LeadSignInLink.objects.update(created_at=timezone.now() - timedelta(minutes=15, seconds=1))
    response = client.post(path)
    assert response.status_code == 410 and "has expired: links work for 15 minutes" in response.content.decode()
    assert client.get(WORKSPACE).status_code == 302


def test_a_made_up_or_cut_link_is_refused(client, school, django_capture_on_commit_callbacks):
    ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    for wrong in (path[:-5] + "/", SIGN_IN + "x" * 43 + "/"):
        response = client.post(wrong)
        assert response.status_code == 410 and "not one we sent" in response.content.decode()
    assert LeadSignInLink.objects.get().used_at is None


def test_the_link_is_bound_to_its_lead(client, school, django_capture_on_commit_callbacks):
    """Only a hash of the token is stored; the link signs in the lead it was made for, whoever opens it."""
    other = factories.make_school("Foleshill Academy", contacts=[("Olek Bondar", "olek@foleshill.example.org")])
    ask_for_link(client, "olek@foleshill.example.org", django_capture_on_commit_callbacks)
    path = link_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert not LeadSignInLink.objects.filter(token_hash=token).exists()
    client.post(path)
    assert "for <strong>Foleshill Academy</strong>" in client.get(WORKSPACE).content.decode()
    assert other.pk != school.pk


def test_sign_in_is_rate_limited(client, school, settings, django_capture_on_commit_callbacks):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert (
            ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks).status_code == 302
        )
    refused = ask_for_link(client, "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert (
        "too many times" in refused.content.decode()
        and 'value="amina.yusuf@canal.example.org"' in refused.content.decode()
    )
    assert mail.outbox == []


def test_an_invalid_address_is_shown_beside_the_field_and_kept(client, school):
    response = client.post(SIGN_IN, {"email": "amina.yusuf@"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Enter a valid email address." in body
    assert 'value="amina.yusuf@"' in body


def test_the_honeypot_answers_as_if_sent_and_sends_nothing(client, school, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN_IN, {"email": "amina.yusuf@canal.example.org", "website_url": "spam"})
    assert response["Location"] == SIGN_IN + "?sent=1" and mail.outbox == []


def signed_in_client(email, capture):
    client = Client()
    ask_for_link(client, email, capture)
    client.post(link_path(mail.outbox[-1]))
    return client


def test_sign_out_ends_the_session(school, django_capture_on_commit_callbacks):
    client = signed_in_client("amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    assert client.get(SIGN_IN.replace("sign-in", "sign-out")).status_code == 405  # a link cannot sign anybody out
    response = client.post("/schools/sign-out/")
    assert response["Location"] == SIGN_IN
    assert "You have signed out." in client.get(SIGN_IN).content.decode()
    assert client.get(WORKSPACE)["Location"] == SIGN_IN


def test_a_session_ends_after_thirty_minutes_without_a_request(school, settings, django_capture_on_commit_callbacks):
    client = signed_in_client("amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    session = client.session
    session["school_lead"]["seen"] -= 29 * 60
    session.save()
    assert client.get(WORKSPACE).status_code == 200  # 29 minutes: still signed in, and the clock starts again
    session = client.session
    session["school_lead"]["seen"] -= 30 * 60 + 1
    session.save()
    response = client.get(WORKSPACE)
    assert response["Location"] == SIGN_IN
    assert "signed out after 30 minutes without activity" in client.get(SIGN_IN).content.decode()


def test_a_lead_emas_remove_is_signed_out(school, django_capture_on_commit_callbacks):
    client = signed_in_client("amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    SchoolContact.objects.filter(email="amina.yusuf@canal.example.org").update(email="new.lead@canal.example.org")
    assert client.get(WORKSPACE)["Location"] == SIGN_IN
    assert "no longer list this address" in client.get(SIGN_IN).content.decode()


def test_every_post_needs_the_csrf_token(school, django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SIGN_IN, {"email": "amina.yusuf@canal.example.org"}).status_code == 403
    ask_for_link(Client(), "amina.yusuf@canal.example.org", django_capture_on_commit_callbacks)
    assert strict.post(link_path(mail.outbox[0])).status_code == 403
    assert LeadSignInLink.objects.get().used_at is None


def test_reserved_addresses_cannot_be_a_schools_slug(school):
    from django.core.exceptions import ValidationError

    school.slug = "workspace"
    with pytest.raises(ValidationError, match="address of the site's own"):
        school.full_clean()


def test_one_address_gets_at_most_five_links_an_hour_whoever_asks(school, settings, django_capture_on_commit_callbacks):
    """From five visitors at once (each under its own limit), the sixth request for the same address is refused,
    and so for an address that is nobody's: the limit says nothing about who is a lead."""
    settings.PUBLIC_FORM_RATE_LIMIT = 100
    sent = 0
    for number in range(6):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(REMOTE_ADDR=f"192.0.2.{number}").post(SIGN_IN, {"email": "amina.yusuf@canal.example.org"})
        sent += len(mail.outbox)
        assert response.status_code == (302 if number < 5 else 429)
    assert sent == 5
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(SIGN_IN, {"email": "nobody@canal.example.org"}).status_code
        for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]
