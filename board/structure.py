"""The community board of a new site: the board page with its Learn / Embed / Share sections, closed to posts
until EMAS sets a posting code in the admin (a code must never come from the code base). Loaded by
`home.structure.build_site_structure`; no posts.

Idempotent: the board is created only when no page with its slug exists under the home page.
"""

from django.db import transaction
from wagtail.rich_text import RichText

from .models import BoardPage, BoardSection

SECTIONS = [
    ("Learn", "learn", "Learning about what it means to be seeking sanctuary."),
    ("Embed", "embed", "Making welcome, safety and inclusion part of everyday school life."),
    ("Share", "share", "Sharing your vision and achievements with the wider community."),
]


def ensure_board(home, stdout):
    """The board under `home`, created closed if missing; return (board, created)."""
    board = BoardPage.objects.child_of(home).filter(slug="board").first()
    if board is not None:
        return board.specific, False
    board = BoardPage(
        title="Community board",
        slug="board",
        show_in_menus=True,
        intro="Schools across Coventry share ideas, resources and achievements on their way to becoming "
        "Schools of Sanctuary. Every post is checked by the EMAS team before it appears.",
        layout=BoardPage.Layout.COLUMNS,
        posting_mode=BoardPage.PostingMode.CLOSED,
        posting_code="",
        requires_approval=True,
        comments_enabled=True,
        reactions_enabled=True,
        posting_guidance=RichText(
            "<p>Share what your school is doing to <b>learn</b>, <b>embed</b> and <b>share</b> a culture of "
            "welcome. Ask the EMAS team for your school's posting code.</p>"
        ),
        search_description="Ideas, resources and achievements shared by Coventry's Schools of Sanctuary.",
    )
    for name, slug, description in SECTIONS:
        board.sections.add(BoardSection(name=name, slug=slug, description=description))
    home.add_child(instance=board)
    board.save_revision().publish()
    stdout.write("Created the community board (closed to posts until a posting code is set in the admin).")
    return board, True


def load(home, stdout):
    with transaction.atomic():
        board, _ = ensure_board(home, stdout)
    return board
