# The two commands a newcomer runs: `make demo` and `make test`.
# Everything installs into local virtual environments; nothing is installed system-wide.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
STAMP := $(VENV)/.installed
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: help install image-tools demo test lint typecheck unit snapshots bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev,local]'
	touch $@

# Both environments are installed with their bytecode compiled, as pip does by default
# (uv does not): with PYTHONDONTWRITEBYTECODE set, as on many CI images, every checkov
# start would otherwise compile its 2,300 modules again (import 5.3 s instead of 2.5 s).
# checkov pins bc-python-hcl2, which installs a module named `hcl2` that clashes with
# python-hcl2; it lives in its own virtual environment and runs as the separate tool it is.
# trellis finds .venv-checkov and node_modules here by itself (`trellis tools` shows where);
# a team repository gets the same pinned versions with `trellis tools install`.
$(CHECKOV_STAMP):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip uv
	$(CHECKOV_VENV)/bin/uv pip install --quiet --compile-bytecode --python $(CHECKOV_VENV)/bin/python 'checkov==$(CHECKOV_VERSION)'
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p node_modules && touch $@

# buildah, skopeo and umoci (Debian packages) build and inspect the image contexts in
# tests/images without a Docker daemon. They are installed only when missing and only
# where apt-get runs as root; anywhere else the install goes on and tests/images proves
# the application layer with its Python assembly (the buildah tests say why they skip).
IMAGE_TOOLS := buildah skopeo umoci

image-tools:  ## buildah, skopeo, umoci from Debian's packages when missing (root + apt-get only)
	@missing=""; for tool in $(IMAGE_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "note:$$missing not installed (needs root and apt-get); tests/images uses its Python assembly"; exit 0; fi; \
	echo "apt-get install$$missing (Debian packages, for tests/images)"; \
	apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 \
	  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1; } \
	  || echo "warning: apt-get could not install$$missing; tests/images uses its Python assembly"

install: $(STAMP) $(CHECKOV_STAMP) $(NODE_STAMP) image-tools  ## create the virtual environments (and the image tools)

demo: install  ## validate, render, check, plan offline and review the examples for every environment
	$(BIN)/trellis validate .
	$(BIN)/trellis render .
	$(BIN)/trellis check . --no-render
	$(BIN)/trellis plan --offline .
	$(BIN)/trellis review .trellis/plans/*/*/plan.json --repo . --output .trellis/review.md
	@echo
	@echo "Rendered stacks and IAM review files are under build/; plans under .trellis/plans/ and the plan review in .trellis/review.md (git-ignored)."
	@echo
	@echo "Running the orders pipeline locally twice (examples/orders.records.json); the second run changes nothing:"
	$(BIN)/trellis run orders --env dev --source-file examples/orders.records.json --fresh
	$(BIN)/trellis run orders --env dev --source-file examples/orders.records.json

lint: $(STAMP)  ## ruff, mypy --strict and the import contracts
	$(BIN)/ruff check generator runtime tests benchmarks tools
	$(BIN)/ruff format --check generator runtime tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: install lint  ## everything: lint, types, then the whole test suite in parallel
	$(BIN)/pytest -n auto -q

snapshots: $(STAMP)  ## regenerate the golden snapshots under tests/snapshots/
	$(BIN)/python -m tests.snapshots.regenerate

bench: install  ## benchmarks (tables, not pass/fail)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:  ## remove build output and virtual environments
	rm -rf build $(VENV) $(CHECKOV_VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
