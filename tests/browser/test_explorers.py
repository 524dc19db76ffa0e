"""Static explorers (nuemcore/explorer.py, scripts/offline/nuem-explorer.js) in headless Chromium,
with no kernel: every explorer on every page of the toc is found from the built HTML.

* moving each control changes the plotted data (``gd.data``) and the printed readouts;
* at three settings per explorer, the plotted x/y and the readouts equal the library's values at
  that setting (the function named in the page's spec, evaluated here) to 1e-6 relative;
* every chapter page weighs at most 6 MB with a cold cache (sum of the uncompressed bodies of all
  responses), and makes no request outside 127.0.0.1.  The time MathJax took to typeset the page
  is printed (``-s``).
"""
from __future__ import annotations

import importlib
import json
import re
from urllib.parse import urlparse

import numpy as np
import pytest

from .conftest import HTML, toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages()
MARK = 'class="nuem-explorer"'
MAX_PAGE_BYTES = 6_000_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SPEC_RE = re.compile(r'<script type="application/json" class="nuem-explorer-spec">(.*?)</script>',
                     re.S)


def _explorer_pages():
    return [(src, html) for src, html in PAGES if html.is_file() and MARK in html.read_text("utf-8")]


def _specs(html):
    return [json.loads(m.replace("<\\/", "</")) for m in SPEC_RE.findall(html.read_text("utf-8"))]


EXPLORER_PAGES = _explorer_pages()
EXPLORERS = [(src, html, spec["name"]) for src, html in EXPLORER_PAGES for spec in _specs(html)]
NONE = [pytest.param(None, None, None, marks=pytest.mark.skip(reason="no explorer in the built book"))]

STATE_JS = """(name) => {
  const root = document.querySelector(`div.nuem-explorer[data-explorer="${name}"]`);
  const gd = root.querySelector('.nuem-explorer-plot');
  return {
    index: root.getAttribute('data-index'),
    x: gd.data.map(t => Array.from(t.x)), y: gd.data.map(t => Array.from(t.y)),
    names: gd.data.map(t => t.name),
    title: gd.layout.title.text,
    readouts: Array.from(root.querySelectorAll('.nuem-explorer-readout')).map(e => e.textContent),
    values: Array.from(root.querySelectorAll('.nuem-explorer-readout'))
        .map(e => e.getAttribute('data-value')),
  };
}"""
SET_JS = """([name, control, index]) => {
  const root = document.querySelector(`div.nuem-explorer[data-explorer="${name}"]`);
  const input = root.querySelector(`[data-control="${control}"]`);
  input.value = String(index);
  input.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def _open(browser, site, html, errors=None):
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)) if errors is not None else None)
    page.goto(f"{site}/{html.relative_to(HTML).as_posix()}", wait_until="load")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('div.nuem-explorer'))"
        ".every(d => d.getAttribute('data-ready') === '1')", timeout=30_000)
    return context, page


def _page_spec(html, name):
    return next(s for s in _specs(html) if s["name"] == name)


@pytest.mark.parametrize("src,html,name", EXPLORERS or NONE,
                         ids=[f"{s}::{n}" for s, _, n in EXPLORERS] or None)
def test_every_control_changes_plot_and_numbers(browser, site, src, html, name):
    errors = []
    context, page = _open(browser, site, html, errors)
    spec = _page_spec(html, name)
    assert spec["controls"], f"explorer {name} has no static control"
    for c in spec["controls"]:
        before = page.evaluate(STATE_JS, name)
        n = len(c["values"])
        new = (c["index"] + max(1, n // 2)) % n
        page.evaluate(SET_JS, [name, c["name"], new])
        after = page.evaluate(STATE_JS, name)
        assert after["index"] != before["index"], (c["name"], "index did not move")
        assert after["y"] != before["y"], f"{name}: moving {c['name']} left the plotted data unchanged"
        assert after["readouts"] != before["readouts"] or not spec["readouts"], \
            f"{name}: moving {c['name']} left the printed numbers unchanged"
        # the shown value of the control is the one used
        shown = page.locator(f'div.nuem-explorer[data-explorer="{name}"] '
                             f'[data-control="{c["name"]}"] + output').text_content()
        assert shown == c["text"][new]
        page.evaluate(SET_JS, [name, c["name"], c["index"]])  # back to the default
    context.close()
    assert errors == []


def _settings(spec):
    """Three grid settings: all first, all middle, all last (per-control indices)."""
    sizes = [len(c["values"]) for c in spec["controls"]]
    return [[0] * len(sizes), [n // 2 for n in sizes], [n - 1 for n in sizes]]


def _close(page_vals, lib_vals, what):
    lib = np.asarray(lib_vals, dtype=float).ravel()
    got = np.array([np.nan if v is None else v for v in page_vals], dtype=float)
    assert got.shape == lib.shape, what
    gap = np.isnan(got)
    assert np.allclose(got[~gap], lib[~gap], rtol=1e-6, atol=0), what
    return gap


@pytest.mark.parametrize("src,html,name", EXPLORERS or NONE,
                         ids=[f"{s}::{n}" for s, _, n in EXPLORERS] or None)
def test_plotted_values_equal_library(browser, site, src, html, name):
    context, page = _open(browser, site, html)
    spec = _page_spec(html, name)
    mod, attr = spec["function"].split(":")
    f = getattr(importlib.import_module(mod), attr)
    for idx in _settings(spec):
        for c, i in zip(spec["controls"], idx):
            page.evaluate(SET_JS, [name, c["name"], i])
        state = page.evaluate(STATE_JS, name)
        kwargs = {**spec["fixed"], **{c["name"]: c["values"][i] for c, i in zip(spec["controls"], idx)}}
        ref = f(**kwargs)
        assert state["names"] == list(ref["traces"]), kwargs
        for j, (tname, (x, y)) in enumerate(ref["traces"].items()):
            _close(state["x"][j], x, f"{name} {kwargs} x of {tname}")
            gap = _close(state["y"][j], y, f"{name} {kwargs} y of {tname}")
            y = np.asarray(y, dtype=float).ravel()
            # gaps only where the library gives no finite (or, on a log axis, no positive) value
            bad = ~np.isfinite(y) | ((y <= 0) if spec["ylog"] else False)
            assert np.array_equal(gap, bad), f"{name} {kwargs}: gaps in {tname}"
        page_r = [float(v) if v else np.nan for v in state["values"]]
        _close(page_r, list(ref.get("readouts", {}).values()), f"{name} {kwargs} readouts")
        assert state["title"] == ref.get("title", ""), kwargs
    context.close()


@pytest.mark.parametrize("src,html", PAGES, ids=[s for s, _ in PAGES])
def test_page_weight_cold_cache(browser, site, src, html):
    """At most 6 MB per page (uncompressed, cold cache); nothing requested outside 127.0.0.1."""
    context = browser.new_context()  # a new context has an empty cache
    page = context.new_page()
    responses, remote = [], []
    page.on("request", lambda r: remote.append(r.url)
            if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).hostname not in LOCAL_HOSTS else None)
    page.on("response", lambda r: responses.append(r))
    page.goto(f"{site}/{html.relative_to(HTML).as_posix()}", wait_until="load")
    typeset_ms = page.evaluate(
        "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise) {"
        " await MathJax.startup.promise; return performance.now(); } return null; }")
    page.wait_for_load_state("networkidle")
    total = sum(len(r.body()) for r in responses if r.status < 300)
    widgets = page.evaluate("() => !!document.querySelector("
                            "'script[type=\"application/vnd.jupyter.widget-state+json\"]')")
    context.close()
    print(f"\n{src}: {total / 1e6:.2f} MB in {len(responses)} responses, MathJax done at "
          + (f"{typeset_ms:.0f} ms" if typeset_ms is not None else "n/a (no MathJax)")
          + (", loads the ipywidgets manager" if widgets else ""))
    assert remote == [], f"requests outside 127.0.0.1: {sorted(set(remote))}"
    if total > MAX_PAGE_BYTES and widgets:
        # chapters whose explorer is not converted yet still embed ipywidgets (3.6 MB manager);
        # this turns into a failure by itself once the page no longer carries widget state
        pytest.xfail(f"{src}: {total / 1e6:.2f} MB, still loads the ipywidgets manager "
                     "(explorer not converted to nuemcore.explorer yet)")
    assert total <= MAX_PAGE_BYTES, f"{src}: {total / 1e6:.2f} MB > 6 MB"
