# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

.PHONY: run test install install-dev test-postgres test-browser translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installing also compiles the translations (hatch_build.py), so a changed .po reinstalls.
$(VENV)/.installed: $(BIN)/python pyproject.toml hatch_build.py $(wildcard practice/translations/*/LC_MESSAGES/*.po)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## run: install, bring the database up to date, serve on http://127.0.0.1:5000 (background jobs
##      run in a thread of the same process; in production `practice worker` runs them)
run: $(VENV)/.installed
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 || echo "Note: handout PDFs need Pango and HarfBuzz. On Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
	$(BIN)/practice db upgrade
	PRACTICE_JOBS_IN_PROCESS=true $(BIN)/practice run --host $(HOST) --port $(PORT)

## test: install with the test tools, run the whole suite
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-postgres: the suite against PostgreSQL (PRACTICE_TEST_DATABASE_URL must be set)
test-postgres: $(VENV)/.installed-dev
	@test -n "$$PRACTICE_TEST_DATABASE_URL" || (echo "set PRACTICE_TEST_DATABASE_URL" && exit 2)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-browser: only the Chromium tests
test-browser: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

## translations: collect new texts into the German catalogue (then translate them)
translations: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location -o practice/translations/messages.pot .
	$(BIN)/pybabel update -i practice/translations/messages.pot -d practice/translations --no-fuzzy-matching -w 100

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
