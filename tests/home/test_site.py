"""Site-wide public behaviour: health check, robots, sitemap, errors, navigation, settings, meta tags."""

import pytest
from django.db import connection
from django.test import override_settings
from wagtail.models import PageViewRestriction

from home.models import ContentPage, SiteSettings
from tests.factories import make_board


def test_healthz_answers_ok_with_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_reports_a_database_failure(client, db):
    def refuse(execute, sql, params, many, context):
        raise connection.features.connection.Database.OperationalError("database is down")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client, db):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_lists_live_public_pages_only(client, demo_home):
    about = ContentPage.objects.get(slug="about")
    learn = ContentPage.objects.get(slug="learn")
    learn.unpublish()
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://localhost/contact/</loc>" in xml
    assert "/embed/" in xml
    assert "/learn/" not in xml
    assert "/about/" not in xml


def test_404_page_is_in_the_site_look(client, demo_home):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="skip-link"' in html
    assert "EMAS Teacher Team" in html  # the footer from site settings


def test_403_page_is_in_the_site_look(client, demo_home):
    board = make_board(demo_home)
    response = client.get(f"{board.url}export/csv/")  # moderators only
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>You cannot see this page</h1>" in html
    assert 'class="skip-link"' in html
    assert "EMAS Teacher Team" in html  # the footer from site settings


def test_500_page_renders_without_a_database_or_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert "024 7697 5491" in html


@pytest.mark.parametrize(
    ("template", "heading"),
    [
        ("500.html", "Sorry, there is a problem with the service"),
        ("403_csrf.html", "This form has expired"),
        ("400.html", "Sorry, this request could not be understood"),
    ],
)
def test_pages_rendered_without_a_request_share_one_standalone_frame(template, heading):
    """error_base.html: no context processors or database, one <h1>, the skip link, a way home."""
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert f"<title>{heading} | Coventry Schools of Sanctuary</title>" in html
    assert html.count("<h1>") == 1 and f"<h1>{heading}</h1>" in html
    assert 'class="skip-link"' in html and 'id="main-content"' in html
    assert '<a href="/">Go to the home page</a>' in html


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_request_for_another_host_gets_the_plain_400_page(client, demo_home):
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "Sorry, this request could not be understood" in response.content.decode()


def test_footer_and_contact_details_come_from_site_settings(client, demo_home):
    settings = SiteSettings.objects.get()
    settings.telephone = "024 7600 0000"
    settings.postal_address = "PO Box 15\nCouncil House\nEarl Street"
    settings.save()
    html = client.get("/").content.decode()
    assert "024 7600 0000" in html
    assert "PO Box 15<br>Council House<br>Earl Street" in html
    assert "Accessibility statement" in html  # a footer link


def test_main_navigation_lists_pages_shown_in_menus(client, demo_home):
    html = client.get("/learn/").content.decode()
    assert 'aria-label="Main"' in html
    assert 'href="/learn/" aria-current="page"' in html
    assert 'href="/embed/"' in html
    # The privacy notice is a footer link, not a menu item.
    nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert "/privacy/" not in nav


def test_every_page_has_a_skip_link_title_description_and_open_graph(client, demo_home):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main-content">Skip to main content</a>' in html
    assert '<main id="main-content"' in html
    assert "<title>Coventry Schools of Sanctuary</title>" in html
    assert '<meta name="description" content="Coventry Schools of Sanctuary: how schools welcome' in html
    assert '<meta property="og:title"' in html
    assert '<meta property="og:image" content="http://testserver/media/images/' in html
    about = client.get("/about/").content.decode()
    assert "<title>What is a School of Sanctuary? | Coventry Schools of Sanctuary</title>" in about
    assert '<link rel="canonical" href="http://localhost/about/">' in about


def test_home_page_has_the_seed_wording_and_process_cards(client, demo_home):
    html = client.get("/").content.decode()
    assert "Coventry became a City of Sanctuary in 2011" in html
    for name, url in (("Learn", "/learn/"), ("Embed", "/embed/"), ("Share", "/share/")):
        assert f'<a href="{url}">{name}</a>' in html
    about = client.get("/about/").content.decode()
    assert "as stated in the Equality Act 2010" in about
    assert "statutory duty to promote Community Cohesion" in about


def test_image_renditions_are_served_with_safe_headers_originals_and_documents_are_not(client, demo_home):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    image = get_image_model().objects.first()
    rendition = image.get_rendition("max-400x400")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # Original uploads (a board photo still awaiting moderation, say) are never served, only renditions.
    assert client.get(f"/media/{image.file.name}").status_code == 404
    document = get_document_model().objects.first()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    served = client.get(document.url)
    assert served.status_code == 200
    # Wagtail's document view behind home.views.serve_document: always a download, sandboxed so nothing can run.
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    assert served["X-Content-Type-Options"] == "nosniff"


# Each public page reads its versions in other languages (the switcher, hreflang) and Wagtail looks up the
# visitor's locale to route it: two queries. Links in rich text cost none (home.wagtail_hooks, the locale's id cached).
@pytest.mark.parametrize(
    ("url", "max_queries"),
    [("/about/", 12), ("/apply/", 21), ("/contact/", 13), ("/search/?q=sanctuary", 10), ("/search/", 5)],
)
def test_public_pages_have_a_pinned_query_count(client, demo_home, django_assert_max_num_queries, url, max_queries):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with django_assert_max_num_queries(max_queries):
        assert client.get(url).status_code == 200


HOME_PAGE_MAX_QUERIES = 30  # base 12 + the feature apps' slots (schools: 3); each app pins its slot against data growth


def test_home_page_with_every_slot_has_a_pinned_query_count(client, demo_site, django_assert_max_num_queries):
    """The whole demo site: the home page's own queries plus each feature app's slot (events, resources, board,
    schools)."""
    client.get("/")
    with django_assert_max_num_queries(HOME_PAGE_MAX_QUERIES):
        response = client.get("/")
    assert response.status_code == 200


def test_query_count_does_not_grow_with_more_pages(client, demo_home, django_assert_max_num_queries):
    about = ContentPage.objects.get(slug="about")
    for number in range(30):
        about.add_child(
            instance=ContentPage(title=f"Sanctuary story {number}", slug=f"story-{number}", show_in_menus=True)
        )
    for url, max_queries in (("/about/", 12), ("/search/?q=sanctuary", 10)):
        client.get(url)
        with django_assert_max_num_queries(max_queries):
            assert client.get(url).status_code == 200


@override_settings(DEBUG=False)
def test_unknown_host_gets_400_not_500(client, db, settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
