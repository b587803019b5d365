# papi-analysis — `make help` lists the targets.
# Needs only Python >= 3.11 and make: the first target run creates .venv/ and installs the project.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PROVINCE ?= Quảng Nam
LANG_REPORT ?= vi
JOBS ?= 2

.PHONY: help setup analysis report-all notebooks benchmark data lint test clean-processed

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 > /dev/null
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install the project with its test tools

data: $(STAMP)  ## rebuild data/processed/ from data/raw/
	$(BIN)/papi-analysis build-data

analysis: data  ## the main job: data, then every notebook for the default province (reports/, figures/)
	$(BIN)/papi-analysis report --province "$(PROVINCE)" --lang $(LANG_REPORT)

report-all: data  ## every notebook for all 63 provinces (JOBS=2 by default)
	$(BIN)/papi-analysis report --all --lang $(LANG_REPORT) --jobs $(JOBS)

notebooks: $(STAMP)  ## re-execute the committed notebooks in place (refreshes nbval's stored outputs)
	$(BIN)/python -c "from papi_analysis.run import runner; runner.refresh_committed_notebooks()"
	@git status --short -- notebooks/ | sed 's/^/changed: /' || true

benchmark: $(STAMP)  ## runner against the rendering floor: one report, all 63 and 34 provinces, re-run, memory (~25 min)
	$(BIN)/python benchmarks/run_benchmarks.py

lint: $(STAMP)  ## ruff (lint and format check), mypy (types of the package)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint  ## lint, then the whole test suite on every core (library, data checks, notebooks with nbval)
	$(BIN)/python -m pytest

clean-processed:  ## delete generated files in data/processed/
	rm -f data/processed/*.csv data/processed/build_info.json
