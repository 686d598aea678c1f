# Seedbed — two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := SEEDBED_DEBUG=1 SEEDBED_TASKS_IMMEDIATE=1

.PHONY: run test bench lint install migrate demo worker clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Seedbed needs Python 3.11 or newer; set PYTHON=python3.X")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest -n auto

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .

worker: install
	$(BIN)/python manage.py run_scheduled_jobs --enqueue
	$(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) var bench/data
