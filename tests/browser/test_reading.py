"""Reading quality of the built book in headless Chromium (issues 11 and 12).

Every page of the toc, at 1400 px: no display equation or table wider than the content column,
no equation number on top of its equation, every table row as many cells as its header, every
content image in a captioned figure with a real alt text and sharp enough (SVG, or >= 1.4 natural
pixels per displayed pixel), no raw TeX in the text or the printed outputs, no printed output cut
off.  At 400 px no page scrolls sideways.  Chapter pages also need a results table in their first
fifth, learning goals, and >= 3 exercises whose solutions are folded.

Every check runs strictly on every page (a new page follows README "Writing a chapter").
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import HTML, toc_pages

pytestmark = pytest.mark.browser

CHAPTERS = ("toolkit", "fpf_dipole_portal", "dune_em_properties", "dark_moments",
            "sterile_transition_moments", "solar_cevns")
PAGES = toc_pages()
MIN_PIXEL_RATIO = 1.4      # natural / displayed pixels of a PNG or JPEG
RESULTS_FRACTION = 0.2     # the results table starts in the first fifth of a chapter page
MIN_EXERCISES = 3
TOL_PX = 1.0

# raw TeX that MathJax did not typeset or BibTeX/printing left behind: $^8$B, CE$\nu$NS, \nu, ^{...}
RAW_TEX = re.compile(r"\$\^|\$\\[A-Za-z]|\$[^$\s]{1,24}\$|\\(?:nu|mu|mathrm|text|bar|frac|alpha|"
                     r"sigma|theta|langle|rangle|sqrt|ell|tilde)(?![A-Za-z])|\^\{")

METRICS_JS = r"""() => {
  const art = document.querySelector('article.bd-article') || document.querySelector('main');
  const colBox = art.getBoundingClientRect();
  const cs = getComputedStyle(art);
  const padL = parseFloat(cs.paddingLeft), padR = parseFloat(cs.paddingRight);
  // the content column: the article box without its padding (784 px at a 1400 px window)
  const col = {left: colBox.left + padL, right: colBox.right - padR,
               width: art.clientWidth - padL - padR};
  const rect = e => e.getBoundingClientRect();
  const name = e => { const t = e.closest('[id]'); return t ? t.id : e.tagName; };
  const m = {col, docHeight: document.documentElement.scrollHeight, eqs: [], tables: [], rows: [],
             images: [], outputs: [], results: [], goals: false, exercises: 0, solutions: []};
  art.querySelectorAll('mjx-container[display="true"]').forEach(c => {
    const math = c.querySelector('mjx-math') || c;
    const box = rect(math);
    const block = c.closest('div.math') || c;
    const eqno = block.querySelector('span.eqno');
    let overlap = false;
    if (eqno) {
      const nb = rect(eqno);
      overlap = nb.left < box.right - 1 && nb.right > box.left + 1 &&
                nb.top < box.bottom && nb.bottom > box.top;
    }
    m.eqs.push({id: name(block), width: box.width, right: box.right, left: box.left,
                scrolls: block.scrollWidth > block.clientWidth + 1, overlap});
  });
  art.querySelectorAll('table').forEach((t, i) => {
    if (t.closest('.highlight, mjx-container, .jupyter-widgets')) return;
    const id = name(t) + '#' + i;
    m.tables.push({id, width: rect(t).width});
    const trs = Array.from(t.querySelectorAll('tr'));
    if (!trs.length) return;
    const count = tr => Array.from(tr.children).reduce((s, c) => s + (c.colSpan || 1), 0);
    const head = count(trs[0]);
    trs.slice(1).forEach((tr, j) => {
      if (count(tr) !== head) m.rows.push({id, row: j + 1, cells: count(tr), header: head});
    });
  });
  art.querySelectorAll('img').forEach(img => {
    const fig = img.closest('figure');
    const src = img.getAttribute('src') || '';
    const shown = rect(img).width;
    m.images.push({src: src.split('/').pop().slice(0, 24), alt: img.getAttribute('alt') || '',
                   captioned: !!(fig && fig.querySelector('figcaption')),
                   svg: /\.svg(\?|#|$)/i.test(src) || src.startsWith('data:image/svg'),
                   ratio: shown > 0 ? img.naturalWidth / shown : 0});
  });
  art.querySelectorAll('.cell_output pre, div.output pre').forEach(p => {
    if (p.scrollWidth > p.clientWidth + 1) m.outputs.push(name(p) + ': ' + p.textContent.slice(0, 60));
  });
  const copy = art.cloneNode(true);
  copy.querySelectorAll('pre, code, script, style, mjx-container, .highlight, textarea, ' +
                        'mjx-assistive-mml').forEach(e => e.remove());
  m.text = copy.textContent;
  m.outputText = Array.from(art.querySelectorAll('.cell_output pre, div.output pre'))
                      .map(p => p.textContent).join('\n');
  art.querySelectorAll('section').forEach(s => {
    const h = s.querySelector(':scope > h1, :scope > h2, :scope > h3');
    const t = s.querySelector('table');
    if (h && t && /results at a glance/i.test(h.textContent)) {
      m.results.push((rect(t).top + window.scrollY) / m.docHeight);
    }
  });
  m.goals = Array.from(art.querySelectorAll('.admonition-title, h2, h3, p.rubric'))
                 .some(e => /learning goals/i.test(e.textContent));
  m.exercises = art.querySelectorAll('.exercise').length;
  art.querySelectorAll('.solution').forEach(s => {
    const body = Array.from(s.children).filter(c => !c.classList.contains('admonition-title') &&
                                                    !c.matches('button, .toggle-button'));
    // sphinx-togglebutton folds a dropdown admonition by collapsing its body to zero height
    const hidden = body.length > 0 && body.every(c => c.offsetParent === null ||
                                                      rect(c).height < 1);
    m.solutions.push({id: name(s), folded: hidden});
  });
  return m;
}"""


def _key(src: str) -> str:
    """'book/dune_em_properties/dune_em_properties.ipynb' -> 'dune_em_properties'."""
    return Path(src).stem


def _param(src, check):
    return pytest.param(src, id=_key(src))


def _params(check, chapters_only=False):
    return [_param(src, check) for src, _ in PAGES
            if not chapters_only or _key(src) in CHAPTERS]


def _load(browser, site, src, width):
    rel = (HTML / Path(src).with_suffix(".html")).relative_to(HTML).as_posix()
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(f"{site}/{rel}", wait_until="load")
    page.evaluate("async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                  " { await MathJax.startup.promise; } }")
    page.wait_for_function("() => Array.from(document.images).every(i => i.complete)",
                           timeout=30_000)
    page.wait_for_timeout(200)
    return context, page


@pytest.fixture(scope="module")
def metrics(browser, site):
    """Measurements of each page at 1400 px, taken once per page."""
    cache = {}

    def get(src):
        if src not in cache:
            context, page = _load(browser, site, src, 1400)
            cache[src] = page.evaluate(METRICS_JS)
            context.close()
        return cache[src]
    return get


@pytest.mark.parametrize("src", _params("equations"))
def test_equations_fit_the_column(metrics, src):
    m = metrics(src)
    wide = [e["id"] for e in m["eqs"] if e["width"] > m["col"]["width"] + TOL_PX
            or e["right"] > m["col"]["right"] + TOL_PX or e["scrolls"]]
    overlap = [e["id"] for e in m["eqs"] if e["overlap"]]
    assert not wide, f"display equations wider than the {m['col']['width']} px column: {wide}"
    assert not overlap, f"equation number on top of the equation: {overlap}"


@pytest.mark.parametrize("src", _params("tables"))
def test_tables_fit_the_column(metrics, src):
    m = metrics(src)
    wide = [(t["id"], round(t["width"])) for t in m["tables"]
            if t["width"] > m["col"]["width"] + TOL_PX]
    assert not wide, f"tables wider than the {m['col']['width']} px column: {wide[:8]}"


@pytest.mark.parametrize("src", _params("rows"))
def test_table_rows_match_their_header(metrics, src):
    bad = metrics(src)["rows"]
    assert not bad, f"{len(bad)} table rows with a cell count unlike their header: {bad[:5]}"


def _bad_alt(alt: str) -> bool:
    alt = alt.strip()
    return (len(alt.split()) < 3 or "/" in alt or "\\" in alt
            or bool(re.search(r"\.(png|jpe?g|svg|gif)$", alt, re.I)))


@pytest.mark.parametrize("src", _params("images"))
def test_images_are_captioned_described_and_sharp(metrics, src):
    images = metrics(src)["images"]
    uncaptioned = [i["src"] for i in images if not i["captioned"]]
    bad_alt = [(i["src"], i["alt"][:40]) for i in images if _bad_alt(i["alt"])]
    blurry = [(i["src"], round(i["ratio"], 2)) for i in images
              if not i["svg"] and i["ratio"] < MIN_PIXEL_RATIO]
    assert not uncaptioned, f"{len(uncaptioned)} images outside a captioned figure"
    assert not bad_alt, f"{len(bad_alt)} images whose alt text is a path or empty: {bad_alt[:3]}"
    assert not blurry, f"{len(blurry)} PNGs below {MIN_PIXEL_RATIO}x pixels: {blurry[:3]}"


@pytest.mark.parametrize("src", _params("raw_tex"))
def test_no_raw_tex(metrics, src):
    m = metrics(src)
    found = RAW_TEX.findall(m["text"]) + RAW_TEX.findall(m["outputText"])
    assert not found, f"raw TeX in the page: {sorted(set(found))[:8]}"


@pytest.mark.parametrize("src", _params("outputs"))
def test_printed_outputs_not_cut_off(metrics, src):
    cut = metrics(src)["outputs"]
    assert not cut, f"{len(cut)} printed outputs wider than their box: {cut[:3]}"


@pytest.mark.parametrize("src", _params("results_first", chapters_only=True))
def test_results_table_in_first_fifth(metrics, src):
    results = metrics(src)["results"]
    assert results, "no 'Results at a glance' section with a table"
    assert min(results) <= RESULTS_FRACTION, \
        f"results table starts at {min(results):.0%} of the page (limit {RESULTS_FRACTION:.0%})"


@pytest.mark.parametrize("src", _params("goals_exercises", chapters_only=True))
def test_learning_goals_and_folded_exercises(metrics, src):
    m = metrics(src)
    assert m["goals"], "no 'Learning goals' on the page"
    assert m["exercises"] >= MIN_EXERCISES, f"{m['exercises']} exercises (need {MIN_EXERCISES})"
    assert len(m["solutions"]) >= m["exercises"], "an exercise without a solution"
    unfolded = [s["id"] for s in m["solutions"] if not s["folded"]]
    assert not unfolded, f"solutions shown unfolded: {unfolded}"


@pytest.mark.parametrize("src", [pytest.param(s, id=_key(s)) for s, _ in PAGES])
def test_no_sideways_scroll_at_400px(browser, site, src):
    context, page = _load(browser, site, src, 400)
    over = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert over <= TOL_PX, f"the page scrolls sideways by {over} px at 400 px"
