"""Small input checks shared by every module (clear errors instead of NaNs)."""
from __future__ import annotations

import numpy as np

from .errors import NegativeEnergyError, UnknownFlavourError

FLAVOURS = ("e", "mu", "tau")
_ALIASES = {"e": "e", "nue": "e", "nu_e": "e", "mu": "mu", "numu": "mu", "nu_mu": "mu",
            "tau": "tau", "nutau": "tau", "nu_tau": "tau"}


def flavour(name) -> str:
    """Normalise a flavour label to "e", "mu" or "tau"; raise UnknownFlavourError otherwise."""
    key = str(name).strip().lower()
    if key not in _ALIASES:
        raise UnknownFlavourError(f"unknown neutrino flavour {name!r}; expected one of {FLAVOURS}")
    return _ALIASES[key]


def nonnegative(name: str, value):
    """Return ``value`` as a float array; raise NegativeEnergyError if any entry is < 0 or NaN."""
    arr = np.asarray(value, dtype=float)
    if np.any(np.isnan(arr)):
        raise NegativeEnergyError(f"{name} contains NaN")
    if np.any(arr < 0):
        raise NegativeEnergyError(f"{name} must be non-negative (MeV), got min {arr.min():g}")
    return arr
