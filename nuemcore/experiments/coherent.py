r"""COHERENT at the SNS: CsI[Na] 2017 and CENNS-10 liquid argon (analysis A), plus the CENNS-750
projection, as used in paper 003 sec. 3.2 (Miranda et al., JHEP 12 (2021) 191).

Everything here is in the package units (MeV, cm, s) except where a name says otherwise
(``_PE``, ``_keVee``, ``_keVnr``).  Counts are events per analysis bin.

CsI[Na] 2017 (COHERENT, Science 357 (2017) 1123; data release arXiv:1804.09459)
--------------------------------------------------------------------------------
* **Data** (official release, ``coherent_csi_2017/``): beam-on coincidence (C) minus
  anticoincidence (AC) counts with arrival time t < 6 us, in 2-PE bins; paper 003 eq. (24) uses the
  12 bins i = 4..15, i.e. 6 <= PE < 30.  The steady-state background B_ss is the AC beam-on
  spectrum in the same window, the prompt-neutron background B_0n the release's ``promptPDF``
  (per GWhr, 1-PE bins) x 7.47594 GWhr (all prompt neutrons arrive before 6 us).
* **Exposure**: 14.57 kg CsI, L = 19.3 m, r = 0.08 nu/flavour/POT, 1.76e23 POT (paper 003 ref. [34]).
* **Response**: nuclear recoil T -> electron-equivalent energy with the energy-dependent quenching
  of the 2019 calibration (Collar et al. PRD 100 (2019) 033003), whose released polynomial is in
  the 2021 COHERENT files (``coherent_csi_2021_partial/scintRespCoefficients.txt``, nominal):
  :math:`E_{ee} = a x + b x^2 + c x^3 + d x^4`, x = T [MeVnr];
  light yield 13.348 PE/keVee (paper 003, ref. [55]); acceptance
  :math:`\epsilon(n) = 0.6655/(1 + e^{-0.4942 (n - 10.8507)})` in PE, 0 below 5 PE and halved in
  [5, 6) PE (2017 release values, as quoted in ``notes_not_found``), applied at the mean PE.
  No PE smearing (as paper 003 describes its procedure); ``smearing="poisson"`` is available.
* **Form factor**: Klein-Nystrand (paper 003 footnote 2); sin^2 theta_W = 0.2312 (paper 003).
* **Time cut**: the t < 6 us window keeps all prompt nu_mu and 91.5 % of the delayed nu_e,
  nubar_mu (release arrival-time PDFs); applied to the prediction.

CENNS-10 LAr, analysis A (COHERENT, PRL 126 (2021) 012002; release arXiv:2006.12659)
-----------------------------------------------------------------------------------
* ``energydata1d.txt``: 12 bins of 10 keVee on [0, 120] keVee; steady-state-subtracted data and
  their statistical errors, the best-fit CEvNS and BRN (prompt + delayed) spectra.
* Prompt (PBRN) and late (LBRN) beam-related-neutron spectra: the energy projections of the
  release's 3D PDFs ``brnpdf.txt`` and ``delbrnpdf.txt`` normalised to the best-fit 553 and 10
  events (their sum reproduces the file's BRN column).
* Exposure: 24.4 kg, L = 27.5 m, r = 0.09, 13.8e22 POT (``LArParametersAnlA.yaml``).
* Response: QF = 0.246 + 7.8e-4 T[keVnr], Gaussian sigma/E = 0.58/sqrt(E[keVee]), the release's
  acceptance (``CENNS10AnlAEfficiency.txt``, applied in reconstructed keVee). Helm form factor.
* Statistics: paper 003 eq. (25) with sigma_CEvNS = 13.4 %, sigma_PBRN = 32 %, sigma_LBRN = 100 %,
  sigma_BRNES = 1.7 % (in the variance).

CENNS-750 (future, modelled)
----------------------------
610 kg fiducial LAr, 3 years (paper 003, ref. [63]).  Our modelled inputs (not in paper 003):
L = 27.5 m, 1.4 MW x 5000 h per year = 7 GWhr/yr at 2.255e22 POT/GWhr (the CENNS-10 ratio
13.8e22/6.12), r = 0.09; the CENNS-10 response; backgrounds = the CENNS-10 BRN and steady-state
spectra scaled by mass x POT (paper 003 takes them from its ref. [29], not available here);
Asimov data = SM + BRN.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..constants import SIN2W_003
from .. import nuclear
from ..data import load_table
from ..detector import response_matrix
from ..flux.pion_dar import pion_dar_flux
from ..rates import RateEngine
from ..xsec import nucleus as xn
from ..errors import NuemError

#: neutrino species of the SNS pi-DAR flux
SNS_SPECIES = ("nu_mu", "nu_e", "nubar_mu")

# ----------------------------------------------------------------------------- CsI 2017 inputs
CSI_MASS_KG = 14.57
CSI_L_CM = 1930.0
CSI_R = 0.08
CSI_POT = 1.76e23
CSI_GWHR = 7.47594
CSI_LIGHT_YIELD = 13.348             # PE / keVee
CSI_ACCEPTANCE = (0.6655, 0.4942, 10.8507)   # a, k, x0 [PE]
CSI_BIN_EDGES_PE = np.arange(6.0, 31.0, 2.0)  # 12 bins, paper 003 eq. 24 (i = 4..15)
CSI_TIME_CUT_US = 6.0
CSI_SIGMA_SIGNAL = 0.128             # eq. 24 sigma_a1
CSI_SIGMA_BKG = 0.25                 # eq. 24 sigma_a2
#: nominal 2019 scintillation response (Eee [MeVee] = sum c_k x^(k+1), x in MeVnr)
CSI_QF_POLY = (0.0554628, 4.30681, -111.707, 840.384)
#: flat quenching of the 2017 paper (for comparison only)
CSI_QF_FLAT_2017 = 0.0878

# ----------------------------------------------------------------------------- LAr 2020 inputs
LAR_MASS_KG = 24.4
LAR_L_CM = 2750.0
LAR_R = 0.09
LAR_POT = 13.8e22
LAR_GWHR = 6.12
LAR_QF = (0.246, 7.8e-4)            # QF = a + b T[keVnr]
LAR_RES = 0.58                      # sigma/E = 0.58 / sqrt(E keVee)
LAR_BIN_EDGES_KEVEE = np.arange(0.0, 121.0, 10.0)
LAR_BESTFIT = {"cevns": 159.0, "pbrn": 553.0, "lbrn": 10.0}
LAR_PREDICTED_CEVNS = 128.0
LAR_SIGMAS = {"cevns": 0.134, "pbrn": 0.32, "lbrn": 1.0, "brnes": 0.017}

# ----------------------------------------------------------------------------- CENNS-750 (modelled)
CENNS750_MASS_KG = 610.0
CENNS750_YEARS = 3.0
CENNS750_GWHR_PER_YEAR = 7.0
POT_PER_GWHR = LAR_POT / LAR_GWHR
CENNS750_POT = CENNS750_YEARS * CENNS750_GWHR_PER_YEAR * POT_PER_GWHR


def _nuclei(formula, mass_kg):
    return {s: n * mass_kg for s, n in nuclear.nuclei_per_kg(formula).items()}


# ----------------------------------------------------------------------------- data loaders
@dataclass(frozen=True)
class CsIData:
    """CsI 2017 binned data in the 12 analysis bins (6-30 PE, 2-PE wide)."""
    edges_PE: np.ndarray
    observed: np.ndarray        #: C - AC beam-on, t < 6 us
    steady_state: np.ndarray    #: AC beam-on, t < 6 us (B_ss)
    prompt_neutrons: np.ndarray  #: B_0n (promptPDF x GWhr, rebinned)
    coincidence: np.ndarray     #: C beam-on, t < 6 us


@functools.lru_cache(maxsize=1)
def load_csi2017() -> CsIData:
    """Read the official 2017 release files (see module docstring) and bin them."""
    C = load_table("coherent_csi_2017/data_coincidence_beamOn.txt", delimiter=",", comments="#")
    A = load_table("coherent_csi_2017/data_anticoincidence_beamOn.txt", delimiter=",", comments="#")
    P = load_table("coherent_csi_2017/promptPDF.txt", delimiter=",", comments="#")
    e = CSI_BIN_EDGES_PE
    def binned(arr):
        m = arr[:, 1] < CSI_TIME_CUT_US
        h, _ = np.histogram(arr[m, 0], bins=e, weights=arr[m, 2])
        return h
    c, ac = binned(C), binned(A)
    pn, _ = np.histogram(P[:, 0], bins=e, weights=P[:, 1] * CSI_GWHR)
    return CsIData(edges_PE=e.copy(), observed=c - ac, steady_state=ac, prompt_neutrons=pn,
                   coincidence=c)


def csi_quenched_keVee(T):
    """Electron-equivalent energy [keVee] of a Cs/I recoil T [MeV] (2019 polynomial, nominal)."""
    x = np.asarray(T, float)
    a, b, c, d = CSI_QF_POLY
    return 1e3 * (a * x + b * x ** 2 + c * x ** 3 + d * x ** 4)


def csi_mean_PE(T, quenching="2019"):
    """Mean photo-electron number for a recoil T [MeV]: LY x Eee.  ``quenching`` "2019"
    (polynomial, default) or "flat2017" (QF = 0.0878)."""
    if quenching == "2019":
        return CSI_LIGHT_YIELD * csi_quenched_keVee(T)
    if quenching == "flat2017":
        return CSI_LIGHT_YIELD * CSI_QF_FLAT_2017 * 1e3 * np.asarray(T, float)
    raise NuemError("quenching must be '2019' or 'flat2017'")


def csi_acceptance(n_PE):
    """2017 acceptance vs PE (0 below 5 PE, halved in [5, 6))."""
    n = np.asarray(n_PE, float)
    a, k, x0 = CSI_ACCEPTANCE
    eps = a / (1.0 + np.exp(-k * (n - x0)))
    eps = np.where(n < 5.0, 0.0, eps)
    return np.where((n >= 5.0) & (n < 6.0), 0.5 * eps, eps)


@functools.lru_cache(maxsize=1)
def csi_time_fractions():
    """Fraction of prompt (nu_mu) and delayed (nu_e, nubar_mu) neutrinos arriving before 6 us."""
    out = {}
    for key, f in (("prompt", "arrivalTimePDF_promptNeutrinos.txt"),
                   ("delayed", "arrivalTimePDF_delayedNeutrinos.txt")):
        a = load_table("coherent_csi_2017/" + f, delimiter=",", comments="#")
        out[key] = float(a[a[:, 0] < CSI_TIME_CUT_US, 1].sum() / a[:, 1].sum())
    return {"nu_mu": out["prompt"], "nu_e": out["delayed"], "nubar_mu": out["delayed"]}


@dataclass(frozen=True)
class LArData:
    """CENNS-10 analysis A energy spectrum (12 bins of 10 keVee)."""
    edges_keVee: np.ndarray
    observed: np.ndarray     #: steady-state-subtracted counts
    sigma: np.ndarray        #: statistical error
    cevns_bestfit: np.ndarray
    brn_bestfit: np.ndarray  #: prompt + delayed (file column)
    pbrn: np.ndarray         #: prompt BRN, normalised to 553
    lbrn: np.ndarray         #: delayed BRN, normalised to 10
    steady_state: np.ndarray  #: SS background projection normalised to 3131 (for CENNS-750)


def _project_energy(fname, edges):
    a = load_table("coherent_lar_2020/" + fname)
    h, _ = np.histogram(a[:, 0], bins=edges, weights=a[:, 3])
    return h / h.sum()


@functools.lru_cache(maxsize=1)
def load_lar2020() -> LArData:
    d = load_table("coherent_lar_2020/energydata1d.txt", skiprows=1)
    e = LAR_BIN_EDGES_KEVEE
    return LArData(edges_keVee=e.copy(), observed=d[:, 1], sigma=d[:, 2], cevns_bestfit=d[:, 3],
                   brn_bestfit=d[:, 4], pbrn=LAR_BESTFIT["pbrn"] * _project_energy("brnpdf.txt", e),
                   lbrn=LAR_BESTFIT["lbrn"] * _project_energy("delbrnpdf.txt", e),
                   steady_state=3131.0 * _project_energy("bkgpdf.txt", e))


@functools.lru_cache(maxsize=1)
def _lar_eff_table():
    a = load_table("coherent_lar_2020/CENNS10AnlAEfficiency.txt")
    return a[:, 0], a[:, 2]


def lar_acceptance(E_keVee):
    """CENNS-10 analysis-A acceptance vs reconstructed energy [keVee] (release table)."""
    x, y = _lar_eff_table()
    return np.interp(np.asarray(E_keVee, float), x, y, left=0.0, right=y[-1])


def lar_quenched_keVee(T):
    """Electron-equivalent energy [keVee] of an Ar recoil T [MeV]: T_keV (0.246 + 7.8e-4 T_keV)."""
    t = 1e3 * np.asarray(T, float)
    return t * (LAR_QF[0] + LAR_QF[1] * t)


# ----------------------------------------------------------------------------- generic machinery
@dataclass(frozen=True)
class NuclearSetup:
    """A CEvNS experiment: targets {element: nuclei}, flux, true-recoil grid T [MeV], response
    matrix R (n_bins, n_T) [MeV], species, per-species factors (time cut), form factor."""
    key: str
    targets: tuple            # ((symbol, n_nuclei), ...)
    flux: object
    T: np.ndarray
    R: np.ndarray
    species: tuple
    species_factor: tuple     # ((species, factor), ...)
    form_factor: str
    sin2w: float = SIN2W_003


def _unit_spectra(setup: NuclearSetup, m4: float, which: str):
    """{species: counts per bin} for the SM ("sm") or the dipole portal at mu = 1 mu_B ("mm")."""
    fac = dict(setup.species_factor)
    out = {s: np.zeros(setup.R.shape[0]) for s in setup.species}
    for sym, n in setup.targets:
        nuc = nuclear.nucleus(sym)
        M = nuc.mass
        if which == "sm":
            def xs(s, E, T, nuc=nuc, M=M):
                return xn.sm(E, T, nuc.Z, nuc.N, form_factor=setup.form_factor,
                             sin2w=setup.sin2w, mass=M)
            mm = 0.0
        else:
            def xs(s, E, T, nuc=nuc, M=M):
                return xn.magnetic_moment(E, T, nuc.Z, nuc.N, mu=1.0, m4=m4,
                                          form_factor=setup.form_factor, mass=M)
            mm = m4
        eng = RateEngine(setup.flux, setup.T, M, m4=mm, species=setup.species)
        by = eng.spectrum_by_species(xs, flavour_blind=True)   # one xsec evaluation for all species
        for s in setup.species:
            out[s] = out[s] + n * fac.get(s, 1.0) * (setup.R @ by[s])
    return out


def _pion_flux(pot, r, L):
    return pion_dar_flux(pot=pot, nu_per_proton=r, distance_cm=L, n_grid=161)


@functools.lru_cache(maxsize=8)
def setup(key: str, quenching: str = "2019", smearing: str = "none") -> NuclearSetup:
    """The :class:`NuclearSetup` of "csi" (2017), "lar" (CENNS-10 analysis A) or "cenns750"."""
    if key == "csi":
        T = np.geomspace(1e-3, 0.08, 160)
        res = "poisson" if smearing == "poisson" else None
        R = response_matrix(T, CSI_BIN_EDGES_PE, resolution=res,
                            quenching=lambda t: csi_mean_PE(t, quenching),
                            efficiency=csi_acceptance, efficiency_on="observed")
        flux = _pion_flux(CSI_POT, CSI_R, CSI_L_CM)
        return NuclearSetup("csi", tuple(_nuclei("CsI", CSI_MASS_KG).items()), flux, T, R,
                            SNS_SPECIES, tuple(csi_time_fractions().items()), "klein_nystrand")
    if key in ("lar", "cenns750"):
        T = np.geomspace(2e-3, 0.16, 160)
        R = response_matrix(T, LAR_BIN_EDGES_KEVEE,
                            resolution=lambda E: LAR_RES * np.sqrt(np.clip(E, 0.0, None)),
                            quenching=lar_quenched_keVee, efficiency=lar_acceptance,
                            efficiency_on="observed")
        if key == "lar":
            flux, mass = _pion_flux(LAR_POT, LAR_R, LAR_L_CM), LAR_MASS_KG
        else:
            flux, mass = _pion_flux(CENNS750_POT, LAR_R, LAR_L_CM), CENNS750_MASS_KG
        return NuclearSetup(key, tuple(_nuclei("Ar", mass).items()), flux, T, R, SNS_SPECIES, (),
                            "helm")
    raise NuemError(f"unknown COHERENT setup {key!r}; 'csi', 'lar' or 'cenns750'")


@functools.lru_cache(maxsize=8)
def sm_counts(key: str, quenching: str = "2019") -> dict:
    """SM CEvNS counts per bin and species for setup ``key`` (read-only arrays)."""
    out = _unit_spectra(setup(key, quenching), 0.0, "sm")
    for v in out.values():
        v.setflags(write=False)
    return out


@functools.lru_cache(maxsize=512)
def mm_unit_counts(key: str, m4: float, quenching: str = "2019") -> dict:
    """Dipole-portal counts per bin and species for mu_eff = 1 mu_B (scale by mu^2)."""
    out = _unit_spectra(setup(key, quenching), float(m4), "mm")
    for v in out.values():
        v.setflags(write=False)
    return out


def backgrounds(key: str) -> dict:
    """Background components per bin: CsI {"prompt_neutrons", "steady_state"}; LAr {"pbrn",
    "lbrn"}; CENNS-750 {"pbrn", "lbrn", "steady_state"} scaled (modelled)."""
    if key == "csi":
        d = load_csi2017()
        return {"prompt_neutrons": d.prompt_neutrons.astype(float), "steady_state": d.steady_state.astype(float)}
    d = load_lar2020()
    if key == "lar":
        return {"pbrn": d.pbrn, "lbrn": d.lbrn}
    if key == "cenns750":
        s = CENNS750_MASS_KG / LAR_MASS_KG * CENNS750_POT / LAR_POT
        return {"pbrn": s * d.pbrn, "lbrn": s * d.lbrn, "steady_state": s * d.steady_state}
    raise NuemError(f"unknown COHERENT setup {key!r}")


def exposure_scale_cenns750() -> float:
    """(mass x POT) of CENNS-750 relative to CENNS-10."""
    return CENNS750_MASS_KG / LAR_MASS_KG * CENNS750_POT / LAR_POT


def _lsq_pulls(r, C, w, prec):
    """min_a sum w (r - a C)^2 + sum prec a^2 for a batch: r (..., n), C (..., K, n)."""
    A = np.einsum("...ki,...li,...i->...kl", C, C, np.broadcast_to(w, r.shape)) + np.diag(prec)
    b = np.einsum("...ki,...i->...k", C, r * w)
    a = np.linalg.solve(A, b[..., None])[..., 0]
    res = r - np.einsum("...k,...ki->...i", a, C)
    return np.sum(res * res * w, axis=-1) + np.sum(a * a * prec, axis=-1)


def chi2_csi(signal_total):
    r"""Paper 003 eq. (24) for predicted CEvNS counts ``signal_total`` (..., 12) (SM + dipole),
    pulls on the signal (12.8 %) and the prompt-neutron background (25 %) profiled exactly;
    sigma_i = sqrt(N_exp + B_0n + 2 B_ss)."""
    d = load_csi2017()
    N = d.observed.astype(float)
    B = d.prompt_neutrons
    sig2 = np.maximum(N + B + 2.0 * d.steady_state, 1.0)
    S = np.asarray(signal_total, float)
    r = N - S - B
    Cm = np.stack(np.broadcast_arrays(S, np.broadcast_to(B, S.shape)), axis=-2)
    return _lsq_pulls(r, Cm, 1.0 / sig2, np.array([1 / CSI_SIGMA_SIGNAL ** 2, 1 / CSI_SIGMA_BKG ** 2]))


def chi2_lar(signal_total, key="lar", asimov_signal=None):
    r"""Paper 003 eq. (25): (N - eta_C S - eta_P B_P - eta_L B_L)^2 / (sigma^2 + (0.017 (B_P+B_L))^2)
    + pulls (13.4 %, 32 %, 100 %), profiled exactly.  ``key="cenns750"``: Asimov data
    = ``asimov_signal`` + BRN with sigma^2 = data + steady state (modelled)."""
    S = np.asarray(signal_total, float)
    bk = backgrounds(key)
    BP, BL = bk["pbrn"], bk["lbrn"]
    if key == "lar":
        d = load_lar2020()
        N, s2 = d.observed, d.sigma ** 2
    else:
        N = np.asarray(asimov_signal, float) + BP + BL
        s2 = N + bk["steady_state"]
    var = s2 + (LAR_SIGMAS["brnes"] * (BP + BL)) ** 2
    r = N - S - BP - BL
    Cm = np.stack(np.broadcast_arrays(S, np.broadcast_to(BP, S.shape), np.broadcast_to(BL, S.shape)), axis=-2)
    prec = np.array([1 / LAR_SIGMAS[k] ** 2 for k in ("cevns", "pbrn", "lbrn")])
    return _lsq_pulls(r, Cm, 1.0 / var, prec)
