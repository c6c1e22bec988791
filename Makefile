# Everyday verbs for the partnerships catalogue. No Docker needed.
#
#   make install             create .venv and install the project (every verb does this first)
#   make run                 build the catalogue (first start: about 30 s), then the development server at
#                            http://127.0.0.1:8000 (PORT=8123 to change; CATALOGUE=curated: the curated catalogue only)
#   make test                the test suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)
#   make lint                ruff
#   make migrations-check    fail if the models have changes without a migration
#   make serve               gunicorn exactly as in production (needs DJANGO_SECRET_KEY)
#   make reset-local-db      delete the SQLite database and build the catalogue afresh (CATALOGUE=curated too)
#   make clean               remove the virtualenv and everything generated
#   make backup              back up the database to backups/ (make restore FILE=... puts one back)
#   make load                load test: gunicorn on PostgreSQL, 50 clients for 60 s (needs wrk)
#   make test-replica        the read-replica tests against a real streaming replica (PostgreSQL, as root)
#
# Every verb first makes sure .venv exists and holds the project; it reinstalls
# only when pyproject.toml has changed. Variables from the environment or the
# command line (DATABASE_URL, REQUIRE_BROWSER, ...) reach the commands as they are.

PORT ?= 8000
# What `make run` builds on its first start: "world" (the curated catalogue and the open data in data/)
# or "curated" (fixtures/ only). Later starts skip the build while nothing it reads has changed.
CATALOGUE ?= world
BUILD_ARGS = $(if $(filter curated,$(CATALOGUE)),--curated,$(if $(filter world,$(CATALOGUE)),,\
	$(error CATALOGUE is "world" or "curated", not "$(CATALOGUE)")))
# The first Python 3.11+ on the PATH (looked up only when .venv is created);
# override with `make PYTHON=/path/to/python3.12`.
PYTHON ?= $(shell for p in python3 python3.14 python3.13 python3.12 python3.11; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTS ?= tests
TEST_ARGS ?= --parallel=1 --noinput -v 2

# Development settings: debug on, hence a throwaway secret key and local hosts.
DEV := DJANGO_DEBUG=1

.DEFAULT_GOAL := help
.PHONY: help install run test lint migrations-check serve reset-local-db clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

install: $(STAMP)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.11 or newer on the PATH; install one or pass PYTHON=..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "$(PYTHON) is older than 3.11; pass e.g. PYTHON=python3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Creating the virtualenv failed (on Debian/Ubuntu: apt install python3-venv)." >&2; exit 1; }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	@touch $@

run: install
	$(DEV) $(BIN)/python manage.py build_catalogue $(BUILD_ARGS)
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(DEV) $(BIN)/python manage.py test $(TESTS) $(TEST_ARGS)

lint: install
	$(BIN)/ruff check config partnerships scaling benchmarks tests

migrations-check: install
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run

# The production command is the Dockerfile's CMD line; `make serve` and .ci/run
# run that very line, so the three cannot drift apart. Production settings:
# DJANGO_SECRET_KEY is required; local hosts and plain HTTP unless told otherwise.
serve: export DJANGO_ALLOWED_HOSTS ?= localhost,127.0.0.1
serve: export DJANGO_SECURE_SSL_REDIRECT ?= 0
serve: install
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve runs with production settings: set DJANGO_SECRET_KEY," \
		"e.g. DJANGO_SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))') make serve" >&2; exit 1; }
	$(BIN)/python manage.py build_catalogue $(BUILD_ARGS)
	$(BIN)/python manage.py collectstatic --noinput -v 0
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) sh -c "$$(sed -n 's/^CMD //p' Dockerfile)"

reset-local-db: install
	@test -z "$$DATABASE_URL" || { echo "DATABASE_URL is set: reset-local-db only resets the local SQLite database." >&2; exit 1; }
	rm -f db.sqlite3
	$(DEV) $(BIN)/python manage.py build_catalogue $(BUILD_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .ruff_cache *.egg-info build dist
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# make bench: the benchmark (not part of `make test`). Builds 1,000,000 meetings on PostgreSQL
# (BENCH_DATABASE_URL, default a scratch database `partnerships_bench` on 127.0.0.1) and 100,000 on
# SQLite, then prints, ratios first, our site under gunicorn beside Datasette (the `bench` extra) over
# HTTP on the SQLite file, and each page's server time beside the raw SQL floor. About 30 minutes on
# 2 cores; BENCH_ARGS="--pg-meetings 100000 --reuse" for a quicker one.
.PHONY: bench
bench: install
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(DEV) $(BIN)/python manage.py bench $(BENCH_ARGS)

# make backup: the whole database (DATABASE_URL, else the local SQLite) to a dated file in backups/;
# make restore FILE=backups/...: put one back (asks first). README "Backup and restore" says more.
# make load: the load test (not part of `make test`): gunicorn as in production on PostgreSQL, wrk
# with 50 clients for 60 s; loadtest/run.sh says more (CONNECTIONS, DURATION, LOAD_DATABASE_URL).
.PHONY: backup restore load

backup: install
	$(DEV) $(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/partnerships-....sqlite3" >&2; exit 1; }
	$(DEV) $(BIN)/python manage.py restore "$(FILE)"

load: install
	bash loadtest/run.sh

# make test-replica: starts a streaming replica of the local PostgreSQL on port 5433 (.ci/replica), runs the
# router's tests against it with DATABASE_URL (default a scratch database partnerships_replica), stops it.
.PHONY: test-replica
test-replica: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/partnerships_replica
test-replica: install
	createdb -h 127.0.0.1 -U postgres "$${DATABASE_URL##*/}" 2>/dev/null || true
	bash .ci/replica start
	DATABASE_REPLICA_URLS="$${DATABASE_URL%:*}:5433/$${DATABASE_URL##*/}" $(DEV) $(BIN)/python manage.py test \
		tests.test_replicas $(TEST_ARGS); status=$$?; bash .ci/replica stop; exit $$status
