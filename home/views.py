"""Public views of the base app: the enquiry form page's routes, site search, health check, robots.txt, served files."""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve as static_serve
from wagtail import hooks
from wagtail.documents.views.serve import serve as wagtail_serve_document
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.permissions import policy_registry

from home import languages
from security.public_input import RateLimit, handle_public_form, paginate, search_terms, search_text

# What Pillow can write and browsers show as pictures. Anything else in the media folder (an SVG or HTML file
# an editor managed to upload, say) is never served from our origin.
RASTER_IMAGE_EXTENSIONS = {"avif", "gif", "jpeg", "jpg", "png", "webp"}
# Served documents: nothing in them may run or load anything, even when a browser is told to display one.
DOCUMENT_CSP = "default-src 'none'; sandbox"

logger = logging.getLogger(__name__)


@require_GET
def serve_image_file(request, path):
    """Serve an uploaded image or rendition with headers that stop browsers running it as anything else.

    Renditions whose names start with one of `PRIVATE_IMAGE_FILE_PREFIXES` (an app serves those itself, after
    its own checks) are served only to staff who may choose or change the image in the admin, and kept out of
    shared caches.
    """
    if path.rsplit(".", 1)[-1].lower() not in RASTER_IMAGE_EXTENSIONS:
        raise Http404("Not an image")
    private = path.removeprefix("images/").startswith(tuple(settings.PRIVATE_IMAGE_FILE_PREFIXES))
    if private and not _may_see_in_the_admin(request.user, path):
        raise Http404("Not an image")
    response = static_serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-cache" if private else "public, max-age=86400"
    return response


def _may_see_in_the_admin(user, path):
    if not user.is_authenticated:
        return False
    Image = get_image_model()
    rendition = Image.get_rendition_model().objects.filter(file=path).select_related("image__collection").first()
    return rendition is not None and policy_registry.get_by_type(Image).user_has_any_permission_for_instance(
        user, ["change", "choose"], rendition.image
    )


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (privacy checks, downloads), plus a sandboxing CSP on the file itself.

    Wagtail already sets `X-Content-Type-Options: nosniff` and `Content-Security-Policy: default-src 'none'`;
    `sandbox` adds a unique origin with scripts, forms and plugins off, so even an HTML or SVG document opened
    in a browser cannot reach the site's cookies. Pages Wagtail shows instead of the file (the password form
    of a private collection, a login redirect) keep the site-wide headers.
    """
    response = wagtail_serve_document(request, document_id, document_filename)
    if response.has_header("Content-Disposition") or response.status_code == 304:
        response["Content-Security-Policy"] = DOCUMENT_CSP
        response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def healthz(request):
    """For load balancers: 200 `ok` when the database answers, 503 otherwise. No templates, no session."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    """The admin and search, and whatever private paths apps name through the `robots_disallow` hook (a function
    returning paths: the schools' award workspace) are not for crawlers. robots.txt answers even when the database
    does not (the hooks may read pages): it then names only the fixed paths."""
    try:
        private = [path for hook in hooks.get_hooks("robots_disallow") for path in hook()]
    except DatabaseError:
        logger.warning("robots.txt without the apps' private paths: the database did not answer", exc_info=True)
        private = []
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        *(f"Disallow: {path}" for path in private),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def search(request):
    """Site search over every live, public page in the visitor's language (PostgreSQL full-text search there)."""
    max_length = settings.SEARCH_QUERY_MAX_LENGTH
    query, shortened = search_text(request.GET.get("q", ""), max_length)
    results_page = None
    terms = search_terms(query)
    if terms:
        # In the visitor's language only: /ar/search/ finds the Arabic pages (and the aliases of English ones there).
        locale = languages.active_locale() or Locale.get_default()
        results = Page.objects.live().public().filter(locale=locale).specific().search(terms, operator="and")
        results_page = paginate(results, settings.SEARCH_RESULTS_PER_PAGE, request.GET.get("page"))
    return TemplateResponse(
        request,
        "home/search.html",
        {
            "search_query": query,
            "query_was_shortened": shortened,
            "max_length": max_length,
            "results": results_page,
        },
    )


ENQUIRY_RATE_LIMITED_MESSAGE = (
    "You have sent several messages in a short time. Please wait a few minutes and try again, or telephone us."
)


def enquiry_form(request, page):
    """A FormPage's form: shown on GET; on POST through the public-form pipeline, then to `thank-you/`."""
    if request.method != "POST":
        return page.render_form(request, page.get_form(page=page, user=request.user))
    return handle_public_form(
        request,
        page.get_form(request.POST, request.FILES, page=page, user=request.user),
        rate_limits=[RateLimit(f"form:{page.pk}")],
        rate_limited_message=ENQUIRY_RATE_LIMITED_MESSAGE,
        save=page.process_form_submission,
        render=lambda form, status: page.render_form(request, form, status=status),
        on_success=lambda submission: page.redirect_to_thank_you(request),
        # Tell a bot nothing: it is sent to the thank-you page, and nothing is stored or sent.
        on_honeypot=lambda: page.redirect_to_thank_you(request),
        what="Enquiry",
    )


def enquiry_thank_you(request, page):
    """The landing page after an enquiry: the same text for everybody, nothing of what was sent."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return page.render_landing_page(request)
