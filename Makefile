# Two commands set up a fresh machine: `make demo` and `make test`.
# Both install what is missing (Debian packages when root, then .venv).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# One single-threaded Tesseract per core (see docs/ARCHITECTURE.md).
export OMP_THREAD_LIMIT := 1
# Prefect: embedded defaults, no server, quiet.
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: setup system venv lock demo test bench bench-ocr bench-ocr-memory bench-classify bench-store samples clean

setup: system venv

system:
	@bash scripts/install-system.sh

venv: $(STAMP)

# constraints.txt pins every installed package to the versions last tested (`make lock`):
# a fresh machine gets the same numpy/OpenCV/scikit-learn as the benchmarks and the committed
# model, not whatever was released since.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# After an upgrade (`pip install -U ...` in .venv): record the versions, then run the tests and benchmarks.
# (No dependency on `venv`: that would first reinstall the old pins over the upgrade.)
lock:
	@test -x $(BIN)/python || { echo "no $(VENV): run make setup first" >&2; exit 1; }
	@{ echo "# Versions 'make setup' installs (pip -c): the set the tests and benchmarks last ran on."; \
	   echo "# Regenerate with 'make lock' after an upgrade, then run 'make test' and the benchmarks."; \
	   echo "# Python 3.11; generated $$(date -u +%Y-%m-%d) by: pip freeze --exclude-editable"; \
	   $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

demo: setup
	$(BIN)/sohoa demo

test: setup
	@SOHOA_TEST_PG_URL="$$(bash scripts/start-postgres.sh)" $(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: bench-ocr bench-ocr-memory bench-classify bench-store

bench-ocr: setup
	$(BIN)/python -m bench.ocr

bench-ocr-memory: setup
	$(BIN)/python -m bench.ocr --only-memory

bench-classify: setup
	$(BIN)/python -m bench.classify

bench-store: setup
	$(BIN)/python -m bench.store
	@SOHOA_TEST_PG_URL="$$(bash scripts/start-postgres.sh)" $(BIN)/python -m bench.index

samples: setup
	$(BIN)/sohoa samples generate --out samples/dossiers --dossiers 20 --seed 2024
	$(BIN)/sohoa samples edge-cases --out samples/edge-cases

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
