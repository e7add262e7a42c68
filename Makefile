# Two commands on a fresh machine: `make build` (set up, build every profile into out/) and
# `make test` (set up, lint, run every test). `make setup` alone prepares the environment.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: setup system build test lint clean gallery
.DEFAULT_GOAL := build

setup: system $(VENV)/.installed

# Native libraries WeasyPrint benefits from (see scripts/install-system-deps).
system:
	@scripts/install-system-deps

# uv installs the dependencies in seconds; bytecode is compiled so `import weasyprint` stays fast.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(PYTHON) -m uv venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	UV_COMPILE_BYTECODE=1 $(PYTHON) -m uv pip install --quiet --python $(BIN)/python -e '.[test]'
	@touch $@

build: setup
	$(BIN)/cvforge build

# The README's theme thumbnails, drawn by cvforge itself (png format).
gallery: setup
	$(BIN)/python scripts/gallery.py

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf out .pytest_cache
