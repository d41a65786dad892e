# Tư Vấn: `make run` starts the program, `make test` runs the whole suite.
# Both create .venv and install the project on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_REGISTER ?= demo-register

.PHONY: run test reliability bench i18n dist dist-smoke dist-tar clean screenshots windows-setup windows-test windows-dist windows-smoke windows-clean pg-binaries pg pg-stop

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

# The long reliability run: 10,000 fuzzed bundles per fuzzer and 200 kill -9 trials per kill test
# (`make test` runs the same tests with a few hundred examples and 20 trials).
reliability: $(STAMP)
	QT_QPA_PLATFORM=offscreen TUVAN_FUZZ_EXAMPLES=10000 TUVAN_KILL_TRIALS=200 TUVAN_BIG_IMPORT_ROWS=1000000 \
		TUVAN_RELIABILITY_JSON=docs/reliability-run.json \
		$(PY) -m pytest -q --durations=15 tests/reliability

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) docs/screenshots/make_screenshots.py vi

bench: $(STAMP)
	$(PY) tests/bench/run.py
	$(PY) tests/bench/run.py province

i18n: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header -o resources/locale/tuvan.pot .
	$(VENV)/bin/pybabel update -i resources/locale/tuvan.pot -d resources/locale -D tuvan -l vi --no-fuzzy-matching --width 0
	$(VENV)/bin/pybabel compile -d resources/locale -D tuvan --statistics

# PostgreSQL for the office on PostgreSQL (issue 17; packaging/postgresql/cluster.py): `make pg-binaries`
# fetches PostgreSQL 17 into .pg/ (npm, integrity pinned); `make test` then starts a throw-away
# cluster of its own (without them it says so and skips those tests). `make pg` starts one in
# .pg/cluster and leaves it running; `make pg-stop` stops it.
pg-binaries: $(STAMP)
	$(PY) packaging/postgresql/cluster.py fetch

pg: $(STAMP)
	$(PY) packaging/postgresql/cluster.py start

pg-stop: $(STAMP)
	$(PY) packaging/postgresql/cluster.py stop

# Packaged program (docs/packaging.md): `make dist` -> dist/tuvan/ (PyInstaller, one folder);
# `make dist-smoke` builds it and runs tests/packaging against it; `make dist-tar` -> the Linux tarball.
# None of them is part of `make test`.
VERSION = $(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' app/__init__.py)
BUILD_STAMP := $(VENV)/.installed-build

$(BUILD_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[build]'
	@touch $(BUILD_STAMP)

dist: $(BUILD_STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN packaging/tuvan.spec
	@du -sh dist/tuvan

dist-smoke: dist
	TUVAN_DIST_SMOKE=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q tests/packaging

dist-tar: dist
	sh packaging/linux/make_tarball.sh dist/tuvan $(VERSION) dist

# Windows on this Linux machine (docs/packaging.md): Wine with a Windows CPython and the win_amd64
# wheels, cached in .wine/ (`make windows-clean` removes it). Needs Debian's wine, wine64, xvfb,
# osslsigncode and binutils-mingw-w64-x86-64 (.ci/run installs them).
WINE := $(PY) packaging/windows/wine.py

# The whole suite under Windows Python offscreen, and the GUI tests again in real Win32 windows:
# the two runs side by side (one core each), each in its own prefix and temporary folder, after
# one set-up. Shell jobs, not `make -j -O`: GNU make 4.3 lost track of its children there ("wait:
# No child processes") and CI hung. Each run's output is printed whole when both have ended.
WIN_OFFSCREEN_TESTS ?= tests/unit tests/integration tests/gui tests/reliability
WIN_WIN32_TESTS ?= tests/gui

windows-setup: $(STAMP)
	$(WINE) setup

windows-test: windows-setup
	@mkdir -p .wine
	$(WINE) test -q --basetemp=C:/tuvan/pytest-offscreen $(WIN_OFFSCREEN_TESTS) > .wine/offscreen.log 2>&1 & offscreen=$$!; \
	$(WINE) test --platform windows -q --basetemp=C:/tuvan/pytest-win32 $(WIN_WIN32_TESTS) > .wine/win32.log 2>&1; win32=$$?; \
	wait $$offscreen; offscreen=$$?; \
	echo "--- Windows, offscreen (exit $$offscreen)"; cat .wine/offscreen.log; \
	echo "--- Windows, Win32 windows (exit $$win32)"; cat .wine/win32.log; \
	test $$offscreen -eq 0 && test $$win32 -eq 0

# PyInstaller under Wine -> dist/windows/tuvan/, then the NSIS installer (Debian's makensis) ->
# dist/tuvan-$(VERSION)-windows-x64-setup.exe; prints both sizes against their targets.
windows-dist: $(STAMP)
	$(PY) packaging/windows/installer.py

# Silent install into a fresh prefix, the program used from the command line and the GUI
# (screenshots docs/screenshots/windows-*.png), upgrade, refusals, silent uninstall.
windows-smoke: $(STAMP)
	@test -f dist/tuvan-$(VERSION)-windows-x64-setup.exe || $(MAKE) windows-dist
	$(PY) packaging/windows/smoke.py

windows-clean:
	rm -rf .wine

clean:
	rm -rf $(VENV) build dist .pytest_cache
