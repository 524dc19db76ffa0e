"""One figure style for the book, and small helpers for exclusion plots.

Usage in a chapter::

    from nuemcore import plotting
    plotting.use_style()
    fig, ax = plt.subplots()
    plotting.exclusion_plot(ax, {"FLArE-10": (m4, mu)}, existing_bounds={"Borexino": (x, y)},
                            xlabel="$m_4$ [MeV]", ylabel=r"$\\mu$ [$\\mu_B$]")
    plt.show()

Matplotlib is imported lazily so that ``nuemcore`` itself does not need it.
"""
from __future__ import annotations

import numpy as np

__all__ = ["STYLE", "use_style", "exclusion_plot", "set_log_axes", "decade_ticks"]

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
