"""`load_demo_content`: the seed page as a real site, safe to run again."""

import io

from django.conf import settings as django_settings
from django.core.management import call_command
from wagtail.models import Page, Site

from home.models import ContentPage, FormPage, HomePage, SiteSettings


def test_demo_site_has_the_seed_pages_at_their_urls(client, demo_home):
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific == demo_home
    for url in (
        "/",
        "/about/",
        "/learn/",
        "/embed/",
        "/share/",
        "/apply/",
        "/contact/",
        "/accessibility/",
        "/privacy/",
    ):
        assert client.get(url).status_code == 200, url
    assert isinstance(Page.objects.get(url_path="/home/contact/").specific, FormPage)
    apply_html = client.get("/apply/").content.decode()
    assert "https://schools.cityofsanctuary.org/" in apply_html
    assert "Getting started checklist" in apply_html  # the demo's document, added to the structure's page
    contact_html = client.get("/contact/").content.decode()
    assert "PO Box 15" in contact_html and "Council House" in contact_html and "Earl Street" in contact_html
    assert "024 7697 5491" in contact_html


def test_running_it_again_keeps_editors_changes_and_adds_nothing_twice(demo_site):
    about = ContentPage.objects.get(slug="about")
    about.title = "About the programme"
    about.save_revision().publish()
    settings = SiteSettings.objects.get()
    settings.telephone = "024 7600 1234"
    settings.save()
    pages_before = Page.objects.count()

    call_command("load_demo_content", stdout=io.StringIO())

    assert Page.objects.count() == pages_before
    assert sorted(HomePage.objects.values_list("locale__language_code", flat=True)) == sorted(
        django_settings.SITE_LOCALES
    )
    assert ContentPage.objects.get(slug="about").title == "About the programme"
    assert SiteSettings.objects.get().telephone == "024 7600 1234"


def test_a_deleted_demo_page_is_restored(demo_home):
    ContentPage.objects.get(slug="privacy").delete()
    call_command("load_demo_content", stdout=io.StringIO())
    assert ContentPage.objects.filter(slug="privacy", live=True).exists()


def test_demo_pictures_are_the_sites_own_distinct_illustrations_described_truthfully(demo_site):
    """Every image was once the same abstract circles: the demo now uses the site's own illustrations."""
    from wagtail.images import get_image_model

    from board.models import BoardPost
    from demo.files import ILLUSTRATIONS

    post = BoardPost.objects.exclude(image=None).get()
    images = get_image_model().objects.exclude(pk=post.image_id)  # a post's image carries the poster's alt text
    descriptions = set(images.values_list("description", flat=True))
    truthful = set(ILLUSTRATIONS.values()) - {ILLUSTRATIONS["circles"]}
    assert descriptions <= truthful, descriptions - truthful
    assert len(descriptions) >= 6
    assert "speech bubbles saying welcome in six languages" in post.image_alt
