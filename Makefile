# Antrian: `make run` starts the hub, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench check-config vendor clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/antrian run --config config.yaml

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-config: $(STAMP)
	$(BIN)/antrian check-config config.yaml

bench: $(STAMP)
	$(BIN)/python -m bench.call_next
	$(BIN)/python -m bench.panel_state
	$(BIN)/python -m bench.hub_load --store both

# Refresh the vendored Socket.IO browser client from the npm registry (must match python-socketio 5).
vendor:
	cd /tmp && rm -rf sioc && mkdir sioc && cd sioc && npm pack socket.io-client@4.8.1 && tar xzf socket.io-client-4.8.1.tgz
	cp /tmp/sioc/package/dist/socket.io.min.js shared/static/vendor/socket.io-4.8.1.min.js

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
