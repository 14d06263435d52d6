# Newsroom — the two commands are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Where `make run` serves the site: `PORT=8700 make run`, `HOST=0.0.0.0 make run`.
# Unless SITE_URL is set, absolute links (canonical, feeds, sitemap, .ics,
# e-mails) use this address too (newsroom/settings.py).
HOST ?= 127.0.0.1
PORT ?= 8000
SERVED := HOST=$(HOST) PORT=$(PORT)

# The first Python 3.12+ found: python3.13, python3.12, then python3.
PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then echo $$p; break; fi; done)

.PHONY: run test lint format install install-dev migrate demo passwords check-python clean screenshots audit messages bench bench-scale stack stack-stop stack-test

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "Newsroom a besoin de Python 3.12 ou plus récent : aucun n'a été trouvé (python3.13, python3.12, python3)."; exit 1; fi

$(VENV)/.installed: requirements.txt | check-python
	@echo "Installation des dépendances Python dans $(VENV) (une à deux minutes la première fois, sans autre message)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --quiet --upgrade pip
	@$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	@echo "Installation des outils de test dans $(VENV) (sans autre message)…"
	@$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	@$(SERVED) $(PY) manage.py load_demo

# New passwords for the demo accounts `editeur` and `moderateur`, printed once.
passwords: migrate
	@$(SERVED) $(PY) manage.py load_demo --reset-passwords

run: demo
	$(SERVED) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The French catalog. Strings are written in French in the code, so the
# catalog maps each one to itself; it exists for French plurals (0 and 1 take
# the singular: « 0 commentaire en attente »), which gettext without a catalog
# would form as in English. Needs GNU gettext; the compiled .mo is committed.
messages: install
	rm -f locale/fr/LC_MESSAGES/django.po  # made afresh: no fuzzy match can give a string another's words
	$(PY) manage.py makemessages -l fr --no-obsolete --no-location -i ".venv/*" -i "node_modules/*" -i "tests/*" -i "var/*"
	msgen locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
	sed -i -e '/^#, fuzzy$$/d' -e 's/^"Language: \\n"$$/"Language: fr\\n"/' \
		-e '/^"Plural-Forms:/{:a;/\\n"$$/!{N;ba};s/.*/"Plural-Forms: nplurals=2; plural=(n > 1);\\n"/}' \
		locale/fr/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages -l fr -i ".venv" -i "node_modules"

# Screenshots of the main pages (phone and desktop) into docs/screenshots/.
screenshots: install-dev
	$(VENV)/bin/pytest -m screenshots tests/e2e/test_screenshots.py -p no:cacheprovider -q

# Lighthouse (mobile preset) on home, the smart-city article and the Rencontres page.
audit: install-dev
	bash scripts/audit.sh

# Every page and admin screen at 1,000 and 100,000 articles on PostgreSQL,
# in databases of its own (reused when already filled; BENCH_SCALE_ARGS=--regenerate
# makes them again). Prints the table of README « Performance at scale ».
bench-scale: install
	$(PY) bench/bench_scale.py $(BENCH_SCALE_ARGS)

# Throughput of the article page (cache miss, hit, 304) against a Django
# hello world, and through the shipped nginx against a static file: gunicorn
# (production settings, SQLite, Redis db 4 if it answers), nginx and wrk.
# BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_WORKERS (2), BENCH_PORT (8120, and the next two).
bench: install
	$(PY) bench/run.py

# Newsroom on several servers, on this machine (README « Running on several
# servers »): nginx :8480 in front of two gunicorn app servers, PostgreSQL
# (database newsroom_stack), a Redis of its own (:6390), moto's S3 server for
# media (:8483) and the task worker; pids and logs in var/stack/. Installs
# nginx from Debian if it is missing.
stack: install-dev
	$(PY) scripts/stack.py start

# Stops what `make stack` started, by pid; does nothing when nothing runs.
stack-stop:
	@if [ -x $(PY) ]; then $(PY) scripts/stack.py stop; fi

# The five multi-server scenarios through nginx (tests/stack, about 3 minutes):
# starts the stack unless it runs, and stops what it started.
stack-test: install-dev
	$(VENV)/bin/pytest -m stack tests/stack -p no:cacheprovider

clean:
	rm -rf $(VENV) var/newsroom.sqlite3* var/static
