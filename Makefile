# Cunyi — one command to run the app on demo data, one to pass the tests.
#   make run     set up, create a demo village on first run, open the app
#   make test    set up (Python venv; Debian packages when root) and run the whole suite
#   make package-test  build the PyInstaller bundle and smoke-test its executables

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= $(CURDIR)/demo-home
DEB_PACKAGES := fonts-wqy-microhei poppler-utils xvfb xauth libgl1 libegl1 libxkbcommon0 \
	libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
	libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 \
	postgresql

.PHONY: run test bench lint venv system-deps package package-test county clean demo screenshots

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,server]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the tests and the app need: a CJK font, poppler (pdftoppm/pdffonts), Xvfb and
# the X/GL libraries Qt loads, and PostgreSQL for the county server's tests (they start their own
# cluster in a temporary folder; the package's own cluster is not used). Installed only when
# running as root and only if missing.
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(DEB_PACKAGES); do \
			dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then \
			echo "installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		fi; \
	fi

run: system-deps $(STAMP)
	CUNYI_HOME=$(DEMO_HOME) $(BIN)/cunyi gui --demo

demo: $(STAMP)
	CUNYI_HOME=$(DEMO_HOME) $(BIN)/cunyi demo --size village --seed 7

# CUNYI_REQUIRE_PG=1: the county server's tests fail, not skip, when PostgreSQL cannot start.
# The suite runs on every core (pytest-xdist; a file's tests stay on one worker, so its fixtures
# are made once). The sources are compiled first: with PYTHONDONTWRITEBYTECODE set, as on some
# machines, each of the suite's `cunyi` processes would otherwise compile the app again.
test: system-deps $(STAMP)
	$(BIN)/python -m compileall -q -j 0 app tests benchmarks >/dev/null
	CUNYI_REQUIRE_PG=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider \
		-n auto --dist loadfile --durations=30

lint: $(STAMP)
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m app.ui.screenshots docs

package: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10,<7'
	$(BIN)/pyinstaller --noconfirm --log-level WARN packaging/cunyi.spec

# The frozen app, not the venv: tests/frozen runs dist/cunyi's executables (every print form,
# the GUI offscreen and on Xvfb). In `make test` these tests are skipped while there is no bundle.
package-test: system-deps package
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider tests/frozen

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
