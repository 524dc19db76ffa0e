"""PandaX-4T Run1 electronic-recoil spectrum and the 8B NR efficiency: **THIRD-PARTY, digitised**.

Source: ``pandax4t_thirdparty/`` = files of the SNuDD repository (github.com/SNuDD/SNuDD @ 11622ded,
``snudd/data/exps/pandaX/``; GPL-3.0), see that folder's PROVENANCE.md.  The ER counts are
non-integer (digitised from a figure); SNuDD's exposure is 363.3 t day (= 0.995 t yr), the paper is
most likely PandaX-4T arXiv:2408.07641.  Paper 004 used the PandaX-4T *commissioning-run* ER data
(PRL 129, 161804, arXiv:2206.02339), which are not in the stored sources.  The binned 8B CEvNS
data and backgrounds of PandaX-4T (arXiv:2407.10892) are not available either: only its NR
efficiency curve (digitised) is, loaded by :func:`b8_nr_efficiency`.

Energies in keV (keV_ee for ER, keV_NR for the NR efficiency); counts per 1-keV bin.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..data import read_rows

LABEL = "PandaX-4T Run1 (third-party digitisation via SNuDD)"
#: exposure [t yr]: 363.3 t day (SNuDD's notebook)
EXPOSURE_T_YR = 363.3 / 365.25
_DIR = "pandax4t_thirdparty/"


def _table(name):
    # a malformed row raises MalformedDataError naming the file and line (never dropped)
    return np.array(read_rows(_DIR + name, text_header=True), float)


@dataclass(frozen=True)
class PandaXER:
    """Run1 ER: bin ``edges`` [keV_ee], ``observed`` and ``background`` counts per bin (digitised,
    non-integer), efficiency table, ``exposure`` [t yr], ``label``."""
    edges: np.ndarray
    observed: np.ndarray
    background: np.ndarray
    eff_energy: np.ndarray
    eff_values: np.ndarray
    exposure: float = EXPOSURE_T_YR
    label: str = LABEL

    def efficiency(self, E_keV):
        """Efficiency at E [keV_ee] (linear interpolation, 0 below / last value above the table)."""
        return np.interp(np.asarray(E_keV, float), self.eff_energy, self.eff_values, left=0.0,
                         right=float(self.eff_values[-1]))


@functools.lru_cache(maxsize=None)
def load() -> PandaXER:
    """Load the Run1 ER tables (counts per 1-keV bin, centres 0.5-29.5 keV_ee)."""
    d = _table("run1_evts.csv")
    b = _table("run1_bkg.csv")
    e = _table("efficiency_ER_run1.csv")
    c = d[:, 0]
    edges = np.concatenate([c - 0.5, [c[-1] + 0.5]])
    bkg = np.interp(c, b[:, 0], b[:, 1])
    return PandaXER(edges=edges, observed=np.clip(d[:, 1], 0, None), background=np.clip(bkg, 0, None),
                    eff_energy=e[:, 0], eff_values=e[:, 1])


@functools.lru_cache(maxsize=None)
def b8_nr_efficiency():
    """(E_NR [keV], efficiency) of the PandaX-4T 8B CEvNS analysis (digitised, 0.64-2.97 keV)."""
    t = _table("pandax4t_8B_nr_efficiency.csv")
    return t[:, 0], t[:, 1]
