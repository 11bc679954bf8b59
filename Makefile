# The two commands every newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# `make run HOST=0.0.0.0 PORT=8080` serves elsewhere than http://127.0.0.1:5000.
HOST   ?= 127.0.0.1
PORT   ?= 5000
PORTAL_TEST_POSTGRES_URL ?= postgresql://127.0.0.1:5432/test
export PORTAL_TEST_POSTGRES_URL

.PHONY: run test test-sqlite test-postgres install catalogs system-packages lint messages clean bench bench-exports bench-load screenshots

# The delivery worker runs beside the server; Ctrl-C (or the server ending) stops both.
run: install catalogs
	$(BIN)/portal db upgrade
	$(BIN)/portal demo
	@$(BIN)/portal worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/portal run --host $(HOST) --port $(PORT)

test: install catalogs system-packages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(EXAMPLE)/tests

test-postgres:
	@echo "== tests on PostgreSQL =="
	scripts/with-postgres $(BIN)/python -m pytest -n 2 -p no:cacheprovider -m "not browser"
	scripts/with-postgres $(BIN)/python -m pytest -n 2 -p no:cacheprovider $(EXAMPLE)/tests

install: $(STAMP)

# The example third-party plugin (docs/plugins.md) is installed and tested like a real one.
EXAMPLE := examples/portal-announcements

$(STAMP): setup.cfg pyproject.toml $(EXAMPLE)/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@echo "Installing Portal and its development tools into $(VENV) (a minute or two)"
	@# -qq: setuptools' build warnings (printed at this machine's pip settings) are noise here;
	@# pip still reports errors.
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[dev]'
	$(BIN)/python -m pip install -qq --no-deps -e $(EXAMPLE)
	touch $@

catalogs: install
	$(BIN)/pybabel -q compile -d translations
	@for d in $(OWN_CATALOGS) $(EXAMPLE)/portal_announcements; do \
	  $(BIN)/pybabel -q compile -d $$d/translations; done

# Debian packages the tests need: chromium (browser tests), DejaVu fonts (PDFs with Turkish text).
system-packages:
	@test -x /usr/bin/chromium -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "Installing Debian's chromium and fonts-dejavu-core for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core; }

# Plugins with a translations/ folder of their own keep their strings there, not in the core's.
OWN_CATALOGS := $(patsubst %/translations,%,$(wildcard plugins/*/translations))
EXTRACT = $(BIN)/pybabel -q extract -k _l -k lazy_gettext --no-location --sort-output --no-wrap

messages: install
	$(EXTRACT) -F babel.cfg -o translations/messages.pot \
	  --ignore-dirs='.* ._ examples $(notdir $(OWN_CATALOGS))' .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -N --no-wrap
	@for d in $(OWN_CATALOGS); do \
	  $(EXTRACT) -F babel-plugin.cfg -o $$d/translations/messages.pot $$d && \
	  for lang in en tr; do \
	    if [ -f $$d/translations/$$lang/LC_MESSAGES/messages.po ]; then \
	      $(BIN)/pybabel -q update -i $$d/translations/messages.pot -d $$d/translations -l $$lang -N --no-wrap; \
	    else \
	      $(BIN)/pybabel -q init -i $$d/translations/messages.pot -d $$d/translations -l $$lang; \
	    fi; \
	  done; \
	done

# Scale benchmark (benchmarks/run.py): pages at two data scales on SQLite and PostgreSQL, written
# to benchmarks/README.md. Quick run: make bench BENCH_ARGS="--small 0.001 --large 0.01 --db sqlite"
BENCH_ARGS ?= --small 0.01 --large 1 --throughput 5
bench: install catalogs
	PORTAL_BENCH_POSTGRES_URL=$${PORTAL_BENCH_POSTGRES_URL:-postgresql+psycopg://127.0.0.1:5432/postgres} \
	  $(BIN)/python benchmarks/run.py $(BENCH_ARGS)
# CSV export of 2,000 and 20,000 invoices and a two-page PDF: server time and peak memory.
bench-exports: install catalogs
	$(BIN)/python benchmarks/exports.py
# Load test (benchmarks/load.py): simulated customers on gunicorn and a throwaway PostgreSQL
# cluster of its own, which it restarts mid-run; written to benchmarks/README.md. Loopback only.
# Quick run: make bench-load LOAD_ARGS="--users 10 --duration 20 --restart-at 10"
LOAD_ARGS ?= --users 50 --duration 60 --restart-at 30
bench-load: install catalogs
	@test -x $(BIN)/gunicorn || $(BIN)/python -m pip install -qq -e '.[server]'
	$(BIN)/python benchmarks/load.py $(LOAD_ARGS)
# PNGs of the main pages at 390 px and 1280 px (demo data in a throwaway instance) for review.
SCREENSHOTS ?= screenshots
screenshots: install catalogs system-packages
	$(BIN)/python scripts/screenshots.py --out $(SCREENSHOTS)

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
