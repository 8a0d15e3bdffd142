from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from board import views as board_views
from home import views as home_views
from home.sitemaps import PagesInEveryLanguage
from outbox import views as outbox_views
from security import secret_guessing

urlpatterns = [
    path("healthz", home_views.healthz, name="healthz"),
    path("healthz/worker", outbox_views.worker_health, name="worker_health"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PagesInEveryLanguage}}, name="sitemap"),
    path("django-admin/", admin.site.urls),
    # Wagtail's page-password form, with a limit on wrong guesses in front (security/secret_guessing.py); same URL name.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        secret_guessing.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document URLs, with our wrapper (a sandboxing CSP) in front of its serve view; same URL name.
    path(
        "documents/<int:document_id>/<str:document_filename>",
        home_views.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    # Board images, shown only while their post is public (board/images.py); never served from /media/.
    path("board/images/<int:image_id>/<str:name>", board_views.serve_image, name="board_image"),
]

if settings.SERVE_MEDIA:
    # Only image renditions: documents are always served through Wagtail's document view, which checks
    # collection privacy, and original uploads (which may be pending moderation) are never served.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>images/[^/]+)$",
            home_views.serve_image_file,
            name="media_image",
        ),
    ]

# Pages and search in each language: English (the default) unprefixed, every other under /<code>/ (/ar/…).
urlpatterns += i18n_patterns(
    path("search/", home_views.search, name="search"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
