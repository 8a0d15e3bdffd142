"""Page weight: the home page with its CSS and JavaScript stays under 100 KB compressed, and nothing
render-blocking comes from another site (old phones on school Wi-Fi)."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

BUDGET_BYTES = 100 * 1024


def _assets(html):
    """Stylesheets and scripts the browser fetches before or while rendering."""
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"', html)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    return stylesheets, scripts


@pytest.mark.django_db
def test_home_page_html_css_and_js_are_under_100_kb_compressed(client, demo_site):
    html = client.get("/").content.decode()
    stylesheets, scripts = _assets(html)
    assert stylesheets and scripts, "the measurement found no assets: the page changed shape"
    sizes = {"/ (HTML)": len(gzip.compress(html.encode(), 6))}
    for url in stylesheets + scripts:
        # Tests run without collectstatic: read the file the URL names from the static source folders.
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, url
        sizes[url] = len(gzip.compress(Path(path).read_bytes(), 6))
    total = sum(sizes.values())
    assert total < BUDGET_BYTES, sizes


@pytest.mark.django_db
def test_no_render_blocking_third_party_resources(client, demo_site):
    html = client.get("/").content.decode()
    stylesheets, scripts = _assets(html)
    for url in stylesheets + scripts:
        assert url.startswith("/") and not url.startswith("//"), f"third-party resource: {url}"
    # Our own scripts do not block rendering either.
    for tag in re.findall(r"<script[^>]*>", html):
        assert " defer" in tag or " async" in tag or 'type="module"' in tag, tag
    assert not re.search(r'<link[^>]+rel="(preconnect|dns-prefetch)"[^>]+href="https?://', html)
    assert "@import" not in html
