# Steward: two commands (README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo demo-small test test-fast lint bench messages clean

# axe-core (package.json, pinned in package-lock.json) is for the accessibility tests; without
# npm those tests skip, unless STEWARD_REQUIRE_BROWSER is set (CI installs npm).
$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund; \
	else \
		echo "npm not found: skipping axe-core (node_modules/); the accessibility tests will skip"; \
	fi
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/steward demo

demo-small: $(STAMP)
	$(BIN)/steward demo --small

test: $(STAMP)
	$(BIN)/python -m django makemigrations --check --dry-run --settings=steward.settings
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Refresh the translation catalogs from the code and templates, refill the hand-written
# translations (src/steward/translations.py) and compile them. Needs GNU gettext (xgettext).
messages: $(STAMP)
	cd src/steward && PYTHONPATH=.. ../../$(BIN)/django-admin makemessages -l es -l pt_BR -l ht \
		--no-obsolete --ignore 'migrations/*' --settings=steward.settings
	$(BIN)/python -m steward.translations

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info node_modules
