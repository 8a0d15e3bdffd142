"""RSS and Atom feeds of a board's approved posts (never pending, rejected or hidden ones, never emails)."""

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.utils.feedgenerator import Atom1Feed

from .models import BoardPost

FEED_SIZE = 30


class BoardRssFeed(Feed):
    def get_object(self, request, board):
        self.request = request
        return board

    def title(self, board):
        return board.title

    def link(self, board):
        return board.url

    def description(self, board):
        return board.intro or f"New posts on {board.title}"

    def items(self, board):
        return (
            BoardPost.objects.approved()
            .filter(board=board)
            .select_related("section")
            .only("pk", "title", "message", "display_name", "school", "approved_at", "section__name", "board_id")
            .order_by(F("approved_at").desc(nulls_last=True), "-pk")[:FEED_SIZE]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text; the feed generator escapes it.
        return item.message

    def item_link(self, item):
        return f"{self._board.url}{self._board.reverse_subpage('post_detail', args=[item.pk])}"

    def item_author_name(self, item):
        return f"{item.author}, {item.school}" if item.school else item.author

    def item_pubdate(self, item):
        return item.approved_at

    def item_categories(self, item):
        return [item.section.name]

    def __call__(self, request, *args, **kwargs):
        self._board = kwargs["board"]
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response


class BoardAtomFeed(BoardRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, board):
        return self.description(board)


def rss_feed(request, board):
    """The board's RSS feed (a new Feed object per request: a Feed keeps the request and board on itself)."""
    return BoardRssFeed()(request, board=board)


def atom_feed(request, board):
    """The board's Atom feed."""
    return BoardAtomFeed()(request, board=board)
