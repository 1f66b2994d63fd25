# Set-up in two commands (README): `make run` serves the whole system, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-clock lint bench messages clean-venv

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_relay
	$(BIN)/python manage.py ensure_demo_coordinator
	@echo "Serving on http://127.0.0.1:$(PORT)/ (web, Celery worker and beat). Ctrl-C stops them all."
	PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/honcho -f Procfile.dev start -p $(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/pytest

# The whole suite at moments where a clock-dependent test would show itself: a Monday 09:30 in
# Seoul (the weekly digest is due), a Wednesday 08:59 (its grace window about to close), New
# Year's Eve 23:59, and the night daylight-saving time ends in Sydney (02:30 there, twice).
CLOCK_MOMENTS ?= 2026-12-07T09:30:00+09:00 2026-12-09T08:59:00+09:00 \
	2026-12-31T23:59:00+09:00 2027-04-04T01:30:00+09:00
test-clock: $(VENV)/.installed-dev
	@failed=; for moment in $(CLOCK_MOMENTS); do \
		echo "== the suite at $$moment"; \
		ROUNDTABLE_TEST_NOW=$$moment $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS) \
			|| failed="$$failed $$moment"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed at:$$failed"; exit 1; fi; echo "passed at every moment"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# One table of figures, each as a multiple of a floor measured in the same run (bench/run.py).
# Runs on PostgreSQL and Redis: a throwaway bench_<name> database beside DATABASE_URL's and
# REDIS_URL's database (flushed); bench/run.py refuses anything else.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/run.py

# Regenerates the Korean catalogue after texts change; the compiled .mo files are committed.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l ko --ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages -l ko --ignore=.venv
