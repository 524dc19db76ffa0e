"""Explorers: one computation, two front ends (static HTML page and live Jupyter kernel).

An *explorer* lets a reader move a few controls and see a figure and some printed numbers change.
It is defined once, in the chapter's analysis module, by

* a **pure function** ``f(**controls) -> dict`` returning::

      {"traces": {name: (x, y), ...},       # 1-d arrays, one curve each (x and y of equal length)
       "readouts": {label: float, ...},     # printed numbers, units in the label
       "title": "..."}                      # optional figure title (must name the control values)

  Units are the library's (MeV, cm, s; cm^2, cm^2/MeV; mu_B): say them in ``xlabel``/``ylabel``
  and in the readout labels.  Non-finite y values (or y <= 0 on a log axis) are drawn as gaps.
* an :class:`Explorer` naming that function by its dotted path (``"module:function"``), its
  :class:`Control` s and its axes.

``static(explorer)`` evaluates ``f`` at build time on the product grid of the controls with
``static=True`` (the others stay at their default) and returns a display object whose
``text/html`` is a ``<div class="nuem-explorer">`` with the whole table embedded as JSON
(values rounded to 7 significant digits, i.e. within 5e-7 relative of the library).
``scripts/offline/nuem-explorer.js`` draws it with HTML range inputs and Plotly
(``plotly.js-basic-dist-min``, served from ``_offline/``): moving a control swaps in the
precomputed traces and readouts, with no kernel.  ``live(explorer)`` returns ipywidgets controls
and a Plotly ``FigureWidget`` whose trace data are updated in place (a few ms, no PNG).

How to add an explorer to a chapter
-----------------------------------
1. In ``nuemcore/analyses/<chapter>.py`` write the function and the spec, and register it::

       def explorer_values(mu_log10=-10.0, E_nu=10.0):
           T = ...; sm = ...; bsm = ...
           return {"traces": {"SM": (T, sm), "SM + mu": (T, bsm)},
                   "readouts": {"events / (t yr)": float(n)},
                   "title": f"mu = 1e{mu_log10:g} mu_B, E = {E_nu:.3g} MeV"}

       EXPLORERS = {"<chapter>": Explorer(
           name="<chapter>", function=f"{__name__}:explorer_values",
           controls=(Control("mu_log10", "log10 mu [mu_B]", lin_grid(-12, -8, 17), -10.0),
                     Control("E_nu", "E_nu [MeV]", log_grid(1, 100, 21), 10.0, log=True)),
           xlabel="T [MeV]", ylabel="dsigma/dT [cm^2/MeV]", xlog=True, ylog=True,
           note="The static page covers mu and E_nu; the target and flavour need Jupyter.")}

   Grids: 10-30 steps per control, :func:`log_grid` where the quantity spans decades.  Keep the
   product of the static grid sizes x points per curve small (the embedded JSON is about
   13 bytes per number; aim for < 1 MB per page: e.g. 200 grid points x 3 arrays x 100 points).
   Controls that would blow up the grid get ``static=False``: the live explorer keeps them, the
   static one holds them at their default, and ``note`` says so.  Such a control's ``values`` is
   just ``(default,)`` and its live choices go in ``live``, e.g.
   ``Control("target", "target", ("Xe",), "Xe", static=False, live=("electron", "Xe", "Ar"))``;
   ``live`` can also give a static slider a finer grid in Jupyter.  ``Explorer(yrange=(lo, hi))``
   fixes the y axis (data units) so that curves can be compared between settings.
   The toolkit explorer (``nuemcore/analyses/toolkit.py``, ``EXPLORERS``) is a worked example.
2. In the notebook, one cell ``explorer.static(<module>.EXPLORERS["<chapter>"])`` (tag
   ``nbval-ignore-output``: its HTML is checked against the library by the browser tests) and one
   cell ``explorer.live(<module>.EXPLORERS["<chapter>"])`` (tags ``remove-cell`` and
   ``nbval-ignore-output``).  During the book build (``NUEM_BUILD=1``, set by the Makefile)
   ``live`` creates no widget, so the executed notebook carries no widget state and the page loads
   no widget manager.  Remove the old matplotlib figure of the explorer: the static explorer is
   the figure.
3. Nothing else: ``tests/browser/test_explorers.py`` finds every explorer on every page, and
   ``tests/benchmarks/test_live_explorers.py`` times every registered explorer
   (:func:`registry`).
"""
from __future__ import annotations

import html
import importlib
import itertools
import json
import math
import os
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .errors import NuemError


class ExplorerError(NuemError):
    """An explorer spec or a control value outside what the explorer allows."""


#: significant digits kept in the embedded JSON (relative rounding error <= 5e-7)
DIGITS = 7


def log_grid(lo: float, hi: float, n: int) -> tuple[float, ...]:
    """``n`` log-spaced grid values from ``lo`` to ``hi`` (both > 0), rounded to 6 digits."""
    if not (lo > 0 and hi > lo):
        raise ExplorerError(f"log_grid needs 0 < lo < hi; got lo={lo!r}, hi={hi!r}")
    return tuple(float(f"{v:.6g}") for v in np.geomspace(lo, hi, int(n)))


def lin_grid(lo: float, hi: float, n: int) -> tuple[float, ...]:
    """``n`` evenly spaced grid values from ``lo`` to ``hi``, rounded to 6 digits."""
    if not hi > lo:
        raise ExplorerError(f"lin_grid needs lo < hi; got lo={lo!r}, hi={hi!r}")
    return tuple(float(f"{v:.6g}") for v in np.linspace(lo, hi, int(n)))


@dataclass(frozen=True)
class Control:
    """One control of an explorer.

    ``values``: the static grid (numbers: a slider; strings: a drop-down); ``default`` must be one
    of them.  ``log``: the quantity spans decades (the grid should be log-spaced; the label of the
    value is printed in ``fmt``).  ``static=False``: only the live explorer offers the control.
    ``live``: the live widget's values if they differ from the static grid (a finer sequence of
    numbers, or other options).
    """

    name: str
    label: str
    values: tuple
    default: Any
    log: bool = False
    fmt: str = ".3g"
    static: bool = True
    live: tuple | None = None

    def __post_init__(self):
        if self.default not in self.values:
            raise ExplorerError(f"control {self.name!r}: default={self.default!r} is not in its "
                                f"grid {list(self.values)!r}")
        if self.static and self.numeric and not 10 <= len(self.values) <= 30:
            raise ExplorerError(f"control {self.name!r}: a static slider needs 10-30 steps; "
                                f"got {len(self.values)}")

    @property
    def numeric(self) -> bool:
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in self.values)

    def text(self, v) -> str:
        return format(v, self.fmt) if self.numeric else str(v)


@dataclass(frozen=True)
class Explorer:
    """An explorer: the dotted path of its pure function, its controls and its axes.

    ``note``: the one line the page shows under the static explorer (what it covers; the full
    explorer runs in Jupyter).  ``name`` is unique in the book (used as HTML id and in tests).
    """

    name: str
    function: str
    controls: tuple[Control, ...]
    xlabel: str
    ylabel: str
    xlog: bool = False
    ylog: bool = False
    note: str = ""
    height: int = 420
    yrange: tuple | None = None  # fixed y range (in data units), else autoscale

    def __post_init__(self):
        if ":" not in self.function:
            raise ExplorerError(f"explorer {self.name!r}: function={self.function!r} must be "
                                "'package.module:function'")
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ExplorerError(f"explorer {self.name!r}: duplicate control names {names!r}")

    def func(self) -> Callable[..., dict]:
        mod, attr = self.function.split(":")
        return getattr(importlib.import_module(mod), attr)

    @property
    def static_controls(self) -> tuple[Control, ...]:
        return tuple(c for c in self.controls if c.static)

    def defaults(self) -> dict:
        return {c.name: c.default for c in self.controls}

    def evaluate(self, **settings) -> dict:
        """``f`` at the defaults overridden by ``settings``; checked for the documented shape."""
        unknown = set(settings) - {c.name for c in self.controls}
        if unknown:
            raise ExplorerError(f"explorer {self.name!r}: unknown control(s) {sorted(unknown)!r}")
        out = self.func()(**{**self.defaults(), **settings})
        if not isinstance(out, dict) or "traces" not in out:
            raise ExplorerError(f"explorer {self.name!r}: {self.function} must return a dict "
                                f"with 'traces'; got {type(out).__name__}")
        return out

    def grid_size(self) -> int:
        return math.prod(len(c.values) for c in self.static_controls)


def _num(v):
    """A float rounded to :data:`DIGITS` significant digits, or None (a gap) if not finite."""
    v = float(v)
    return float(f"{v:.{DIGITS - 1}e}") if math.isfinite(v) else None


def _arr(a, positive=False):
    a = np.asarray(a, dtype=float).ravel()
    return [None if (positive and not x > 0) else _num(x) for x in a]


def _point(ex: Explorer, out: dict, xpool: dict) -> dict:
    traces = out["traces"]
    xs = []
    for x, _ in traces.values():  # x arrays shared between settings are stored once
        key = json.dumps(_arr(x))
        xs.append(xpool.setdefault(key, len(xpool)))
    return {"x": xs,
            "y": [_arr(y, positive=ex.ylog) for _, y in traces.values()],
            "r": [_num(v) for v in out.get("readouts", {}).values()],
            "t": out.get("title", "")}


def spec(ex: Explorer) -> dict:
    """The JSON spec the page embeds: controls, grid and, per grid point (C order over the static
    controls), the x (an index into ``xs``, the distinct x arrays) and y of every trace, the
    readouts and the title."""
    st = ex.static_controls
    first = ex.evaluate()
    points, xpool = [], {}
    for combo in itertools.product(*(c.values for c in st)):
        out = ex.evaluate(**dict(zip((c.name for c in st), combo)))
        if list(out["traces"]) != list(first["traces"]):
            raise ExplorerError(f"explorer {ex.name!r}: the traces must be the same at every "
                                f"setting; got {list(out['traces'])} at {combo!r}")
        points.append(_point(ex, out, xpool))
    return {
        "name": ex.name, "function": ex.function,
        "controls": [{"name": c.name, "label": c.label, "values": list(c.values),
                      "text": [c.text(v) for v in c.values],
                      "index": list(c.values).index(c.default)} for c in st],
        "fixed": {c.name: c.default for c in ex.controls if not c.static},
        "traces": list(first["traces"]), "readouts": list(first.get("readouts", {})),
        "xlabel": ex.xlabel, "ylabel": ex.ylabel, "xlog": ex.xlog, "ylog": ex.ylog,
        "yrange": list(ex.yrange) if ex.yrange else None, "height": ex.height,
        "xs": [json.loads(k) for k in xpool], "points": points,
    }


class StaticExplorer:
    """Display object of :func:`static`: ``text/html`` for the book, a short ``text/plain``."""

    def __init__(self, ex: Explorer):
        self.explorer = ex
        self.spec = spec(ex)

    def html(self) -> str:
        data = json.dumps(self.spec, separators=(",", ":"), allow_nan=False)
        data = data.replace("</", "<\\/")  # never close the script tag early
        note = html.escape(self.explorer.note)
        return (f'<div class="nuem-explorer" id="nuem-explorer-{html.escape(self.explorer.name)}" '
                f'data-explorer="{html.escape(self.explorer.name)}">'
                f'<script type="application/json" class="nuem-explorer-spec">{data}</script>'
                f'<p class="nuem-explorer-note"><em>{note}</em></p></div>')

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        c = self.spec["controls"]
        return (f"<static explorer {self.explorer.name!r}: "
                + " x ".join(f"{x['name']} ({len(x['values'])})" for x in c)
                + f" = {len(self.spec['points'])} settings>")


def static(ex: Explorer) -> StaticExplorer:
    """The static (kernel-free) explorer for the book page: see the module docstring."""
    return StaticExplorer(ex)


def in_build() -> bool:
    """True while the book is built (``NUEM_BUILD`` set): no widget may be created then."""
    return bool(os.environ.get("NUEM_BUILD"))


class LiveExplorer:
    """ipywidgets controls + a Plotly ``FigureWidget`` updated in place (Jupyter only).

    ``update(**settings)`` recomputes ``f`` and replaces the trace data, the readouts and the
    title in one ``batch_update``: no new figure is drawn."""

    def __init__(self, ex: Explorer):
        import ipywidgets as W
        import plotly.graph_objects as go

        self.explorer = ex
        out = ex.evaluate()
        self.fig = go.FigureWidget()
        for name, (x, y) in out["traces"].items():
            self.fig.add_scatter(x=np.asarray(x), y=self._y(y), mode="lines", name=name)
        self.fig.update_layout(
            height=ex.height, margin=dict(l=70, r=20, t=50, b=55), title=out.get("title", ""),
            xaxis=dict(title=ex.xlabel, type="log" if ex.xlog else "linear"),
            yaxis=dict(title=ex.ylabel, type="log" if ex.ylog else "linear",
                       exponentformat="power",
                       **({"range": [math.log10(v) if ex.ylog else v for v in ex.yrange]}
                          if ex.yrange else {})))
        self.widgets = {}
        for c in ex.controls:
            vals = tuple(c.live or c.values)
            if all(isinstance(v, (int, float)) for v in vals):
                w = W.SelectionSlider(options=[(c.text(v), v) for v in vals], value=c.default,
                                      description=c.label, continuous_update=True,
                                      style={"description_width": "initial"},
                                      layout=W.Layout(width="480px"))
            else:
                w = W.Dropdown(options=list(vals), value=c.default, description=c.label,
                               style={"description_width": "initial"})
            w.observe(self._changed, names="value")
            self.widgets[c.name] = w
        self.readouts = W.HTML(self._readout_html(out))
        self.widget = W.VBox([*self.widgets.values(), self.fig, self.readouts])

    def _y(self, y):
        y = np.asarray(y, dtype=float)
        return np.where(y > 0, y, np.nan) if self.explorer.ylog else y

    @staticmethod
    def _readout_html(out) -> str:
        return "<br>".join(f"{html.escape(k)}: {v:.4g}" for k, v in out.get("readouts", {}).items())

    def _changed(self, _change=None):
        self.update(**{k: w.value for k, w in self.widgets.items()})

    def update(self, **settings) -> dict:
        out = self.explorer.evaluate(**settings)
        with self.fig.batch_update():
            for tr, (x, y) in zip(self.fig.data, out["traces"].values()):
                tr.x = np.asarray(x)
                tr.y = self._y(y)
            self.fig.layout.title.text = out.get("title", "")
        self.readouts.value = self._readout_html(out)
        return out

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)


class _BuildNote:
    def __init__(self, ex: Explorer):
        # short: printed outputs stay within the book's 88 columns
        self.text = f"(live explorer {ex.name!r}: needs a Jupyter kernel)"

    def __repr__(self):
        return self.text


def live(ex: Explorer):
    """The live explorer (ipywidgets + Plotly FigureWidget) in a Jupyter kernel; during the book
    build (:func:`in_build`) only a one-line note, so no widget state is stored."""
    if in_build():
        return _BuildNote(ex)
    return LiveExplorer(ex)


def registry() -> dict[str, Explorer]:
    """Every explorer of the book: the ``EXPLORERS`` dicts of the ``nuemcore.analyses`` modules."""
    from . import analyses

    found: dict[str, Explorer] = {}
    for mod in pkgutil.iter_modules(analyses.__path__):
        m = importlib.import_module(f"{analyses.__name__}.{mod.name}")
        for name, ex in getattr(m, "EXPLORERS", {}).items():
            if name in found:
                raise ExplorerError(f"explorer name {name!r} registered twice")
            found[name] = ex
    return found


def settings_at(ex: Explorer, indices: Sequence[int]) -> dict:
    """Control values at grid indices (one per static control), fixed controls at default."""
    st = ex.static_controls
    if len(indices) != len(st):
        raise ExplorerError(f"explorer {ex.name!r}: indices={list(indices)!r} needs one index "
                            f"per static control ({len(st)})")
    return {**ex.defaults(), **{c.name: c.values[i] for c, i in zip(st, indices)}}
