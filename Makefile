# The two commands a user types are `make run` and `make test`; every target builds the virtualenv it needs.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export PYSPARK_PYTHON := $(CURDIR)/$(BIN)/python
export PYSPARK_DRIVER_PYTHON := $(CURDIR)/$(BIN)/python
export SPARK_LOCAL_IP := 127.0.0.1
PURE_MODULES := dej_platform/lake.py dej_platform/partitions.py dej_platform/skills dej_platform/silver \
	dej_platform/enrichment dej_platform/consensus dej_platform/quality dej_platform/gold dej_platform/bronze

.PHONY: install run dev test test-fast bench lint format clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.11+ is required (python3.11 or newer on PATH)"; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m dej_platform.kernels
	@touch $(STAMP)

install: $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: infra/dagster/local.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp infra/dagster/local.yaml $(DAGSTER_HOME)/dagster.yaml

run: install $(DAGSTER_HOME)/dagster.yaml
	DEJ_ENV=$${DEJ_ENV:-local} $(BIN)/dej run $(RUN_ARGS)

dev: install $(DAGSTER_HOME)/dagster.yaml
	set -m; DEJ_ENV=$${DEJ_ENV:-local} $(BIN)/dagster dev -h 127.0.0.1 -p 3000 -w workspace.yaml

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not slow and not spark and not browser" $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(PURE_MODULES)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .lake $(DAGSTER_HOME) .pytest_cache .ruff_cache .mypy_cache
