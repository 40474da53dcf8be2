# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test lint bench soak eval browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,openai,ollama]'
	touch $(STAMP)

# Debian's chromium for the browser tests (never `playwright install`: no browser downloads here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

run: $(STAMP)
	$(BIN)/ragqa ingest corpus
	$(BIN)/ragqa serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) browser-deps lint
	$(BIN)/pytest -q -p no:cacheprovider

eval: $(STAMP)
	$(BIN)/ragqa eval --out eval/reports

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

# Slow hardening runs (kill -9 ingests, every index file damaged, publish/flood/SIGTERM over HTTP); see SECURITY.md.
soak: $(STAMP)
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .ragqa
