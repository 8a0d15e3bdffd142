"""The one way pages of this site route their sub-pages: a table of `page_view` routes on the page model.

A page with sub-pages (the board's posts, an event's sign-up page, the library's tag pages…) uses Wagtail's
`RoutablePageMixin` and lists its routes in its class body, each naming the view that serves it:

    class BoardPage(RoutablePageMixin, Page):
        board_index = page_view("", "board.views.board_index")
        post_detail = page_view("posts/<int:post_id>/", "board.views.post_detail")

The view lives in the app's `views.py` (or a module named for what it serves, such as `feeds.py`) and is called as
`view(request, page, **route_kwargs)`. It is imported on the first request, not with the model: views import the
models they show, so a model that imported its views would import itself. The route's name (for
`page.reverse_subpage(name)` and `{% routablepageurl page name %}`) is the view's name unless given.
"""

from django.utils.module_loading import import_string
from wagtail.contrib.routable_page.models import path, re_path


def page_view(pattern, view, *, name=None, regex=False):
    """A route of a `RoutablePageMixin` page, served by the function at the dotted path `view`.

    `pattern` is a `django.urls.path()` pattern, or a regular expression when `regex` is true.
    """
    name = name or view.rsplit(".", 1)[1]

    def serve_route(page, request, *args, **kwargs):
        return import_string(view)(request, page, *args, **kwargs)

    serve_route.__name__ = serve_route.__qualname__ = name
    serve_route.__doc__ = f"Served by {view}."
    return (re_path if regex else path)(pattern, name=name)(serve_route)
