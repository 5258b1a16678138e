# Two commands on a fresh machine: `make run` (dashboard on a demo database) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/streamlit run dashboard.py

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

bench: $(VENV)/.installed
	$(BIN)/python scripts/bench_map.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_coverage.py
	$(BIN)/python scripts/bench_sessions.py
	$(BIN)/python scripts/bench_routes.py
	$(BIN)/python scripts/bench_trends.py
