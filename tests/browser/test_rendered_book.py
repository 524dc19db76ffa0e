"""The built HTML book in headless Chromium: every page of the toc loads with no console error,
requests nothing from another host, has all its math typeset by the local MathJax, all its images
loaded and its widgets drawn from the embedded state."""
from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import nbformat
import pytest

from .conftest import HTML, ROOT, toc_pages

pytestmark = pytest.mark.browser

PAGES = toc_pages()
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# text outside code blocks and rendered math; raw TeX left there means MathJax did not typeset it
VISIBLE_TEXT_JS = """() => {
  const body = document.querySelector('main') || document.body;
  const copy = body.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea')
      .forEach(e => e.remove());
  return copy.textContent;
}"""
UNTYPESET_MATH_JS = """() => Array.from(document.querySelectorAll('.math'))
  .filter(e => !e.closest('pre, code') && !e.querySelector('mjx-container'))
  .map(e => e.textContent.slice(0, 80))"""
BROKEN_IMAGES_JS = """() => Array.from(document.images)
  .filter(img => !(img.complete && img.naturalWidth > 0))
  .map(img => img.getAttribute('src'))"""
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\$[^$\n]*\\[A-Za-z]+[^$\n]*\$")


def _notebook_has_widgets(src: str) -> bool:
    if not src.endswith(".ipynb"):
        return False
    nb = nbformat.read(ROOT / src, as_version=4)
    return any(WIDGET_VIEW in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))


def test_toc_pages_were_built():
    assert PAGES, "_toc.yml lists no file"
    missing = [str(html) for _, html in PAGES if not html.is_file()]
    assert not missing, f"pages in the toc but not built: {missing}"


def test_offline_assets_present_and_referenced_locally():
    for rel in ("_offline/mathjax/tex-chtml.js", "_offline/require.js",
                "_offline/html-manager/embed-amd.js"):
        assert (HTML / rel).is_file(), rel
    for page in HTML.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "_static/_offline" not in text, page
        for src in re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", text):
            assert "://" not in src and not src.startswith("//"), (page, src)
        for href in re.findall(r"<link[^>]*\brel=\"(?:stylesheet|preload)\"[^>]*\bhref=\"([^\"]+)\"", text):
            assert "://" not in href and not href.startswith("//"), (page, href)


@pytest.mark.parametrize("src", [s for s, _ in PAGES if _notebook_has_widgets(s)] or
                         [pytest.param(None, marks=pytest.mark.skip(reason="no widget in the toc"))])
def test_widget_state_embedded(src):
    """A notebook with widget views is built with its widget state (nbclient stores it)."""
    html = (HTML / src).with_suffix(".html").read_text(encoding="utf-8")
    assert WIDGET_STATE in html
    state = re.search(r'<script type="' + re.escape(WIDGET_STATE) + r'">(.*?)</script>', html, re.S)
    assert state and json.loads(state.group(1))["state"]


@pytest.mark.parametrize("src,html", PAGES, ids=[s for s, _ in PAGES])
def test_page_renders_offline(browser, site, src, html):
    rel = html.relative_to(HTML).as_posix()
    errors, remote = [], []

    context = browser.new_context()
    page = context.new_page()

    def on_route(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            remote.append(route.request.url)
            route.abort()

    page.route("**/*", on_route)
    page.on("request", lambda r: remote.append(r.url)
            if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
            and urlparse(r.url).hostname not in LOCAL_HOSTS else None)
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed request: {r.url}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    page.goto(f"{site}/{rel}", wait_until="load")
    # MathJax 3 typesets at startup; wait for it if the page loads it
    page.evaluate("async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                  " { await MathJax.startup.promise; } }")
    n_math = page.locator(".math").count()
    if n_math:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.document",
                               timeout=30_000)
        page.evaluate("async () => { await MathJax.startup.promise; }")
        assert page.evaluate(UNTYPESET_MATH_JS) == [], "math left untypeset"
        assert page.locator("mjx-container").count() >= n_math
    leftover = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT_JS))
    assert not leftover, f"raw TeX in the page text: {leftover[:5]}"

    if _notebook_has_widgets(src):
        page.wait_for_selector(".jupyter-widgets, .widget-slider", timeout=30_000)
        assert page.locator(".jupyter-widgets").count() > 0

    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=30_000)
    assert page.evaluate(BROKEN_IMAGES_JS) == [], "images that did not load"

    page.wait_for_timeout(300)  # late console errors (deferred scripts)
    context.close()
    assert remote == [], f"requests to non-local hosts: {sorted(set(remote))}"
    assert errors == [], "\n".join(errors)
