# wijkraad: `make run` serves the app with a demo council, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wijkraad
VENDOR := wijkraad/static/vendor
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install install-test run serve test test-unit test-e2e lint format bench translations clean help

help:
	@echo "make run     install, migrate, load the demo council, serve on http://$(HOST):$(PORT)"
	@echo "make test    install what the tests need and run them all"
	@echo "make lint    ruff check and format check"
	@echo "make bench   benchmarks (not tests)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install --quiet -e '.[test]'
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

bench: install-test
	$(BIN)/python -m benchmarks

# Re-extract the messages after changing texts, then translate wijkraad/translations/en.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o wijkraad/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i wijkraad/translations/messages.pot -d wijkraad/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache
