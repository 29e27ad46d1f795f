# Two commands matter: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
UV := .tools/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

WEB_SOURCES := $(shell find frontend/src frontend/public frontend/scripts -type f 2>/dev/null) \
	frontend/index.html frontend/package.json frontend/package-lock.json frontend/vite.config.ts \
	frontend/tsconfig.json
WEB_BUILD := src/teahouse/static/index.html

.PHONY: run test setup setup-test python web wheel lint check test-fast test-media test-web generated bench clean

## run: install what is missing, build the web client, serve on http://127.0.0.1:8000
run: setup
	$(VENV)/bin/teahouse serve

## test: install what is missing, then lint, type-check and run the whole suite
# The suite without media runs on every core (pytest-xdist): its servers take free
# ports and its PostgreSQL tests their own databases. The media tests stay serial:
# they share one network namespace and Janus's RTP port range.
PYTEST_WORKERS ?= auto

test: setup-test lint test-web
	$(VENV)/bin/pytest -m "not netns" -n $(PYTEST_WORKERS)
	scripts/netns-exec $(VENV)/bin/pytest -m netns

setup:
	scripts/install-system-deps run
	@$(MAKE) --no-print-directory python web

setup-test:
	scripts/install-system-deps test
	@$(MAKE) --no-print-directory python web

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

python: $(UV)
	$(UV) sync --frozen --extra dev --quiet

web: $(WEB_BUILD)

## wheel: dist/teahouse-VERSION.tar.gz and the wheel built from it, web client included
## (`pip install dist/teahouse-*.whl` in any Python 3.11 environment, then `teahouse serve`)
wheel: python web
	$(UV) build --out-dir dist

$(WEB_BUILD): $(WEB_SOURCES)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build

lint: python web
	$(VENV)/bin/ruff check src tests $(wildcard bench)
	$(VENV)/bin/ruff format --check src tests $(wildcard bench)
	$(VENV)/bin/mypy
	cd frontend && npm run --silent typecheck

## test-fast: the suite without real media (no network namespace needed)
test-fast: python
	$(VENV)/bin/pytest -m "not netns" -n $(PYTEST_WORKERS)

## generated: the protocol and API schemas from the server's models, and the web
## client's types from them (commit the result; `make test` fails while they are stale)
GENERATED := frontend/src/generated
generated: python
	$(VENV)/bin/python -m teahouse.realtime.schema > $(GENERATED)/protocol.schema.json.new
	$(VENV)/bin/python -m teahouse.api.openapi > $(GENERATED)/openapi.json.new
	mv $(GENERATED)/protocol.schema.json.new $(GENERATED)/protocol.schema.json
	mv $(GENERATED)/openapi.json.new $(GENERATED)/openapi.json
	[ -d frontend/node_modules ] || (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
	cd frontend && npm run --silent generate

## test-web: the web client's own unit tests (vitest)
test-web: web
	cd frontend && npm test

## test-media: only the tests with real Janus, aiortc and Chromium
test-media: python web
	scripts/netns-exec $(VENV)/bin/pytest -m netns

## bench: the benchmarks (figures go to docs/BENCHMARKS.md by hand)
bench: python
	scripts/netns-exec $(VENV)/bin/python -m bench.join_time
	scripts/netns-exec $(VENV)/bin/python -m bench.invite_fanout

clean:
	rm -rf $(VENV) .tools frontend/node_modules src/teahouse/static test-artifacts dist
