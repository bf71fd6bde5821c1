# riverchief: `make run` serves the Leshan demo; `make test` runs the whole suite.
# Both install what is missing (Debian packages as root, a virtualenv with the project),
# and start an embedded PostGIS under .data/ on its own port unless DATABASE_URL is set.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_PORT ?= 54329
PG_TEST_PORT ?= 54339
HOST ?= 127.0.0.1
PORT ?= 8000

# `make run` is a local demo: development mode (demo accounts, a development secret).
# Production deployments set RIVERCHIEF_ENV=production and RIVERCHIEF_SECRET_KEY themselves.
RUN_ENV := RIVERCHIEF_ENV=$${RIVERCHIEF_ENV:-development}
DB_URL = $${DATABASE_URL:-postgresql://postgres@127.0.0.1:$(PG_PORT)/riverchief}
TEST_SERVER := postgresql://postgres@127.0.0.1:$(PG_TEST_PORT)/postgres

.PHONY: citus-up citus-down test-citus run test deps deps-test venv db db-test migrate demo serve lint typecheck clean stop bench screenshots

run: deps venv db migrate demo serve

test: deps-test venv db-test
	RIVERCHIEF_TEST_DATABASE_URL=$(TEST_SERVER) $(BIN)/python -m pytest -q

# A Citus cluster (coordinator + 2 workers) on this machine: scripts/citus.sh installs Citus
# (package repository, else CITUS_SRC=<source dir or tarball>) and prints the coordinator's
# DATABASE_URL last. `make test-citus` runs the whole suite against it (docs/scaling.md).
CITUS_PORT ?= 9700
CITUS_WORKER_PORTS ?= 9701 9702
CITUS_ENV = CITUS_PORTS="$(CITUS_PORT) $(CITUS_WORKER_PORTS)"

citus-up: deps venv
	@$(CITUS_ENV) scripts/citus.sh up

citus-down:
	@$(CITUS_ENV) scripts/citus.sh down

test-citus: deps-test venv
	RIVERCHIEF_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$(CITUS_PORT)/postgres \
	  $(BIN)/python -m pytest -q

deps:
	@scripts/install-system-deps.sh run

deps-test:
	@scripts/install-system-deps.sh test

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

db:
	@if [ -z "$$DATABASE_URL" ]; then scripts/pg.sh start pg $(PG_PORT); fi

db-test:
	@scripts/pg.sh start pg-test $(PG_TEST_PORT)

migrate:
	DATABASE_URL=$(DB_URL) $(RUN_ENV) $(BIN)/riverchief db upgrade

# Load the demo only into an empty database: `make run` never overwrites real data.
demo:
	@state=$$(DATABASE_URL=$(DB_URL) $(RUN_ENV) $(BIN)/python -m service.dbstate) || exit 1; \
	if [ "$$state" = empty ]; then \
	  DATABASE_URL=$(DB_URL) $(RUN_ENV) $(BIN)/riverchief load-demo; \
	else echo "database has data: skipping load-demo"; fi

serve:
	@echo "riverchief on http://$(HOST):$(PORT)/  (API docs: /docs)"
	DATABASE_URL=$(DB_URL) $(RUN_ENV) $(BIN)/riverchief serve --host $(HOST) --port $(PORT)

LINT_PATHS := service tests bench migrations scripts

# Style, formatting and types: what `.ci/run` checks before the tests.
lint: venv
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy service

typecheck: venv
	$(BIN)/mypy service

# README screenshots of the map, made with the browser-test tooling (headless Debian chromium).
screenshots: venv db-test
	RIVERCHIEF_TEST_DATABASE_URL=$(TEST_SERVER) $(BIN)/python scripts/screenshots.py

stop:
	scripts/pg.sh stop pg; scripts/pg.sh stop pg-test

clean: stop
	rm -rf .data $(VENV)
