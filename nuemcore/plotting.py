"""One figure style for the book, and small helpers for exclusion plots.

Usage in a chapter::

    from nuemcore import plotting
    plotting.use_style()
    fig, ax = plt.subplots()
    plotting.exclusion_plot(ax, {"FLArE-10": (m4, mu)}, existing_bounds={"Borexino": (x, y)},
                            xlabel="$m_4$ [MeV]", ylabel=r"$\\mu$ [$\\mu_B$]")
    plt.show()

Matplotlib is imported lazily so that ``nuemcore`` itself does not need it.

The book style (:func:`book_style`, README "Writing a chapter") is the one chapters use for the
HTML book: a figure as wide as the 784 px text column (:data:`BOOK_WIDTH_IN` inches at 100 dpi
gives 750 px), exported as a pixel-doubled PNG ("retina": 2x natural-to-displayed pixels, the
displayed width stored in the output metadata, which myst-nb honours) or as SVG, with fonts of
9 pt or more at display size and legends that can go below the axes (:func:`legend_below`).
:data:`STYLE` / :func:`use_style` are the older, smaller style, kept until every chapter has
moved (changing them would change every committed ``<Figure size ...>`` output).
"""
from __future__ import annotations

import numpy as np

__all__ = ["STYLE", "use_style", "BOOK_STYLE", "BOOK_WIDTH_IN", "book_style", "legend_below",
           "exclusion_plot", "set_log_axes", "decade_ticks"]

#: rcParams of the book (small figures, dpi 90, light grid)
STYLE = {
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "figure.figsize": (6.0, 4.0),
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 8,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linestyle": ":",
    "lines.linewidth": 1.6,
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
}


#: width of a full-column figure, inches.  At figure.dpi 100 this is 750 CSS px: it fits the
#: 784 px content column of the book at 1x, so fonts are shown at their nominal size.
BOOK_WIDTH_IN = 7.5

#: rcParams of the book style: full-column width, fonts >= 9 pt at display size
BOOK_STYLE = {
    "figure.dpi": 100,            # displayed CSS px per inch; the PNG itself is 2x (retina)
    "savefig.dpi": 200,
    "figure.figsize": (BOOK_WIDTH_IN, 4.5),
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.title_fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linestyle": ":",
    "lines.linewidth": 1.8,
    "legend.frameon": False,
    "figure.constrained_layout.use": True,
    "svg.fonttype": "path",       # SVG text as paths: identical in every browser
    "svg.hashsalt": "nuem",       # deterministic SVG ids
}

#: smallest font size (pt, at display size) the book style allows; tests check rcParams against it
MIN_FONT_PT = 9.0


def book_style(svg=False, **overrides):
    """Apply the book's HTML figure style and choose the inline export format.

    svg : bool
        False (default): pixel-doubled PNG ("retina", 2x natural-to-displayed pixels).  True:
        SVG, for light figures (a few curves; a dense scatter or image makes SVG heavy).
    overrides : rcParams to change on top of :data:`BOOK_STYLE` (for example a taller
        ``figure.figsize``; keep the width :data:`BOOK_WIDTH_IN` or pass ``:width:`` in the
        ``{glue:figure}`` directive).

    Returns the rcParams dict that was applied.  A font size below :data:`MIN_FONT_PT` raises
    :class:`nuemcore.errors.NuemError` naming the rcParam, its value and the minimum.  Outside
    IPython (plain scripts, tests) only the rcParams change.
    """
    import matplotlib as mpl

    from .errors import NuemError

    params = {**BOOK_STYLE, **overrides}
    for key in ("font.size", "axes.labelsize", "axes.titlesize", "legend.fontsize",
                "xtick.labelsize", "ytick.labelsize"):
        val = params[key]
        if isinstance(val, (int, float)) and val < MIN_FONT_PT:
            raise NuemError(f"book_style: {key}={val!r} pt is below the book's minimum "
                             f"{MIN_FONT_PT} pt at display size")
    mpl.rcParams.update(params)
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython is in requirements.txt
        return params
    if get_ipython() is not None:
        if svg:
            # no timestamp and fixed element ids: the SVG text is the same at every run (nbval)
            mpl.rcParams["svg.hashsalt"] = "nuem"
            set_matplotlib_formats("svg", metadata={"Date": None})
        else:
            set_matplotlib_formats("retina")
    return params


def legend_below(ax, ncol=3, **kwargs):
    """One legend for the labelled artists of ``ax`` (an Axes or a list of Axes), placed below
    the axes outside the data, in ``ncol`` columns: for legends of more than about five entries,
    which would otherwise hide curves.  Needs constrained layout (on in the book style).
    Returns the legend."""
    axes = list(np.atleast_1d(ax))
    handles, labels = [], []
    for a in axes:
        h, lab = a.get_legend_handles_labels()
        for hh, ll in zip(h, lab):
            if ll not in labels:
                handles.append(hh)
                labels.append(ll)
    for a in axes:
        if a.get_legend() is not None:
            a.get_legend().remove()
    kwargs.setdefault("loc", "outside lower center")
    return axes[0].figure.legend(handles, labels, ncol=ncol, **kwargs)


def use_style(**overrides):
    """Apply the book's figure style (:data:`STYLE`, plus ``overrides``) to matplotlib rcParams."""
    import matplotlib as mpl

    mpl.rcParams.update({**STYLE, **overrides})


def set_log_axes(ax, x=True, y=True):
    """Log-scale the chosen axes (with minor-grid lines off to keep plots light)."""
    if x:
        ax.set_xscale("log")
    if y:
        ax.set_yscale("log")
    ax.grid(True, which="major")
    ax.grid(False, which="minor")
    return ax


def decade_ticks(lo, hi):
    """Powers of ten covering [lo, hi] (for explicit log ticks)."""
    if lo <= 0 or hi <= lo:
        raise ValueError("decade_ticks needs 0 < lo < hi")
    return 10.0 ** np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)


def exclusion_plot(ax, curves, existing_bounds=None, xlabel=None, ylabel=None, log=True,
                   bound_color="0.8", bound_top=None, styles=None, legend=True):
    r"""Draw exclusion curves on ``ax``.

    curves : {label: (x, y)} our limits (lines; NaN/inf points are skipped).
    existing_bounds : {label: (x, y)} shaded as excluded *above* the curve (grey, up to
        ``bound_top``, default the top of the plotted range).
    styles : {label: dict of plot kwargs} per curve.
    Returns ``ax``.
    """
    styles = styles or {}
    tops = []
    for lab, (x, y) in curves.items():
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        ax.plot(x[ok], y[ok], label=lab, **styles.get(lab, {}))
        if ok.any():
            tops.append(np.max(y[ok]))
    if existing_bounds:
        top = bound_top
        if top is None:
            allv = tops + [np.nanmax(np.asarray(v[1], dtype=float)) for v in existing_bounds.values()]
            top = (10 * max(allv)) if log else 1.1 * max(allv)
        for lab, (x, y) in existing_bounds.items():
            x = np.asarray(x, dtype=float)
            y = np.asarray(y, dtype=float)
            ax.fill_between(x, y, top, color=bound_color, alpha=0.6, lw=0, label=lab,
                            **styles.get(lab, {}))
    if log:
        set_log_axes(ax)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if legend and (curves or existing_bounds):
        ax.legend()
    return ax
