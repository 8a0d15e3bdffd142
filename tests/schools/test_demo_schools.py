"""The demo's schools (demo/content/schools.toml): invented, across the journey, loaded once however often the
loader runs; and, on the whole demo site, no public page, feed or sitemap shows any school's private contact or
any school that did not agree to be listed."""

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from wagtail.models import ModelLogEntry

from schools.models import School, SchoolContact
from tests import factories


def test_the_demo_schools_cover_the_journey(demo_site):
    schools = School.objects.all()
    statuses = Counter(school.status for school in schools)
    assert 18 <= len(schools) <= 25
    assert set(statuses) == {
        "interested", "pledge_signed", "working_towards", "application_submitted", "appraisal_booked",
        "awarded", "renewal_due", "reawarded", "lapsed",
    }  # fmt: skip
    assert statuses["lapsed"] == 1 and statuses["renewal_due"] >= 2
    assert 2 <= schools.filter(listed_publicly=False).count() <= 5
    assert all(school.urn.startswith("9") and len(school.urn) == 6 for school in schools)
    assert all(contact.email.endswith(".example.org") for contact in SchoolContact.objects.all())
    assert all(school.website.endswith(".example.org/") for school in schools)
    awarded = School.objects.get(name="Canal Basin Primary")
    assert [entry.data["to"] for entry in awarded.timeline()][0] == "awarded"
    assert awarded.awarded_on < awarded.expires_on
    for school in schools.filter(status="renewal_due"):
        assert school.renewal_due_from <= demo_site.last_published_at.date() < school.expires_on


def test_loading_the_schools_again_adds_nothing(demo_site):
    before = (School.objects.count(), SchoolContact.objects.count(), ModelLogEntry.objects.count())
    factories.load_demo_part(demo_site, "schools")
    factories.load_demo_part(demo_site, "schools")
    assert (School.objects.count(), SchoolContact.objects.count(), ModelLogEntry.objects.count()) == before


def _public_pages(client):
    """Every page of the sitemap, the directory and its filters, each school page the directory links to, the
    feeds those pages link to, and site search for each school's name: {url: response}, each fetched once."""
    sitemap = client.get("/sitemap.xml")
    pages = {"/sitemap.xml": sitemap}
    urls = {urlsplit(location).path for location in re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())}
    urls |= {"/", "/schools/", "/schools/?status=awarded", "/schools/?status=working-towards&phase=primary"}
    urls |= {f"/search/?q={school.name.split()[0]}" for school in School.objects.all()}
    while urls:
        url = urls.pop()
        pages[url] = client.get(url)
        html = pages[url].content.decode()
        found = set(re.findall(r'href="(/[^"]*(?:feed|rss|atom|ics)[^"]*)"', html))
        found |= set(re.findall(r'href="(/schools/[\w-]+/)"', html))
        urls |= found - set(pages)
    return pages


@pytest.mark.slow(10)
def test_no_public_page_of_the_demo_shows_a_contact_or_an_unlisted_school(client, demo_site):
    contacts = list(SchoolContact.objects.all())
    secrets = {contact.email for contact in contacts} | {contact.name for contact in contacts}
    secrets |= {contact.phone for contact in contacts if contact.phone}
    secrets |= set(School.objects.exclude(pk__in=School.objects.listed()).values_list("name", flat=True))
    secrets = {secret.replace("'", "&#x27;") for secret in secrets} | secrets
    pages = _public_pages(client)
    assert len(pages) > 60
    listed = list(School.objects.listed())
    assert {f"/schools/{school.slug}/" for school in listed} <= set(pages)
    leaks = []
    for url, response in pages.items():
        assert response.status_code in (200, 404), url
        body = response.content.decode()
        leaks += [(url, secret) for secret in secrets if secret in body]
    assert leaks == []


def test_two_demo_schools_have_partly_filled_workspaces_and_make_run_says_how_to_sign_in(demo_site, settings):
    from io import StringIO

    from django.core.management import call_command

    from schools import workspace

    filled = School.objects.filter(evidence__isnull=False).distinct().order_by("name")
    assert [school.name for school in filled] == ["Cobblestone Yard Primary", "Millrace Community College"]
    tasks = workspace.tasks(filled[0], with_evidence=True)
    statuses = {task.criterion.number: task.status for task in tasks}
    assert statuses[1] == "reviewed" and statuses[2] == "needs_more" and statuses[3] == "in_progress"
    assert statuses[8] == "not_started" and workspace.completed_count(tasks) == 1
    assert tasks[0].evidence[0].files.get().name == "staff-training-plan.pdf"
    assert "add what pupils said" in tasks[1].review_comment
    settings.DEBUG = True
    output = StringIO()
    call_command("ensure_dev_admin", stdout=output)
    assert "/schools/sign-in/ with sophie.hartley@cobblestone-yard-primary.example.org" in output.getvalue()
