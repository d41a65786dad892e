# Tư Vấn: `make run` starts the program, `make test` runs the whole suite.
# Both create .venv and install the project on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_REGISTER ?= demo-register

.PHONY: run test bench i18n dist clean screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m app demo --register $(DEMO_REGISTER)
	$(PY) -m app --register $(DEMO_REGISTER) --login admin

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots/make_screenshots.py vi

bench: $(STAMP)
	$(PY) tests/bench/run.py

i18n: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header -o resources/locale/tuvan.pot .
	$(VENV)/bin/pybabel update -i resources/locale/tuvan.pot -d resources/locale -D tuvan -l vi --no-fuzzy-matching --omit-header --width 0
	$(VENV)/bin/pybabel compile -d resources/locale -D tuvan --statistics

dist: $(STAMP)
	$(PY) -m pip install --quiet -e '.[build]'
	$(PY) -m PyInstaller --noconfirm packaging/tuvan.spec

clean:
	rm -rf $(VENV) build dist .pytest_cache
