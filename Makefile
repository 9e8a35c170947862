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

.PHONY: run run-env test setup setup-test system-packages system-packages-test migrate demo messages benchmark clean

# `make run` serves the demo as production would look (no debug pages, the portal's own error pages, static files
# through WhiteNoise) but over plain HTTP on this machine: no HTTPS redirect, secure cookies or HSTS, e-mail to the
# console, and a secret key generated once into var/secret_key (git-ignored).
RUN_ENV = DEBUG=0 DEMO_MODE=1 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" SECURE_SSL_REDIRECT=0 \
	SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 BEHIND_HTTPS_PROXY=0 \
	EMAIL_BACKEND=$${EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend}

run: setup
	@$(MAKE) --no-print-directory migrate
	@mkdir -p var && (test -s var/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Portal: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	@# The worker building the long documents, stopped with the server.
	$(RUN_ENV) ./scripts/background-worker $$PPID &
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The environment of `make run`, for its test.
run-env:
	@echo '$(RUN_ENV)'

test: setup-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed

setup-test: system-packages-test $(VENV)/.installed

migrate:
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

demo: setup migrate
	DEBUG=$${DEBUG:-1} DEMO_MODE=$${DEMO_MODE:-1} $(BIN)/python manage.py load_demo

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
# Pages at 30, 150 and 3,000 agencies, the documents against the bare libraries, then the deadline rush against
# gunicorn (PostgreSQL only: it needs DATABASE_URL=postgres://…). Each builds its own data and leaves nothing.
benchmark: setup migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py benchmark_outputs
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py benchmark_pages
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py benchmark_rush

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
