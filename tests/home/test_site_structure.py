"""A new production database: `load_site_structure` makes the real site (no demo content), `configure_site`
names the public host, and neither touches a site that already exists."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Revision, Site

from board.models import BoardPage, BoardPost
from events.models import EventIndexPage, EventPage, EventRegistration
from home.models import ContentPage, FormPage, HomePage, SiteSettings
from resources.models import ResourceIndexPage, ResourcePage
from schools.models import School

PUBLIC_URL = "https://sanctuary.coventry.gov.uk"
ENTRYPOINT = Path(__file__).resolve().parents[2] / "docker-entrypoint.sh"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_on_an_empty_database_it_creates_exactly_the_real_site(client, db):
    run("load_site_structure")

    home = HomePage.in_default_language()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    children = {page.slug: page.specific for page in home.get_children().live()}
    assert {slug: page.title for slug, page in children.items()} == {
        "about": "What is a School of Sanctuary?",
        "learn": "Learn",
        "embed": "Embed",
        "share": "Share",
        "apply": "How to apply for the award",
        "contact": "EMAS teacher enquiries",
        "accessibility": "Accessibility statement",
        "privacy": "Privacy notice",
        "events": "Events and webinars",
        "resources": "Resource library",
        "board": "Community board",
        "schools": "Our schools",
    }
    assert isinstance(children["contact"], FormPage)
    assert [field.label for field in children["contact"].form_fields.all()][:2] == ["Your name", "Work email address"]
    assert isinstance(children["events"], EventIndexPage)
    assert isinstance(children["resources"], ResourceIndexPage)
    assert isinstance(children["board"], BoardPage)
    # Nothing made up: no resources, events, posts, sign-ups or people; the board takes no posts until EMAS sets a code.
    assert ResourcePage.objects.count() == 0
    assert EventPage.objects.count() == 0
    assert BoardPost.objects.count() == 0
    assert School.objects.count() == 0
    assert EventRegistration.objects.count() == 0
    assert get_user_model().objects.count() == 0
    assert children["board"].posting_mode == BoardPage.PostingMode.CLOSED and not children["board"].posting_code
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    assert settings.address_lines[:3] == ["PO Box 15", "Council House", "Earl Street"]
    assert settings.telephone == "024 7697 5491"
    assert settings.enquiry_email == ""  # never a made-up address: editors set the team's own

    home_html = client.get("/").content.decode()
    assert "Coventry became a City of Sanctuary in 2011" in home_html
    assert "Welcome to your new Wagtail site" not in home_html
    assert "Learn about what it means to be seeking sanctuary" in client.get("/learn/").content.decode()
    assert "embed concepts of welcome, safety and inclusion" in client.get("/embed/").content.decode()
    assert "Share your vision and achievements - be proud!" in client.get("/share/").content.decode()
    contact_html = client.get("/contact/").content.decode()
    assert "PO Box 15" in contact_html and "024 7697 5491" in contact_html
    for url in ("/about/", "/apply/", "/accessibility/", "/privacy/", "/events/", "/events/webinars/", "/resources/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/board/").status_code == 200


def test_on_an_existing_site_it_changes_nothing(client, demo_site):
    about = ContentPage.objects.get(slug="about")
    about.title = "About the programme"
    about.save_revision().publish()
    ContentPage.objects.get(slug="privacy").delete()  # an editor's choice, which the release step must respect
    before = (Page.objects.count(), Revision.objects.count(), list(Page.objects.values_list("pk", "title", "path")))

    output = run("load_site_structure")
    run("load_site_structure")

    assert "left as it is" in output
    after = (Page.objects.count(), Revision.objects.count(), list(Page.objects.values_list("pk", "title", "path")))
    assert after == before


def test_running_it_twice_on_an_empty_database_builds_it_once(db):
    run("load_site_structure")
    pages, revisions = Page.objects.count(), Revision.objects.count()
    run("load_site_structure")
    assert (Page.objects.count(), Revision.objects.count()) == (pages, revisions)


def test_the_demo_builds_on_the_structure(demo_site):
    """One definition of each page: the demo's pages are the structure's, plus the made-up events and posts."""
    # One home page per language (the others aliases of the English one until translated).
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == sorted(settings.SITE_LOCALES)
    assert EventIndexPage.objects.count() == 1 and ResourceIndexPage.objects.count() == 1
    assert ContentPage.objects.get(slug="learn").process == "learn"
    assert ResourcePage.objects.exists() and EventPage.objects.exists() and BoardPost.objects.exists()
    # The seed's words about the launch webinar describe its recording, in the webinar archive, not a dated notice.
    launch = EventPage.objects.get(slug="schools-of-sanctuary-launch-2023-24")
    assert "In this webinar Megan Greenwood, from City of" in str(launch.body)


def test_the_release_step_loads_the_structure_and_names_the_host():
    release = ENTRYPOINT.read_text().split("release)", 1)[1].split(";;", 1)[0]
    commands = re.findall(r"python manage.py (\w+)", release)
    assert commands.index("migrate") < commands.index("load_site_structure") < commands.index("configure_site")


@pytest.fixture
def public_site(demo_site):
    with override_settings(BASE_URL=PUBLIC_URL):
        yield run("configure_site")


def test_configure_site_sets_the_default_site_from_base_url(public_site):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("sanctuary.coventry.gov.uk", 443)
    assert site.site_name == "Coventry Schools of Sanctuary"
    assert site.root_url == PUBLIC_URL
    assert "sanctuary.coventry.gov.uk:443" in public_site

    with override_settings(BASE_URL=PUBLIC_URL):
        second = run("configure_site")
    assert "already" in second
    assert Site.objects.count() == 1
    assert Site.objects.get(is_default_site=True).port == 443


@pytest.mark.parametrize(
    ("base_url", "address"),
    [("http://127.0.0.1:8000", ("127.0.0.1", 8000)), ("http://sanctuary.example", ("sanctuary.example", 80))],
)
def test_configure_site_takes_the_port_from_the_scheme_or_the_url(db, base_url, address):
    run("load_site_structure")
    with override_settings(BASE_URL=base_url):
        run("configure_site")
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == address


def test_sitemap_feed_calendar_and_canonical_links_name_the_public_host(client, public_site):
    headers = {"HTTP_HOST": "sanctuary.coventry.gov.uk", "HTTP_X_FORWARDED_PROTO": "https"}
    with override_settings(BASE_URL=PUBLIC_URL):
        sitemap = client.get("/sitemap.xml", **headers).content.decode()
        feed = client.get("/resources/feed/", **headers).content.decode()
        event = EventPage.objects.filter(end__gte=timezone.now()).order_by("start").first()
        ics = client.get(f"{event.url}ics/", **headers).content.decode()
        about = client.get("/about/", **headers).content.decode()
    assert f"<loc>{PUBLIC_URL}/learn/</loc>" in sitemap
    assert f"<link>{PUBLIC_URL}/resources/" in feed
    assert f"URL:{PUBLIC_URL}{event.url}" in ics.replace("\r\n ", "")
    assert f'<link rel="canonical" href="{PUBLIC_URL}/about/">' in about
    for text in (sitemap, feed, ics, about):
        assert "localhost" not in text


def test_the_home_page_and_apply_show_the_next_event_from_the_database(client, demo_site):
    index = EventIndexPage.objects.get()
    start = (timezone.now() + timedelta(days=1)).replace(hour=15, minute=30, second=0, microsecond=0)
    soonest = EventPage(
        title="Refugee Week planning drop-in",
        slug="refugee-week-planning-drop-in",
        summary="Bring your ideas for Refugee Week.",
        start=start,
        end=start + timedelta(hours=1),
        event_format=EventPage.Format.ONLINE,
        capacity=20,
    )
    index.add_child(instance=soonest)
    soonest.save_revision().publish()

    for url in ("/", "/apply/"):
        html = client.get(url).content.decode()
        assert "Refugee Week planning drop-in" in html, url
        assert soonest.display_dates in html, url
        assert "1 October 2024" not in html and "September 2024. We are" not in html, url
        assert "There will be an updated version" not in html, url
    apply_html = client.get("/apply/").content.decode()
    assert f'href="{soonest.url}register/"' in apply_html  # its sign-up link
    assert "Latest webinar recording" in apply_html

    soonest.title = "Refugee Week planning (moved)"
    soonest.save_revision().publish()
    for url in ("/", "/apply/"):
        assert "Refugee Week planning (moved)" in client.get(url).content.decode(), url
