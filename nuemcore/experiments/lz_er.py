"""LZ low-energy electronic-recoil spectra, WS2022 and WS2024: **THIRD-PARTY tables**.

Source: ``lz_er_thirdparty/`` = files of the SNuDD repository (github.com/SNuDD/SNuDD @ 11622ded,
``snudd/data/exps/LZ2025/``; GPL-3.0), see that folder's PROVENANCE.md.  No official LZ ER data
release was found; SNuDD attributes the efficiencies to arXiv:2511.17350 (not checked by us).
The WS2022 observed counts are integers (a table, not a digitisation); the WS2024 background fit is
on a non-uniform grid (digitised).  Use for cross-checks and labelled bounds only.

Exposures [t yr] as used by SNuDD: WS2022 0.9, WS2024 3.3 (not independently verified).
Energies in keV_ee; counts per 1-keV bin (bin centres 0.5, 1.5, ...); efficiency dimensionless.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..data import read_rows
from ..errors import NuemError

LABEL = "LZ (third-party table via SNuDD)"
#: exposures [t yr] (SNuDD; unverified)
EXPOSURE_T_YR = {"WS2022": 0.9, "WS2024": 3.3}
_DIR = "lz_er_thirdparty/"


def _table(name):
    # a malformed row raises MalformedDataError naming the file and line (never dropped)
    return np.array(read_rows(_DIR + name), float)


@dataclass(frozen=True)
class LZER:
    """One LZ ER dataset: bin ``edges`` [keV_ee], ``observed`` and ``background`` counts per bin,
    efficiency table (``eff_energy`` [keV_ee], ``eff_values``), ``exposure`` [t yr], ``label``."""
    run: str
    edges: np.ndarray
    observed: np.ndarray
    background: np.ndarray
    eff_energy: np.ndarray
    eff_values: np.ndarray
    exposure: float
    label: str = LABEL

    def efficiency(self, E_keV):
        """Efficiency at E [keV_ee] (linear interpolation; 0 below, last value above the table)."""
        return np.interp(np.asarray(E_keV, float), self.eff_energy, self.eff_values, left=0.0,
                         right=float(self.eff_values[-1]))


@functools.lru_cache(maxsize=None)
def load(run: str = "WS2022") -> LZER:
    """Load ``run`` ("WS2022" or "WS2024").  The background table is interpolated to the data's
    bin centres (WS2024's is digitised on its own grid)."""
    r = str(run).upper()
    if r not in EXPOSURE_T_YR:
        raise NuemError(f"unknown LZ run {run!r}; expected WS2022 or WS2024")
    d = _table(f"{r}_data_hist_data.txt")
    b = _table(f"BKG_FIT_{r}.csv")
    e = _table(f"{r}_1DROI_eff_data.txt")
    centres = d[:, 0]
    edges = np.concatenate([centres - 0.5, [centres[-1] + 0.5]])
    bkg = np.interp(centres, b[:, 0], b[:, 1], left=0.0, right=0.0)
    return LZER(run=r, edges=edges, observed=d[:, 1].copy(), background=np.clip(bkg, 0, None),
                eff_energy=e[:, 0], eff_values=e[:, 1], exposure=EXPOSURE_T_YR[r])
