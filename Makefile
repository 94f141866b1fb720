# One task runner. `make demo` runs the product; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo serve test lint typecheck imports pytest bench schema clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Dependencies come from the lock files (exact versions, checked against their
# hashes); the project itself is then installed without resolving anything.
$(VENV)/.installed: pyproject.toml requirements-embedded.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-embedded.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# Regenerates the lock files from pyproject.toml after a dependency changed: pins
# already in a lock file are kept unless the change needs another version (add
# UV_ARGS=--upgrade to move everything to the newest allowed versions).
# requirements.lock: the service alone (the Docker image); -embedded: plus the
# embedded PostgreSQL (make demo); -dev: plus the tools of make test.
UV_ARGS ?=
LOCK_ARGS = --generate-hashes --universal --python-version 3.11 --quiet $(UV_ARGS)
.PHONY: lock
lock: | $(BIN)/python  ## regenerate requirements*.lock from pyproject.toml
	$(BIN)/pip install --quiet 'uv>=0.5'
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) --extra embedded -o requirements-embedded.lock
	$(BIN)/uv pip compile pyproject.toml $(LOCK_ARGS) --extra dev -o requirements-dev.lock

demo: $(VENV)/.installed  ## migrate, seed ~20,000 demo customers on first run, serve on :8000
	$(BIN)/cdp demo

serve: $(VENV)/.installed
	$(BIN)/cdp serve

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy cdp schema tagging graph policies tests bench

imports: $(VENV)/.installed-dev
	$(BIN)/lint-imports

# The graphql-http conformance audits (Node) that tests/http/test_audit.py runs;
# reinstalled only when the lock file changes.
AUDIT := tests/http/audit
$(AUDIT)/node_modules/.installed: $(AUDIT)/package.json $(AUDIT)/package-lock.json
	cd $(AUDIT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# pytest exits 5 when it collects nothing; that is a broken suite, not a pass.
pytest: $(VENV)/.installed-dev $(AUDIT)/node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; fi; exit $$rc

test: lint typecheck imports pytest  ## every check CI runs

bench: $(VENV)/.installed-dev  ## benchmarks; each prints a table with its baseline
	$(BIN)/python bench/bench_seed.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_identity.py
	$(BIN)/python bench/bench_audit.py
	$(BIN)/python bench/bench_permissions.py
	$(BIN)/python bench/bench_graph.py
	$(BIN)/python bench/bench_tags.py
	$(BIN)/python bench/bench_segments.py

# The customer-360 list under load next to PostGraphile 4 and 5 and a one-statement ceiling;
# its Node peers (bench/peers) are reinstalled only when their lock file changes.
# Arguments through BENCH_API_ARGS, e.g. BENCH_API_ARGS="--reuse-db cdp_bench_api".
PEERS := bench/peers
BENCH_API_ARGS ?=
$(PEERS)/node_modules/.installed: $(PEERS)/package.json $(PEERS)/package-lock.json
	cd $(PEERS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# PostGraphile 5 needs Node.js 22, which its folder installs as an npm package.
$(PEERS)/postgraphile5/node_modules/.installed: $(PEERS)/postgraphile5/package.json $(PEERS)/postgraphile5/package-lock.json
	cd $(PEERS)/postgraphile5 && npm ci --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: bench-api
bench-api: $(VENV)/.installed-dev $(PEERS)/node_modules/.installed $(PEERS)/postgraphile5/node_modules/.installed  ## cdp vs PostGraphile 4 and 5 vs ceiling under load
	$(BIN)/python bench/bench_api.py $(BENCH_API_ARGS)

schema: $(VENV)/.installed  ## regenerate the SDL contract schema/schema.graphql
	$(BIN)/python -m schema.export

.PHONY: policy-matrix
policy-matrix: $(VENV)/.installed  ## regenerate the permission matrix policies/README.md from the default policy
	$(BIN)/python -m policies.matrix > policies/README.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache $(AUDIT)/node_modules
