r"""Detectors and their response: targets, exposure, threshold, efficiency, quenching, resolution.

An experiment is declarative data with its citation inside it (:class:`Detector`).  Its response
on a fixed true-recoil grid is a matrix built once (:class:`Response`, :func:`response_matrix`):

.. math::

    N_i = n_{\rm targets}\, \varepsilon_{\rm exp} \sum_j R_{ij}\, \frac{dR}{dT}(T_j),\qquad
    R_{ij} = \int dT\; h_j(T)\; \epsilon_{\rm true}(T)\;
        \int_{\max(b_i,\,E_{\rm thr})}^{b_{i+1}} dE\; \epsilon_{\rm obs}(E)\; G\big(E \,|\, Q(T)\big)

where :math:`h_j` is the linear "hat" function of node :math:`T_j` (the spectrum is taken piecewise
linear on the true grid), :math:`Q` the quenching (true recoil -> mean visible energy or mean
photo-electron number), :math:`G` the resolution kernel (Gaussian of width
:math:`\sigma(Q(T))`, integrated **exactly** over each bin with ``erf``; or Poisson photo-electron
statistics; or a delta function without resolution), :math:`b_i` the bin edges in observed
units, :math:`E_{\rm thr}` the threshold in observed units and :math:`\epsilon` the efficiency,
applied either to the true recoil (``efficiency_on="true"``) or to the observed quantity
(``efficiency_on="observed"``; e.g. XENON efficiencies in reconstructed energy, COHERENT CsI in PE).

Units: ``T_grid`` in MeV (true recoil); ``bins`` and ``threshold`` in the observed unit (MeV of
visible energy, keVee expressed in MeV, or number of photo-electrons: whatever ``quenching``
returns; without quenching it is MeV of recoil).  ``R`` contains the integration weights in MeV,
so ``R @ dRdT`` with dR/dT in [per target per U per MeV] gives counts per target per U per bin.

The T integral is done with Gauss-Legendre on each cell of ``T_grid``, with the cells split at the
true energies where the kernel jumps (preimages of the bin edges and threshold when there is no
resolution, and user ``breakpoints`` such as efficiency steps), so a step-function kernel is
integrated exactly.  With perfect efficiency, no threshold and bins covering the quenched range,
the columns of R sum to the hat-function integrals: counts are conserved (tested).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, Sequence, Union

import numpy as np
from scipy.special import erf
from scipy.stats import poisson

from .errors import GridError, NuemError
from ._validate import efficiency as efficiency_values
from ._validate import nonnegative

__all__ = ["Detector", "Response", "response_matrix", "hat_overlap", "hat_weights"]

_SQRT2 = np.sqrt(2.0)


def _grid(name, x):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2 or np.any(np.diff(x) <= 0) or not np.isfinite(x).all():
        raise GridError(f"{name} must be a finite 1-D strictly ascending array of >= 2 values, "
                        f"got {np.array2string(np.ravel(x)[:6], precision=4)}"
                        f"{' ...' if np.size(x) > 6 else ''}")
    return x


def hat_overlap(T_grid, bins):
    """Matrix (n_bins, n_T): integral over each bin [bins[i], bins[i+1]] of the piecewise-linear
    hat basis function of each node of ``T_grid`` [MeV].  ``H @ y`` integrates a piecewise-linear
    y exactly over each bin (bins outside the grid get 0)."""
    t = _grid("T_grid", T_grid)
    b = _grid("bins", bins)
    lo_c, hi_c = t[:-1], t[1:]
    h = hi_c - lo_c
    a = np.clip(b[:-1, None], lo_c[None, :], hi_c[None, :])  # (n_bins, n_cells)
    c = np.clip(b[1:, None], lo_c[None, :], hi_c[None, :])
    # int_a^c (hi - x)/h dx and int_a^c (x - lo)/h dx
    left = ((hi_c - a) ** 2 - (hi_c - c) ** 2) / (2 * h)
    right = ((c - lo_c) ** 2 - (a - lo_c) ** 2) / (2 * h)
    H = np.zeros((b.size - 1, t.size))
    H[:, :-1] += left
    H[:, 1:] += right
    return H


def hat_weights(T_grid):
    """Trapezoid weights [MeV] of ``T_grid``: the integral of each hat function."""
    t = _grid("T_grid", T_grid)
    return hat_overlap(t, t[[0, -1]])[0]


def _invert_monotone(f, y, lo, hi, n_iter=60):
    """Vectorised bisection: x in [lo, hi] with f(x) = y for increasing f (clipped to [lo, hi])."""
    y = np.asarray(y, dtype=float)
    a = np.full(y.shape, lo, dtype=float)
    b = np.full(y.shape, hi, dtype=float)
    for _ in range(n_iter):
        m = 0.5 * (a + b)
        below = np.asarray(f(m), dtype=float) < y
        a = np.where(below, m, a)
        b = np.where(below, b, m)
    return 0.5 * (a + b)


def _call(fn, x):
    out = np.asarray(fn(x), dtype=float)
    return np.broadcast_to(out, np.shape(x)) if out.shape != np.shape(x) else out


def _eff(fn, x):
    """Efficiency values of the callable ``fn`` at ``x``, checked to lie in [0, 1]."""
    return efficiency_values("efficiency", _call(fn, x))


def response_matrix(T_grid, bins, resolution=None, quenching=None, efficiency=None, threshold=None,
                    efficiency_on="true", n_gauss=4, n_sub=1, breakpoints=None, n_obs_sub=16,
                    outside="error"):
    r"""Response matrix R (n_bins, n_T) [MeV] mapping dR/dT on ``T_grid`` to counts per bin.

    Parameters
    ----------
    T_grid : ascending true-recoil grid [MeV]; the spectrum is treated as piecewise linear on it.
    bins : ascending bin edges in observed units (see module docstring).
    resolution : None | callable | "poisson"
        None: no smearing (observed = Q(T)); callable ``sigma(E)`` [observed units] of the mean
        observed value E = Q(T): Gaussian integrated exactly over each bin with erf;
        "poisson": observed = integer photo-electron number n ~ Poisson(Q(T)); a bin
        [b_i, b_{i+1}) contains the integers b_i <= n < b_{i+1}.
    quenching : None | callable ``Q(T)``: true recoil [MeV] -> mean observed value; must be
        non-decreasing (used to place the bin-edge breakpoints).
    efficiency : None | callable of true recoil (``efficiency_on="true"``) or of the observed
        value (``efficiency_on="observed"``), values in [0, 1].  With a Gaussian resolution and
        an observed-energy efficiency the efficiency is interpolated linearly between
        ``n_obs_sub`` + 1 points per bin and that piecewise-linear function is integrated exactly
        against the Gaussian (erf and pdf terms).
    threshold : None or lower cut on the observed value (same units as bins); observed values
        below it are dropped (bins partially above it keep their upper part).  None: no cut (a
        Gaussian tail below 0 is kept if the first bin edge is negative).
    n_gauss, n_sub : Gauss-Legendre points per sub-cell and sub-cells per T_grid cell.
    breakpoints : extra true energies [MeV] where the kernel jumps (e.g. an efficiency step).
    outside : "error" (default) or "zero".  Without resolution, a bin (above the threshold) that
        reaches beyond the top of the quenched true grid Q(T_grid[-1]) would silently receive no
        counts from the part outside the grid: that is a GridError unless ``outside="zero"``
        declares the spectrum to be zero there (e.g. a grid ending at the kinematic endpoint).

    Efficiency values (also those returned by the callable) must lie in [0, 1]
    (:class:`~nuemcore.errors.OutOfRangeError`: a percentage such as 90 is refused).
    """
    if outside not in ("error", "zero"):
        raise NuemError(f"outside must be 'error' or 'zero', got {outside!r}")
    t = _grid("T_grid", T_grid)
    nonnegative("T_grid", t)
    b = _grid("bins", bins)
    thr = -np.inf if threshold is None else float(threshold)
    if efficiency_on not in ("true", "observed"):
        raise NuemError("efficiency_on must be 'true' or 'observed'")
    Q = (lambda x: np.asarray(x, dtype=float)) if quenching is None else (lambda x: _call(quenching, x))
    # --- sub-grid of the true energy -------------------------------------------------------------
    cuts = [t]
    if n_sub > 1:
        frac = np.linspace(0, 1, int(n_sub) + 1)[1:-1]
        cuts.append((t[:-1, None] + np.diff(t)[:, None] * frac[None, :]).ravel())
    if breakpoints is not None:
        cuts.append(np.asarray(breakpoints, dtype=float).ravel())
    if threshold is not None and not np.isfinite(thr):
        raise NuemError(f"threshold must be finite (observed units) or None, got {threshold!r}")
    if resolution is None:
        obs_edges = b if not np.isfinite(thr) else np.append(b, thr)
        q_lo, q_hi = Q(np.array([t[0], t[-1]]))
        if outside == "error" and b[-1] > q_hi * (1 + 1e-12) and b[-1] > thr:
            raise GridError(
                f"bins reach {b[-1]:g} (observed units) beyond the top of the true grid "
                f"(Q(T_grid[-1]) = {q_hi:g}): counts there would be lost silently; extend T_grid "
                f"or pass outside='zero' if the spectrum is zero beyond the grid")
        inside = (obs_edges > q_lo) & (obs_edges < q_hi)
        if np.any(inside):
            if quenching is None:
                cuts.append(obs_edges[inside])
            else:
                cuts.append(_invert_monotone(Q, obs_edges[inside], t[0], t[-1]))
    sub = np.unique(np.concatenate(cuts))
    sub = sub[(sub >= t[0]) & (sub <= t[-1])]
    x, w = np.polynomial.legendre.leggauss(int(n_gauss))
    lo, hi = sub[:-1], sub[1:]
    tq = (0.5 * (lo + hi)[:, None] + 0.5 * (hi - lo)[:, None] * x[None, :]).ravel()
    wq = (0.5 * (hi - lo)[:, None] * w[None, :]).ravel()
    # hat functions of the original grid at the nodes
    k = np.clip(np.searchsorted(t, tq, side="right") - 1, 0, t.size - 2)
    hr = (tq - t[k]) / (t[k + 1] - t[k])
    hl = 1.0 - hr
    # --- kernel P(bin i | T) at the nodes: (n_bins, n_q) ------------------------------------------
    mean = Q(tq)
    lo_b = np.maximum(b[:-1], thr)
    hi_b = b[1:]
    valid = hi_b > lo_b
    if resolution is None:
        K = ((mean[None, :] >= lo_b[:, None]) & (mean[None, :] < hi_b[:, None]) & valid[:, None]).astype(float)
        if efficiency is not None and efficiency_on == "observed":
            K = K * _eff(efficiency, mean)[None, :]
    elif isinstance(resolution, str):
        if resolution != "poisson":
            raise NuemError(f"unknown resolution {resolution!r}; use None, a callable or 'poisson'")
        n_max = int(np.ceil(b[-1]))
        n = np.arange(0, n_max + 1)
        n_in = (n[None, :] >= lo_b[:, None]) & (n[None, :] < hi_b[:, None])          # (n_bins, n_n)
        pmf = poisson.pmf(n[:, None], np.maximum(mean, 0.0)[None, :])                  # (n_n, n_q)
        if efficiency is not None and efficiency_on == "observed":
            pmf = pmf * _eff(efficiency, n.astype(float))[:, None]
        K = n_in.astype(float) @ pmf
    else:
        sig = _call(resolution, mean)
        if np.any(sig < 0) or np.any(np.isnan(sig)):
            raise NuemError("resolution sigma must be >= 0")
        if efficiency is not None and efficiency_on == "observed":
            # efficiency linear between n_obs_sub + 1 points per bin, integrated exactly against
            # the Gaussian: int_a^b (e_a + s (E - a)) G dE = e_a dPhi + s [sig^2 (g(a) - g(b))
            # + (m - a) dPhi], g = Gaussian pdf
            m = int(n_obs_sub)
            fr = np.linspace(0, 1, m + 1)
            lo_f = np.where(np.isfinite(lo_b), lo_b, np.minimum(hi_b, 0.0) - 50 * sig.max() - 1.0)
            e_sub = lo_f[:, None] + (hi_b - lo_f)[:, None] * fr[None, :]            # (n_bins, m+1)
            X, Mq, Sq = e_sub[:, :, None], mean[None, None, :], sig[None, None, :]
            cdf = _gauss_cdf(X, Mq, Sq)
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                pdf_s2 = np.where(Sq > 0, Sq / np.sqrt(2 * np.pi)
                                  * np.exp(-0.5 * ((X - Mq) / np.where(Sq > 0, Sq, 1.0)) ** 2), 0.0)
            dphi = np.diff(cdf, axis=1)                                               # (b, m, q)
            first = pdf_s2[:, :-1, :] - pdf_s2[:, 1:, :]                              # sig^2 (g(a)-g(b))
            ev = _eff(efficiency, e_sub)                                             # (b, m+1)
            h = np.diff(e_sub, axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                slope = np.where(h > 0, np.diff(ev, axis=1) / np.where(h > 0, h, 1.0), 0.0)
            a = e_sub[:, :-1]
            K = (np.einsum("bm,bmq->bq", ev[:, :-1], dphi)
                 + np.einsum("bm,bmq->bq", slope, first + (Mq - a[:, :, None]) * dphi))
        else:
            K = (_gauss_cdf(hi_b[:, None], mean[None, :], sig[None, :])
                 - _gauss_cdf(lo_b[:, None], mean[None, :], sig[None, :]))
        K = np.where(valid[:, None], K, 0.0)
    if efficiency is not None and efficiency_on == "true":
        K = K * _eff(efficiency, tq)[None, :]
    # --- assemble R = K diag(w) H --------------------------------------------------------------
    R = np.zeros((b.size - 1, t.size))
    Kw = K * wq[None, :]
    np.add.at(R.T, k, (Kw * hl[None, :]).T)
    np.add.at(R.T, k + 1, (Kw * hr[None, :]).T)
    return R


def _gauss_cdf(x, mean, sig):
    """Gaussian CDF; sig = 0 -> step function (x > mean)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - mean) / (_SQRT2 * sig)
    step = np.where(x > mean, 1.0, np.where(x == mean, 0.5, 0.0))
    return np.where(sig > 0, 0.5 * (1.0 + erf(np.where(sig > 0, z, 0.0))), step)


@dataclass(frozen=True, eq=False)
class Response:
    """A response matrix built once on a fixed true-recoil grid.

    ``matrix`` (n_bins, n_T) [MeV]; ``T_grid`` [MeV]; ``bins`` (observed units).
    ``fold(dRdT)`` -> counts per target per U per bin; ``counts(dRdT, n_targets, exposure)``.
    """
    T_grid: np.ndarray
    bins: np.ndarray
    matrix: np.ndarray

    def fold(self, dRdT):
        """R @ dRdT over the last axis: counts per target per U per bin."""
        return np.einsum("ij,...j->...i", self.matrix, np.asarray(dRdT, dtype=float))

    def counts(self, dRdT, n_targets, exposure):
        """Counts per bin: n_targets * exposure * R @ dRdT."""
        return float(n_targets) * float(exposure) * self.fold(dRdT)

    @property
    def bin_centres(self):
        return 0.5 * (self.bins[1:] + self.bins[:-1])


def _key(arr):
    arr = np.ascontiguousarray(np.asarray(arr, dtype=float))
    return (arr.shape, hashlib.sha1(arr.tobytes()).hexdigest())


@dataclass(frozen=True, eq=False)
class Detector:
    """Declarative detector description with its citation inside.

    Attributes
    ----------
    name : str
    targets : {label: number of scatterers}, e.g. {"electrons": 3.3e29} or {"Xe": 2.6e28}
        (per detector, i.e. already multiplied by the fiducial mass).
    exposure : float, in ``exposure_unit``: seconds for solar/reactor fluxes, POT or luminosity
        for accelerator fluxes (the same unit U as the flux normalisation).
    exposure_unit : str, e.g. "s", "POT", "fb^-1".
    threshold : lower cut in observed units (see :func:`response_matrix`).
    efficiency : callable or None; ``efficiency_on`` "true" | "observed".
    quenching : callable true recoil [MeV] -> observed (visible MeV, PE, ...), or None.
    resolution : None | callable sigma(E_obs) | "poisson".
    bins : bin edges in observed units.
    citation : str, where the numbers come from.
    breakpoints : true energies [MeV] where the efficiency jumps (optional).

    ``response(T_grid)`` builds the :class:`Response` once per true grid and caches it on this
    instance (the detector is frozen, so the cache cannot go stale).
    """
    name: str
    targets: Mapping[str, float]
    exposure: float
    bins: Sequence[float]
    exposure_unit: str = "s"
    threshold: Optional[float] = None
    efficiency: Optional[Callable] = None
    efficiency_on: str = "true"
    quenching: Optional[Callable] = None
    resolution: Union[None, Callable, str] = None
    citation: str = ""
    breakpoints: Optional[Sequence[float]] = None
    n_gauss: int = 4
    outside: str = "error"
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "bins", _grid("bins", self.bins))
        for lab, n in dict(self.targets).items():
            nonnegative(f"targets[{lab!r}]", n, "number of scatterers")
        nonnegative("exposure", self.exposure, self.exposure_unit)
        if self.efficiency_on not in ("true", "observed"):
            raise NuemError("efficiency_on must be 'true' or 'observed'")

    def response(self, T_grid) -> Response:
        """The (cached) :class:`Response` on true grid ``T_grid`` [MeV]."""
        key = _key(T_grid)
        r = self._cache.get(key)
        if r is None:
            t = np.array(T_grid, dtype=float)
            R = response_matrix(t, self.bins, resolution=self.resolution, quenching=self.quenching,
                                efficiency=self.efficiency, threshold=self.threshold,
                                efficiency_on=self.efficiency_on, breakpoints=self.breakpoints,
                                n_gauss=self.n_gauss, outside=self.outside)
            r = Response(T_grid=t, bins=self.bins.copy(), matrix=R)
            self._cache[key] = r
        return r

    def n_targets(self, label=None) -> float:
        """Number of scatterers of ``label`` (the only one if the detector has one)."""
        tg = dict(self.targets)
        if label is None:
            if len(tg) != 1:
                raise NuemError(f"detector {self.name!r} has targets {list(tg)}; name one")
            return float(next(iter(tg.values())))
        if label not in tg:
            raise NuemError(f"detector {self.name!r} has no target {label!r} (has {list(tg)})")
        return float(tg[label])

    def counts(self, dRdT, T_grid, target=None):
        """Counts per bin for a spectrum dR/dT [per target per U per MeV] on ``T_grid``:
        n_targets(target) * exposure * R @ dRdT."""
        return self.response(T_grid).counts(dRdT, self.n_targets(target), self.exposure)
