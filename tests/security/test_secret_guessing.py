"""Guessing secrets is limited (issue 14): page passwords, and password-reset emails sent to one account."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import PageViewRestriction

from home.models import ContentPage
from tests.security.test_admin_accounts import admin_user  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
PAGE_PASSWORD = "kettle-of-fish-7"


@pytest.fixture
def private_page(demo_home):
    page = ContentPage.objects.get(slug="about")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return page, f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/"


def guess(client, private_page, password):
    page, action = private_page
    return client.post(action, {"password": password, "return_url": page.url})


def test_ten_wrong_page_passwords_then_429_even_for_the_right_one(private_page):
    visitor = Client()
    assert [guess(visitor, private_page, f"guess-{n}").status_code for n in range(10)] == [200] * 10
    refused = guess(visitor, private_page, PAGE_PASSWORD)
    assert refused.status_code == 429
    assert "wrong password too many times" in refused.content.decode()
    # Another address is not affected, and the right password lets it in.
    other = Client(REMOTE_ADDR="192.0.2.80")
    assert guess(other, private_page, PAGE_PASSWORD).status_code == 302
    assert other.get(private_page[0].url).status_code == 200


def test_the_right_page_password_is_not_counted_against_the_visitor(private_page):
    visitor = Client()
    for _ in range(12):
        assert guess(visitor, private_page, PAGE_PASSWORD).status_code == 302


def reset(client, email):
    response = client.post("/admin/password_reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/admin/password_reset/done/"


def test_password_reset_emails_to_one_account_are_limited_and_the_page_answers_the_same(admin_user):  # noqa: F811
    for n in range(15):  # from fifteen addresses, so only the per-account limit applies
        reset(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), admin_user.email)
    assert len(mail.outbox) == 3
    assert {tuple(message.to) for message in mail.outbox} == {(admin_user.email,)}


def test_password_reset_requests_from_one_address_are_limited(admin_user, django_user_model):  # noqa: F811
    emails = [f"editor{n}@coventry.example.org" for n in range(15)]
    for n, email in enumerate(emails):
        django_user_model.objects.create_user(f"editor{n}", email, "a-long-password-for-tests-1")
    visitor = Client()
    for email in emails:
        reset(visitor, email)
    assert len(mail.outbox) == 10
