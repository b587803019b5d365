# papi-analysis — `make help` lists the targets.
# Needs only Python >= 3.11 and make: the first target run creates .venv/ and installs the project.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PROVINCE ?= Quảng Nam
LANG_REPORT ?= vi

.PHONY: help setup analysis data test clean-processed

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

analysis: data  ## the main job: build the data and run the analysis for the default province
	@echo "Processed data ready in data/processed/."

test: $(STAMP)  ## run the whole test suite (library, data checks, notebooks with nbval)
	$(BIN)/python -m pytest

clean-processed:  ## delete generated files in data/processed/
	rm -f data/processed/*.csv data/processed/build_info.json
