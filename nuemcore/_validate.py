"""Small input checks shared by every module (clear errors instead of NaNs).

The input contract of the public API (one place, vectorised: one ``np.isfinite(x).all()`` per
argument and call):

* NaN and +-inf are rejected in every numeric argument (:class:`~nuemcore.errors.NonFiniteError`),
  unless a function documents that it accepts inf (e.g. ``L2 = inf`` in ``decay``).
* energies, masses, radii, lengths, exposures, fluxes, luminosities and scale factors are >= 0
  (:class:`~nuemcore.errors.NegativeEnergyError`);
* sin2w lies in (0, 1); efficiencies in [0, 1]; target masses are > 0
  (:class:`~nuemcore.errors.OutOfRangeError`);
* magnetic moments [mu_B] and anapole moments/charge radii [cm^2] and millicharges [e] may carry
  a sign (cross sections depend on mu^2; the sign of a charge radius, anapole or millicharge
  matters in interference terms), but must be finite.

Each message names the argument, the value received and the allowed range with its unit.
"""
from __future__ import annotations

import numpy as np

from .errors import (GridError, NegativeEnergyError, NonFiniteError, OutOfRangeError,
                     UnknownFlavourError, UnitSlipError)

FLAVOURS = ("e", "mu", "tau")
_ALIASES = {"e": "e", "nue": "e", "nu_e": "e", "mu": "mu", "numu": "mu", "nu_mu": "mu",
            "tau": "tau", "nutau": "tau", "nu_tau": "tau"}


def flavour(name) -> str:
    """Normalise a flavour label to "e", "mu" or "tau"; raise UnknownFlavourError otherwise."""
    key = str(name).strip().lower()
    if key not in _ALIASES:
        raise UnknownFlavourError(f"unknown neutrino flavour {name!r}; expected one of {FLAVOURS}")
    return _ALIASES[key]


def _show(arr, mask):
    """The first offending entry of ``arr`` (where ``mask``) as a short string."""
    if arr.ndim == 0:
        return f"{float(arr):g}"
    return f"{float(arr[mask].ravel()[0]):g} (first bad entry of {arr.size})"


def _as_float(name, value):
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise NonFiniteError(f"{name} must be a real number or array, got {value!r}") from exc


def finite(name: str, value, unit: str = "MeV"):
    """Return ``value`` as a float array; raise NonFiniteError if any entry is NaN or +-inf."""
    arr = _as_float(name, value)
    if not np.isfinite(arr).all():
        raise NonFiniteError(f"{name} must be finite ({unit}), got {_show(arr, ~np.isfinite(arr))}")
    return arr


def nonnegative(name: str, value, unit: str = "MeV", allow_inf: bool = False):
    """Return ``value`` as a float array; raise NegativeEnergyError if an entry is < 0 and
    NonFiniteError if an entry is NaN (or +inf unless ``allow_inf``).  ``unit`` is named in the
    message."""
    arr = _as_float(name, value)
    ok = np.isfinite(arr).all()
    if not ok:
        bad = np.isnan(arr) | (np.isinf(arr) if not allow_inf else (arr == -np.inf))
        if bad.any():
            raise NonFiniteError(f"{name} must be finite and >= 0 ({unit}), got {_show(arr, bad)}")
    if (arr < 0).any():
        raise NegativeEnergyError(f"{name} must be >= 0 ({unit}), got {_show(arr, arr < 0)}")
    return arr


def positive(name: str, value, unit: str = "MeV"):
    """Finite and > 0 (e.g. a target mass); raise OutOfRangeError for 0."""
    arr = nonnegative(name, value, unit)
    if (arr <= 0).any():
        raise OutOfRangeError(f"{name} must be > 0 ({unit}), got {_show(arr, arr <= 0)}")
    return arr


def in_range(name: str, value, lo: float, hi: float, unit: str = "", closed: bool = True):
    """Finite and in [lo, hi] (``closed``) or (lo, hi); raise OutOfRangeError otherwise."""
    u = f" {unit}" if unit else ""
    arr = _as_float(name, value)
    if not np.isfinite(arr).all():
        raise NonFiniteError(f"{name} must be finite, in {'[' if closed else '('}{lo:g}, {hi:g}"
                             f"{']' if closed else ')'}{u}, got {_show(arr, ~np.isfinite(arr))}")
    bad = (arr < lo) | (arr > hi) if closed else (arr <= lo) | (arr >= hi)
    if bad.any():
        rng = f"[{lo:g}, {hi:g}]" if closed else f"({lo:g}, {hi:g})"
        raise OutOfRangeError(f"{name} must lie in {rng}{u}, got {_show(arr, bad)}")
    return arr


def sin2w(value):
    """None (the default is used by the caller) or a float in (0, 1)."""
    if value is None:
        return None
    return float(in_range("sin2w", value, 0.0, 1.0, closed=False))


def efficiency(name: str, value):
    """Efficiencies (also values returned by a callable) lie in [0, 1]."""
    return in_range(name, value, 0.0, 1.0, "(a fraction, not a percentage)")


def ascending(name: str, x, strict: bool = True):
    """A finite 1-D grid in ascending order; raise GridError otherwise."""
    arr = _as_float(name, x)
    if arr.ndim != 1:
        raise GridError(f"{name} must be a 1-D grid, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise GridError(f"{name} must be finite, got {_show(arr, ~np.isfinite(arr))}")
    d = np.diff(arr)
    if (d <= 0).any() if strict else (d < 0).any():
        i = int(np.argmax(d <= 0 if strict else d < 0))
        raise GridError(f"{name} must be {'strictly ' if strict else ''}ascending, "
                        f"got {name}[{i}]={arr[i]:g} then {arr[i + 1]:g}")
    return arr


def nuclear_mass(name: str, M, Z=None):
    """A nuclear/target mass in MeV: > 0, and not below 1000 MeV for Z > 1 (a mass in GeV or
    in atomic mass units would be ~1000x too small)."""
    arr = positive(name, M, "MeV")
    if Z is not None and float(Z) > 1 and (arr < 1000.0).any():
        raise UnitSlipError(f"{name}={_show(arr, arr < 1000.0)} is too small for a nucleus with "
                            f"Z={float(Z):g}: the mass must be in MeV (e.g. 122e3 for Xe, not 122 "
                            f"GeV or 131 u)")
    return arr
