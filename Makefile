# brandrep: `make all` runs the whole suite, `make test` runs the tests.
# Both set up .venv from the pinned lock file on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# One thread for BLAS/OpenMP/numba, so a machine with more cores cannot reorder a sum (issue 10).
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export NUMBA_NUM_THREADS := 1
# Baseline x86-64 BLAS kernels: OpenBLAS otherwise picks them by CPU, and an AVX-512 machine
# rounds some sums differently from an AVX2 one (src/brandrep/__init__.py says why).
ifeq ($(shell uname -m),x86_64)
export OPENBLAS_CORETYPE := Prescott
endif

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(INSTALLED): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m brandrep.kernel
	touch $@

setup: $(INSTALLED) ## create .venv with the pinned dependencies and brandrep
	@true

all: outputs.sha256 ## run every notebook headless, in order; write data/processed, figures, reports
	@true

# The manifest is the suite's last output: rerun only when an input of the suite changed.
outputs.sha256: $(INSTALLED) $(wildcard notebooks/*.ipynb notebooks/*.py) $(shell find data/raw src/brandrep -type f -not -name '*.pyc' 2>/dev/null)
	$(BIN)/brandrep run

verify: $(INSTALLED) ## check data/processed and figures against the committed checksums
	$(BIN)/brandrep verify

browser: ## install Debian's headless Chromium for the gallery test (needs root), if missing
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(INSTALLED) browser ## run the full test suite (unit tests, notebooks, rerun check, gallery)
	$(BIN)/python -m pytest

notebooks: $(INSTALLED) ## sync each notebook pair (NN_name.py <-> NN_name.ipynb) after editing either
	$(BIN)/jupytext --sync notebooks/[0-9]*.py

bench: $(INSTALLED) ## run the benchmarks (speed and memory against the references)
	$(BIN)/python benchmarks/bench_sentiment.py
	$(BIN)/python benchmarks/bench_io.py

# Extra arguments for `jupyter lab`, e.g. on a server: make lab LAB_ARGS="--no-browser --port 8899 --ip 0.0.0.0"
LAB_ARGS ?=
# Jupyter refuses to start as root unless told; containers and CI runners often are root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(INSTALLED) ## open JupyterLab on the notebooks with the project's kernel (LAB_ARGS="--no-browser --port N")
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_ROOT) $(LAB_ARGS)

# The site renders the executed notebooks of the last run (reports/); a fresh clone has none, so
# build_site.py then runs the suite into docs/_build/suite first (the checkout's outputs untouched).
docs: outputs.sha256 ## render docs/ and the executed notebooks as a site in docs/_build/html (warnings are errors)
	$(BIN)/python docs/build_site.py --run-if-missing

clean: ## remove generated reports (not the committed outputs)
	rm -rf reports

.PHONY: help setup all verify browser test notebooks bench lab docs clean
