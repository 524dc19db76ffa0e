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
# figures in executed notebooks use the inline backend; plain pytest uses agg (set per command)
unexport MPLBACKEND
INLINE  := module://matplotlib_inline.backend_inline

VENV_STAMP := $(VENV)/.nuem-stamp
JS_STAMP   := node_modules/.nuem-stamp
CORE_STAMP := $(BUILD)/.nuemcore-stamp
CORE_SRC   := $(shell find nuemcore -name '*.py' -o -name '*.json' 2>/dev/null)
BOOK_SRC   := _config.yml _toc.yml $(wildcard scripts/*.py) $(shell find book -type f \( -name '*.ipynb' -o -name '*.md' -o -name '*.bib' -o -name '*.png' -o -name '*.svg' \) -not -path '*/.ipynb_checkpoints/*' 2>/dev/null)

.PHONY: venv js data book test unit nbval browser check-toc bench scoreboard clean distclean

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

# A change in nuemcore can change any notebook's output, but jupyter-cache keys on notebook code
# only: drop the execution cache and doctrees so that every notebook is re-executed.
$(CORE_STAMP): $(CORE_SRC)
	rm -rf $(BUILD)/.jupyter_cache $(BUILD)/.doctrees
	mkdir -p $(BUILD)
	touch $@

## data: download the input files that are missing (nothing when ../shared/data or $$NUEM_DATA
## already holds them all; else into the user cache), see `python -m nuemcore.data --help`
data: $(VENV_STAMP)
	$(BIN)/python -m nuemcore.data fetch --quick

## book: execute the notebooks (cached) and build the offline HTML site in _build/html
book: $(HTML)/.nuem-stamp
$(HTML)/.nuem-stamp: $(VENV_STAMP) $(JS_STAMP) $(CORE_STAMP) $(BOOK_SRC) | data
	MPLBACKEND=$(INLINE) $(BIN)/jupyter-book build . -W -n --keep-going --builder html
	test -f $(HTML)/_offline/mathjax/tex-chtml.js
	test -f $(HTML)/_offline/require.js
	test -f $(HTML)/_offline/html-manager/embed-amd.js
	touch $@
	@echo "book: $(HTML)/index.html"

check-toc: $(VENV_STAMP)
	$(BIN)/python scripts/check_toc.py

## test: unit/property tests, nbval on every notebook in the toc, browser tests on the built book
test: book
	$(MAKE) -k --no-print-directory check-toc unit nbval browser

unit: $(VENV_STAMP)
	MPLBACKEND=agg $(BIN)/python -m pytest tests --ignore=tests/browser --benchmark-disable -q

nbval: $(VENV_STAMP)
	nbs=$$($(BIN)/python scripts/check_toc.py --list | grep '\.ipynb$$' || true); \
	if [ -z "$$nbs" ]; then echo "nbval: no notebook in _toc.yml"; exit 1; fi; \
	MPLBACKEND=$(INLINE) $(BIN)/python -m pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with scripts/nbval_sanitize.cfg --nbval-cell-timeout=600 -p no:cacheprovider -q $$nbs

browser: $(VENV_STAMP)
	$(BIN)/python -m pytest tests/browser -q

## bench: timings of the hot paths (pytest-benchmark)
bench: $(VENV_STAMP)
	MPLBACKEND=agg $(BIN)/python -m pytest tests/benchmarks --benchmark-only -q

## scoreboard: re-execute book/scoreboard.ipynb in place (to commit fresh outputs)
scoreboard: $(VENV_STAMP)
	MPLBACKEND=$(INLINE) $(BIN)/jupyter nbconvert --to notebook --execute --inplace book/scoreboard.ipynb

clean:
	rm -rf $(BUILD)

distclean: clean
	rm -rf $(VENV) node_modules
