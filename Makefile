# høring: `make run` analyses the bundled hearing round, `make test` runs the test suite.
# Both first set up everything: Debian packages where missing, then the virtual environment .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps run test bench clean

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

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/stage_timings.py

clean:
	rm -rf $(VENV) data/interim
