# nuem: build and test the executable book.  `make book`, `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book
.DELETE_ON_ERROR:

PYTHON  ?= python3.11
VENV    := .venv
BIN     := $(CURDIR)/$(VENV)/bin
BUILD   := _build
HTML    := $(BUILD)/html
# the venv first on PATH: notebook kernels ("python3" -> `python`) must be the venv's python
export PATH := $(BIN):$(PATH)
export PYTHONHASHSEED := 0
# NUEM_BUILD=1 (book, nbval, scoreboard): explorers' live cells create no widget, so executed
# notebooks carry no widget state and pages load no widget manager (nuemcore/explorer.py)
# figures in executed notebooks use the inline backend; plain pytest uses agg (set per command)
unexport MPLBACKEND
INLINE  := module://matplotlib_inline.backend_inline

VENV_STAMP := $(VENV)/.nuem-stamp
JS_STAMP   := node_modules/.nuem-stamp
CORE_STAMP := $(BUILD)/.nuemcore-hash
BOOK_SRC   := _config.yml _toc.yml $(wildcard scripts/*.py scripts/offline/*.js) $(shell find book -type f \( -name '*.ipynb' -o -name '*.md' -o -name '*.bib' -o -name '*.png' -o -name '*.svg' -o -name '*.css' \) -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: venv js data book test unit nbval browser check-toc bench scoreboard claims-expected clean distclean FORCE

## venv: .venv with requirements.txt and nuemcore (editable); a no-op when up to date
venv: $(VENV_STAMP)
$(VENV_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## js: MathJax 3, require.js and the ipywidgets HTML manager into node_modules/ (git-ignored)
js: $(JS_STAMP)
$(JS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A change in nuemcore, the data manifest or the installed packages can change any notebook's
# output, but jupyter-cache keys on notebook code only.  scripts/core_hash.py hashes the *contents*
# of nuemcore/**/*.py|json (paths included: a deleted or added module counts) and the venv's
# installed distributions; no mtimes.  When the hash differs from the one stored in $(CORE_STAMP),
# drop the execution cache and doctrees so that every notebook is re-executed.  The stamp is only
# rewritten when the hash changes, so an unchanged hash leaves the book up to date.
$(CORE_STAMP): $(VENV_STAMP) FORCE
	@h=$$($(BIN)/python scripts/core_hash.py .); \
	if [ ! -f $@ ] || [ "$$(cat $@)" != "$$h" ]; then \
	  echo "nuemcore/data manifest/venv changed ($$h): dropping the execution cache"; \
	  rm -rf $(BUILD)/.jupyter_cache $(BUILD)/.doctrees; \
	  mkdir -p $(BUILD); echo "$$h" > $@; \
	fi

## data: download the input files that are missing (nothing when ../shared/data or $$NUEM_DATA
## already holds them all; else into the user cache), see `python -m nuemcore.data --help`
data: $(VENV_STAMP)
	$(BIN)/python -m nuemcore.data fetch --quick

## book: execute the notebooks (cached) and build the offline HTML site in _build/html
book: $(HTML)/.nuem-stamp
# A failed build (or a missing offline asset) removes $(HTML) entirely: no page from an earlier
# build is left looking current.
$(HTML)/.nuem-stamp: $(VENV_STAMP) $(JS_STAMP) $(CORE_STAMP) $(BOOK_SRC) | data
	rm -f $@
	NUEM_BUILD=1 MPLBACKEND=$(INLINE) $(BIN)/python scripts/execute_parallel.py \
	  && NUEM_BUILD=1 MPLBACKEND=$(INLINE) $(BIN)/jupyter-book build . -W -n --keep-going --builder html \
	  && test -f $(HTML)/_offline/mathjax/tex-chtml.js \
	  && test -f $(HTML)/_offline/require.js \
	  && test -f $(HTML)/_offline/html-manager/embed-amd.js \
	  && test -f $(HTML)/_offline/plotly-basic.min.js \
	  && test -f $(HTML)/_offline/nuem-explorer.js \
	  || { rm -rf $(HTML); echo "book: build failed; removed $(HTML) (no stale pages)" >&2; exit 1; }
	touch $@
	@echo "book: $(HTML)/index.html"

check-toc: $(VENV_STAMP)
	$(BIN)/python scripts/check_toc.py

## test: unit/property tests, nbval on every notebook in the toc, browser tests on the built book
test: book
	$(MAKE) -k --no-print-directory check-toc unit nbval browser

unit: $(VENV_STAMP)
	MPLBACKEND=agg $(BIN)/python -m pytest tests --ignore=tests/browser --benchmark-disable -q

## claims-expected: rewrite tests/claims_expected.json from the current chapters (on purpose only)
claims-expected: $(VENV_STAMP)
	MPLBACKEND=agg $(BIN)/python tests/test_claims_regression.py --update

nbval: $(VENV_STAMP)
	nbs=$$($(BIN)/python scripts/check_toc.py --list | grep '\.ipynb$$' || true); \
	if [ -z "$$nbs" ]; then echo "nbval: no notebook in _toc.yml"; exit 1; fi; \
	NUEM_BUILD=1 MPLBACKEND=$(INLINE) $(BIN)/python -m pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with scripts/nbval_sanitize.cfg --nbval-cell-timeout=600 -p no:cacheprovider -q $$nbs

browser: $(VENV_STAMP)
	$(BIN)/python -m pytest tests/browser -q

## bench: timings of the hot paths (pytest-benchmark)
bench: $(VENV_STAMP)
	MPLBACKEND=agg $(BIN)/python -m pytest tests/benchmarks --benchmark-only -q

## scoreboard: record every chapter's claims (_build/claims/*.json, as the chapter notebooks do),
## then re-execute book/wrap_up/scoreboard.ipynb in place (to commit fresh outputs)
scoreboard: $(VENV_STAMP)
	$(BIN)/python -m nuemcore.scoreboard --record --summary
	NUEM_BUILD=1 MPLBACKEND=$(INLINE) $(BIN)/jupyter nbconvert --to notebook --execute --inplace book/wrap_up/scoreboard.ipynb

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(VENV) node_modules
