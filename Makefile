# The two commands of the README:  make demo   and   make test
# Each makes its own virtual environment (.venv, Python from .python-version) and installs into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo models test test-fast test-integration test-slow bench lint data clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 12) else "simpact needs Python >= 3.12 (PyMC 6, ArviZ 1); this venv has %d.%d: remove .venv and install Python 3.12" % v[:2])'
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)            ## appraise the bundled NÄTA example; writes out/nata/
	$(BIN)/simpact demo

models: $(STAMP)          ## appraise every bundled model at full size; writes out/<model>/
	@for m in nata fotosyntes star_for_life minimili; do $(BIN)/simpact run $$m --quiet --out out/$$m || exit 1; done

test: test-fast test-integration   ## what CI runs: the default tier, then the integration tier

test-fast: $(STAMP)       ## the default tier: logic and doctests, fits with a mock sampler (no MCMC)
	$(BIN)/python -m pytest

test-integration: $(STAMP)  ## real sampling (nutpie), the wheel, dask and the browser
	$(BIN)/python -m pytest -m "integration and not slow"

test-slow: $(STAMP)       ## real sampling at full size, recovery and calibration
	$(BIN)/python -m pytest -m slow

bench: $(STAMP)           ## speed benchmarks, JSON lines on stdout
	@for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

lint: $(STAMP)
	$(BIN)/ruff check simpact tests benchmarks scripts
	$(BIN)/ruff format --check simpact tests benchmarks scripts

data: $(STAMP)            ## regenerate the synthetic follow-up data in models/data/
	$(BIN)/python scripts/make_synthetic_data.py

clean:
	rm -rf $(VENV) out .pytest_cache
