"""Nothing lost: 20 parallel clients submit 500 posts through the real view; exactly 500 rows, one per 302."""

import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.test import override_settings

from board.models import BoardPost
from tests.factories import CODE, build_demo_home, make_board

CLIENTS = 20
POSTS_PER_CLIENT = 25

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgresql(
        "concurrency needs a real multi-connection database; SQLite serialises every writer, so the test proves "
        "nothing there."
    ),
]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _client_session(base_url, board_url, section_id, client_number):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    form_url = base_url + board_url + "post/"
    html = opener.open(form_url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = []
    for n in range(POSTS_PER_CLIENT):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "posting_code": CODE,
                "section": section_id,
                "title": f"Client {client_number} post {n}",
                "message": "Submitted in parallel.",
                "website_url": "",
            }
        ).encode()
        request = urllib.request.Request(form_url, data=body, headers={"Referer": form_url})  # noqa: S310 - live_server
        try:
            response = opener.open(request, timeout=60)
            status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
        if status == 302:
            accepted.append(int(re.search(r"/posts/(\d+)/", location).group(1)))
        else:
            raise AssertionError(f"client {client_number} post {n}: HTTP {status}")
    return accepted


@override_settings(BOARD_POST_RATE_LIMIT=10_000, BOARD_POSTS_PER_BOARD_LIMIT=10_000)
def test_500_parallel_posts_give_exactly_500_rows(live_server):
    board = make_board(build_demo_home(), slug="busy-board")
    section_id = board.sections.get(slug="learn").pk
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(
            pool.map(
                lambda number: _client_session(live_server.url, board.url, section_id, number),
                range(CLIENTS),
            )
        )
    accepted = [post_id for ids in results for post_id in ids]
    assert len(accepted) == CLIENTS * POSTS_PER_CLIENT
    assert len(set(accepted)) == len(accepted)
    stored = set(BoardPost.objects.filter(board=board).values_list("pk", flat=True))
    assert stored == set(accepted)
    titles = set(BoardPost.objects.filter(board=board).values_list("title", flat=True))
    assert len(titles) == 500
