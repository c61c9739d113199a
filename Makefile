# Two commands on a fresh machine: `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup system check schema build links test lint fmt bench clean

# The virtual environment, with every dependency pinned in pyproject.toml.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Debian packages the browser tests and charts need (Chromium, CJK fonts).
system:
	scripts/install-system-deps.sh

check: setup
	$(BIN)/smesa check

schema: setup
	$(BIN)/smesa schema

# Validates (the build refuses error findings too), then builds into a temporary folder
# and swaps it in as site/ only on success.
build: setup
	$(BIN)/smesa check
	$(BIN)/smesa schema
	$(BIN)/smesa build

# Internal links and third-party requests of the site/ that `make build` left.
links: setup
	$(BIN)/smesa links site

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup system lint
	$(BIN)/smesa schema --check
	$(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site site.tmp-* site.old-* .pytest_cache .hypothesis .ruff_cache
