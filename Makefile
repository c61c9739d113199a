# Two commands on a fresh machine: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Material 9.7+ prints a banner about MkDocs 2.0 on every run; we stay on MkDocs 1.x.
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup system node-tools check schema build serve links test lint fmt bench coverage lighthouse clean

# The virtual environment, with every dependency pinned in pyproject.toml.
$(STAMP): pyproject.toml
	$(PYTHON) scripts/check-python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the browser tests and charts need (Chromium, CJK fonts).
system:
	scripts/install-system-deps.sh

# The npm tools of package-lock.json (npm ci): Pagefind, axe-core (browser tests) and
# Lighthouse (`make lighthouse`).
node-tools:
	scripts/install-node-tools.sh

check: setup
	$(BIN)/smesa check

schema: setup
	$(BIN)/smesa schema

# Validates (the build refuses error findings too), then builds into a temporary folder
# and swaps it in as site/ only on success.
build: setup system node-tools
	$(BIN)/smesa check
	$(BIN)/smesa schema
	$(BIN)/smesa build

# Live preview on http://127.0.0.1:8000/: rebuilds (validation and pages included) when
# data/, content/ or the templates change; findings appear in this terminal. The flag is
# explicit: with some click versions MkDocs 1.6.1's --livereload defaults to off.
# A contributor's laptop needs no root, Chromium, CJK font or npm for it: those are for
# the tests and the full build (`system`, `node-tools`).
serve: setup
	$(BIN)/mkdocs serve --livereload --dev-addr 127.0.0.1:8000 \
		--watch data --watch smesa/templates --watch overrides

# Internal links and third-party requests of the site/ that `make build` left.
links: setup
	$(BIN)/smesa links site

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/smesa fmt

test: setup system node-tools lint
	$(BIN)/smesa schema --check
	$(BIN)/smesa fmt --check
	$(BIN)/smesa forms --check
	$(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python scripts/bench.py

# Branch coverage of the rules (smesa/check/rules), from the tests that check data (the
# `smesa` processes they start included; settings in pyproject.toml): the report lists
# every branch no test reaches.
RULE_TESTS := tests/test_rules.py tests/test_rules_obligations.py tests/test_text_rules.py \
	tests/test_nomenclature.py tests/test_broken_fixture.py tests/test_rule_examples.py \
	tests/test_loader.py tests/test_loader_structure.py tests/test_publication.py \
	tests/test_governance.py tests/test_rule_branches.py tests/test_inert_text.py \
	tests/test_local_ci.py $(wildcard tests/test_tor_*.py tests/test_approvals*.py)
# The data file is named absolutely: the `smesa` processes run in the tests' folders.
coverage: export COVERAGE_FILE = $(CURDIR)/.coverage
coverage: setup
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q -p no:cacheprovider $(RULE_TESTS)
	$(BIN)/python -m coverage combine -q
	$(BIN)/python -m coverage report --show-missing

# Lighthouse mobile scores of five pages of the site, served with gzip (prints a table).
lighthouse: setup system node-tools
	$(BIN)/python scripts/lighthouse.py

clean:
	rm -rf site site.tmp-* site.old-* .pytest_cache .hypothesis .ruff_cache
