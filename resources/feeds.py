"""The library's RSS feed of new resources (`<library>/feed/`), built by Django's syndication framework as the
board's feeds are (board/feeds.py): public resources only, never a draft or a page behind a login or password."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone

FEED_SIZE = 20
# A resource has a publication date, not a time: the feed gives it the morning of that day in the site's time.
PUBLISHED_AT = datetime.time(9, 0)


class LibraryFeed(Feed):
    """RSS 2.0 (the framework's default) of the newest public resources of one library.

    One instance serves one request: links are the pages' full URLs for this request's site, as Wagtail makes
    them (the public host `configure_site` set), so the feed never names another host."""

    language = "en-gb"

    def get_object(self, request, library):
        self.request = request
        return library

    def title(self, library):
        return f"New resources: {library.title}"

    def link(self, library):
        return library.get_full_url(self.request)

    def feed_url(self, library):
        return self.request.build_absolute_uri()

    def description(self, library):
        return library.intro or "New resources for Schools of Sanctuary in Coventry."

    def items(self, library):
        return (
            library.resources()
            .select_related("resource_type")
            .prefetch_related("tagged_items__tag")
            .order_by("-publication_date", "-pk")[:FEED_SIZE]
        )

    def item_title(self, resource):
        return resource.title

    def item_description(self, resource):
        # Plain text; the feed generator escapes it.
        return resource.summary

    def item_link(self, resource):
        return resource.get_full_url(self.request)

    def item_pubdate(self, resource):
        return timezone.make_aware(datetime.datetime.combine(resource.publication_date, PUBLISHED_AT))

    def item_updateddate(self, resource):
        return resource.last_published_at

    def item_categories(self, resource):
        tags = [item.tag.name for item in resource.tagged_items.all()]
        return tags + ([resource.resource_type.name] if resource.resource_type else [])


def library_feed(request, library):
    """The view of the library's `feed/` route: `view(request, page)`, as every page route's view is called."""
    response = LibraryFeed()(request, library)
    # The framework dates the response by its newest item. Without a Cache-Control, browsers, feed readers and
    # proxies may keep a response for a tenth of its Last-Modified age (weeks, for a library updated monthly);
    # the library's pages send neither, and the feed stays as fresh as they are.
    del response["Last-Modified"]
    return response
