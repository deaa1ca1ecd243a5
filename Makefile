# Sanad — the two commands a newcomer needs:
#   make run    set up everything on this machine and start Sanad (Ctrl-C stops it)
#   make test   set up everything and run every test (fast ones first)
# Both create .venv with Python 3.10 (pyenv, see .python-version) on first use.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST := $(PY) -m pytest

.PHONY: run test test-fast test-slow lint format chat train catalog nlu bench clean

run: $(STAMP)
	$(PY) -m bot run

test: $(STAMP) lint test-fast test-slow

test-fast: $(STAMP)
	$(PYTEST) tests/unit

test-slow: $(STAMP)
	$(PYTEST) tests/model

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

chat: $(STAMP)
	$(PY) -m bot chat

train: $(STAMP)
	$(PY) -m bot nlu generate
	$(PY) -m bot train

catalog: $(STAMP)
	$(PY) -m bot catalog load
	$(PY) -m bot nlu generate

bench: $(STAMP)
	$(PY) bench/run.py

# The Python that .python-version names, from pyenv (shims or its versions folder) or PATH.
PYTHON_VERSION := $(shell cat .python-version)
FIND_PYTHON := for p in "$${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(PYTHON_VERSION)/bin/python" \
	"$$(command -v python$(basename $(PYTHON_VERSION)))"; do [ -x "$$p" ] && echo "$$p" && break; done

$(STAMP): requirements.txt .python-version
	@python="$$($(FIND_PYTHON))"; \
	  if [ -z "$$python" ]; then echo "Python $(PYTHON_VERSION) not found: pyenv install $(PYTHON_VERSION)" >&2; exit 1; fi; \
	  echo "creating $(VENV) with $$python"; rm -rf $(VENV) && "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip check
	touch $(STAMP)

clean:
	rm -rf $(VENV) var models/*.tar.gz .pytest_cache .ruff_cache
