# høring: `make run` analyses the bundled hearing round, `make test` runs the test suite.
# Both first set up everything: Debian packages where missing, then the virtual environment .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps run app test test-fast lint bench clean

setup: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# torch first, from the CPU wheel on disk: a bare `torch` would pull GBs of CUDA packages.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

run: setup
	$(BIN)/horing run

# the review app on http://127.0.0.1:8000/ (users: .venv/bin/horing app add-user NAME)
app: setup
	$(BIN)/horing app

test: setup
	$(BIN)/python -m pytest

# the edit-test loop: tests not marked slow (no whole flow, no real-corpus sweep, no browser), < 60 s
test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

# what CI checks besides the tests: ruff's lint rules and its formatting (pyproject.toml [tool.ruff])
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/stage_timings.py

clean:
	rm -rf $(VENV) data/interim
