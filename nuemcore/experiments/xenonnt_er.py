"""XENONnT electronic-recoil data of the first science run (SR0), official release.

Source: E. Aprile et al. (XENON), "Search for New Physics in Electronic Recoil Data from XENONnT",
Phys. Rev. Lett. 129, 161805 (2022), arXiv:2207.11330, data release on Zenodo
(``xenonnt_er_2022/``, see its PROVENANCE.md).  Files read in place through
:func:`nuemcore.data.path`:

* ``data_unbinned_1to30kev.txt``: 433 reconstructed ER energies [keV] in 1-30 keV;
* ``bkg_model.txt``: best-fit background model B0 [events/(t yr keV)] on a 0.1 keV grid;
* ``efficiency.txt``: total detection efficiency vs reconstructed energy [keV] (Fig. 1).

Exposure: 1.16 t yr ((4.37 +- 0.14) t fiducial x 97.1 live days; PRL 129, 161805).

Energy units in this module are **keV** (the release's unit; argument names say so).  Spectra are
in events/(t yr keV), counts in events.

Energy resolution
-----------------
The release does not contain the resolution, and we could not establish the XENONnT SR0
parametrisation from stored material.  We therefore use XENON1T's published model,
sigma(E) = a sqrt(E) + b E with a = 0.310 sqrt(keV), b = 0.0037 (E. Aprile et al. (XENON),
PRD 102, 072004 (2020), as quoted in paper 003 sec. 3.1).  Any other model can be passed as
``sigma=callable`` to :func:`response_matrix`/:func:`expected_spectrum`/:func:`expected_counts`.

Response
--------
Reconstructed spectrum  dR/dE' = eff(E') * integral dT  G(E' | T, sigma(T)) dR/dT,  the response
matrix on fixed grids built once per (grid, sigma) and cached (a plain matrix product afterwards).
The efficiency is applied in reconstructed energy, as the release defines it (paper 002 eq. 25).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from ..data import load_table
from ..detector import hat_weights
from ..errors import NuemError

#: exposure [tonne year] (PRL 129, 161805)
EXPOSURE_T_YR = 1.16
#: fiducial mass [t] and live time [days] of SR0 (PRL 129, 161805)
FIDUCIAL_MASS_T = 4.37
LIVETIME_DAYS = 97.1
#: analysis window [keV]
WINDOW_KEV = (1.0, 30.0)
#: XENON1T resolution parameters (a [sqrt(keV)], b [1]); PRD 102, 072004 (2020), paper 003 sec. 3.1
RESOLUTION_XENON1T = (0.310, 0.0037)
#: default true-energy grid [keV] for the response (fine enough for sigma >= 0.3 keV)
T_TRUE_KEV = np.linspace(0.05, 45.0, 900)
#: default reconstructed-energy grid [keV]
E_REC_KEV = np.linspace(1.0, 30.0, 581)

_DIR = "xenonnt_er_2022/"


def _read(name):
    return load_table(_DIR + name)


def resolution_sigma(E_keV, a: float = RESOLUTION_XENON1T[0], b: float = RESOLUTION_XENON1T[1]):
    """Gaussian width sigma(E) = a sqrt(E) + b E [keV] (XENON1T model, see module docstring)."""
    E = np.asarray(E_keV, float)
    return a * np.sqrt(np.clip(E, 0.0, None)) + b * E


@dataclass(frozen=True)
class XenonntER:
    """The XENONnT SR0 ER release: events, background model B0, efficiency and exposure."""
    events: np.ndarray           #: reconstructed energies [keV], sorted
    bkg_energy: np.ndarray       #: B0 grid [keV]
    bkg_rate: np.ndarray         #: B0 [events/(t yr keV)]
    eff_energy: np.ndarray       #: efficiency grid [keV]
    eff_values: np.ndarray       #: total efficiency
    exposure: float = EXPOSURE_T_YR   #: [t yr]
    window: tuple = WINDOW_KEV        #: [keV]
    reference: str = field(default="XENON, PRL 129, 161805 (2022), arXiv:2207.11330")

    @property
    def n_events(self) -> int:
        return int(self.events.size)

    def efficiency(self, E_keV):
        """Total efficiency at reconstructed energy E [keV] (linear interpolation, 0 below the
        table, last value above it)."""
        return np.interp(np.asarray(E_keV, float), self.eff_energy, self.eff_values, left=0.0,
                         right=float(self.eff_values[-1]))

    def b0(self, E_keV):
        """Background model B0 [events/(t yr keV)] at reconstructed energy E [keV]."""
        return np.interp(np.asarray(E_keV, float), self.bkg_energy, self.bkg_rate, left=0.0,
                         right=float(self.bkg_rate[-1]))

    def b0_counts(self, lo: float = WINDOW_KEV[0], hi: float = WINDOW_KEV[1], exposure=None):
        """Expected B0 events in [lo, hi] keV for ``exposure`` [t yr] (default the release's)."""
        exposure = self.exposure if exposure is None else exposure
        E = np.linspace(lo, hi, 2901)
        y = self.b0(E)
        return float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(E)) * exposure)

    def observed(self, lo: float = WINDOW_KEV[0], hi: float = WINDOW_KEV[1]) -> int:
        """Number of events with lo <= E < hi [keV]."""
        return int(np.count_nonzero((self.events >= lo) & (self.events < hi)))

    def binned(self, edges=None):
        """(edges, observed counts, B0 counts) in bins of reconstructed energy [keV]
        (default: 1 keV bins over 1-30 keV)."""
        edges = np.arange(1.0, 31.0, 1.0) if edges is None else np.asarray(edges, float)
        obs, _ = np.histogram(self.events, bins=edges)
        b = np.array([self.b0_counts(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])])
        return edges, obs, b


@functools.lru_cache(maxsize=1)
def load() -> XenonntER:
    """Load the release (cached).  Raises DataFileError naming a missing/changed file."""
    ev = np.sort(_read("data_unbinned_1to30kev.txt"))
    bk = _read("bkg_model.txt")
    ef = _read("efficiency.txt")
    for name, arr in (("events", ev), ("bkg", bk), ("eff", ef)):
        if not np.all(np.isfinite(arr)):
            raise NuemError(f"non-finite values in XENONnT {name} file")
    for a in (ev, bk, ef):
        a.setflags(write=False)
    return XenonntER(events=ev, bkg_energy=bk[:, 0], bkg_rate=bk[:, 1], eff_energy=ef[:, 0],
                     eff_values=ef[:, 1])


@functools.lru_cache(maxsize=16)
def _response_cached(t_key, e_key, sigma_key, efficiency):
    T = np.frombuffer(t_key)
    E = np.frombuffer(e_key)
    sig = resolution_sigma(T, *sigma_key) if isinstance(sigma_key, tuple) else sigma_key(T)
    sig = np.maximum(sig, 1e-6)
    z = (E[:, None] - T[None, :]) / sig[None, :]
    G = np.exp(-0.5 * z * z) / (np.sqrt(2 * np.pi) * sig[None, :])
    R = G * hat_weights(T)[None, :]
    if efficiency:
        R = R * load().efficiency(E)[:, None]
    R.setflags(write=False)
    return R


def response_matrix(T_true_keV=None, E_rec_keV=None, sigma=RESOLUTION_XENON1T, efficiency=True):
    """Matrix R [n_rec, n_true] such that dR/dE'(E_rec) = R @ dR/dT(T_true): Gaussian smearing
    (``sigma`` = (a, b) of :func:`resolution_sigma` or a callable sigma(T [keV]) [keV]), trapezoid
    weights over the true grid, times the efficiency at E_rec if ``efficiency``.  Cached."""
    T = np.ascontiguousarray(T_TRUE_KEV if T_true_keV is None else T_true_keV, dtype=float)
    E = np.ascontiguousarray(E_REC_KEV if E_rec_keV is None else E_rec_keV, dtype=float)
    key = tuple(float(s) for s in sigma) if not callable(sigma) else sigma
    return _response_cached(T.tobytes(), E.tobytes(), key, bool(efficiency))


def _true_values(dR_dE_true, T):
    if callable(dR_dE_true):
        return np.asarray(dR_dE_true(T), float)
    v = np.asarray(dR_dE_true, float)
    if v.shape[-1] != T.size:
        raise NuemError(f"dR_dE_true has {v.shape[-1]} points, the true grid {T.size}")
    return v


def expected_spectrum(dR_dE_true, T_true_keV=None, E_rec_keV=None, sigma=RESOLUTION_XENON1T,
                      efficiency=True):
    """Reconstructed spectrum [same units as the input per keV, e.g. events/(t yr keV)] on
    ``E_rec_keV`` from a true spectrum (array on ``T_true_keV`` or callable of T [keV]).
    Works on stacked inputs (..., n_true)."""
    T = T_TRUE_KEV if T_true_keV is None else np.asarray(T_true_keV, float)
    R = response_matrix(T, E_rec_keV, sigma, efficiency)
    return _true_values(dR_dE_true, T) @ R.T


def expected_counts(dR_dE_true, T_true_keV=None, edges_keV=None, exposure: Optional[float] = None,
                    sigma=RESOLUTION_XENON1T, efficiency=True, n_sub: int = 20):
    """Expected events per reconstructed-energy bin (default 1 keV bins, 1-30 keV) for a true
    spectrum dR/dT [events/(t yr keV)] times ``exposure`` [t yr] (default 1.16), with efficiency
    and Gaussian resolution.  Works on stacked inputs (..., n_true) -> (..., n_bins)."""
    edges = np.arange(1.0, 31.0, 1.0) if edges_keV is None else np.asarray(edges_keV, float)
    exposure = EXPOSURE_T_YR if exposure is None else float(exposure)
    # sub-grid inside each bin (Gauss-Legendre) so that any binning is integrated accurately
    x, w = np.polynomial.legendre.leggauss(n_sub)
    lo, hi = edges[:-1], edges[1:]
    E = (0.5 * (hi - lo)[:, None] * x[None, :] + 0.5 * (hi + lo)[:, None]).ravel()
    W = (0.5 * (hi - lo)[:, None] * w[None, :])
    spec = expected_spectrum(dR_dE_true, T_true_keV, E, sigma, efficiency)
    spec = spec.reshape(spec.shape[:-1] + W.shape)
    return exposure * (spec * W).sum(axis=-1)
