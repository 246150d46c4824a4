# Antrian: `make run` starts the hub, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs only what the hub needs; test, lint and bench add the dev
# tools (pytest, Playwright, ruff, mypy), which an office PC does not need.
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# `make run HOST=0.0.0.0` serves the office network (the kiosk, the TV and phones).
RUN_ARGS := $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))
# The suite runs in parallel (pytest-xdist). Its tests mostly wait on hub processes, Redis,
# SQLite fsyncs and Chromium, so more workers than the 2 cores of an office PC or CI still
# pay off (README: "Running the tests"). loadgroup keeps a module whose module-scoped fixture
# is dear (its own Chromiums) on one worker. `make test PYTEST_ARGS="-p no:xdist"` is serial.
TEST_WORKERS ?= 3
PYTEST_ARGS ?= -n $(TEST_WORKERS) --dist loadgroup

.PHONY: run test lint format bench check-config vendor clean

$(RUNTIME): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(RUNTIME)

$(DEV): $(RUNTIME) requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(DEV)

run: $(RUNTIME)
	$(BIN)/antrian run --config config.yaml $(RUN_ARGS)

test: $(DEV)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-config: $(RUNTIME)
	$(BIN)/antrian check-config config.yaml

bench: $(DEV)
	$(BIN)/python -m bench.call_next
	$(BIN)/python -m bench.panel_state
	$(BIN)/python -m bench.files
	$(BIN)/python -m bench.complaints
	$(BIN)/python -m bench.register_xlsx
	$(BIN)/python -m bench.people_ahead
	$(BIN)/python -m bench.hub_load --store both

# Refresh the vendored browser libraries from the npm registry: the Socket.IO client (must
# match python-socketio 5) and Chart.js for the report charts.
vendor:
	cd /tmp && rm -rf sioc && mkdir sioc && cd sioc && npm pack socket.io-client@4.8.1 && tar xzf socket.io-client-4.8.1.tgz
	cp /tmp/sioc/package/dist/socket.io.min.js shared/static/vendor/socket.io-4.8.1.min.js
	# The report charts (/laporan): Chart.js, MIT; drawn in the browser, no CDN.
	cd /tmp && rm -rf chartjs && mkdir chartjs && cd chartjs && npm pack chart.js@4.6.1 && tar xzf chart.js-4.6.1.tgz
	cp /tmp/chartjs/package/dist/chart.umd.min.js shared/static/vendor/chart.js-4.6.1.umd.min.js
	cp /tmp/chartjs/package/LICENSE.md shared/static/vendor/chart.js-LICENSE.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
