"""`make lighthouse`: Lighthouse 12.2.3 (mobile preset, Debian Chromium) on home, resource library, an event
page and the board, served by production-settings gunicorn on the bench data set (`make bench` loads it).

Reports are kept in bench/lighthouse/ (HTML and JSON, one pair per page); the four category scores are
printed and written to bench/lighthouse/scores.json. Lighthouse is installed into bench/node_modules
(gitignored) with npm the first time. Environment: as for run_bench.py, plus CHROME_PATH
(default /usr/bin/chromium).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from devtools import free_port, run_main  # noqa: E402
from run_bench import BENCH_DIR, PYTHON, ROOT, Server, log, manage, site_env  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE = BENCH_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = BENCH_DIR / "lighthouse"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95, "seo": 95}


def ensure_lighthouse():
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        raise SystemExit("npm is not installed: `apt-get install npm` (Node 18+), then run `make lighthouse` again.")
    log(f"installing lighthouse@{LIGHTHOUSE_VERSION} into bench/node_modules")
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(BENCH_DIR), f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
    )


def page_urls():
    code = (
        "import json; from events.models import EventPage; from resources.models import ResourceIndexPage; "
        "from board.models import BoardPage; from django.utils import timezone; "
        "event = EventPage.objects.live().filter(start__gt=timezone.now()).order_by('start').first(); "
        "print(json.dumps({'home': '/', 'resource-library': ResourceIndexPage.objects.live().first().url, "
        "'event-page': event.url, 'board': BoardPage.objects.live().order_by('path').first().url}))"
    )
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT,
        env=site_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_lighthouse(url, name):
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            "--form-factor=mobile",
            "--screenEmulation.mobile",
            "--only-categories=" + ",".join(CATEGORIES),
            '--extra-headers={"X-Forwarded-Proto": "https"}',
            "--output=html",
            "--output=json",
            f"--output-path={REPORTS / name}",
        ],
        env=env,
        check=True,
    )
    report = json.loads((REPORTS / f"{name}.report.json").read_text())
    return {category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES}


def main():
    ensure_lighthouse()
    REPORTS.mkdir(exist_ok=True)
    manage("migrate", "--noinput", "-v0")
    manage("load_bench_data")
    manage("collectstatic", "--noinput", "-v0")
    urls = page_urls()
    port = int(os.environ.get("BENCH_PORT") or free_port(8400, 8499))
    scores = {}
    # Lighthouse fetches robots.txt without the X-Forwarded-Proto header its page requests carry; behind the
    # real TLS proxy the redirect to HTTPS never applies, so switch it off here rather than fail that audit.
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    with Server(port, page_cache=True) as server:
        for name, path in urls.items():
            log(f"lighthouse {name} ({path})")
            scores[name] = {"url": path, **run_lighthouse(server.url(path), name)}
    (REPORTS / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    print(f"\n{'page':18} " + " ".join(f"{c:>15}" for c in CATEGORIES))
    for name, row in scores.items():
        print(f"{name:18} " + " ".join(f"{row[c]:>15}" for c in CATEGORIES))
    print("targets            " + " ".join(f"{'>= ' + str(TARGETS[c]):>15}" for c in CATEGORIES))
    print(f"Reports: {REPORTS}/<page>.report.html")


if __name__ == "__main__":
    run_main(main)
