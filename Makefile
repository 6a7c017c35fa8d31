# Thin wrapper: every target sets up its own virtual environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# One stamp per extra: the runtime (what `make report` needs) and the development tools
# (`make test`). .installed keeps its old name: it means "everything, tools included".
RUNTIME := $(VENV)/.runtime
STAMP   := $(VENV)/.installed
INBOX  ?= examples/inbox
# No default period: `make report` reports the latest quarter in INBOX (and says which);
# `make templates` needs PERIOD.
PERIOD ?=
OUT    ?= output
N      ?= 1000

.PHONY: report templates test lint bench example clean help

help:
	@echo "make report   - laporan capaian IKI dari INBOX=$(INBOX) (PERIOD=2018-TW2; bawaan: triwulan terakhir)"
	@echo "make templates PERIOD=2018-TW3 - template isian per unit, diisi dari INBOX=$(INBOX)"
	@echo "make test     - lint, type check and tests"
	@echo "make bench N=1000 - benchmark"

$(RUNTIME): pyproject.toml
	@echo "Menyiapkan lingkungan Python di $(VENV) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@echo "Memasang paket yang dibutuhkan laporan (pandas, openpyxl, xlsxwriter, pandera, ...); sekali saja ..."
	$(BIN)/pip install --quiet --quiet -e .
	@touch $(RUNTIME)
	@echo "Siap."

$(STAMP): $(RUNTIME)
	@echo "Memasang alat pengembangan (pytest, hypothesis, ruff, mypy, aiosmtpd, ...) ..."
	$(BIN)/pip install --quiet --quiet -e '.[dev]'
	@touch $(STAMP)

# Exit 1 means the report was written but data problems remain (shown in the summary and in
# the sheet Masalah Data): that is a normal quarter, not a failure of make. Every other
# non-zero code fails make: 2 usage, 3 internal error (traceback in logs/), 4 output not
# written (full disk, no permission, folder busy), 130/143 interrupted.
report: $(RUNTIME)
	$(BIN)/iki report --inbox $(INBOX) $(if $(PERIOD),--period $(PERIOD)) --out $(OUT) || [ $$? -eq 1 ]

templates: $(RUNTIME)
	@test -n "$(PERIOD)" || { echo "Sebutkan periodenya, misalnya: make templates PERIOD=2018-TW3"; exit 2; }
	$(BIN)/iki templates --period $(PERIOD) --inbox $(INBOX)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench.run --n $(N)

example: $(RUNTIME)
	$(BIN)/python -m examples.build

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
