"""docs/deployment.md lists every environment variable the settings and gunicorn read, so it stays true."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READERS = re.compile(r"""\b(?:env|env_bool|env_list|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def variables_read():
    # The test settings are never deployed (they read only what pytest-xdist sets).
    settings = sorted(path for path in (REPO / "cms/settings").glob("*.py") if path.name != "test.py")
    sources = [*settings, REPO / "gunicorn.conf.py"]
    return {name for source in sources for name in READERS.findall(source.read_text())}


def test_the_reader_finds_the_variables_we_know_of():
    found = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "GUNICORN_WORKERS", "AWS_STORAGE_BUCKET_NAME"} <= found


def test_every_environment_variable_is_documented():
    text = (REPO / "docs/deployment.md").read_text()
    section = text.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}
    missing = sorted(variables_read() - documented)
    assert missing == [], f"add these to the table in docs/deployment.md: {missing}"
