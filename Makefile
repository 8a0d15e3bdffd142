# The two commands a new user needs are `make run` and `make test`; the rest are for developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Links printed by the dev admin command and used in emails point at the server `make run` starts.
BASE_URL ?= http://$(HOST):$(PORT)
export BASE_URL

.PHONY: install run test lint format migrate demo messages clean

# Python caches compiled modules (in .venv and the tree's __pycache__ folders, which git ignores) even where the
# machine sets PYTHONDONTWRITEBYTECODE, as CI machines do: otherwise every process (each test worker, each manage.py
# a test starts) compiles our code again, and pytest rewrites every test module again on every run.
export PYTHONDONTWRITEBYTECODE :=

# (Re)install only when the pinned requirements change. uv installs the same pinned versions as pip in a few
# seconds rather than about fifty (most of a fresh clone's `make test` was once spent here); where uv cannot be
# had (no PyPI, only a local wheel mirror pip is configured for), pip does it. --compile-bytecode, as pip does, all
# at once on every core: compiled lazily instead, the first of the suite's processes to import Django, Wagtail,
# boto3 or moto (each test worker, the backup tests' children, the S3 server) compiles them while the tests run,
# which cost more than the 10 s it saves here.
UV_VERSION := 0.13.10
$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); then \
		$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements-dev.txt -c constraints.txt; \
	else \
		$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt; \
	fi
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py configure_site
	$(BIN)/python manage.py ensure_dev_admin

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/); Ctrl+C stops it."
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The Nu HTML Checker for the crawl test (tests/browser/test_crawl.py): vnu-jar from the npm registry, pinned, into
# .tools/ (gitignored). It needs Java (`apt-get install default-jre-headless`); without npm the crawl says it could
# not validate.
VNU_VERSION := 26.9.27
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --prefix .tools --no-audit --no-fund --silent --no-save vnu-jar@$(VNU_VERSION); \
	else echo "npm not found: the crawl test cannot validate HTML (install Node.js and npm)."; fi

# PYTEST_ARGS passes options through, e.g. `make test PYTEST_ARGS="tests/events -x"`. The tests run in
# PYTEST_WORKERS processes (pytest-xdist; one per core by default), each taking whole files in the order
# tests/conftest.py sets (slowest first); PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
test: install $(VNU_JAR)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive .
# Developer tools (make bench, make loadtest) start our own local processes with argument lists (no shell),
# fetch loopback URLs and use seeded random data: those checks are skipped there, and only there.
	$(BIN)/bandit --quiet --recursive bench loadtest --exclude bench/node_modules,loadtest/results --skip B404,B603,B607,B310,B311

# The interface's catalogues (locale/<code>/LC_MESSAGES): collect the marked strings of our templates and code into
# each language's .po file, then compile the .mo files the site reads. Both are committed, so a new machine needs no
# gettext to serve the languages; this needs it (`apt-get install gettext`). docs/languages.md says how to translate.
MESSAGE_LANGUAGES := ar fa ps uk ti so
messages: install
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) --no-obsolete --no-location \
		-i ".venv/*" -i ".tools/*" -i "staticfiles/*" -i "media/*" -i "bench/*" -i "loadtest/*" -i "tests/*"
	$(BIN)/python manage.py compilemessages $(addprefix -l ,$(MESSAGE_LANGUAGES)) -i .venv -i .tools

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# --- Deployment (issue 8) ---
# Build the production image with podman (no Docker engine needed) and run it: release step, serve, worker and
# scheduler, checks (an email delivered to an SMTP server the .venv's aiosmtpd runs on loopback).
# Needs root; installs podman/debootstrap with apt-get if missing. See docs/deployment.md.
.PHONY: image-test
image-test: install
	$(PYTHON) tests/deployment/image_test.py

# --- Backups (issue 6) ---
# `make backup` writes backups/<timestamp>/ (database dump + media + manifest); DATABASE_URL picks the database.
# `make restore BACKUP=backups/<timestamp>` overwrites the database and media with it, then verifies them.
.PHONY: backup restore
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<folder>"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" --yes

# --- Load test (issue 6) ---
# 50 visitors + 10 posters against gunicorn (production settings) on a scratch PostgreSQL database + Redis.
# Fails on any error or lost write; figures go to loadtest/report.md. Shorten with LOADTEST_DURATION=30s.
LOADTEST_DURATION ?= 2m
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/loadtest
LOADTEST_REDIS_URL ?= redis://127.0.0.1:6379/0
LOADTEST_PORTS ?= 8300-8399
.PHONY: loadtest
loadtest: install
	LOADTEST_DURATION=$(LOADTEST_DURATION) LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) \
	LOADTEST_REDIS_URL=$(LOADTEST_REDIS_URL) LOADTEST_PORTS=$(LOADTEST_PORTS) $(BIN)/python loadtest/run.py

# --- Performance (issue 7) ---
# `make bench`: production-settings gunicorn on a large scratch data set, wrk against every public page
# type, cached and uncached; writes bench/results.json and bench/RESULTS.md. Not for CI (it takes minutes).
BENCH_DURATION ?= 8
.PHONY: bench lighthouse
bench: install
	BENCH_DURATION=$(BENCH_DURATION) $(BIN)/python bench/run_bench.py
# `make lighthouse`: Lighthouse 12.2.3 (mobile) with Debian Chromium on home, library, an event page and the
# board; reports in bench/lighthouse/. Installs lighthouse into bench/node_modules (gitignored) on first use.
lighthouse: install
	$(BIN)/python bench/lighthouse.py
