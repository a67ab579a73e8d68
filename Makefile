# Planbook. Every target creates .venv when it is missing.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test test-lowest test-wheel test-properdocs test-zensical lint format bench data browser-deps postgres-deps clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve

data: $(STAMP)
	$(BIN)/python tools/generate_data.py

# Debian's chromium for the browser tests (Playwright cannot download browsers here), and
# a Chinese font: without one Chromium draws the zh pages' text as empty boxes, and the
# printed PDF holds no Chinese text for the print tests to find.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; } || \
	  echo "planbook: could not install chromium; browser tests will skip (fail under CI=true)"
	@fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq fonts-wqy-microhei >/dev/null; fi; } || \
	  echo "planbook: could not install a Chinese font; the zh print tests will fail"

# Debian's PostgreSQL server for the warehouse tests (they start their own on 127.0.0.1).
postgres-deps:
	@command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; fi; } || \
	  echo "planbook: could not install postgresql; PostgreSQL tests will skip (fail under CI=true)"

test: $(STAMP) browser-deps postgres-deps
	$(BIN)/ruff format --check plugins tests tools bench
	$(BIN)/ruff check plugins tests tools bench
	$(BIN)/pytest -q

# The suite against the lowest versions pyproject.toml allows (tools/lowest_constraints.py
# pins each dependency to its `>=` bound), in a venv of its own: the floors are tested.
LOWEST := .venv-lowest
test-lowest: $(STAMP) browser-deps postgres-deps
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install --quiet --upgrade pip
	$(BIN)/python tools/lowest_constraints.py --extra test > $(LOWEST)/constraints.txt
	$(LOWEST)/bin/pip install --quiet -c $(LOWEST)/constraints.txt -e '.[test]'
	$(LOWEST)/bin/pip check
	$(LOWEST)/bin/pip list --format freeze
	$(LOWEST)/bin/pytest -q -p no:cacheprovider

# Build the wheel, install it into a fresh venv, `planbook init` an empty folder, build
# and check it (tests/packaging; about 90 s, most of it installing the dependencies).
test-wheel: $(STAMP)
	$(BIN)/pytest -q -m wheel tests/packaging

# The example site under ProperDocs (a maintained MkDocs 1.x fork that runs MkDocs
# plugins unchanged), in a venv of its own; `planbook check` finds properdocs.yml by itself.
PROPERDOCS := .venv-properdocs
test-properdocs:
	rm -rf $(PROPERDOCS)
	$(PYTHON) -m venv $(PROPERDOCS)
	$(PROPERDOCS)/bin/pip install --quiet --upgrade pip
	$(PROPERDOCS)/bin/pip install --quiet 'properdocs>=1.6.7,<2' -e '.[warehouse]'
	rm -rf $(PROPERDOCS)/example && mkdir -p $(PROPERDOCS)/example
	cp -r content data $(PROPERDOCS)/example/
	cp mkdocs.yml $(PROPERDOCS)/example/properdocs.yml
	cd $(PROPERDOCS)/example && ../bin/properdocs build --strict
	test -f $(PROPERDOCS)/example/site/plans/spring-launch-2027/index.html
	cd $(PROPERDOCS)/example && ../bin/planbook check

# The shortcodes under Zensical (its macros extension loading planbook.macros), with the
# newest Zensical that installs here, in a venv of its own (tests/macros).
ZENSICAL := .venv-zensical
test-zensical: $(STAMP)
	test -x $(ZENSICAL)/bin/zensical || { $(PYTHON) -m venv $(ZENSICAL) && \
	  $(ZENSICAL)/bin/pip install --quiet --upgrade pip && \
	  $(ZENSICAL)/bin/pip install --quiet zensical -e '.'; }
	$(ZENSICAL)/bin/pip list 2>/dev/null | grep -i '^zensical '
	PLANBOOK_ZENSICAL=$(ZENSICAL)/bin/zensical PLANBOOK_ZENSICAL_REQUIRED=1 $(BIN)/pytest -q tests/macros

lint: $(STAMP)
	$(BIN)/ruff format --check plugins tests tools bench
	$(BIN)/ruff check plugins tests tools bench

format: $(STAMP)
	$(BIN)/ruff format plugins tests tools bench
	$(BIN)/ruff check --fix plugins tests tools bench

# The benchmark in a venv of its own (the peer, mkdocs-table-reader-plugin, is installed
# only there), pinned to the versions of .venv when it exists. BENCH_ARGS: e.g. --quick,
# --only build,serve, --repeat 5 (bench/run.py --help).
BENCH := .venv-bench
BENCH_STAMP := $(BENCH)/.installed
BENCH_ARGS ?=
$(BENCH_STAMP): pyproject.toml
	test -d $(BENCH) || $(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/pip install --quiet --upgrade pip
	if [ -x $(BIN)/pip ]; then $(BIN)/pip freeze --exclude-editable > $(BENCH)/constraints.txt; \
	  else : > $(BENCH)/constraints.txt; fi
	$(BENCH)/bin/pip install --quiet -c $(BENCH)/constraints.txt -e '.[warehouse]' mkdocs-table-reader-plugin
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BENCH)/bin/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(LOWEST) $(PROPERDOCS) $(ZENSICAL) $(BENCH) site .pytest_cache .ruff_cache
