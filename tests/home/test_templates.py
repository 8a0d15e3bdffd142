"""Template hygiene a visitor would notice: comments printed as text, invalid `<time>` values."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

TEMPLATE_DIRS = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]


def test_no_template_comment_runs_over_lines():
    """Django's `{# #}` is single-line: one that runs on is printed on the page (it was, on six pages)."""
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*"):
            if path.suffix not in {".html", ".txt", ".xml"}:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                for match in re.finditer(r"\{#", line):
                    if "#}" not in line[match.end() :]:
                        offenders.append(f"{path.relative_to(directory)}:{number}")
    assert offenders == [], "use {% comment %} for comments over several lines: " + ", ".join(offenders)


def test_html_datetime_has_whole_seconds_and_an_offset():
    """HTML allows at most three fractional digits in `<time datetime>`; `date:'c'` printed six."""
    moment = timezone.make_aware(datetime.datetime(2026, 3, 4, 15, 30, 7, 123456), datetime.UTC)
    rendered = Template("{% load site_tags %}{{ moment|html_datetime }}|{{ day|html_datetime }}").render(
        Context({"moment": moment, "day": datetime.date(2026, 3, 4)})
    )
    instant, day = rendered.split("|")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", instant), instant
    assert datetime.datetime.fromisoformat(instant) == moment.replace(microsecond=0)
    assert day == "2026-03-04"


def test_every_id_an_invalid_field_is_described_by_is_on_the_page(client, demo_home):
    """Django points an invalid field's aria-describedby at `<id>_error` (and `<id>_helptext`): both must exist,
    or a screen reader announces the field without its error (our template named the errors `<id>_error_1`)."""
    from bs4 import BeautifulSoup

    response = client.post("/contact/", {"your_name": "", "work_email_address": "not-an-email"})
    soup = BeautifulSoup(response.content, "html.parser")
    described = [field for field in soup.select("form [aria-describedby]")]
    assert len(described) >= 2
    missing = [
        f"{field['id']} -> {target}"
        for field in described
        for target in field["aria-describedby"].split()
        if soup.find(id=target) is None
    ]
    assert missing == []
    email_error = soup.find(id="id_work_email_address_error")
    assert "Enter a valid email address." in email_error.get_text()
