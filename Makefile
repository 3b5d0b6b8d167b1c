# Two commands on a fresh machine: `make demo` runs the main job, `make test` the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: $(STAMP)
	$(BIN)/coopgraph build
	$(BIN)/coopgraph export --format turtle -o build/coopgraph.ttl
	$(BIN)/coopgraph export --format jsonld -o build/coopgraph.jsonld
	$(BIN)/coopgraph export --format nt -o build/coopgraph.nt
	$(BIN)/coopgraph ask provinces-partnering-with --param place=Brest

# Headless Chromium renders the HTML report in the tests (Debian package; needs root or sudo).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: $(STAMP) node_modules/.installed chromium
	$(BIN)/ruff check coopgraph tests benchmarks
	$(BIN)/ruff format --check coopgraph tests benchmarks
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/cli.py

clean:
	rm -rf build .pytest_cache .ruff_cache
