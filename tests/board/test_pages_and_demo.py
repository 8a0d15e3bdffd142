"""The board page type in the admin, its validation, the demo content and the home page slot."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from board.models import BlockedWord, BoardPage, BoardPost
from home.models import ContentPage, HomePage
from tests.factories import demo_posting_code, load_demo_part


class BoardPageTypeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePage(title="Home", slug="board-home", hero_heading="Home", hero_intro="Intro")
        root.add_child(instance=cls.home)
        Site.objects.update(root_page=cls.home)
        cls.editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "a-long-password-1")

    def setUp(self):
        self.client.force_login(self.editor)

    def test_where_boards_can_be_created(self):
        self.assertCanCreateAt(HomePage, BoardPage)
        self.assertCanCreateAt(ContentPage, BoardPage)
        self.assertCanNotCreateAt(Page, BoardPage)
        self.assertAllowedSubpageTypes(BoardPage, [])

    def _form(self, **overrides):
        data = {
            "title": "Refugee Week 2025",
            "slug": "refugee-week-2025",
            "intro": "Ideas for Refugee Week.",
            "sections": inline_formset(
                [
                    {"name": "Art", "slug": "art", "description": ""},
                    {"name": "Music", "slug": "music", "description": "Songs"},
                ]
            ),
            "layout": "wall",
            "posts_per_section": "12",
            "posting_mode": "code",
            "posting_code": "RW-2025",
            "requires_approval": "on",
            "reactions_enabled": "on",
            "posting_guidance": rich_text("<p>Share your ideas.</p>"),
        }
        data.update(overrides)
        return nested_form_data(data)

    def test_editor_creates_a_board_with_sections(self):
        self.assertCanCreate(self.home, BoardPage, self._form())
        board = BoardPage.objects.get(slug="refugee-week-2025")
        assert [s.name for s in board.sections.all()] == ["Art", "Music"]
        assert board.posting_code_matches("RW-2025") and board.posting_code_matches(" rw-2025 ")
        assert not board.posting_code_matches("RW-2026")
        self.assertPageIsRenderable(board)
        self.assertPageIsEditable(board)
        self.assertPageIsPreviewable(board)

    def test_code_mode_needs_a_code(self):
        board = BoardPage(title="B", slug="b", posting_mode="code", posting_code=" ")
        with pytest.raises(ValidationError) as error:
            board.clean()
        assert "Set a posting code" in str(error.value)

    def test_every_board_route_renders(self):
        self.assertCanCreate(self.home, BoardPage, self._form(layout="columns"))
        board = BoardPage.objects.get(slug="refugee-week-2025")
        for route in ["", "post/", "print/", "feed/rss/", "feed/atom/"]:
            assert self.client.get(board.url + route).status_code == 200, route
        # The board's exports are the moderation listing's: its own addresses lead there.
        for route in ["export/csv/", "export/xlsx/"]:
            response = self.client.get(board.url + route, follow=True)
            assert response.status_code == 200 and response.redirect_chain, route
            assert response["Content-Disposition"].startswith("attachment;"), route


@pytest.mark.django_db
def test_demo_board_is_complete_and_loading_twice_changes_nothing(demo_site, client):
    board = BoardPage.objects.get(slug="board")
    assert [s.slug for s in board.sections.all()] == ["learn", "embed", "share"]
    titles = set(BoardPost.objects.filter(status="approved").values_list("title", flat=True))
    assert {
        "A welcome assembly led by pupils",
        "Hello in many languages",
        "Refugee Week art project",
        "The national resource pack",
    } <= titles
    assert BoardPost.objects.filter(status="pending").count() == 2
    assert BoardPost.objects.filter(link="https://schools.cityofsanctuary.org/resources").exists()
    image_post = BoardPost.objects.get(title="Hello in many languages")
    assert image_post.image and image_post.image_alt
    board.title = "Renamed by an editor"
    board.save_revision().publish()
    before = BoardPost.objects.count()

    class Out:
        text = ""

        def write(self, value):
            self.text += value

    out = Out()
    load_demo_part(HomePage.in_default_language(), "board", stdout=out)
    assert BoardPost.objects.count() == before and BlockedWord.objects.count() == 1
    assert BoardPage.objects.get(slug="board").title == "Renamed by an editor"
    assert f"Board posting code: {demo_posting_code()}" in out.text
    body = client.get("/board/").content.decode()
    assert "A welcome assembly led by pupils" in body and "Sanctuary week newsletter" not in body


@pytest.mark.django_db
def test_home_slot_shows_recent_approved_posts_only(demo_site, client, django_assert_max_num_queries):
    body = client.get("/").content.decode()
    assert "Recent ideas from schools" in body
    assert "A welcome assembly led by pupils" in body and "Buddy scheme" not in body  # the three newest
    assert "Sanctuary week newsletter" not in body and "office@holbrook" not in body
    from django.test import RequestFactory

    from board.models import BoardSection
    from board.wagtail_hooks import recent_board_posts

    request = RequestFactory().get("/")
    recent_board_posts({"request": request})  # warm the site-root cache
    with django_assert_max_num_queries(3):
        recent_board_posts({"request": request})
    board = BoardPage.objects.get(slug="board")
    section = BoardSection.objects.get(board=board, slug="share")
    BoardPost.objects.bulk_create(
        [BoardPost(board=board, section=section, status="approved", title=f"P{n}", message="m") for n in range(300)]
    )
    with django_assert_max_num_queries(3):
        html = recent_board_posts({"request": request})
    assert html.count('class="card"') == 3


@pytest.mark.django_db
def test_home_slot_stays_empty_for_a_private_board(demo_site, client):
    from wagtail.models import PageViewRestriction

    board = BoardPage.objects.get(slug="board")
    PageViewRestriction.objects.create(page=board, restriction_type="password", password="secret-pass")
    body = client.get("/").content.decode()
    assert "Recent ideas from schools" not in body and "A welcome assembly led by pupils" not in body
