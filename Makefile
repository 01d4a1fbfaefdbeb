# Two commands for a fresh machine: `make run` and `make test`. Every target sets up what it
# needs itself: a pinned uv in .tools/, then the locked environment in .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
SB := $(VENV)/bin/switchboard
export UV_PYTHON := $(shell command -v $(PYTHON))
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

ASSETS := services/web/static/dist/.built

.PHONY: help assets chromium install run stop check test test-unit test-integration test-e2e fuzz lint format schemas bench clean distclean

help: ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --quiet
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the pages' assets (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): node_modules/.package-lock.json services/web/build_assets.mjs
	node services/web/build_assets.mjs

assets: $(ASSETS) ## Build the pages' CSS/JS/images from node_modules (npm ci, then copy)

install: $(VENV)/.synced $(ASSETS) ## Create .venv from the lock file and build the pages' assets

run: install ## Run the whole pipeline locally with a demo stream (Ctrl-C or `make stop` ends it)
	$(SB) up

stop: install ## Stop everything `make run` started (and the local broker)
	$(SB) down

lint: install ## ruff + mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy schemas services tests bench

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schemas: install ## Regenerate the checked-in JSON Schema files
	$(VENV)/bin/python -m schemas.generate

chromium: ## Debian's Chromium for the browser tests (apt-installed when missing, as root)
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium from Debian for the browser tests" >&2; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: lint chromium ## Lint, then every test layer (starts the broker it needs)
	$(VENV)/bin/pytest

check: test ## What CI runs (.ci/run calls `make test`, the same thing): lint + every test layer

test-unit: install ## Unit tests only (no broker)
	$(VENV)/bin/pytest -m unit

test-integration: install ## Integration tests (real broker, real databases)
	$(VENV)/bin/pytest -m integration

test-e2e: install ## End-to-end tests (the whole pipeline)
	$(VENV)/bin/pytest -m e2e

fuzz: install ## Property tests with a bigger Hypothesis budget (new random inputs every run)
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest tests/unit/fuzz -q

bench: install ## Run every benchmark (starts the local broker); prints a table, writes bench/results/*.json
	$(SB) kafka up
	$(VENV)/bin/python -m bench

clean: ## Remove caches (keeps the broker jars and data)
	rm -rf .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: stop clean ## Also remove .venv, .tools and .local (broker jars, data, database)
	rm -rf $(VENV) $(TOOLS) .local
