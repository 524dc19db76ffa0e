"""XENONnT solar-8B CEvNS official data release: events, 4-D templates, mono-energetic NR
efficiencies, and the YBe-calibrated NR charge yield.

Sources (read in place through :func:`nuemcore.data.path`; see the PROVENANCE.md files):

* ``xenonnt_b8_cevns/`` -- XENONnT ``cevns_data_release`` (CC-BY-4.0, Zenodo 10.5281/zenodo.20576156):
  post-selection events of SR0, SR1, SR2 (``data/sr*.csv``, 4 observables), the 3x3x3x3 binning
  (``binning/sr*.yaml``; the same edges are stored in every template), the accidental-coincidence
  (AC), electronic-recoil (ER) and radiogenic-neutron (``rg``) templates in **events/(t yr)** per
  bin, and the **dimensionless** detection efficiency per bin of mono-energetic nuclear recoils
  (``mono``, E_NR = 0.5 to 5.0 keV in 0.1 keV steps), each at the 49 light-/charge-yield variants
  ``tly, tqy`` in {-3, ..., 3} sigma (7x7 grid, ``YIELD_VARIANTS.md``; :func:`mono_variants`), like
  the radiogenic-neutron templates (:func:`neutron_variants`).
  SR0+SR1 are the data of XENON, PRL 133, 191002 (2024), arXiv:2408.02877 (37 events, 3.51 t yr);
  SR0+SR1+SR2 those of arXiv:2604.06002.
* ``xenonnt_lightwimp/`` -- XENONnT ``light_wimp_data_release`` (PRL 134, 111802, arXiv:2409.17868):
  the charge yield Q_y [electrons/keV] versus E_NR (YBe calibration; median and 1-sigma band) and
  the collaboration's own 8B CEvNS templates for SR0 and SR1 (events/(t yr), used as the SM check).

HDF5 layout (multihist / ``inference_interface`` format, read here with h5py directly):
``templates/template`` (3, 3, 3, 3) float64 and ``bins/0..3`` the edges, each with a ``name``
attribute (cs2, s2_shadow_s2_time_shadow[_quantile], s1_bdt_score, s2_bdt_score).

Units: energies in **keV_NR** (the release's unit; names say so), cS2 in PE, exposures in t yr,
background templates in events/(t yr), efficiencies dimensionless.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np

from ..data import MalformedDataError, path as data_path, read_rows
from ..errors import DataFileError, NuemError

#: science runs in the release
SCIENCE_RUNS = ("sr0", "sr1", "sr2")
#: exposures [t yr] (release's example notebook; SR0+SR1 = 3.517, paper 004 quotes 3.51)
EXPOSURE_T_YR = {"sr0": 1.174398, "sr1": 2.342593, "sr2": 3.249665}
#: observed events per run (release PROVENANCE; checked on load)
N_EVENTS = {"sr0": 9, "sr1": 28, "sr2": 25}
#: S2 gain g2 [PE/electron] used by paper 004 eq. (12)
G2_PE_PER_ELECTRON = 16.9
#: energies [keV_NR] of the mono-energetic NR efficiency templates
MONO_ENERGIES_KEV = np.round(np.arange(0.5, 5.0001, 0.1), 1)
#: the release's yield-nuisance grid [sigma] of the tly (light yield) and tqy (charge yield)
#: variants of the mono and neutron templates; the nuisances are in units of their 1-sigma
#: uncertainty, so their constraint is a unit Gaussian centred on 0
YIELD_GRID = np.arange(-3.0, 3.0001, 1.0)
#: observable names (order of the 4 template axes)
OBSERVABLES = ("cs2", "s2_shadow_s2_time_shadow_quantile", "s1_bdt_score", "s2_bdt_score")

_B8 = "xenonnt_b8_cevns/"
_LW = "xenonnt_lightwimp/data/"


def _run(sr) -> str:
    s = str(sr).strip().lower()
    if s in ("0", "1", "2"):
        s = "sr" + s
    if s not in SCIENCE_RUNS:
        raise NuemError(f"unknown XENONnT science run {sr!r}; expected one of {SCIENCE_RUNS}")
    return s


def read_template(relpath: str):
    """(histogram (3,3,3,3) float array, [4 edge arrays]) of one release HDF5 template."""
    import h5py

    p = data_path(relpath)
    try:
        with h5py.File(p, "r") as f:
            h = np.array(f["templates/template"][...], dtype=float)
            edges = [np.array(f[f"bins/{i}"][...], dtype=float) for i in range(h.ndim)]
    except (KeyError, OSError) as exc:  # pragma: no cover - corrupt file
        raise DataFileError(f"{p}: not a multihist template ({exc})") from exc
    if any(e.size != n + 1 for e, n in zip(edges, h.shape)):
        raise DataFileError(f"{p}: edges do not match the histogram shape {h.shape}")
    return h, edges


def _read_events(sr: str) -> np.ndarray:
    p = data_path(f"{_B8}data/{sr}.csv")
    with p.open() as f:                     # the header only; read_rows reads the numbers
        head = [c.strip() for c in f.readline().split(",")]
    cols = [head.index(o) for o in OBSERVABLES]
    # a malformed row raises MalformedDataError naming the file and line
    rows = read_rows(f"{_B8}data/{sr}.csv", ncols=len(head), skip=1, delimiter=",")
    return np.array(rows, dtype=float)[:, cols]


def _read_binning(sr: str):
    """Edges from ``binning/<sr>.yaml`` (simple 'key:' / '- value' lists; no yaml dependency)."""
    out, key = {}, None
    p = data_path(f"{_B8}binning/{sr}.yaml")
    for i, ln in enumerate(p.read_text().splitlines(), start=1):
        s = ln.strip()
        if not s:
            continue
        if s.endswith(":"):
            key = s[:-1]
            out[key] = []
            continue
        try:
            if not s.startswith("-") or key is None:
                raise ValueError
            out[key].append(float(s[1:]))
        except ValueError:
            raise MalformedDataError(f"{p}, line {i}: not 'key:' or '- number': {ln!r}") from None
    return [np.array(out[o]) for o in OBSERVABLES]


@dataclass(frozen=True)
class ScienceRun:
    """One XENONnT science run of the 8B release.

    ``events`` (n, 4) observables; ``edges`` 4 edge arrays; ``data`` (3,3,3,3) observed counts;
    ``ac``, ``er``, ``neutron`` templates [events/(t yr)] (neutron at nominal yields);
    ``mono`` (46, 3,3,3,3) efficiency per bin for a mono-energetic NR at ``MONO_ENERGIES_KEV``;
    ``b8`` the collaboration's 8B CEvNS template [events/(t yr)] (SR0/SR1 only, else None);
    ``exposure`` [t yr].
    """
    name: str
    events: np.ndarray
    edges: tuple
    data: np.ndarray
    ac: np.ndarray
    er: np.ndarray
    neutron: np.ndarray
    mono: np.ndarray
    b8: np.ndarray | None
    exposure: float

    @property
    def n_bins(self) -> int:
        return int(self.data.size)

    def background_counts(self) -> dict:
        """{"ac", "er", "neutron"}: expected background events (template x exposure), flattened."""
        return {k: getattr(self, k).ravel() * self.exposure for k in ("ac", "er", "neutron")}

    def efficiency(self) -> np.ndarray:
        """Total NR detection efficiency at ``MONO_ENERGIES_KEV`` (mono templates summed over bins)."""
        return self.mono.reshape(self.mono.shape[0], -1).sum(axis=1)

    def project(self, hist, axis: int = 0) -> np.ndarray:
        """Sum a (3,3,3,3) histogram (or (..., 3,3,3,3)) over every observable but ``axis``."""
        h = np.asarray(hist, float)
        nd = h.ndim
        keep = nd - 4 + axis
        return h.sum(axis=tuple(i for i in range(nd - 4, nd) if i != keep))


def neutron_template(sr, tly: float = 0.0, tqy: float = 0.0) -> np.ndarray:
    """Radiogenic-neutron template [events/(t yr)] at the yield nuisances (tly, tqy) in {-3..3}."""
    s = _run(sr)
    a, b = _check_yield("tly", tly), _check_yield("tqy", tqy)
    return read_template(f"{_B8}templates/{s}/rg/template_XENONnT_{s}_rg_cevns_tly_{a:.1f}"
                         f"_tqy_{b:.1f}.h5")[0]


def _check_yield(name, v):
    x = float(v)
    if not np.any(np.isclose(x, YIELD_GRID, rtol=0, atol=1e-9)):
        raise NuemError(f"{name} = {v!r} is not a node of the release's yield grid "
                        f"{YIELD_GRID.tolist()} [sigma]")
    return x


def mono_template(sr, E_keV: float, tly: float = 0.0, tqy: float = 0.0) -> np.ndarray:
    """Dimensionless efficiency per bin (3,3,3,3) of a mono-energetic NR of ``E_keV`` [keV_NR]
    (one of ``MONO_ENERGIES_KEV``) at the yield nuisances ``tly``, ``tqy`` [sigma] in {-3..3}."""
    s = _run(sr)
    E = float(E_keV)
    if not np.any(np.isclose(E, MONO_ENERGIES_KEV, rtol=0, atol=1e-9)):
        raise NuemError(f"E_keV = {E_keV!r} is not a mono template energy (0.5 to 5.0 keV_NR, "
                        "0.1 keV steps)")
    a, b = _check_yield("tly", tly), _check_yield("tqy", tqy)
    return read_template(f"{_B8}templates/{s}/mono/template_XENONnT_{s}_mono_{E:.3f}_cevns_tly_"
                         f"{a:.1f}_tqy_{b:.1f}.h5")[0]


@functools.lru_cache(maxsize=None)
def mono_variants(sr) -> np.ndarray:
    """All mono templates of a run at every yield variant: array (7, 7, 46, 3, 3, 3, 3), axes
    (tly, tqy) on ``YIELD_GRID`` [sigma], energy on ``MONO_ENERGIES_KEV`` [keV_NR], then the four
    observables; dimensionless efficiency per bin.  Read once (2,254 files per run) and cached."""
    s = _run(sr)
    out = np.stack([np.stack([np.stack([mono_template(s, E, a, b) for E in MONO_ENERGIES_KEV])
                              for b in YIELD_GRID]) for a in YIELD_GRID])
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=None)
def neutron_variants(sr) -> np.ndarray:
    """Radiogenic-neutron templates [events/(t yr)] at every yield variant: (7, 7, 3, 3, 3, 3),
    axes (tly, tqy) on ``YIELD_GRID`` [sigma]."""
    s = _run(sr)
    out = np.stack([np.stack([neutron_template(s, a, b) for b in YIELD_GRID]) for a in YIELD_GRID])
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=None)
def load(sr) -> ScienceRun:
    """Load one science run (cached).  Raises DataFileError naming a missing/changed file."""
    s = _run(sr)
    T = f"{_B8}templates/{s}/"
    ac, edges = read_template(f"{T}ac/template_XENONnT_{s}_ac_cevns.h5")
    er, e2 = read_template(f"{T}er/template_XENONnT_{s}_er_cevns.h5")
    rg = neutron_template(s)
    mono = np.stack([read_template(f"{T}mono/template_XENONnT_{s}_mono_{E:.3f}_cevns_tly_0.0_tqy_0.0.h5")[0]
                     for E in MONO_ENERGIES_KEV])
    yaml_edges = _read_binning(s)
    for a, b in zip(edges, yaml_edges):
        if a.shape != b.shape or not np.allclose(a, b, rtol=1e-9, atol=1e-9):
            raise DataFileError(f"{s}: template edges differ from binning/{s}.yaml")
    ev = _read_events(s)
    if ev.shape[0] != N_EVENTS[s]:
        raise DataFileError(f"{s}: expected {N_EVENTS[s]} events, found {ev.shape[0]}")
    data, _ = np.histogramdd(ev, bins=edges)
    if int(round(data.sum())) != ev.shape[0]:
        raise DataFileError(f"{s}: {ev.shape[0] - int(data.sum())} events outside the binning")
    b8 = None
    if s in ("sr0", "sr1"):
        b8 = read_template(f"{_LW}b8/template_XENONnT_{s}_b8_cevns_tly_0.0_tqy_0.0.h5")[0]
    arrs = [ev, data, ac, er, rg, mono] + ([b8] if b8 is not None else []) + list(edges)
    for a in arrs:
        a.setflags(write=False)
    return ScienceRun(name=s, events=ev, edges=tuple(edges), data=data, ac=ac, er=er, neutron=rg,
                      mono=mono, b8=b8, exposure=EXPOSURE_T_YR[s])


# ----------------------------------------------------------------------------- charge yield
@functools.lru_cache(maxsize=None)
def _qy_table(band: str):
    if band not in ("median", "lower", "upper"):
        raise NuemError("Qy band must be 'median', 'lower' or 'upper'")
    d = json.loads(data_path(f"{_LW}signal/qy_ybe_model_{band}.json").read_text())
    E = np.asarray(d["coordinate_system"], float)
    q = np.asarray(d["map"], float)
    return E, q


def charge_yield(E_keV, band: str = "median"):
    """XENONnT YBe-calibrated NR charge yield Q_y [electrons/keV] at E_NR [keV] (log-log
    interpolation of the 0.3-10 keV table; 0 below 0.3 keV, constant above 10 keV).
    ``band``: "median" (default), "lower", "upper" (1 sigma)."""
    E, q = _qy_table(band)
    x = np.asarray(E_keV, float)
    with np.errstate(divide="ignore"):
        y = np.exp(np.interp(np.log(np.clip(x, E[0], E[-1])), np.log(E), np.log(q)))
    return np.where(x < E[0], 0.0, y)


def n_pe(E_keV, g2: float = G2_PE_PER_ELECTRON, band: str = "median"):
    """Paper 004 eq. (12): number of S2 photoelectrons n_PE = T Q_y(T) g2 for an NR of T [keV]."""
    E = np.asarray(E_keV, float)
    return E * charge_yield(E, band) * g2


def energy_for_pe(pe, g2: float = G2_PE_PER_ELECTRON, band: str = "median"):
    """Inverse of :func:`n_pe` [keV_NR] (n_PE is monotonic in T over 0.3-10 keV)."""
    E = np.geomspace(0.3, 10.0, 4001)
    y = n_pe(E, g2, band)
    if np.any(np.diff(y) <= 0):  # pragma: no cover - guards a changed table
        raise NuemError("n_PE(T) is not monotonic; cannot invert")
    return np.interp(np.asarray(pe, float), y, E, left=np.nan, right=np.nan)


@functools.lru_cache(maxsize=None)
def cevns_reference_spectrum():
    """The light-WIMP release's 8B CEvNS NR spectrum: (E [keV], CDF, total rate as stored
    [probably events/(t yr) above 0.45 keV; the units are not stated])."""
    d = json.loads(data_path(f"{_LW}signal/cevns_spectrum.json").read_text())
    return np.asarray(d["map"], float), np.asarray(d["coordinate_system"], float), float(d["rate"])


def combined(runs=("sr0", "sr1")):
    """List of :class:`ScienceRun` for ``runs`` (e.g. ("sr0", "sr1") = the 2024 paper's data)."""
    return [load(r) for r in runs]
