# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/lib/chromium/chromium

.PHONY: demo test install browser lint typecheck bench-search messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The compiled catalogues (.mo) are committed; they are rebuilt here when gettext is installed.
messages: install
	@if command -v msgfmt >/dev/null; then \
	  cd grappe && $(CURDIR)/$(BIN)/django-admin compilemessages >/dev/null; \
	fi; true

demo: install messages
	$(BIN)/grappe demo --port $(PORT)

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }

test: install messages browser
	$(BIN)/python -m pytest -n 2 -q

lint: install
	$(BIN)/ruff check grappe tests bench
	$(BIN)/ruff format --check grappe tests bench

typecheck: install
	$(BIN)/mypy grappe

bench-search: install
	$(BIN)/python bench/directory_search.py

clean:
	rm -rf $(VENV) var
