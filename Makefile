# Thin wrapper: every target sets up its own virtual environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INBOX  ?= examples/inbox
PERIOD ?= 2018-TW2
OUT    ?= output
N      ?= 10000

.PHONY: report templates test lint bench example clean help

help:
	@echo "make report   - laporan capaian IKI dari INBOX=$(INBOX) untuk PERIOD=$(PERIOD)"
	@echo "make templates PERIOD=2018-TW3 - buat template isian per unit"
	@echo "make test     - lint, type check and tests"
	@echo "make bench N=10000 - benchmark (1,000 and 10,000 files; N=100000 adds 100,000)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Exit 1 means the report was written but data problems remain (shown in the summary and in
# the sheet Masalah Data): that is a normal quarter, not a failure of make. Every other
# non-zero code fails make: 2 usage, 3 internal error (traceback in logs/), 4 output not
# written (full disk, no permission, folder busy), 130/143 interrupted.
report: $(STAMP)
	$(BIN)/iki report --inbox $(INBOX) --period $(PERIOD) --out $(OUT) || [ $$? -eq 1 ]

templates: $(STAMP)
	$(BIN)/iki templates --period $(PERIOD)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run --n $(N)

example: $(STAMP)
	$(BIN)/python -m examples.build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
