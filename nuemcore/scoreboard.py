"""Reproduction scoreboard: ``python -m nuemcore.scoreboard [--json] [--chapter NAME] [--summary]
[--record]``.

Computes every chapter's claims live (see :mod:`nuemcore.claims`) and prints them as JSON (every
field, ``status`` and ``evidence`` included, plus ``ratio``), as a Markdown table, or as the
per-chapter status summary (``--summary``). ``--record`` writes ``_build/claims/<chapter>.json``
for each chapter, as the chapter notebooks do when they run (:func:`nuemcore.claims.record`).

The scoreboard page (``book/wrap_up/scoreboard.ipynb``) does not recompute anything: it reads the
recorded claims (:func:`nuemcore.claims.load_recorded`) and draws, from this module:

- :func:`summary_html` (or :func:`summary_markdown`): per chapter, the number of claims by status and the median of
  |ours/paper - 1|;
- :func:`ratio_figure`: log10(ours/paper) of every claim with a paper value, by chapter and status;
- :func:`html_table`: every claim in a plain HTML table, sortable (click a header) and filterable
  (a text box and a status menu), with the notes folded in ``<details>``. Plain HTML and a few
  lines of our own JavaScript rather than itables: itables needs pandas or polars (neither is in
  the environment), writes a random table id into every output (nbval would need to mask it) and
  embeds a several-hundred-kB bundle; this table is deterministic, works offline and without
  JavaScript (then unsorted and unfiltered).
"""
from __future__ import annotations

import argparse
import html
import json
import math
import re
import statistics
import sys
from typing import Sequence

from .claims import (CHAPTERS, DASH, STATUSES, Claim, collect, deviation, format_number,
                     format_ref, format_unit_html, markdown_table, record, status_counts,
                     _note_text)

#: colours of the statuses (figure and table)
STATUS_COLOURS = {"reproduced": "#2ca02c", "explained": "#1f77b4", "hypothesis": "#ff7f0e",
                  "unexplained": "#d62728", "input": "#7f7f7f", "beyond": "#9467bd",
                  "unset": "#000000"}


def summary(claims: Sequence[Claim]) -> list[dict]:
    """One dict per chapter (book order): ``chapter``, ``claims``, the count of every status
    (and ``unset``), ``compared`` (claims with a ratio) and ``median_dev``, the median over those
    of max |ours/paper - 1| (both ends of an interval; None when nothing is compared)."""
    out = []
    counts = status_counts(claims)
    for ch, cnt in counts.items():
        devs = [d for d in (deviation(c) for c in claims if c.chapter == ch) if d is not None]
        out.append({"chapter": ch, "claims": sum(cnt.values()), **cnt, "compared": len(devs),
                    "median_dev": statistics.median(devs) if devs else None})
    return out


def _summary_rows(claims: Sequence[Claim], total: str):
    """(columns of status counts, the :func:`summary` rows plus a total row named ``total``, each
    with ``med``: the median deviation as text) for :func:`summary_markdown` and
    :func:`summary_html`."""
    rows_ = summary(claims)
    cols = list(STATUSES) + (["unset"] if any(r["unset"] for r in rows_) else [])
    tot = {k: sum(r[k] for r in rows_) for k in ["claims", *cols, "compared"]}
    alldev = [d for d in (deviation(c) for c in claims) if d is not None]
    rows_.append({"chapter": total, **tot,
                  "median_dev": statistics.median(alldev) if alldev else None})
    for r in rows_:
        r["med"] = DASH if r["median_dev"] is None else f"{100 * r['median_dev']:.3g} %"
    return cols, rows_


def summary_markdown(claims: Sequence[Claim]) -> str:
    """The per-chapter summary as a Markdown table (counts by status; the median deviation in %
    over the claims that have a paper value). The ``unset`` column appears only if a claim has no
    status."""
    cols, rows_ = _summary_rows(claims, "**all**")
    head = ["chapter", "claims"] + cols + ["compared", "median \\|ours/paper − 1\\|"]
    rows = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in rows_:
        rows.append("| " + " | ".join([r["chapter"], str(r["claims"])]
                                      + [str(r[k]) for k in cols]
                                      + [str(r["compared"]), r["med"]]) + " |")
    return "\n".join(rows)


def summary_html(claims: Sequence[Claim]) -> str:
    """The per-chapter summary of :func:`summary_markdown` as a compact HTML table (small font,
    status names coloured as in the figure), narrow enough for the 784 px content column."""
    cols, rows_ = _summary_rows(claims, "all")
    css = ("#nuem-summary {border-collapse: collapse; font-size: 0.75rem; margin: 0.5em 0; max-width: 100%;}"
           "#nuem-summary th, #nuem-summary td {padding: 2px 4px; border-bottom: 1px solid #ddd;}"
           "#nuem-summary td {text-align: right;} #nuem-summary td:first-child {text-align: left;}"
           "#nuem-summary tr:last-child td {font-weight: bold;}")
    head = ("<th>chapter</th><th>claims</th>"
            + "".join(f'<th style="color:{STATUS_COLOURS[c]}">{c}</th>' for c in cols)
            + '<th>compared</th><th title="median of max |ours/paper - 1|">median |r − 1|</th>')
    out = [f"<style>{css}</style>", f'<table id="nuem-summary"><thead><tr>{head}</tr></thead><tbody>']
    for r in rows_:
        out.append("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in
                                    [r["chapter"], r["claims"], *(r[k] for k in cols),
                                     r["compared"], r["med"]]) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def ratio_figure(claims: Sequence[Claim], seed: int = 0):
    """log10(ours/paper) of every claim with a paper value: one row per chapter, one dot per value
    (two for an interval), coloured by status; shaded bands at 10 %, 30 % and a factor 2. The
    vertical jitter uses ``numpy.random.default_rng(seed)``. The figure is as wide as the book's
    column (:data:`nuemcore.plotting.BOOK_WIDTH_IN`), takes its fonts from the rcParams (apply
    :func:`nuemcore.plotting.book_style` first for the book), uses constrained layout and puts
    the status legend (in the order of :data:`STATUS_COLOURS`) below the axes. Returns the
    matplotlib Figure."""
    import matplotlib.pyplot as plt
    import numpy as np

    from .plotting import BOOK_WIDTH_IN

    pts = []  # (chapter, status, log10 ratio)
    for c in claims:
        r = c.ratio
        for x in (r if isinstance(r, list) else [r]):
            if x is not None and x > 0 and math.isfinite(x):
                pts.append((c.chapter, c.status or "unset", math.log10(x)))
    shown = [ch for ch in CHAPTERS if any(p[0] == ch for p in pts)]
    fig, ax = plt.subplots(figsize=(BOOK_WIDTH_IN, 0.5 * max(len(shown), 2) + 1.8),
                           layout="constrained")
    for factor, alpha in ((2.0, 0.10), (1.3, 0.18), (1.1, 0.28)):
        ax.axvspan(-math.log10(factor), math.log10(factor), color="tab:green", alpha=alpha, lw=0)
    ax.axvline(0.0, color="k", lw=0.8)
    rng = np.random.default_rng(seed)
    labelled = set()
    for i, ch in enumerate(shown):
        y0 = len(shown) - 1 - i
        for st, colour in STATUS_COLOURS.items():
            x = np.array([p[2] for p in pts if p[0] == ch and p[1] == st])
            if x.size:
                ax.scatter(x, y0 + rng.uniform(-0.25, 0.25, x.size), s=16, alpha=0.8,
                           color=colour, zorder=3, label=None if st in labelled else st)
                labelled.add(st)
    if shown:
        ax.set_yticks(range(len(shown))[::-1], shown)
        lim = max(0.5, 1.1 * max(abs(p[2]) for p in pts))
        ax.set_xlim(-lim, lim)
        handles, labels = ax.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda k: list(STATUS_COLOURS).index(labels[k]))
        ax.legend([handles[k] for k in order], [labels[k] for k in order],
                  loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=len(labelled),
                  frameon=False, columnspacing=1.0, handletextpad=0.2, borderaxespad=0.0)
    else:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no claim with a paper value", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_xlabel(r"$\log_{10}$(ours / paper)")
    return fig


def _sort_key(x) -> str:
    """data-sort value of a number cell: the number to 6 digits (low end of an interval), ''
    when missing."""
    if isinstance(x, list):
        x = x[0] if x else None
    if x is None or not math.isfinite(x):
        return ""
    return f"{float(x):.6g}"   # rounded: the committed output must not depend on the last bits


_TABLE_JS = """
(function () {
  var t = document.getElementById("nuem-claims"); if (!t) return;
  var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var q = document.getElementById("nuem-claims-filter"), s = document.getElementById("nuem-claims-status");
  var n = document.getElementById("nuem-claims-count");
  function filter() {
    var text = q.value.toLowerCase(), st = s.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!text || r.textContent.toLowerCase().indexOf(text) >= 0) &&
               (!st || r.getAttribute("data-status") === st);
      r.style.display = ok ? "" : "none"; if (ok) shown++;
    });
    n.textContent = shown + " of " + rows.length + " claims";
  }
  function closeNotes() {
    Array.prototype.forEach.call(t.querySelectorAll("tr.nuem-note"), function (r) { r.remove(); });
    Array.prototype.forEach.call(t.querySelectorAll("details[open]"), function (d) { d.open = false; });
  }
  t.classList.add("nuem-js");  /* notes open in a full-width row below their claim */
  Array.prototype.forEach.call(t.querySelectorAll("details"), function (d) {
    d.addEventListener("toggle", function () {
      var row = d.closest("tr"), next = row.nextElementSibling;
      if (d.open) {
        var tr = document.createElement("tr"), td = document.createElement("td");
        tr.className = "nuem-note"; td.colSpan = row.cells.length;
        td.textContent = d.querySelector("div").textContent;
        tr.appendChild(td); row.parentNode.insertBefore(tr, next);
      } else if (next && next.classList.contains("nuem-note")) { next.remove(); }
    });
  });
  q.addEventListener("input", function () { closeNotes(); filter(); });
  s.addEventListener("change", function () { closeNotes(); filter(); });
  Array.prototype.forEach.call(t.tHead.rows[0].cells, function (th, i) {
    th.style.cursor = "pointer"; th.title = "sort";
    th.addEventListener("click", function () {
      var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
      Array.prototype.forEach.call(t.tHead.rows[0].cells, function (h) { h.removeAttribute("data-dir"); });
      th.setAttribute("data-dir", dir > 0 ? "asc" : "desc");
      closeNotes();
      var num = th.hasAttribute("data-num");
      rows.sort(function (a, b) {
        var x = a.cells[i].getAttribute("data-sort"), y = b.cells[i].getAttribute("data-sort");
        if (x === null) x = a.cells[i].textContent; if (y === null) y = b.cells[i].textContent;
        if (num) { if (x === "") return 1; if (y === "") return -1; return dir * (parseFloat(x) - parseFloat(y)); }
        return dir * x.localeCompare(y);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  filter();
})();
"""

_TABLE_CSS = """
#nuem-claims-wrap {max-width: 100%; overflow-x: auto; font-size: 0.72rem; line-height: 1.25;}
#nuem-claims {border-collapse: collapse; width: 100%; table-layout: fixed;}
#nuem-claims td.key, #nuem-claims td.ch {overflow-wrap: anywhere;}
#nuem-claims th, #nuem-claims td {padding: 2px 3px; border-bottom: 1px solid #ddd; vertical-align: top;}
#nuem-claims th {position: sticky; top: 0; background: #f4f4f4;}
#nuem-claims th[data-dir="asc"]::after {content: " ▲";}
#nuem-claims th[data-dir="desc"]::after {content: " ▼";}
#nuem-claims td.num {text-align: right;}
#nuem-claims td.num span {white-space: nowrap;}
#nuem-claims td.key {min-width: 8em;}
#nuem-claims details summary {cursor: pointer; color: #555;}
#nuem-claims.nuem-js details > div {display: none;}
#nuem-claims tr.nuem-note td {background: #fafafa; padding: 4px 8px 6px 2em; color: #333;}
#nuem-claims-controls {margin: 0.3em 0; font-size: 0.85rem;}
"""


def _breakable(text: str) -> str:
    """HTML-escaped text that may break after an underscore (long names in a narrow column)."""
    return html.escape(text).replace("_", "_<wbr>")


def _ref_html(c: Claim) -> str:
    """format_ref as HTML, "eq. 4.9" kept on one line (no break after "eq.", "Tab.", ...)."""
    return re.sub(r"(eq\.|Tab\.|Fig\.|sec\.|App\.) ", r"\1&nbsp;", html.escape(format_ref(c.ref, c.chapter)))


def _num_html(x) -> str:
    """format_number as HTML: each number unbreakable, an interval may wrap after its comma."""
    if isinstance(x, list):
        ends = [html.escape(format_number(v)) for v in x]
        return f"<span>[{ends[0]},</span><wbr> <span>{ends[-1]}]</span>" if len(ends) == 2 \
            else f"<span>{html.escape(format_number(x))}</span>"
    return f"<span>{html.escape(format_number(x))}</span>"


#: column widths (%) of the HTML table: fixed layout, so that it fits the 784 px content column
_COL_WIDTHS = (9, 20, 14, 14, 10, 7, 10, 9, 7)


def html_table(claims: Sequence[Claim]) -> str:
    """Every claim as one HTML table (chapter, quantity, paper, ours, ours/paper, unit, ref,
    status, note) (``id="nuem-claims"``, one per page), sortable and filterable
    by a few lines of inline JavaScript, sized for the 784 px content column (small font, notes in
    ``<details>``, horizontal scrolling if still too wide). Numbers as :func:`format_number`,
    units as :func:`format_unit_html`, refs as :func:`format_ref`. Deterministic output."""
    e = html.escape
    statuses = [s for s in (*STATUSES, "unset")
                if any((c.status or "unset") == s for c in claims)]
    out = [f"<style>{_TABLE_CSS}</style>", '<div id="nuem-claims-controls">',
           '<input id="nuem-claims-filter" type="search" placeholder="filter (any text)" '
           'aria-label="filter claims" size="22"> ',
           '<select id="nuem-claims-status" aria-label="status"><option value="">any status</option>'
           + "".join(f'<option value="{s}">{s}</option>' for s in statuses) + "</select> ",
           f'<span id="nuem-claims-count">{len(claims)} claims</span></div>',
           '<div id="nuem-claims-wrap"><table id="nuem-claims"><colgroup>'
           + "".join(f'<col style="width:{w}%">' for w in _COL_WIDTHS) + "</colgroup><thead><tr>",
           "<th>chapter</th><th>quantity</th><th data-num>paper</th><th data-num>ours</th>"
           "<th data-num>ours/ paper</th><th>unit</th><th>ref</th><th>status</th><th>note</th>",
           "</tr></thead><tbody>"]
    for c in claims:
        st = c.status or "unset"
        note = _note_text(c)
        note_cell = (f"<details><summary>note</summary><div>{e(note)}</div></details>" if note else "")
        out.append(
            f'<tr data-status="{st}"><td class="ch">{_breakable(c.chapter)}</td>'
            f'<td class="key">{_breakable(c.key)}</td>'
            f'<td class="num" data-sort="{_sort_key(c.paper)}">{_num_html(c.paper)}</td>'
            f'<td class="num" data-sort="{_sort_key(c.ours)}">{_num_html(c.ours)}</td>'
            f'<td class="num" data-sort="{_sort_key(c.ratio)}">{_num_html(c.ratio)}</td>'
            f'<td>{format_unit_html(c.unit)}</td><td>{_ref_html(c)}</td>'
            f'<td style="color:{STATUS_COLOURS[st]}">{st}</td>'
            f"<td>{note_cell}</td></tr>")
    out.append("</tbody></table></div>")
    out.append(f"<script>{_TABLE_JS}</script>")
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nuemcore.scoreboard", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    ap.add_argument("--chapter", choices=list(CHAPTERS), help="only this chapter")
    ap.add_argument("--summary", action="store_true",
                    help="print the per-chapter counts by status (JSON with --json)")
    ap.add_argument("--record", action="store_true",
                    help="also write _build/claims/<chapter>.json for each chapter computed")
    args = ap.parse_args(argv)
    claims = collect(args.chapter)
    if args.record:
        for ch in dict.fromkeys(c.chapter for c in claims):
            path = record(ch, [c for c in claims if c.chapter == ch])
            print(f"recorded {ch}: {path}", file=sys.stderr)
    if args.summary:
        if args.json:
            json.dump(summary(claims), sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            print(summary_markdown(claims))
    elif args.json:
        json.dump([c.as_dict() for c in claims], sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(markdown_table(claims, with_chapter=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
