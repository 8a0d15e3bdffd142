"""Benchmark data for the community board: 5 boards (the demo's and four more) with 1,000 approved
posts each, bulk-inserted, a third of them with an image from the shared pool."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from home.bench import image_pool, words

from .models import BoardPage, BoardPost, BoardSection

BOARDS = 5
POSTS_PER_BOARD = 1000
SECTIONS = [("Learn", "learn"), ("Embed", "embed"), ("Share", "share")]


def _extra_board(home, number):
    board = BoardPage(
        title=f"Bench board {number}",
        slug=f"bench-board-{number}",
        intro="A board for the benchmark.",
        posting_mode=BoardPage.PostingMode.CODE,
        posting_code=f"BENCH-CODE-{number}",
        requires_approval=True,
        reactions_enabled=True,
    )
    for name, slug in SECTIONS:
        board.sections.add(BoardSection(name=name, slug=slug, description=f"{name} ideas"))
    home.add_child(instance=board)
    return board


def load(home, stdout):
    if BoardPage.objects.filter(slug__startswith="bench-board-").exists():
        stdout.write("Bench boards are already in place.")
        return
    rng = random.Random(3)  # noqa: S311 - reproducible bench text, not a secret  # nosec B311
    images = image_pool()
    now = timezone.now()
    with transaction.atomic():
        boards = list(BoardPage.objects.child_of(home).specific())
        boards += [_extra_board(home, number) for number in range(len(boards) + 1, BOARDS + 1)]
        posts = []
        for board in boards[:BOARDS]:
            sections = list(BoardSection.objects.filter(board=board))
            for number in range(POSTS_PER_BOARD):
                with_image = number % 3 == 0
                approved_at = now - timedelta(minutes=10 * number)
                posts.append(
                    BoardPost(
                        board=board,
                        section=sections[number % len(sections)],
                        status=BoardPost.Status.APPROVED,
                        title=f"{words(rng, 4).capitalize()} {number}",
                        message=words(rng, 40).capitalize() + ".",
                        image=images[number % len(images)] if with_image else None,
                        image_alt="Abstract illustration of overlapping coloured circles" if with_image else "",
                        display_name=f"Teacher {number % 50}",
                        school=f"School {number % 90}",
                        reaction_count=number % 7,
                        created_at=approved_at,
                        approved_at=approved_at,
                    )
                )
        BoardPost.objects.bulk_create(posts, batch_size=1000)
    stdout.write(f"Created {len(posts)} approved board posts on {min(len(boards), BOARDS)} boards.")
