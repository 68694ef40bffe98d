# wijkraad: `make run` serves the app with a demo council, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wijkraad
VENDOR := wijkraad/static/vendor
HOST ?= 127.0.0.1
PORT ?= 5000

REQ := requirements
# Installs exactly what the lock files name, each file checked against its hash, wheels only.
PIP_LOCKED := $(BIN)/pip install --quiet --require-hashes --only-binary :all:
# `make lock` resolves with uv, kept in a virtualenv of its own (UV=... to use another uv).
UV_VERSION := 0.13.9
LOCK_VENV := .venv-lock
UV ?= $(LOCK_VENV)/bin/uv
LOCK_ARGS ?=
UV_COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_ARGS)

.PHONY: install install-test run serve test test-unit test-e2e lint format bench counts translations lock clean help

help:
	@echo "make run     install, migrate, load the demo council, serve on http://$(HOST):$(PORT) (and send its mail)"
	@echo "make test    install what the tests need and run them all"
	@echo "make lint    ruff check and format check"
	@echo "make bench   benchmarks: live voting, the PDFs, the decisions archive, the budget, drawing by lot (not tests)"
	@echo "make counts  SQL statements per page and API read, at each data size"
	@echo "make lock    re-resolve requirements/*.txt from setup.cfg (LOCK_ARGS=--upgrade-package NAME)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The dependencies come from the lock files only; the project itself is installed without
# any. `pip check` (install_requires) and the offline dry run (the test extra) fail when
# setup.cfg asks for something the lock does not hold: run `make lock`.
$(VENV)/.installed: $(BIN)/python $(REQ)/build.txt $(REQ)/app.txt setup.cfg pyproject.toml
	$(PIP_LOCKED) -r $(REQ)/build.txt
	$(PIP_LOCKED) -r $(REQ)/app.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(REQ)/test.txt
	$(PIP_LOCKED) -r $(REQ)/test.txt
	$(BIN)/pip check
	$(BIN)/pip install --quiet --dry-run --no-index --no-build-isolation -e '.[test]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/utrecht $(VENDOR)/voorbeeld $(VENDOR)/htmx
	cp node_modules/@utrecht/component-library-css/dist/index.css $(VENDOR)/utrecht/index.css
	cp node_modules/@utrecht/component-library-css/dist/html.css $(VENDOR)/utrecht/html.css
	cp node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css $(VENDOR)/voorbeeld/theme.css
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/htmx.min.js
	@touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d wijkraad/translations -D messages

install: $(VENV)/.installed $(VENDOR)/.copied translations

install-test: install $(VENV)/.installed-test

run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	@echo ""
	@echo "wijkraad runs on http://$(HOST):$(PORT)  (log in at http://$(HOST):$(PORT)/aanmelden; Ctrl-C stops)"
	@echo "mail is sent from the same process; without WIJKRAAD_MAIL_SERVER it is printed here"
	WIJKRAAD_BASE_URL="$${WIJKRAAD_BASE_URL:-http://$(HOST):$(PORT)}" WIJKRAAD_MAIL_IN_PROCESS=1 \
		$(FLASK) run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/python -m pytest

test-unit: install-test
	$(BIN)/python -m pytest tests/unit

test-e2e: install-test
	$(BIN)/python -m pytest tests/e2e

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every benchmark runs; the target fails when any failed.
bench: install-test
	status=0; $(BIN)/python -m benchmarks || status=1; $(BIN)/python -m benchmarks.pdf || status=1; \
	$(BIN)/python -m benchmarks.archive || status=1; \
	$(BIN)/python -m benchmarks.budget || status=1; \
	$(BIN)/python -m benchmarks.sortition || status=1; \
	$(BIN)/python -m benchmarks.draws || status=1; exit $$status

counts: install-test
	$(BIN)/python -m tests.querycount_report

# Re-extract the messages after changing texts, then translate wijkraad/translations/en.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o wijkraad/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i wijkraad/translations/messages.pot -d wijkraad/translations --no-fuzzy-matching

$(LOCK_VENV)/bin/uv:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet uv==$(UV_VERSION)

# Python 3.11 on any platform (Linux x86_64 and aarch64 alike). Pins already in the files are
# kept unless setup.cfg no longer allows them or LOCK_ARGS says --upgrade[-package NAME].
lock: $(UV)
	$(UV_COMPILE) $(REQ)/build.in -o $(REQ)/build.txt
	$(UV_COMPILE) setup.cfg -o $(REQ)/app.txt
	$(UV_COMPILE) setup.cfg --extra test -c $(REQ)/app.txt -o $(REQ)/test.txt

clean:
	rm -rf $(VENV) $(LOCK_VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache
