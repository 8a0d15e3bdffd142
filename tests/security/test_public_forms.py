"""The one pipeline every public form goes through (`security.public_input.handle_public_form`), tested once here.

The five forms that use it (enquiry, event sign-up, board post and edit, report, comment) keep their own tests of
what is theirs: which limits, what saving does, the page and the redirect. Here a small form is served from a
URL of this module through the real middleware and the Django test client, and its `save` writes real rows:
the database failure is a real one (the second of two groups with one name breaks the table's unique
constraint, after the first was written), not a stand-in for our code.
"""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from security.public_input import (
    SAVE_FAILED_MESSAGE,
    RateLimit,
    SaveRefused,
    add_honeypot,
    handle_public_form,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PER_VISITOR = 2
PER_SITE = 4
RATE_LIMITED = "You have sent this several times in a short time."
LOCKED_OUT = "Nobody may send this today."
SAVE_FAILED_START = SAVE_FAILED_MESSAGE.split(",")[0]


class GroupForm(forms.Form):
    name = forms.CharField(max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_honeypot(self)


def save_group(form):
    """One group, or two with the same name for a name starting "twice" (the database refuses the second), or
    none for "closed" (refused for a reason of our own, after a row was written). Emails after the commit."""
    name = form.cleaned_data["name"]
    group = Group.objects.create(name=name)
    if name.startswith("twice"):
        Group.objects.create(name=name)
    if name == "closed":
        raise SaveRefused("Sending has closed.", status=409)
    transaction.on_commit(lambda: mail.send_mail("Saved", name, None, ["team@example.org"]))
    return group


def render(form, status):
    return HttpResponse(form.as_p(), status=status)


@csrf_exempt
def group_form(request):
    return handle_public_form(
        request,
        GroupForm(request.POST),
        rate_limits=[RateLimit("test-form", PER_VISITOR, 60), (RateLimit("test-form-all", PER_SITE, 60), "site")],
        rate_limited_message=RATE_LIMITED,
        before_validation=lambda: (
            HttpResponse(LOCKED_OUT, status=423) if request.POST.get("name") == "locked" else None
        ),
        save=save_group,
        render=render,
        on_success=lambda group: HttpResponseRedirect(f"/done/{group.pk}/"),
        on_honeypot=lambda: HttpResponseRedirect("/done/0/"),
        what="Test group",
    )


urlpatterns = [path("form/", group_form)]


@pytest.fixture
def made():
    """The names of the groups the form has made since the test began (migrations make the admin groups)."""
    before = set(Group.objects.values_list("name", flat=True))
    return lambda: set(Group.objects.values_list("name", flat=True)) - before


def send(client, name="Year 7 helpers", address="192.0.2.1", **extra):
    return client.post("/form/", {"name": name, "website_url": "", **extra}, REMOTE_ADDR=address)


def test_a_valid_form_is_saved_and_answered_with_the_success_response(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client)
    group = Group.objects.get(name="Year 7 helpers")
    assert response.status_code == 302 and response["Location"] == f"/done/{group.pk}/"
    assert [message.body for message in mail.outbox] == ["Year 7 helpers"]


def test_the_honeypot_is_answered_as_a_success_and_nothing_is_validated_stored_sent_or_counted(
    client, django_capture_on_commit_callbacks, made
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(PER_VISITOR + 1):
            response = send(client, name="", website_url="http://spam.example")
            assert response.status_code == 302 and response["Location"] == "/done/0/"
    assert made() == set() and mail.outbox == []
    assert send(client).status_code == 302  # the bot's tries did not use up the visitor's limit


def test_an_invalid_form_is_shown_again_with_its_errors_and_data_and_is_not_counted(client, made):
    for _ in range(PER_VISITOR + 2):
        response = send(client, name="x" * 51)
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ensure this value has at most 50 characters" in html
        assert 'value="' + "x" * 51 + '"' in html  # what was typed is kept
    assert made() == set()
    assert send(client).status_code == 302  # a visitor correcting mistakes is not held back for them


def test_before_validation_can_refuse_first(client, made):
    response = send(client, name="locked")
    assert response.status_code == 423 and response.content.decode() == LOCKED_OUT
    assert made() == set()


def test_past_a_limit_the_form_is_refused_with_429_and_keeps_its_data(client, made):
    for number in range(PER_VISITOR):
        assert send(client, name=f"Group {number}").status_code == 302
    response = send(client, name="One too many")
    html = response.content.decode()
    assert response.status_code == 429
    assert RATE_LIMITED in html and 'value="One too many"' in html
    assert made() == {"Group 0", "Group 1"}
    # The limit is per visitor: another address is not held back by this one.
    assert send(client, name="Another school", address="192.0.2.2").status_code == 302


def test_a_limit_with_its_own_identity_counts_every_visitor_and_every_limit_counts_each_attempt(client, made):
    """The per-site limit (`(RateLimit, "site")`) sees attempts from every address, including those another limit
    refused: every limit counts every valid attempt."""
    statuses = [send(client, name=f"A {n}", address="192.0.2.1").status_code for n in range(PER_SITE)]
    assert statuses == [302] * PER_VISITOR + [429] * (PER_SITE - PER_VISITOR)
    # The attempts the visitor's limit refused counted towards the site's too, so the next address is refused.
    assert send(client, name="B", address="192.0.2.9").status_code == 429
    assert made() == {"A 0", "A 1"}


def test_a_database_error_answers_503_keeps_the_data_and_saves_nothing(
    client, django_capture_on_commit_callbacks, made
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, name="twice over")
    html = response.content.decode()
    assert response.status_code == 503
    assert SAVE_FAILED_START in html
    assert 'value="twice over"' in html
    assert made() == set()  # the first group, written before the failure, was rolled back
    assert mail.outbox == []  # nor was anything queued for after the commit sent


def test_a_refusal_raised_by_save_answers_its_status_and_message_and_saves_nothing(client, made):
    response = send(client, name="closed")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Sending has closed." in html and 'value="closed"' in html
    assert made() == set()
