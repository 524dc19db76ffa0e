r"""Atomic binding of target electrons: the stepping approximation.

Data: ``shared/data/atomic_binding/shell_binding_energies_geant4.csv`` (Ar, Ge, I, Xe, Cs), the
subshell binding energies and occupancies of Geant4's ``G4AtomicShells`` table (see that folder's
PROVENANCE.md; the Xe values agree with the X-ray Data Booklet to < 1%). Binding energies are
converted from eV to **MeV** here; occupancies sum to Z for every element (checked on load).

Stepping approximation (Kopeikin et al.; 002 eq. 16, 003 eq. 16)
-----------------------------------------------------------------
An electron of binding energy :math:`B_i` can only be knocked out if the energy deposit
:math:`T \ge B_i`; it then scatters as if free. With occupancies :math:`n_i` per (sub)shell,

.. math:: N_{\rm eff}(T) = \sum_i n_i\,\Theta(T - B_i),\qquad 0 \le N_{\rm eff}\le Z,

using Geant4's convention :math:`B_i \le T` (``G4AtomicShells::GetNumberOfFreeElectrons``), i.e.
:math:`\Theta(0) = 1`.

* 002 eq. (16) writes the **per-atom** cross section
  :math:`d\sigma/dT = \sum_{i=1}^{Z}\Theta(T-B_i)\,d\sigma_{\rm free}/dT
  = N_{\rm eff}(T)\,d\sigma_{\rm free}/dT` (sum over the Z electrons) -> :func:`per_atom`.
* 003 eq. (16) writes :math:`(d\sigma/dT) = \frac1Z\sum_i\Theta(T-B_i)\,(d\sigma/dT)^{\rm free}`,
  with footnote 3 "we normalize the suppression factor to unity": a **per-electron** cross
  section suppressed by :math:`N_{\rm eff}/Z\in[0,1]` -> :func:`stepping`; the rate then uses
  :math:`Z\times` (number of atoms) electrons. Both give the same event rate:
  per atom = Z x per electron.

So ``per_atom(dsigma_free, T, el) == Z * stepping(T, el) * dsigma_free``.
"""
from __future__ import annotations

import csv
import functools
from dataclasses import dataclass

import numpy as np

from . import data
from ._validate import nonnegative
from .errors import DataFileError, UnknownTargetError

__all__ = ["Shells", "shells", "elements", "n_effective", "stepping", "per_atom", "stepped"]

_FILE = "atomic_binding/shell_binding_energies_geant4.csv"
_ALIASES = {"argon": "Ar", "germanium": "Ge", "iodine": "I", "xenon": "Xe", "caesium": "Cs",
            "cesium": "Cs"}


@dataclass(frozen=True)
class Shells:
    """Subshells of one element: ``labels``, ``binding`` [MeV] and ``occupancy`` (electrons),
    in the Geant4 order (innermost first); ``Z`` the atomic number."""
    element: str
    Z: int
    labels: tuple
    binding: np.ndarray
    occupancy: np.ndarray


@functools.lru_cache(maxsize=1)
def _table() -> dict:
    p = data.path(_FILE)
    rows: dict = {}
    with open(p, newline="") as fh:
        for rec in csv.reader(line for line in fh if line.strip() and not line.startswith("#")):
            # labels may contain an unquoted comma ("N2(4p,valence)"): first 3 and last 2 fields
            # are fixed, the label is whatever lies between them
            rec = [x.strip() for x in rec]
            el, Z, b_ev, n = rec[0], rec[1], rec[-2], rec[-1]
            label = ",".join(rec[3:-2])
            rows.setdefault(el, {"Z": int(Z), "lab": [], "b": [], "n": []})
            rows[el]["lab"].append(label)
            rows[el]["b"].append(float(b_ev) * 1e-6)  # eV -> MeV
            rows[el]["n"].append(int(n))
    out = {}
    for el, r in rows.items():
        occ = np.array(r["n"], dtype=float)
        if int(occ.sum()) != r["Z"]:
            raise DataFileError(f"{p}: occupancies of {el} sum to {occ.sum()}, not Z={r['Z']}")
        b = np.array(r["b"])
        b.setflags(write=False)
        occ.setflags(write=False)
        out[el] = Shells(el, r["Z"], tuple(r["lab"]), b, occ)
    return out


def elements() -> tuple:
    """Element symbols available in the binding-energy table."""
    return tuple(_table())


def _key(element) -> str:
    s = str(element).strip()
    tab = _table()
    if s in tab:
        return s
    low = s.lower()
    for k in tab:
        if k.lower() == low:
            return k
    if low in _ALIASES and _ALIASES[low] in tab:
        return _ALIASES[low]
    raise UnknownTargetError(f"no atomic binding energies for {element!r}; available: {elements()}")


def shells(element) -> Shells:
    """:class:`Shells` of ``element`` (symbol like "Xe" or name like "xenon"); binding energies
    in MeV. Raises :class:`~nuemcore.errors.UnknownTargetError` for an element not tabulated."""
    return _table()[_key(element)]


def n_effective(T, element):
    r"""Number of electrons that can be ionised by an energy deposit ``T`` [MeV]:
    :math:`N_{\rm eff}(T) = \sum_i n_i\,\Theta(T-B_i)` with :math:`B_i\le T` counted (Geant4).
    0 below the outermost (smallest) binding energy, Z above the K shell. Broadcasts over T."""
    sh = shells(element)
    T = nonnegative("T", T)
    order = np.argsort(sh.binding)
    b = sh.binding[order]
    cum = np.concatenate([[0.0], np.cumsum(sh.occupancy[order])])
    idx = np.searchsorted(b, T, side="right")  # number of shells with B_i <= T
    out = cum[idx]
    return out if np.ndim(out) else float(out)


def stepping(T, element):
    r"""Suppression factor :math:`N_{\rm eff}(T)/Z\in[0,1]` of 003 eq. (16) (normalised to unity,
    their footnote 3): multiply a free-electron cross section to get the bound one **per
    electron**."""
    return n_effective(T, element) / shells(element).Z


def per_atom(dsigma_free, T, element):
    r"""Per-atom cross section :math:`N_{\rm eff}(T)\,d\sigma_{\rm free}/dT` (002 eq. 16) [same
    unit as ``dsigma_free``, e.g. cm^2/MeV per atom].

    ``dsigma_free``: values on ``T`` (array broadcasting with ``T``) or a callable ``f(T)``."""
    vals = dsigma_free(T) if callable(dsigma_free) else dsigma_free
    out = np.asarray(n_effective(T, element)) * np.asarray(vals, dtype=float)
    return out if np.ndim(out) else float(out)


def stepped(xsec_per_electron_values, T, element):
    """Alias of :func:`per_atom` (name in the team contract): per-electron free values -> per atom."""
    return per_atom(xsec_per_electron_values, T, element)
