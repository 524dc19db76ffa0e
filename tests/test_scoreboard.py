"""The scoreboard: per-chapter summary, ratio figure, sortable HTML table, CLI, and the book's
execution order (nuemcore.scoreboard, scripts/check_toc.py)."""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nuemcore.claims import CHAPTERS, STATUSES, Claim
from nuemcore.scoreboard import html_table, ratio_figure, summary, summary_html, summary_markdown

ROOT = Path(__file__).resolve().parent.parent

CLAIMS = [
    Claim("toolkit", "a", 1.05, 1.0, "MeV", "eq. 1", status="reproduced"),
    Claim("toolkit", "b", 2.0, 1.0, "MeV", "eq. 2", "modelled <flux>", "explained", "toolkit-b"),
    Claim("toolkit", "c", 5.0, None, "mu_B", "beyond", status="beyond"),
    Claim("dune", "|Q| < x", [-3.0, 1.2], [-1.0, 1.0], "e", "eq. 4.10", status="hypothesis"),
    Claim("dune", "d", 0.9, 1.0, "cm^-2 s^-1", "Table 1"),
]


def test_summary_counts_and_median():
    rows = {r["chapter"]: r for r in summary(CLAIMS)}
    assert list(rows) == ["toolkit", "dune"]                    # book order
    t, d = rows["toolkit"], rows["dune"]
    assert t["claims"] == 3 and t["reproduced"] == 1 and t["explained"] == 1 and t["beyond"] == 1
    assert t["unset"] == 0 and t["hypothesis"] == 0 and t["compared"] == 2
    assert t["median_dev"] == pytest.approx((0.05 + 1.0) / 2, abs=0, rel=1e-12)
    assert d["claims"] == 2 and d["hypothesis"] == 1 and d["unset"] == 1
    assert d["median_dev"] == pytest.approx((2.0 + 0.1) / 2, rel=1e-12)   # interval: max end


def test_summary_markdown_columns():
    lines = summary_markdown(CLAIMS).splitlines()
    head = [h.strip() for h in re.split(r"(?<!\\)\|", lines[0])[1:-1]]
    assert head[:2] == ["chapter", "claims"] and head[2:8] == list(STATUSES) and head[8] == "unset"
    assert all(len(re.split(r"(?<!\\)\|", line)) == len(re.split(r"(?<!\\)\|", lines[0]))
               for line in lines)
    assert lines[-1].startswith("| **all** | 5 | 1 | 1 | 1 | 0 | 0 | 1 | 1 | 4 |")
    assert lines[2].endswith("| 52.5 % |")
    no_unset = summary_markdown(CLAIMS[:3])
    assert "unset" not in no_unset


def test_summary_html_rows():
    h = summary_html(CLAIMS)
    assert h.count("<tr>") == 1 + 2 + 1                     # header, two chapters, all
    assert "<td>all</td><td>5</td><td>1</td><td>1</td><td>1</td><td>0</td><td>0</td><td>1</td><td>1</td><td>4</td>" in h
    assert "<td>52.5 %</td>" in h and "unset" in h
    assert "unset" not in summary_html(CLAIMS[:3])


def test_html_table_is_deterministic_escaped_and_complete():
    h = html_table(CLAIMS)
    assert h == html_table(CLAIMS)
    assert h.count('<tr data-status=') == len(CLAIMS)
    assert len(re.findall(r"<th[ >]", h)) == 9
    assert "<div>modelled &lt;flux&gt; Evidence: toolkit-b.</div>" in h
    assert "|Q| &lt; x" in h and 'data-status="unset"' in h and 'data-status="hypothesis"' in h
    assert "cm⁻² s⁻¹" in h and "μ<sub>B</sub>" in h and "$" not in h   # no TeX: JS redraws rows
    assert not re.search(r"\bnan\b", h, re.I)
    assert 'data-sort="-3"' in h and 'data-sort="0.9"' in h and "<span>[-3,</span><wbr> <span>1.2]</span>" in h                                      # interval sorts by low end
    assert "http" not in h                                               # nothing loaded remotely


def test_ratio_figure_rows_and_legend():
    import matplotlib
    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    fig = ratio_figure(CLAIMS)
    ax = fig.axes[0]
    ticks = {round(y): t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}
    assert ticks == {1: "toolkit", 0: "dune"}                  # book order, top to bottom
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == sorted(["reproduced", "explained", "hypothesis", "unset"])
    plt.close(fig)


def _toolkit_args():
    return (["--chapter", "toolkit"] if importlib.util.find_spec(CHAPTERS["toolkit"]) else [])


def test_cli_json_has_status_and_evidence():
    out = subprocess.run([sys.executable, "-m", "nuemcore.scoreboard", "--json", *_toolkit_args()],
                         capture_output=True, text=True, timeout=900, check=True).stdout
    claims = json.loads(out)
    assert isinstance(claims, list)
    for d in claims:
        assert d["chapter"] in CHAPTERS and d["key"]
        assert set(d) >= {"ours", "paper", "unit", "ref", "note", "ratio", "status", "evidence",
                          "anchor", "headline"}
        assert d["status"] is None or d["status"] in STATUSES


def test_cli_summary_json():
    out = subprocess.run([sys.executable, "-m", "nuemcore.scoreboard", "--summary", "--json",
                          *_toolkit_args()], capture_output=True, text=True, timeout=900,
                         check=True).stdout
    rows = json.loads(out)
    for r in rows:
        assert r["claims"] == sum(r[s] for s in (*STATUSES, "unset"))


def test_scoreboard_is_executed_after_every_chapter():
    """jupyter-book executes notebooks in sorted docname order; the scoreboard reads what the
    chapters record, so it must sort last (scripts/check_toc.py enforces it in `make test`)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_toc
    finally:
        sys.path.pop(0)
    found, missing = check_toc.listed_files()
    nbs = [str(p.relative_to(ROOT)) for p in found if p.suffix == ".ipynb"]
    assert check_toc.SCOREBOARD in nbs and not missing
    assert check_toc.scoreboard_sorts_last(nbs) == []
    assert check_toc.scoreboard_sorts_last(nbs + ["book/zzz/zzz.ipynb"]) == ["book/zzz/zzz.ipynb"]
    assert check_toc.scoreboard_sorts_last(["book/scoreboard.ipynb", "book/toolkit/toolkit.ipynb"],
                                           "book/scoreboard.ipynb") == ["book/toolkit/toolkit.ipynb"]
