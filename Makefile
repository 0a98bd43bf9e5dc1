# Two entry points for a fresh machine (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup serve lint lock

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# Installs, migrates the SQLite database, loads the demo organisation (once),
# prints the demo logins and serves on http://127.0.0.1:8000 with gunicorn.
demo: $(STAMP)
	$(BIN)/python -m dangjian.manage migrate --no-input -v 0
	$(BIN)/python -m dangjian.manage collectstatic --no-input -v 0
	$(BIN)/python -m dangjian.manage demo_org --if-empty
	$(BIN)/gunicorn dangjian.wsgi:application --bind 127.0.0.1:8000 --workers 3 --access-logfile -

# The whole test suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL),
# then the layer contracts (import-linter, pyproject.toml); fails if either fails.
test: $(STAMP)
	$(BIN)/python -m dangjian.manage collectstatic --no-input -v 0
	CONN_MAX_AGE=0 $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); tests=$$?; \
	$(BIN)/lint-imports --no-cache; layers=$$?; \
	if [ $$tests -ne 0 ]; then exit $$tests; fi; exit $$layers

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

lock:
	uv pip compile pyproject.toml --extra dev --extra bench --python-version 3.11 -o requirements.lock
