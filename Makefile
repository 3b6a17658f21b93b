# The two commands: `make up` runs the platform locally, `make test` runs every test.
# Both create the virtualenv first when it is missing or outdated.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: up down status test test-unit test-integration test-e2e bench venv clean token explorer provider-schema browser demo walkthrough

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

# The API explorer's Swagger UI assets: the npm package pinned in local/explorer/package.json,
# installed into local/explorer/node_modules/ (git-ignored); scripts off (no telemetry), no lock file.
EXPLORER_STAMP := local/explorer/node_modules/.installed
$(EXPLORER_STAMP): local/explorer/package.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	cd local/explorer && npm install --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(EXPLORER_STAMP)

explorer: $(EXPLORER_STAMP)

# The Google Terraform providers' schemas (npm @cdktf/provider-google(-beta), pinned in
# tests/infra/provider-schema/package.json) for tests/infra/test_provider_schema.py; same install.
SCHEMA_STAMP := tests/infra/provider-schema/node_modules/.installed
$(SCHEMA_STAMP): tests/infra/provider-schema/package.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	cd tests/infra/provider-schema && npm install --no-package-lock --no-audit --no-fund --ignore-scripts --omit=peer --legacy-peer-deps --loglevel=error
	@cp tests/infra/provider-schema/package.json $(SCHEMA_STAMP)

provider-schema: $(SCHEMA_STAMP)

# The official AsyncAPI parser (npm @asyncapi/parser, pinned in local/asyncapi/package.json) that
# validates docs/asyncapi.json; installed the same way into local/asyncapi/node_modules/ (git-ignored).
ASYNCAPI_STAMP := local/asyncapi/node_modules/.installed
$(ASYNCAPI_STAMP): local/asyncapi/package.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	cd local/asyncapi && npm install --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $(ASYNCAPI_STAMP)

.PHONY: asyncapi
asyncapi: $(STAMP) $(ASYNCAPI_STAMP)  ## regenerate docs/asyncapi.json from the contracts and validate it (commit the result)
	$(PY) -m shared.asyncapi --write
	node local/asyncapi/validate.mjs docs/asyncapi.json

# Headless Chromium from Debian's packages for the browser test (installed only when missing).
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

up: $(STAMP) $(EXPLORER_STAMP)  ## start emulators, moto, stand-ins, every function and the gateway on :8080
	$(PY) -m local.cloud up
	@if [ "$(DEMO)" = "1" ]; then $(PY) -m local.demo; fi

demo: $(STAMP)  ## load the demo world into the running stack (idempotent) and print who is who
	$(PY) -m local.demo

walkthrough: $(STAMP)  ## the whole story over HTTP against the running stack, step by step
	$(PY) -m local.walkthrough

down:  ## stop exactly what `make up` started
	@if [ -x $(PY) ]; then $(PY) -m local.cloud down; fi

status: $(STAMP)
	$(PY) -m local.cloud status

token: $(STAMP)  ## make token SUB=guru-001 EMAIL=guru1@belajar.id
	@$(PY) -m local.identity mint --sub "$(SUB)" $(if $(EMAIL),--email "$(EMAIL)")

test: $(STAMP) $(EXPLORER_STAMP) $(SCHEMA_STAMP) $(ASYNCAPI_STAMP) browser  ## unit, integration (emulators) and end-to-end (whole stack) tests
	$(PY) -m pytest -q

test-unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

test-integration: $(STAMP)
	$(PY) -m pytest -q tests/integration

test-e2e: $(STAMP) $(EXPLORER_STAMP) browser
	$(PY) -m pytest -q tests/e2e

bench: $(STAMP)  ## prints figures; not a test
	$(PY) benchmarks/platform_bench.py

clean: down
	rm -rf $(VENV) .local .pytest_cache

.PHONY: infra-sync bundles requirements
infra-sync: $(STAMP)  ## regenerate infra/generated/*.json and docs/asyncapi.json from the code (commit the result)
	$(PY) -m infra.sync
	$(PY) -m shared.asyncapi --write

bundles: $(STAMP)  ## build/bundles/<service>/ and .zip: what Terraform uploads per function source
	$(PY) -m infra.bundle

requirements: $(STAMP)  ## compile services/<svc>/requirements.in (+ the repo pins) into hashed requirements.txt (commit them)
	$(PY) -m infra.deps

.PHONY: diagram
diagram: $(STAMP)  ## render docs/arsitektur.dot to docs/arsitektur.svg with Graphviz (commit both)
	@command -v dot >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz)
	$(PY) -m tools.diagram

.PHONY: load faults fuzz
load: $(STAMP)  ## semester-start load (benchmark; prints figures): make load ARGS="--sekolah 200 --guru-per-sekolah 25"
	$(PY) benchmarks/semester_load.py $(ARGS)

faults: $(STAMP)  ## the long fault runs: Pub/Sub emulator restarted mid-stream, stand-ins slow/failing/flapping
	$(PY) benchmarks/faults.py $(ARGS)

fuzz: $(STAMP)  ## schemathesis from each service's OpenAPI, 100 examples per operation, plus the abuse cases
	PMM_FUZZ_CONTOH=100 $(PY) -m pytest -q tests/e2e/test_hostile.py

.PHONY: replay
replay: $(STAMP)  ## dead letters back to their topic: make replay TOPIC=<topic|fn.dlq.sub|semua> ARGS="--sampai 2026-01-05T08:00:00+07:00 --kering" (docs/runbook.md)
	@test -n "$(TOPIC)" || (echo "TOPIC=<topic, <function>.dlq.sub or semua> is required" >&2; exit 2)
	$(PY) -m tools.replay "$(TOPIC)" $(ARGS)
