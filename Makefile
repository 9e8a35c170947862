# Two commands: `make run` (set up, migrate, load the demo, serve on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages: venv for the system Python, WeasyPrint's Pango and HarfBuzz, Liberation fonts (Times New Roman metrics, full Vietnamese
# coverage), gettext for translations; and for the tests Debian's Chromium, poppler's pdftotext/pdftoppm and
# LibreOffice (headless: the Word documents and workbooks must open without repair).
RUN_PACKAGES := python3-venv fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui

# Variables from an optional .env file (see .env.example) reach every command below.
-include .env
export

.PHONY: run test setup setup-test system-packages system-packages-test migrate demo messages benchmark clean

run: setup
	@$(MAKE) --no-print-directory migrate
	DEBUG=$${DEBUG:-1} DEMO_MODE=$${DEMO_MODE:-1} $(BIN)/python manage.py load_demo
	@echo "Portal: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@# The worker building the long documents, stopped with the server.
	DEBUG=$${DEBUG:-1} DEMO_MODE=$${DEMO_MODE:-1} ./scripts/background-worker $$PPID &
	DEBUG=$${DEBUG:-1} DEMO_MODE=$${DEMO_MODE:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed

setup-test: system-packages-test $(VENV)/.installed

migrate:
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: setup migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $@

system-packages:
	@./scripts/ensure-debian-packages $(RUN_PACKAGES)

system-packages-test:
	@./scripts/ensure-debian-packages $(TEST_PACKAGES)

# Regenerate the translation catalogues after changing user-facing strings (then translate the new entries in
# the .po files and run `make messages` again: it also compiles them).
messages: setup
	./scripts/makemessages
	./scripts/makemessages --compile

# How long the official outputs take for a province of 150 agencies (everything it creates is rolled back).
benchmark: setup migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py benchmark_outputs

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
