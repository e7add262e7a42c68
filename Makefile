# Two commands on a fresh machine: `make build` (set up, build every profile into out/) and
# `make test` (set up, lint, type-check, build the docs, run every test). `make setup` alone
# prepares the environment. Everything is installed into $(VENV), never into $(PYTHON) itself, so
# this works on Debian/Ubuntu's "externally managed" (PEP 668) Python as well as anywhere else.
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: setup system bytecode build test test-fast lint typecheck docs clean gallery bench rendercv
.DEFAULT_GOAL := build

setup: system $(VENV)/.installed bytecode tests/browser/node_modules/.installed node_modules/.installed

# Native libraries WeasyPrint benefits from (see scripts/install-system-deps).
system:
	@scripts/install-system-deps

# scripts/make-venv creates $(VENV) (installing python3.X-venv first if a stock Debian Python lacks
# it) and puts uv inside it. uv installs the dependencies in seconds; bytecode is compiled so
# `import weasyprint` stays fast. Editing pyproject.toml reinstalls.
$(VENV)/.installed: pyproject.toml scripts/make-venv
	@scripts/make-venv $(PYTHON) $(VENV)
	UV_COMPILE_BYTECODE=1 $(BIN)/python -m uv pip install --quiet --python $(BIN)/python -e '.[test]'
	@touch $@

# cvforge's own modules compiled to bytecode (only what changed; a fraction of a second). The install
# is editable, so nothing else compiles them, and where PYTHONDONTWRITEBYTECODE is set (as on this
# project's machines and CI) every cvforge process would compile all of them again: 0.7 s of CPU.
bytecode: $(VENV)/.installed
	@$(BIN)/python -m compileall -q -j 0 src

# axe-core for the accessibility test, from npm (pinned by package-lock.json); skipped without npm.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/browser --no-audit --no-fund --silent && touch $@; \
	else echo "note: npm not found; the accessibility test will be skipped" >&2; fi

# pdf.js for the tests' text-layer checks (tests/helpers/pdfjs_text.mjs): exact versions from
# package-lock.json, without the optional canvas binaries (only text is read). No npm: tests skip.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --omit=optional --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "warning: npm not found; the pdf.js text-layer tests will skip" >&2; fi

build: setup
	$(BIN)/cvforge build

# The README's theme thumbnails, drawn by cvforge itself (png format).
gallery: setup
	$(BIN)/python scripts/gallery.py

lint: setup
	$(BIN)/ruff check src tests benchmarks scripts examples

# mypy --strict over src/ (settings in pyproject.toml's [tool.mypy]).
typecheck: setup
	$(BIN)/mypy

# The documentation site (mkdocs.yml); --strict turns broken links and references into errors.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

test: setup rendercv lint typecheck docs
	$(BIN)/pytest

# RenderCV 2.8 in its own venv (it needs Python >= 3.12), for the interop tests' use of its validator
# and make bench's side-by-side figures (benchmarks/README.md). Optional: where no Python 3.12+ or
# no package registry is at hand it says so, and those tests skip, saying why (scripts/make-rendercv-venv).
rendercv: .venv-rendercv/.installed
.venv-rendercv/.installed: scripts/make-rendercv-venv
	@scripts/make-rendercv-venv .venv-rendercv

# The fast loop while changing code: every test not marked `slow` (nothing that renders real PDF or
# DOCX documents, runs LibreOffice or Chromium, or waits on a timeout). About half the suite in under
# two minutes on two cores; `make test` still runs everything.
test-fast: setup
	$(BIN)/pytest -m "not slow"

# The speed table of issue 16 (cold build beside bare WeasyPrint and RenderCV, no-change rebuild,
# watch, HTML size, batch throughput, memory): CPU-second medians of interleaved runs, printed as one
# table. RENDERCV=/path/to/rendercv adds RenderCV beside it; ROUNDS=N changes the number of rounds.
bench: setup
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf out site dist .pytest_cache .mypy_cache node_modules
