# The two commands every newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORTAL_TEST_POSTGRES_URL ?= postgresql://127.0.0.1:5432/test
export PORTAL_TEST_POSTGRES_URL

.PHONY: run test test-sqlite test-postgres install catalogs system-packages lint messages clean

run: install catalogs
	$(BIN)/portal db upgrade
	$(BIN)/portal demo
	$(BIN)/portal run --host 127.0.0.1 --port 5000

test: install catalogs system-packages
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== tests on SQLite =="
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

test-postgres:
	@echo "== tests on PostgreSQL =="
	scripts/with-postgres $(BIN)/python -m pytest -n 2 -p no:cacheprovider -m "not browser"

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

catalogs: install
	$(BIN)/pybabel compile -d translations

# Debian packages the tests need: chromium (browser tests), DejaVu fonts (PDFs with Turkish text).
system-packages:
	@test -x /usr/bin/chromium -a -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "Installing Debian's chromium and fonts-dejavu-core for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core; }

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot \
	  --no-location --sort-output --no-wrap .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -N --no-wrap

lint: install
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
