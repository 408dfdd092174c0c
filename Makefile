# Everyday commands. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
LOCALE_DIRS := locale members/locale circulars/locale meetings/locale news/locale surveys/locale projects/locale ikone/outbox/locale

.PHONY: totp demo test run worker beat lint format messages makemessages migrate check bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

# Compile the gettext catalogues (Babel: works without GNU gettext on the machine).
messages: $(STAMP)
	@for dir in $(LOCALE_DIRS); do \
		if [ -d $$dir ]; then $(VENV)/bin/pybabel -q compile -D django -d $$dir || exit 1; fi; \
		if [ -f $$dir/de/LC_MESSAGES/djangojs.po ]; then $(VENV)/bin/pybabel -q compile -D djangojs -d $$dir || exit 1; fi; \
	done

# Extract new strings (needs GNU gettext: apt-get install gettext).
makemessages: $(STAMP)
	$(PY) manage.py makemessages -l de --ignore=".venv/*" --ignore="var/*" --ignore="members/*" --ignore="circulars/*" --ignore="meetings/*" --ignore="news/*" --ignore="surveys/*" --ignore="projects/*" --ignore="ikone/outbox/*" --ignore="tests/*" --ignore="bench/*"
	@for app in members circulars meetings news surveys projects; do \
		(cd $$app && mkdir -p locale && ../$(PY) ../manage.py makemessages -l de) || exit 1; \
	done
	cd ikone/outbox && ../../$(PY) ../../manage.py makemessages -l de

migrate: messages
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py serve 127.0.0.1:8000

test: messages
	$(PY) -m pytest $(PYTEST_ARGS)

run: migrate
	$(PY) manage.py serve 127.0.0.1:8000

worker: $(STAMP)
	$(VENV)/bin/celery -A ikone worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	$(VENV)/bin/celery -A ikone beat --loglevel=INFO

check: messages
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: messages
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) var staticfiles
totp: $(STAMP)
	@$(PY) manage.py demo_totp

