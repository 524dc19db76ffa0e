"""Reactor electron-antineutrino fluxes (Huber-Mueller isotope spectra).

Data ``reactor/`` (see its PROVENANCE.md):

* ``reactor_isotope_spectra_coefficients.csv``: dN/dE [nubar / MeV / fission] = exp(sum_k a_k E^k),
  E in MeV, valid 2-8 MeV.  "huber-mueller" = Huber PRC 84, 024617 (2011) (arXiv:1106.0687) for
  235U, 239Pu, 241Pu + Mueller et al. PRC 83, 054615 (2011) (arXiv:1101.2663) for 238U;
  "mueller2011" (all four) and "vogel-engel1989" (Vogel & Engel PRD 39, 3378 (1989), quadratic
  exponent) also selectable.
* ``energy_per_fission_MeV.csv``: Kopeikin, Mikaelyan, Sinev, Phys. Atom. Nucl. 67, 1892 (2004)
  (default) or Ma et al. PRC 88, 014605 (2013).
* ``vogel_engel_lowE_table_UNVERIFIED.txt``: a LOW-CONFIDENCE transcription of the Vogel-Engel
  low-energy (< 2 MeV) table.  Its three lowest columns are visibly broken; the others were not
  checked against the paper.

Below 2 MeV (``low_energy``), the choice is explicit:

* ``"zero"`` (default): no flux below 2 MeV (the grid starts at 2 MeV).  Honest about what the
  fits cover; it removes ~75 % of the nubar per fission (which sit below 2 MeV), so anything that
  needs the sub-2-MeV flux (e.g. magnetic-moment searches at low recoil, or a TEXONO-like
  normalisation to a *total* flux) must choose another option.
* ``"extrapolate"``: the exp-polynomial used down to ``e_min`` (default 1.8 MeV, the IBD threshold,
  a common and mild extrapolation).  Below ~1.5 MeV the polynomial diverges; values of e_min
  below 1.0 MeV are refused.
* ``"vogel_engel_unverified"``: the transcribed table for 0.125 <= E < 2 MeV (log-linear
  interpolation between its energies, a linear ramp to 0 at E = 0 below 0.125 MeV, the broken
  lowest columns dropped), scaled per isotope to match the fit at 2 MeV (scale factors in
  :func:`vogel_engel_match_factors`).  UNVERIFIED: flag every result that uses it.

Above 8 MeV the fits are extrapolated up to the grid end (default 10 MeV; the flux there is
< 1e-3 of the peak); pass ``e_max=8`` to stop at the validity limit.
"""
from __future__ import annotations

import functools
import math
from typing import Mapping

import numpy as np

from ..data import MalformedDataError, path as data_path
from .._validate import nonnegative, positive
from ..errors import NuemError
from .base import Flux

ISOTOPES = ("U235", "U238", "Pu239", "Pu241")
MODELS = ("huber-mueller", "mueller2011", "vogel-engel1989")
LOW_ENERGY = ("zero", "extrapolate", "vogel_engel_unverified")
#: typical mid-cycle PWR fission fractions (235U, 238U, 239Pu, 241Pu); override for a real core
DEFAULT_FISSION_FRACTIONS = {"U235": 0.58, "U238": 0.07, "Pu239": 0.30, "Pu241": 0.05}
#: lower validity edge of the fits [MeV]
E_FIT_MIN = 2.0
E_FIT_MAX = 8.0

_ISO_ALIASES = {"u235": "U235", "235u": "U235", "u-235": "U235", "u238": "U238", "238u": "U238",
                "u-238": "U238", "pu239": "Pu239", "239pu": "Pu239", "pu-239": "Pu239",
                "pu241": "Pu241", "241pu": "Pu241", "pu-241": "Pu241"}


def isotope_key(name) -> str:
    k = _ISO_ALIASES.get(str(name).strip().lower())
    if k is None:
        raise NuemError(f"unknown fissile isotope {name!r}; expected one of {ISOTOPES}")
    return k


def _model(model) -> str:
    m = str(model).strip().lower().replace("_", "-")
    m = {"huber": "huber-mueller", "hm": "huber-mueller", "mueller": "mueller2011",
         "vogel-engel": "vogel-engel1989", "vogel": "vogel-engel1989"}.get(m, m)
    if m not in MODELS:
        raise NuemError(f"unknown reactor spectrum model {model!r}; expected one of {MODELS}")
    return m


@functools.lru_cache(maxsize=None)
def _coefficients() -> dict:
    out = {}
    p = data_path("reactor/reactor_isotope_spectra_coefficients.csv")
    for i, line in enumerate(p.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(",")
        try:
            model, iso = parts[0].strip(), parts[1].strip()
            a = [float(x) for x in parts[2:8] if x.strip()]
        except (ValueError, IndexError):
            raise MalformedDataError(f"{p}, line {i}: malformed row {line!r}") from None
        if len(a) < 3:
            raise MalformedDataError(f"{p}, line {i}: fewer than 3 coefficients in {line!r}")
        out[(model, iso)] = np.array(a)
    return out


def coefficients(isotope, model: str = "huber-mueller") -> np.ndarray:
    """Polynomial coefficients a_0.. of ln(dN/dE) for ``isotope`` in ``model`` (E in MeV)."""
    iso, m = isotope_key(isotope), _model(model)
    table = _coefficients()
    if m == "huber-mueller":
        key = ("mueller2011", "U238") if iso == "U238" else ("huber2011", iso)
    elif m == "mueller2011":
        key = ("mueller2011", iso)
    else:
        key = ("vogel_engel1989", iso)
    return table[key].copy()


@functools.lru_cache(maxsize=None)
def _energy_per_fission(source: str) -> dict:
    col = {"kopeikin2004": 1, "ma2013": 2}.get(source)
    if col is None:
        raise NuemError("energy_per_fission must be 'kopeikin2004' or 'ma2013'")
    out = {}
    p = data_path("reactor/energy_per_fission_MeV.csv")
    for i, line in enumerate(p.read_text().splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(",")
        try:
            out[parts[0].strip()] = float(parts[col])
        except (ValueError, IndexError):
            raise MalformedDataError(f"{p}, line {i}: malformed row {line!r}") from None
    return out


def energy_per_fission(isotope, source: str = "kopeikin2004") -> float:
    """Thermal energy released per fission [MeV] (Kopeikin 2004 default, or Ma 2013)."""
    return _energy_per_fission(source)[isotope_key(isotope)]


@functools.lru_cache(maxsize=None)
def _vogel_table() -> tuple:
    path = data_path("reactor/vogel_engel_lowE_table_UNVERIFIED.txt")
    lines = [(i, l) for i, l in enumerate(path.read_text().splitlines(), start=1)
             if l.strip() and not l.startswith("#")]
    rows = {}
    for n, (i, l) in enumerate(lines):
        try:
            vals = np.array([float(x) for x in l.split()[1:]])
        except ValueError:
            raise MalformedDataError(f"{path}, line {i}: malformed row {l!r}") from None
        if n == 0:
            E = vals
        elif len(vals) != len(E):
            raise MalformedDataError(f"{path}, line {i}: {len(vals)} values, expected {len(E)}")
        else:
            rows[l.split()[0]] = vals
    keep = E >= 0.125  # the three lowest columns are broken (see the file header)
    order = np.argsort(E[keep])
    return E[keep][order], {k: v[keep][order] for k, v in rows.items()}


def _fit(E, isotope, model):
    a = coefficients(isotope, model)
    E = np.asarray(E, float)
    return np.exp(np.polynomial.polynomial.polyval(E, a))


def vogel_engel_match_factors(model: str = "huber-mueller") -> dict:
    """Per isotope, fit(2 MeV) / table(2 MeV): the scale applied to the UNVERIFIED low-energy table."""
    Et, rows = _vogel_table()
    return {iso: float(_fit(2.0, iso, model) / rows[iso][Et == 2.0][0]) for iso in ISOTOPES}


def isotope_spectrum(E, isotope, model: str = "huber-mueller", low_energy: str = "zero",
                     e_min: float = 1.8, e_max: float = 10.0):
    """dN/dE [nubar / MeV / fission] of one isotope at energies E [MeV]; 0 above ``e_max`` and as
    ``low_energy`` prescribes below 2 MeV (module docstring)."""
    E = np.asarray(E, float)
    iso = isotope_key(isotope)
    m = _model(model)
    if low_energy not in LOW_ENERGY:
        raise NuemError(f"low_energy must be one of {LOW_ENERGY}")
    fit = _fit(np.clip(E, 0.0, None), iso, m)
    out = np.where((E >= E_FIT_MIN) & (E <= e_max), fit, 0.0)
    if low_energy == "extrapolate":
        if e_min < 1.0:
            raise NuemError("extrapolating the exp-polynomial below 1 MeV is not meaningful")
        out = np.where((E >= e_min) & (E < E_FIT_MIN), fit, out)
    elif low_energy == "vogel_engel_unverified":
        Et, rows = _vogel_table()
        scale = vogel_engel_match_factors(m)[iso]
        y = rows[iso] * scale
        low = np.exp(np.interp(E, Et, np.log(y)))
        ramp = y[0] * np.clip(E, 0, None) / Et[0]
        low = np.where(E < Et[0], ramp, low)
        out = np.where((E >= 0) & (E < E_FIT_MIN), low, out)
    return out


def _fractions(fuel_fractions) -> dict:
    ff = DEFAULT_FISSION_FRACTIONS if fuel_fractions is None else fuel_fractions
    ff = {isotope_key(k): float(v) for k, v in ff.items()}
    if any(v < 0 for v in ff.values()) or sum(ff.values()) <= 0:
        raise NuemError("fission fractions must be non-negative and not all zero")
    s = sum(ff.values())
    return {k: v / s for k, v in ff.items()}


def spectrum_per_fission(E, fuel_fractions: Mapping[str, float] | None = None, **kw):
    """Fission-fraction-weighted dN/dE [nubar / MeV / fission]; fractions renormalised to 1."""
    ff = _fractions(fuel_fractions)
    return sum(f * isotope_spectrum(E, iso, **kw) for iso, f in ff.items())


def mean_energy_per_fission(fuel_fractions=None, source: str = "kopeikin2004") -> float:
    """Average thermal energy per fission [MeV] for the fission fractions."""
    ff = _fractions(fuel_fractions)
    return sum(f * energy_per_fission(iso, source) for iso, f in ff.items())


def fission_rate(power_MW: float, fuel_fractions=None, source: str = "kopeikin2004") -> float:
    """Fissions per second of a core of thermal power ``power_MW`` [MW]."""
    power_MW = float(nonnegative("power_MW", power_MW, "MW thermal"))
    mev_per_joule = 1.0 / 1.602176634e-13
    return power_MW * 1e6 * mev_per_joule / mean_energy_per_fission(fuel_fractions, source)


def default_grid(low_energy: str = "zero", e_min: float = 1.8, e_max: float = 10.0, step: float = 0.005):
    """Energy grid [MeV] matching the ``low_energy`` choice (starts at 2, e_min or 0 MeV)."""
    start = {"zero": E_FIT_MIN, "extrapolate": e_min, "vogel_engel_unverified": 0.0}[low_energy]
    n = int(round((e_max - start) / step)) + 1
    return np.linspace(start, e_max, n)


def reactor_flux(power_MW: float, distance_cm: float, fuel_fractions: Mapping[str, float] | None = None,
                 E_grid=None, model: str = "huber-mueller", low_energy: str = "zero",
                 e_min: float = 1.8, e_max: float = 10.0, energy_per_fission_source: str = "kopeikin2004",
                 total_flux: float | None = None) -> Flux:
    """Isotropic point-reactor nubar_e flux at ``distance_cm`` [cm] in cm^-2 s^-1 MeV^-1:
    dPhi/dE = R_fission(P) * sum_i f_i dN_i/dE / (4 pi L^2), no oscillation.

    fuel_fractions : fission fractions (default :data:`DEFAULT_FISSION_FRACTIONS`).
    low_energy : "zero" (default), "extrapolate" or "vogel_engel_unverified" (module docstring).
    total_flux : if given [cm^-2 s^-1], rescale so that the integral over the grid equals it
        (TEXONO-style normalisation, e.g. 6.4e12; paper 003 sec. 3.3); power/distance then only set
        the label.
    """
    distance_cm = float(positive("distance_cm", distance_cm, "cm"))
    if low_energy not in LOW_ENERGY:
        raise NuemError(f"low_energy must be one of {LOW_ENERGY}")
    E = default_grid(low_energy, e_min, e_max) if E_grid is None else np.asarray(E_grid, float)
    kw = dict(model=model, low_energy=low_energy, e_min=e_min, e_max=e_max)
    rate = fission_rate(power_MW, fuel_fractions, energy_per_fission_source)
    spec = rate * spectrum_per_fission(E, fuel_fractions, **kw) / (4.0 * math.pi * distance_cm ** 2)
    label = (f"reactor nubar_e {power_MW:g} MW at {distance_cm:g} cm ({_model(model)}, "
             f"below 2 MeV: {low_energy})")
    f = Flux(energy=E, spectra={"nubar_e": spec}, label=label)
    if total_flux is not None:
        t = f.total()
        if t <= 0:
            raise NuemError("cannot normalise a zero flux")
        f = f.scaled(float(total_flux) / t, label=label + f", normalised to {total_flux:g} cm^-2 s^-1")
    return f
