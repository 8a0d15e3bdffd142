"""`page_view`, the one way a page routes its sub-pages (home/routing.py), on a class with Wagtail's real
RoutablePageMixin resolver."""

from django.urls import NoReverseMatch
from wagtail.contrib.routable_page.models import RoutablePageMixin

from home.routing import page_view

CALLS = []


def show_post(request, page, post_id):
    CALLS.append((request, page, post_id))
    return f"post {post_id} of {page.title}"


def show_token(request, page, token):
    return f"token {token}"


class Board(RoutablePageMixin):
    title = "A board"
    post = page_view("posts/<int:post_id>/", "tests.home.test_routing.show_post")
    link = page_view(r"^edit/(?P<token>[\w-]+)/$", "tests.home.test_routing.show_token", name="edit", regex=True)


def test_a_route_calls_its_view_with_the_request_the_page_and_the_route_arguments():
    page = Board()
    match = page.resolve_subpage("/posts/7/")
    assert match.func("the request", *match.args, **match.kwargs) == "post 7 of A board"
    assert CALLS[-1] == ("the request", page, 7)


def test_routes_are_named_after_their_view_unless_named_and_reverse():
    page = Board()
    assert page.reverse_subpage("show_post", kwargs={"post_id": 3}) == "posts/3/"
    assert page.reverse_subpage("edit", kwargs={"token": "abc-1"}) == "edit/abc-1/"
    try:
        page.reverse_subpage("show_token", kwargs={"token": "x"})
    except NoReverseMatch:
        pass
    else:
        raise AssertionError("a route given a name is reversed by that name only")


def test_regular_expression_routes_resolve():
    assert Board().resolve_subpage("/edit/abc-1/").func("r", token="abc-1") == "token abc-1"
