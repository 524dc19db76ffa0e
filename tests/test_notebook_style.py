"""Code style of the notebooks in the toc, and the book figure style (issue 11, "Code", "Figures").

- No code line wider than 88 columns (the HTML code column shows about 88 characters at 1400 px).
- No printed output line wider than 88 columns (a wider line is cut off in the HTML column and
  hides numbers; the browser test tests/browser/test_reading.py checks the rendered boxes too).
- Plotting and bookkeeping cells are folded: a chapter has at least one ``hide-input`` cell.
- ``nuemcore.plotting.book_style`` gives >= 9 pt fonts at display size and >= 1.4x pixels.

Every check runs strictly on every notebook of the toc (README "Writing a chapter").
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from check_toc import listed_files  # noqa: E402

MAX_COLUMNS = 88
NOTEBOOKS = [p for p in listed_files()[0] if p.suffix == ".ipynb"]


def _param(path, check):
    return pytest.param(path, id=path.stem)


def _params(check):
    return [_param(p, check) for p in NOTEBOOKS]


def _code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def wide_code_lines(path, limit=MAX_COLUMNS):
    """(cell index, line number, width) of code lines wider than ``limit``."""
    return [(i, n + 1, len(line)) for i, c in _code_cells(path)
            for n, line in enumerate(c.source.splitlines()) if len(line) > limit]


def _printed_text(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    data = output.get("data", {})
    if "text/html" in data or "text/markdown" in data or "image/png" in data:
        return ""   # rendered as HTML/Markdown/an image, not as a printed block
    return data.get("text/plain", "")


def wide_output_lines(path, limit=MAX_COLUMNS):
    """(cell index, width, start of the line) of printed output lines wider than ``limit``."""
    out = []
    for i, c in _code_cells(path):
        for o in c.get("outputs", []):
            for line in _printed_text(o).splitlines():
                if len(line) > limit:
                    out.append((i, len(line), line[:50]))
    return out


def folded_cells(path):
    return [i for i, c in _code_cells(path)
            if {"hide-input", "hide-cell", "remove-input"} & set(c.metadata.get("tags", []))]


def test_toc_has_notebooks():
    assert NOTEBOOKS, "no notebook in _toc.yml"


@pytest.mark.parametrize("path", _params("code_width"))
def test_code_lines_fit_the_column(path):
    wide = wide_code_lines(path)
    assert not wide, f"{len(wide)} code lines wider than {MAX_COLUMNS} columns (cell, line, width): {wide[:5]}"


@pytest.mark.parametrize("path", _params("output_width"))
def test_printed_outputs_fit_the_column(path):
    wide = wide_output_lines(path)
    assert not wide, f"{len(wide)} printed lines wider than {MAX_COLUMNS} columns: {wide[:3]}"


@pytest.mark.parametrize("path", _params("folded"))
def test_plotting_code_is_folded(path):
    assert folded_cells(path), "no cell tagged hide-input: fold plotting and bookkeeping code"


def test_style_helpers_detect_wide_lines(tmp_path):
    """The checkers find what they should (so that a passing test means something)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1\n" + "y = " + "1" * 100)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a" * 89 + "\nshort\n")]
    nb.cells = [cell, nbformat.v4.new_code_cell("z = 2", metadata={"tags": ["hide-input"]})]
    path = tmp_path / "t.ipynb"
    nbformat.write(nb, path)
    assert wide_code_lines(path) == [(0, 2, 104)]
    assert [w for _, w, _ in wide_output_lines(path)] == [89]
    assert folded_cells(path) == [1]


def test_book_style_is_sharp_and_legible():
    mpl = pytest.importorskip("matplotlib")
    from nuemcore import plotting
    from nuemcore.errors import NuemError

    saved = dict(mpl.rcParams)
    try:
        params = plotting.book_style()
        width_px = params["figure.figsize"][0] * params["figure.dpi"]
        assert width_px <= 784, "a full-width figure must fit the 784 px column at 1x"
        # retina export doubles the pixels; savefig.dpi is the 2x value for files
        assert params["savefig.dpi"] / params["figure.dpi"] >= 1.4
        for key in ("font.size", "axes.labelsize", "legend.fontsize", "xtick.labelsize",
                    "ytick.labelsize", "axes.titlesize"):
            assert mpl.rcParams[key] >= 9, key
        with pytest.raises(NuemError, match="legend.fontsize"):
            plotting.book_style(**{"legend.fontsize": 6})
    finally:
        mpl.rcParams.update(saved)


def test_legend_below_collects_every_label():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("agg")
    import matplotlib.pyplot as plt

    from nuemcore import plotting

    fig, axes = plt.subplots(1, 2, layout="constrained")
    for k in range(6):
        axes[k % 2].plot([0, 1], [k, k + 1], label=f"curve {k}")
    axes[0].plot([0, 1], [0, 1], label="curve 0")   # a repeated label is shown once
    leg = plotting.legend_below(axes, ncol=3)
    assert [t.get_text() for t in leg.get_texts()] == [f"curve {k}" for k in (0, 2, 4, 1, 3, 5)]
    assert axes[0].get_legend() is None
    plt.close(fig)
