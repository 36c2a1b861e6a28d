# The one entry point. `make help` lists the targets.
# Set-up is automatic and idempotent: stamps make a second run install nothing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP  := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0
# The runs are many small arrays: BLAS threads only fight over the 2 cores (a sweep took
# 17-22 s with them, 5 s without).
export OPENBLAS_NUM_THREADS := 1

.DEFAULT_GOAL := help
.PHONY: help prerequisites setup vendor figures previews site serve test bench audit clean lock

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

# System prerequisites first (Python, Node, Chromium, fonts): as root the missing Debian packages
# are installed, otherwise make stops here with the apt-get command (.ci/prerequisites says how).
prerequisites: ## Check (as root: install) Python 3.11+ with venv, Node 20+, Chromium, fonts
	@PYTHON='$(PYTHON)' .ci/prerequisites

$(PY_STAMP): requirements.lock | prerequisites
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(NPM_STAMP): package.json package-lock.json | prerequisites
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Vendored front-end assets in docs/vendor/ (gitignored), so the site ships plotly.js and KaTeX
# itself and never asks a CDN: KaTeX copied from its pinned package, plotly.js built from its
# pinned sources as a partial bundle of the four trace types the site draws (gen/plotly_bundle/,
# about a second; rebuilt when its entry, its build script or the lock changes).
VENDOR_STAMP := docs/vendor/.vendored
PLOTLY_BUNDLE := gen/plotly_bundle/index.js gen/plotly_bundle/build.mjs
$(VENDOR_STAMP): $(NPM_STAMP) package-lock.json $(PLOTLY_BUNDLE)
	rm -rf docs/vendor
	mkdir -p docs/vendor/plotly docs/vendor/katex/contrib docs/vendor/katex/fonts
	node gen/plotly_bundle/build.mjs docs/vendor/plotly/plotly.min.js
	cp node_modules/plotly.js/LICENSE docs/vendor/plotly/LICENSE
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css docs/vendor/katex/
	cp node_modules/katex/dist/contrib/auto-render.min.js docs/vendor/katex/contrib/
	cp node_modules/katex/dist/fonts/*.woff2 docs/vendor/katex/fonts/
	cp node_modules/katex/LICENSE docs/vendor/katex/LICENSE
	touch $@

vendor: $(VENDOR_STAMP) ## Build plotly.js (gen/plotly_bundle/) and copy KaTeX into docs/vendor/

setup: prerequisites $(PY_STAMP) $(NPM_STAMP) $(VENDOR_STAMP) ## Check the system, create .venv, node_modules and docs/vendor from the lock files (idempotent)

figures: setup ## Generate figures, tables and numbers into docs/generated/
	$(BIN)/python -m gen

previews: figures ## Render the link-preview PNGs (docs/generated/previews/, headless Chromium)
	$(BIN)/python -m gen.previews

site: previews ## Build the static site into site/ (mkdocs build --strict)
	$(BIN)/mkdocs build --strict

serve: previews ## Build and preview on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

test: setup ## Run every test (unit, build and real-browser tests)
	$(BIN)/python -m pytest

bench: setup ## Run the benchmarks and print their figures
	$(BIN)/python tests/benchmarks/bench_sweep.py
	$(BIN)/python tests/benchmarks/bench_map.py
	$(BIN)/python tests/benchmarks/bench_network.py

audit: setup ## Time clean and no-op `make site`, Lighthouse (mobile) every page of site/
	$(BIN)/python tests/benchmarks/audit.py $(AUDIT_MAKE_ARGS)

lock: ## Re-resolve requirements.in into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.in
	.lock-venv/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .lock-venv

clean: ## Remove generated files and the built site (keeps .venv and node_modules)
	rm -rf site docs/generated .cache .pytest_cache
