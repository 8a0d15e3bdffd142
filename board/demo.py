"""Demo content for the board: the board `structure.py` makes, opened to a demo posting code, and posts.

Idempotent: the board is opened only while it is closed without a code, and posts are added only when the
board has none, so what editors changed between two runs is kept.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from home.demo_files import make_banner_image
from home.structure import RESOURCE_PACK
from security.uploads import clean_uploaded_image

from . import services, structure
from .models import BlockedWord, BoardPage, BoardPost, hash_token, new_token

DEMO_POSTING_CODE = "COVENTRY-WELCOME-2024"

APPROVED = [
    {
        "section": "learn",
        "title": "A welcome assembly led by pupils",
        "message": "Our Year 5 sanctuary ambassadors led a whole-school assembly about why people leave their "
        "homes. They used the 'journeys' activity from the resource pack and finished with a song in Arabic "
        "and English.\n\nHappy to share the slides: just ask through the EMAS team.",
        "display_name": "Mrs Begum",
        "school": "Whitley Primary School",
        "pinned": True,
    },
    {
        "section": "embed",
        "title": "Hello in many languages",
        "message": "We made a display in the main entrance with 'hello' in the 34 languages spoken by our "
        "families. Parents helped us with the spelling and pronunciation, and pupils recorded each one.",
        "display_name": "Mr Kowalski",
        "school": "Earlsdon Primary School",
        "image": "welcome-bubbles",  # one of the site's own illustrations (home.demo_files)
        "image_alt": "A display of speech bubbles saying welcome in six languages: Welcome, Croeso, Witamy, "
        "Bienvenue, Karibu and Bem-vindo.",
    },
    {
        "section": "share",
        "title": "Refugee Week art project",
        "message": "For Refugee Week every class made a panel for our 'Simple Acts' quilt. It is on show at the "
        "Herbert Art Gallery until the end of July. https://refugeeweek.org.uk has ideas for next year.",
        "display_name": "Ms Adeyemi",
        "school": "Stoke Park School",
    },
    {
        "section": "learn",
        "title": "The national resource pack",
        "message": "Everything you need to get started, with lesson plans for every key stage.",
        "link": RESOURCE_PACK,
        "display_name": "EMAS Teacher Team",
    },
    {
        "section": "embed",
        "title": "Buddy scheme for new arrivals",
        "message": "Every new arrival gets two buddies for their first half term, one who speaks their first "
        "language where we can. Buddies have a badge and a short training session.",
        "school": "Caludon Castle School",
    },
]

PENDING = [
    {
        "section": "share",
        "title": "Sanctuary week newsletter",
        "message": "We wrote a special newsletter for families about our Schools of Sanctuary journey.",
        "display_name": "Office team",
        "school": "Holbrook Primary School",
        "email": "office@holbrook.example.org",
    },
    {
        "section": "learn",
        "title": "Book list for Key Stage 2",
        "message": "Stories about journeys and belonging that our pupils loved: The Journey, My Name is Not "
        "Refugee, Boy 87, and more.",
        "display_name": "Library",
    },
]


def open_board_with_demo_code(board, stdout):
    """The structure makes the board closed without a code; the demo opens it to the demo code, once."""
    if board.posting_mode != BoardPage.PostingMode.CLOSED or board.posting_code:
        return
    board.posting_mode = BoardPage.PostingMode.CODE
    board.posting_code = DEMO_POSTING_CODE
    board.save_revision().publish()
    stdout.write("Opened the community board to the demo posting code.")


def _make_post(board, sections, data, status):
    image = None
    if data.get("image"):
        cleaned = clean_uploaded_image(ContentFile(make_banner_image(800, 533, name=data["image"]), name="demo.jpg"))
        image = services.store_image(cleaned, data["title"], data["image_alt"])
    now = timezone.now()
    return BoardPost.objects.create(
        board=board,
        section=sections[data["section"]],
        status=status,
        pinned=data.get("pinned", False),
        title=data["title"],
        message=data["message"],
        link=data.get("link", ""),
        image=image,
        image_alt=data.get("image_alt", ""),
        display_name=data.get("display_name", ""),
        school=data.get("school", ""),
        email=data.get("email", ""),
        author_token_hash=hash_token(new_token()),
        approved_at=now if status == BoardPost.Status.APPROVED else None,
    )


def load(home, stdout):
    with transaction.atomic():
        board = structure.load(home, stdout)
        open_board_with_demo_code(board, stdout)
        if not BlockedWord.objects.exists():
            BlockedWord.objects.create(phrase="idiot", note="Example: unkind words are held for review.")
        if not board.posts.exists():
            sections = {section.slug: section for section in board.sections.all()}
            if set(sections) >= {"learn", "embed", "share"}:
                for data in reversed(APPROVED):
                    _make_post(board, sections, data, BoardPost.Status.APPROVED)
                for data in PENDING:
                    _make_post(board, sections, data, BoardPost.Status.PENDING)
                stdout.write(f"Added {len(APPROVED)} approved and {len(PENDING)} pending board posts.")
    if board.posting_mode == BoardPage.PostingMode.CODE and board.posting_code:
        stdout.write(f"Board posting code: {board.posting_code}  (post at {board.url}post/)")
    return board
