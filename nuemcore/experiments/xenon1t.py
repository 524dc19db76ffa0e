r"""XENON1T 2020 low-energy electronic recoils (the "excess", arXiv:2006.09721, PRD 102 (2020)
072004) as used in paper 003 sec. 3.1.

Inputs (``xenon1t_er_2020/``, see its PROVENANCE.md)
---------------------------------------------------
* ``data_below_30kev.txt`` (**official**): 29 bins of 1 keV on [1, 30] keV, rate and error in
  events/(t yr keV); (rate/error)^2 are the integer counts (1261 in total), which fixes the
  exposure to 0.6473 t yr.
* ``efficiency.txt`` (**official**): total efficiency vs reconstructed energy.
* ``xenon1t_bkg_model_fig4.dat``: the background model B0 **digitised by a third party** from
  Fig. 4 of the XENON paper (no official B0 file exists in the stored sources).  Every number
  that uses B0 inherits this digitisation; its effect is discussed in the chapter.

Response (paper 003 sec. 3.1): Gaussian resolution sigma(E) = a sqrt(E) + b E with
a = 0.310 sqrt(keV), b = 0.0037; efficiency applied in reconstructed energy; electrons bound in
Xe with the stepping approximation (paper 003 eq. 16, :func:`nuemcore.atomic.stepping`), the
shell edges kept as jumps on the true-recoil grid.  The signal is added to B0.

Statistics: paper 003 eq. (23), chi^2 = sum_i ((N_i - N_th,i)/sigma_i)^2 + ((a1 - 1)/0.03)^2 +
((a2 - 1)/0.026)^2 with the signal scaled by the efficiency pull a1 and B0 by a2, sigma_i the
published errors (sqrt N).  Energies here are in MeV unless a name says keV.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .. import atomic
from .. import constants as C
from .. import nuclear
from ..data import load_table
from ..detector import response_matrix

#: resolution parameters (a [sqrt(keV)], b [1])
RESOLUTION = (0.310, 0.0037)
#: pulls of eq. (23): efficiency (signal) 3 %, background 2.6 %
SIGMA_EFF = 0.03
SIGMA_BKG = 0.026
BIN_EDGES_KEV = np.arange(1.0, 31.0, 1.0)
_DIR = "xenon1t_er_2020/"


@dataclass(frozen=True)
class Xenon1TData:
    edges_keV: np.ndarray
    counts: np.ndarray        #: observed counts per bin
    sigma: np.ndarray         #: published errors [counts]
    b0: np.ndarray            #: digitised B0 integrated over each bin [counts]
    exposure_t_yr: float


def sigma_keV(E_keV):
    """Energy resolution sigma [keV] at reconstructed energy E [keV]."""
    E = np.clip(np.asarray(E_keV, float), 0.0, None)
    return RESOLUTION[0] * np.sqrt(E) + RESOLUTION[1] * E


@functools.lru_cache(maxsize=1)
def _eff_table():
    a = load_table(_DIR + "efficiency.txt", delimiter=",", comments="#")
    return a[:, 0], a[:, 3]


def efficiency(E_keV):
    """Total efficiency (official) at reconstructed energy E [keV]."""
    x, y = _eff_table()
    return np.interp(np.asarray(E_keV, float), x, y, left=0.0, right=y[-1])


@functools.lru_cache(maxsize=1)
def _b0_table():
    b = load_table(_DIR + "xenon1t_bkg_model_fig4.dat")
    return b[:, 0], b[:, 1]


def b0_rate(E_keV):
    """Digitised B0 [events/(t yr keV)] (third-party digitisation of Fig. 4)."""
    x, y = _b0_table()
    return np.interp(np.asarray(E_keV, float), x, y)


@functools.lru_cache(maxsize=1)
def load() -> Xenon1TData:
    d = load_table(_DIR + "data_below_30kev.txt", delimiter=",", comments="#")
    counts = np.rint((d[:, 1] / d[:, 2]) ** 2)
    exposure = float(np.median(counts / d[:, 1]))   # t yr (1 keV bins)
    e = BIN_EDGES_KEV
    fine = np.linspace(e[0], e[-1], 2901)
    y = b0_rate(fine)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(fine))])
    b0 = np.diff(np.interp(e, fine, cum)) * exposure
    return Xenon1TData(edges_keV=e.copy(), counts=counts, sigma=d[:, 2] * exposure, b0=b0,
                       exposure_t_yr=exposure)


def electrons_per_tonne():
    """Xe electrons per tonne (Z = 54, natural Xe)."""
    return nuclear.nuclei_per_kg("Xe", "Xe") * 1000.0 * 54.0


def exposure_electron_seconds():
    """Electrons x seconds of the SR1 exposure."""
    return electrons_per_tonne() * load().exposure_t_yr * C.year


@functools.lru_cache(maxsize=1)
def true_grid():
    """True electron-recoil grid [MeV] from 0.15 to 45 keV, with the Xe shell edges kept as jumps
    (a node just below and just above each binding energy)."""
    base = np.geomspace(0.15e-3, 45e-3, 220)
    B = atomic.shells("Xe").binding
    B = B[(B > base[0]) & (B < base[-1])]
    g = np.unique(np.concatenate([base, B * (1 - 1e-7), B * (1 + 1e-7)]))
    g.setflags(write=False)
    return g


@functools.lru_cache(maxsize=1)
def response():
    """Response matrix (29, n_T) [MeV]: resolution + efficiency (reconstructed energy)."""
    T = true_grid()
    R = response_matrix(np.asarray(T), BIN_EDGES_KEV * 1e-3,
                        resolution=lambda E: 1e-3 * sigma_keV(1e3 * E),
                        efficiency=lambda E: efficiency(1e3 * np.asarray(E)),
                        efficiency_on="observed")
    R.setflags(write=False)
    return R


def stepping_factor():
    """N_eff/Z on the true grid (paper 003 eq. 16)."""
    return atomic.stepping(np.asarray(true_grid()), "Xe")


def chi2(signal):
    r"""Paper 003 eq. (23) for signal counts ``signal`` (..., 29) added to B0, pulls on the signal
    (efficiency, 3 %) and on B0 (2.6 %) profiled exactly (linear least squares)."""
    d = load()
    S = np.asarray(signal, float)
    r = d.counts - S - d.b0
    w = 1.0 / d.sigma ** 2
    Cm = np.stack(np.broadcast_arrays(S, np.broadcast_to(d.b0, S.shape)), axis=-2)
    prec = np.array([1 / SIGMA_EFF ** 2, 1 / SIGMA_BKG ** 2])
    A = np.einsum("...ki,...li,...i->...kl", Cm, Cm, np.broadcast_to(w, r.shape)) + np.diag(prec)
    b = np.einsum("...ki,...i->...k", Cm, r * w)
    a = np.linalg.solve(A, b[..., None])[..., 0]
    res = r - np.einsum("...k,...ki->...i", a, Cm)
    return np.sum(res * res * w, axis=-1) + np.sum(a * a * prec, axis=-1)


# ----------------------------------------------------------------------------- solar signal
def _mass_state_flux():
    """Unoscillated solar nu_e flux (all SSM components, B16-GS98) split into the mass states it
    arrives as, P_ei(E) from the production-region-averaged adiabatic LMA-MSW (theta14 = 0),
    stored under the keys "nu_e", "nu_mu", "nu_tau" = mass states 1, 2, 3 (internal reuse of the
    species keys; paper 003 eq. 5)."""
    from ..flux.base import Flux
    from ..flux.solar import COMPONENTS, solar_component_flux
    from ..oscillation import solar_mass_state_probabilities
    keys = ("nu_e", "nu_mu", "nu_tau")
    total = None
    for c in COMPONENTS:
        f = solar_component_flux(c)
        spectra, lines = {}, {}
        if f.energy.size and "nu_e" in f.spectra:
            P = solar_mass_state_probabilities(np.maximum(f.energy, 1e-6), component=c)
            spectra = {k: P[i] * f.spectra["nu_e"] for i, k in enumerate(keys)}
        if f.lines.get("nu_e"):
            El = np.array([E for E, _ in f.lines["nu_e"]])
            P = solar_mass_state_probabilities(El, component=c)
            lines = {k: [(E, phi * P[i][j]) for j, (E, phi) in enumerate(f.lines["nu_e"])]
                     for i, k in enumerate(keys)}
        g = Flux(energy=f.energy, spectra=spectra, lines=lines, label=f"{c} mass states")
        total = g if total is None else total + g
    return total


#: continuum grid for the solar signal [MeV]: 360 log points plus the spectral endpoints
SOLAR_GRID = np.unique(np.concatenate([[0.0], np.geomspace(2e-3, 20.0, 360),
                                       [0.42341, 1.199, 1.732, 1.740, 15.3, 16.34, 18.784]]))


@functools.lru_cache(maxsize=1)
def solar_fluxes():
    """One :class:`~nuemcore.flux.base.Flux` with the solar flavour fluxes after LMA-MSW under
    "nu_e", "nu_mu", "nu_tau" and the mass-state fluxes 1, 2, 3 (paper 003 eq. 5) stored under
    "nubar_e", "nubar_mu", "nubar_tau" (internal reuse of the keys so that one rate engine
    serves both), continuum on :data:`SOLAR_GRID` (lines exact)."""
    from ..flux.base import Flux
    from ..flux.solar import solar_flux
    fl = solar_flux(oscillate=True).regrid(SOLAR_GRID)
    ms = _mass_state_flux().regrid(SOLAR_GRID)
    ren = {"nu_e": "nubar_e", "nu_mu": "nubar_mu", "nu_tau": "nubar_tau"}
    spectra = dict(fl.spectra)
    spectra.update({ren[k]: v for k, v in ms.spectra.items()})
    lines = dict(fl.lines)
    lines.update({ren[k]: v for k, v in ms.lines.items()})
    return Flux(energy=SOLAR_GRID, spectra=spectra, lines=lines,
                label="solar B16-GS98: flavours (nu_*) and mass states 1-3 (nubar_* keys)")


_KEYMAP = {"nu_e": "nu_e", "nu_mu": "nu_mu", "nu_tau": "nu_tau", "nubar_e": "m1",
           "nubar_mu": "m2", "nubar_tau": "m3"}


def _unit_dipole_spectra(m4):
    from ..rates import RateEngine
    from ..xsec.electron import magnetic_moment
    T = np.asarray(true_grid())
    step = stepping_factor()
    R = response()
    n = exposure_electron_seconds()

    def xs(E, Tn):
        return magnetic_moment(E, Tn, 1.0, m4) * step[None, :]
    eng = RateEngine(solar_fluxes(), T, C.m_e, m4=m4)
    sp = eng.spectrum_by_species(lambda s, E, Tn: xs(E, Tn), flavour_blind=True)
    return {_KEYMAP[k]: n * (R @ v) for k, v in sp.items()}


@functools.lru_cache(maxsize=512)
def unit_counts(m4: float) -> dict:
    """Dipole-portal counts per bin at mu = 1 mu_B for mass m4 [MeV]: keys "nu_e", "nu_mu",
    "nu_tau" (oscillated solar flavour fluxes, for an effective moment mu_nu_alpha) and "m1",
    "m2", "m3" (solar flux arriving as mass state i, for paper 003 eq. 5)."""
    out = _unit_dipole_spectra(float(m4))
    for v in out.values():
        v.setflags(write=False)
    return out
