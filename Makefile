# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test test-fast lint bench bench-http soak eval eval-gate browser-deps state-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,openai,ollama,postgres,redis,ray]'
	touch $(STAMP)

# Debian's chromium for the browser tests (never `playwright install`: no browser downloads here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# Debian's PostgreSQL and Redis for the shared-state tests, which start their own throw-away servers on loopback
# ports (tests/scale/services.py); the embedded defaults need neither.
state-deps:
	@{ ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1; } || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q postgresql redis-server; }

run: $(STAMP)
	$(BIN)/ragqa ingest corpus
	$(BIN)/ragqa serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) browser-deps state-deps lint
	$(BIN)/pytest -q -p no:cacheprovider
	$(MAKE) eval-gate

# The unit tests that need no embedding model, server, subprocess or browser (marks: pyproject.toml, tests/conftest.py).
test-fast: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider -m "not model and not integration and not browser and not slow"

# Quality gate on the sample corpus: thresholds sit just under the figures recorded in the README.
EVAL_GATE := --fail-under ndcg@10=0.93 --fail-under recall@5=0.95 --fail-under citation_precision=0.96 \
	--fail-under citation_recall=0.95 --fail-under support_rate=0.94 --fail-under key_fact_recall=0.94 \
	--fail-under abstention_recall=0.94 --fail-under answer_correct=0.93 --fail-under abstention_precision=0.93
eval-gate: $(STAMP)
	$(BIN)/ragqa eval --ingest corpus --index .ragqa/eval-index --out eval/reports $(EVAL_GATE)

eval: $(STAMP)
	$(BIN)/ragqa eval --out eval/reports

bench: $(STAMP) state-deps
	$(BIN)/python -m bench.run_all

# /v1/search and /v1/ask over HTTP at concurrency 1/4/8 vs in process, on the sample corpus (a few minutes).
bench-http: $(STAMP)
	$(BIN)/python -m bench.http_latency $(BENCH_HTTP_ARGS)

# Slow hardening runs (kill -9 ingests, every index file damaged, publish/flood/SIGTERM over HTTP); see SECURITY.md.
soak: $(STAMP)
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .ragqa
