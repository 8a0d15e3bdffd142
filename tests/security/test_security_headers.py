"""Every public URL of the demo site, served with the production security settings, carries the security headers.

The settings are read from cms/settings/production.py itself (with a throwaway SECRET_KEY), so a change
there shows up here. Requests arrive as they do in production: over HTTPS through the TLS proxy.
"""

import importlib
import secrets
from urllib.parse import urlsplit

import pytest
from django.test import Client
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from board.models import BoardPage, BoardPost
from events.models import EventIndexPage, EventPage
from resources.models import ResourceIndexPage

HOST = "sanctuary.example.org"
SECURITY_SETTING_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "X_FRAME_OPTIONS", "CONTENT_SECURITY")


@pytest.fixture
def production_security(settings, monkeypatch):
    """The security settings of cms.settings.production, applied to this test."""
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(64))
    production = importlib.import_module("cms.settings.production")
    for name in dir(production):
        if name.startswith(SECURITY_SETTING_PREFIXES):
            setattr(settings, name, getattr(production, name))
    settings.ALLOWED_HOSTS = [HOST]
    return production


def https_client():
    """A fresh client (so the middleware reads the settings above), speaking HTTPS through the proxy."""
    return Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")


def csp_directives(header):
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def public_urls(home):
    """Every live page, plus the routes pages serve below their own address, plus the site-wide URLs."""
    urls = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
    for library in ResourceIndexPage.objects.live():
        urls += [library.url + route for route in ("learn/", "embed/", "share/", "feed/", "?q=welcome")]
        tags = Tag.objects.filter(resources_taggedresource_items__isnull=False).distinct()
        urls += [library.url + f"tag/{tag.slug}/" for tag in tags]
    for index in EventIndexPage.objects.live():
        urls += [index.url + "webinars/", index.url + "feed/"]
    for event in EventPage.objects.live():
        urls += [event.url + "ics/"]
    for board in BoardPage.objects.live():
        routes = ("post/", "updates/?since=2020-01-01T00:00:00", "feed/rss/", "feed/atom/", "print/")
        urls += [board.url + route for route in routes]
        urls += [post.get_absolute_url() for post in BoardPost.objects.approved().filter(board=board)]
    document = get_document_model().objects.order_by("pk").first()
    image = get_image_model().objects.order_by("pk").first()
    urls += [
        "/",
        "/search/?q=sanctuary",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        document.url,
        urlsplit(image.get_rendition("width-400").url).path,
    ]
    return urls


def assert_security_headers(url, response):
    assert response.status_code < 400, (url, response.status_code)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    policy = csp_directives(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None and "'unsafe-inline'" not in scripts, (url, policy)
    assert "'unsafe-inline'" not in policy.get("style-src", policy.get("default-src")), (url, policy)
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy.get("object-src", policy.get("default-src")) == ["'none'"] or "sandbox" in policy, url
    for cookie in response.cookies.values():
        assert cookie["secure"] and cookie["samesite"] == "Lax", (url, cookie.key)


def test_every_public_url_of_the_demo_site_has_the_security_headers(demo_site, production_security):
    client = https_client()
    urls = public_urls(demo_site)
    assert len(urls) > 40, urls  # the whole demo, not a handful
    for url in urls:
        assert_security_headers(url, client.get(url))


def test_public_pages_forbid_inline_script_and_style_and_framing(demo_home, production_security):
    policy = csp_directives(https_client().get("/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # a nonce is added only when a template asks for one
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_plain_http_is_redirected_to_https(demo_home, production_security):
    response = Client(HTTP_HOST=HOST).get("/about/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/about/"


def test_the_admin_gets_its_own_policy_and_the_session_cookie_is_secure_and_http_only(
    demo_home, production_security, django_user_model
):
    django_user_model.objects.create_superuser("boss", "boss@example.org", "a-long-admin-passphrase")
    client = https_client()
    login_page = client.get("/admin/login/")
    admin_policy = csp_directives(login_page["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin_policy["script-src"]  # Wagtail's admin needs it; the public site does not
    assert admin_policy["frame-ancestors"] == ["'self'"]  # the editor frames its own previews
    assert admin_policy["object-src"] == ["'none'"]
    response = client.post("/admin/login/", {"username": "boss", "password": "a-long-admin-passphrase"})
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
