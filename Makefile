# hitpm developer commands. `make demo` and `make test` work on a fresh machine: they create
# .venv with Python >= 3.12 and install everything from the package registries.

VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
PYTEST_ARGS ?= -n 2

.PHONY: demo serve test test-fast lint format typecheck bench clean help

help:
	@echo "make demo      create .venv, migrate, load the demo portfolio and serve it on :8000"
	@echo "make test      create .venv and run the whole test suite"
	@echo "make lint      ruff and mypy"
	@echo "make bench     benchmarks beside their peers (BENCHES=cpm runs one)"
	@echo "make clean     remove .venv and caches"

$(STAMP): pyproject.toml
	@PY=$$(scripts/find-python) && echo "Using $$PY" && $$PY -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hitpm demo --serve

serve: $(STAMP)
	$(BIN)/hitpm serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not java" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks conftest.py
	$(BIN)/ruff format src tests benchmarks conftest.py

BENCHES ?= cpm montecarlo flow planning gantt agile exchange

bench: $(STAMP)
	@for b in $(BENCHES); do echo "== benchmarks/bench_$$b.py"; $(BIN)/python benchmarks/bench_$$b.py || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist src/*.egg-info
