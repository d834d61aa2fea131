# yibao — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_ADMIN_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: install run test check lint typecheck postgres chromium clean bench bench-smoke soak

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

run: install
	$(BIN)/yibao db upgrade
	$(BIN)/yibao demo --load-only
	$(BIN)/yibao serve --host 127.0.0.1 --port 8000 --print-tokens

postgres:
	@scripts/ensure-postgres

chromium:
	@scripts/ensure-chromium

test: install postgres chromium
	YIBAO_TEST_PG_ADMIN_URL=$(PG_ADMIN_URL) $(BIN)/python -m pytest -n 2 -q
	$(MAKE) --no-print-directory bench-smoke

# Settlements under faults on a private PostgreSQL cluster (tests/soak.py); a bounded form runs
# in make test (tests/e2e/test_soak_bounded.py).
soak: install
	$(BIN)/python -m tests.soak --requests 3000 --kills 4 --restarts 1 --concurrency 16

# Every benchmark scenario, tiny, on both backends: checks the results are right, not fast.
bench-smoke: install postgres
	YIBAO_BENCH_PG_ADMIN_URL=$(PG_ADMIN_URL) $(BIN)/python -m benchmarks --size smoke --out var/bench-smoke

# The full run: benchmarks/results/<date>-<machine>.json, .md and .png (see README, Performance).
bench: install postgres
	YIBAO_BENCH_PG_ADMIN_URL=$(PG_ADMIN_URL) $(BIN)/python -m benchmarks --size full

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy domain application projections interfaces

check: lint typecheck test

clean:
	rm -rf $(VENV) var/*.sqlite* .pytest_cache .mypy_cache .ruff_cache
