# Two entry points for a fresh machine (see README): `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup serve lint lock mutate

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# Installs, migrates the SQLite database, loads the demo organisation (once),
# prints the demo logins and serves on http://127.0.0.1:8000 with gunicorn,
# with the task queue's worker and scheduler (qcluster) beside it; Ctrl-C stops both.
demo: $(STAMP)
	$(BIN)/python -m dangjian.manage migrate --no-input -v 0
	$(BIN)/python -m dangjian.manage collectstatic --no-input -v 0
	$(BIN)/python -m dangjian.manage demo_org --if-empty
	$(BIN)/python -m dangjian.manage qcluster & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
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
	uv pip compile pyproject.toml --extra dev --extra bench --extra dask --python-version 3.11 -o requirements.lock

# Mutation testing of the rule and maths modules (slow, not in CI): tools/mutate.py, results in docs/testing.md.
# MODULES="idnumber ahp" limits it to some modules; SAMPLE=50 runs a random sample of each module's mutants
# (EXTEND=20 runs 20 more of those a sample left out, RETRY=1 reruns the survivors);
# DATABASE_URL=postgres://.../dj_mutate reuses one migrated test database (much cheaper per mutant).
mutate: $(STAMP)
	PATH=$(abspath $(BIN)):$$PATH $(BIN)/python tools/mutate.py $(if $(SAMPLE),--sample $(SAMPLE)) $(if $(RETRY),--retry-survivors) $(if $(EXTEND),--extend-sample $(EXTEND)) $(MODULES)
