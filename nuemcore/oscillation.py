"""Neutrino oscillation and mixing: solar LMA-MSW survival, 3+1 mixing, vacuum probabilities,
effective magnetic moments.

Oscillation parameters (one source, PDG 2022 Review of Particle Physics, "Neutrino masses,
mixing and oscillations", normal ordering; R. L. Workman et al., PTEP 2022, 083C01):
    sin^2 theta12 = 0.307, sin^2 theta13 = 0.0220, Delta m^2_21 = 7.53e-5 eV^2,
    sin^2 theta23 = 0.546, Delta m^2_32 = 2.453e-3 eV^2, delta_CP = 1.36 pi.
Solar appearance uses maximal theta23 (paper 004 eq. (11)), so theta23 does not enter there.

Solar survival probability (:func:`solar_pee`)
----------------------------------------------
Adiabatic LMA-MSW with the 3-flavour factor (theta13 in vacuum, 1-3 matter effects neglected):
    P_ee(E, r) = c13^4 [1/2 + 1/2 cos 2theta12^m(E, r) cos 2theta12] + s13^4,
    cos 2theta12^m = (cos 2theta12 - beta) / sqrt((cos 2theta12 - beta)^2 + sin^2 2theta12),
    beta = 2 sqrt(2) G_F n_e(r) E c13^2 / Delta m^2_21,
with n_e(r) from the SSM (column 3 = log10(n_e / N_A cm^-3)) at the production point, averaged over
the production region of the chosen component with the SSM radial distribution
(B16: ``nudistr_b16_{gs98,agss09}.dat``, fractions per unit R/Rsun, trapezoid weights;
BS05: per-zone fractions of the radial table in ``bs2005*flux``).  Day-time only (no Earth
regeneration), fully adiabatic (LMA: the level-crossing probability is negligible), vacuum
oscillations averaged over the Sun-Earth distance.  Low E: P_ee -> c13^4 (1 - sin^2 2theta12 / 2)
+ s13^4 = 0.550; 8B at 10 MeV: ~0.31.

Mixing matrix (:func:`mixing_matrix_3p1`)
-----------------------------------------
U = R34 R24 R14 R23 R13 R12 (left to right, default ``order``), with complex rotations
R_ij(theta, delta): R[i,i] = R[j,j] = c, R[i,j] = s e^{-i delta}, R[j,i] = -s e^{+i delta}, and
phases on (13) = delta_CP, (14) = delta14, (24) = delta24.  This ordering gives the electron row
(c12 c13 c14, s12 c13 c14, s13 c14 e^{-i delta}, s14 e^{-i delta14}), i.e. |U_e1|^2 + |U_e4|^2 =
c12^2 c13^2 c14^2 + s14^2 as in paper 003 eq. (7).  Paper 003 sec. 2.1 does not print U; the
ordering is a parameter so the sterile-TMM chapter can compare conventions.
"""
from __future__ import annotations

import functools
from typing import Mapping, Sequence

import numpy as np

from . import constants as C
from .data import path as data_path
from .errors import NuemError
from ._validate import nonnegative

# ----------------------------------------------------------------------------- parameters (PDG 2022)
SIN2_THETA12 = 0.307
SIN2_THETA13 = 0.0220
SIN2_THETA23 = 0.546
DM2_21_EV2 = 7.53e-5
DM2_32_EV2 = 2.453e-3
DM2_31_EV2 = DM2_32_EV2 + DM2_21_EV2
DELTA_CP = 1.36 * np.pi
THETA12 = float(np.arcsin(np.sqrt(SIN2_THETA12)))
THETA13 = float(np.arcsin(np.sqrt(SIN2_THETA13)))
THETA23 = float(np.arcsin(np.sqrt(SIN2_THETA23)))
PARAMETER_SOURCE = "PDG 2022 (R. L. Workman et al., PTEP 2022, 083C01), normal ordering"

#: constant survival probability of paper 002 eq. (14) (sin^2 2theta12 = 0.846, sin^2 2theta13 = 0.085)
PEE_002 = 0.553
PEE_CONSTANT_002 = PEE_002

FLAVOUR_INDEX = {"e": 0, "mu": 1, "tau": 2, "s": 3}


# ----------------------------------------------------------------------------- constant P_ee
def pee_vacuum_averaged(sin2_theta12: float = SIN2_THETA12, sin2_theta13: float = SIN2_THETA13):
    """Averaged-vacuum (low-energy) survival probability, paper 002 eq. (14):
    P_ee = c13^4 (1 - sin^2(2 theta12) / 2) + s13^4."""
    s12, s13 = float(sin2_theta12), float(sin2_theta13)
    sin2_2t12 = 4 * s12 * (1 - s12)
    return (1 - s13) ** 2 * (1 - 0.5 * sin2_2t12) + s13 ** 2


def pee_002_eq14(sin2_2theta12: float = 0.846, sin2_2theta13: float = 0.085) -> float:
    """Paper 002 eq. (14) with its inputs given as sin^2(2 theta): 0.846, 0.085 -> 0.5527 (0.553)."""
    s13 = 0.5 * (1 - np.sqrt(1 - sin2_2theta13))
    return float((1 - s13) ** 2 * (1 - 0.5 * sin2_2theta12) + s13 ** 2)


# ----------------------------------------------------------------------------- solar profiles
_PROFILE_FILES = {"B16-GS98": "solar_ssm/peanuts/nudistr_b16_gs98.dat",
                  "B16-AGSS09met": "solar_ssm/peanuts/nudistr_b16_agss09.dat",
                  "BS05-OP": "solar_ssm/peanuts/bs2005opflux.dat",
                  "BS05-AGS-OP": "solar_ssm/peanuts/bs2005agsopflux.csv"}
_COMPONENTS = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")
# BS05 column order after (R, T, log ne, M, X7Be): pp, 8B, 13N, 15O, 17F, 7Be, pep, hep
_BS05_ORDER = ("pp", "8B", "13N", "15O", "17F", "7Be", "pep", "hep")


@functools.lru_cache(maxsize=None)
def _profile(model: str):
    """(R/Rsun, n_e [cm^-3], {component: normalised weights}) for an SSM."""
    rel = _PROFILE_FILES[model]
    rows = []
    ncol = 12 if model.startswith("B16") else 13
    for line in data_path(rel).read_text().splitlines():
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.replace(",", " ").split()
        if len(parts) != ncol:
            continue
        try:
            rows.append([float(x) for x in parts])
        except ValueError:
            continue
    d = np.array(rows)
    if d.ndim != 2 or d.shape[0] < 100:
        raise NuemError(f"could not read the radial table of {rel}")
    r = d[:, 0]
    ne = C.N_A * 10.0 ** d[:, 2]
    weights = {}
    if model.startswith("B16"):
        # fractions per unit R/Rsun: trapezoid weights
        dr = np.diff(r)
        tw = np.zeros_like(r)
        tw[:-1] += 0.5 * dr
        tw[1:] += 0.5 * dr
        for j, c in enumerate(_COMPONENTS):
            w = d[:, 4 + j] * tw
            weights[c] = w / w.sum()
    else:
        for j, c in enumerate(_BS05_ORDER):
            w = d[:, 5 + j]
            weights[c] = w / w.sum()
    return r, ne, weights


def _model(model) -> str:
    from .flux.solar import model_key
    return model_key(model)


def _component(component) -> str:
    from .flux.solar import component_key
    return component_key(component)


def production_profile(component: str = "8B", model: str = "B16-GS98"):
    """(R/Rsun, n_e [cm^-3], normalised production weights) of a solar component (read-only copies)."""
    r, ne, w = _profile(_model(model))
    return r.copy(), ne.copy(), w[_component(component)].copy()


def matter_potential(n_e_cm3):
    """Charged-current potential V = sqrt(2) G_F n_e [MeV] for an electron density [cm^-3]."""
    return np.sqrt(2.0) * C.G_F * nonnegative("n_e_cm3", n_e_cm3, "cm^-3") * C.HBARC_MEV_CM ** 3


def _cos2_theta12_matter(E, ne, sin2_theta12, sin2_theta13, dm2_21_eV2):
    c2 = 1 - 2 * sin2_theta12
    s2sq = 1 - c2 * c2
    beta = 2.0 * E * matter_potential(ne) * (1 - sin2_theta13) / (dm2_21_eV2 * 1e-12)
    return (c2 - beta) / np.sqrt((c2 - beta) ** 2 + s2sq)


def _averaged_cos2m(E, component, model, radius, sin2_theta12, sin2_theta13, dm2_21_eV2):
    E = nonnegative("E", E)
    r, ne, w = _profile(_model(model))
    if radius is not None:
        ne_r = float(np.interp(float(radius), r, ne))
        return _cos2_theta12_matter(E, ne_r, sin2_theta12, sin2_theta13, dm2_21_eV2)
    comp, mod = _component(component), _model(model)
    flat = E.ravel()
    if flat.size > _DIRECT_MAX:
        # large arrays: interpolate a cached table in ln E (|error| < 1e-6, see _table_cos2m)
        lnE, tab = _table_cos2m(comp, mod, float(sin2_theta12), float(sin2_theta13), float(dm2_21_eV2))
        with np.errstate(divide="ignore"):
            x = np.log(flat)
        inside = (x >= lnE[0]) & (x <= lnE[-1])
        out = np.interp(x, lnE, tab)
        if not np.all(inside):
            out[~inside] = _direct_cos2m(flat[~inside], ne, w[comp], sin2_theta12, sin2_theta13,
                                         dm2_21_eV2)
        return out.reshape(E.shape)
    return _direct_cos2m(flat, ne, w[comp], sin2_theta12, sin2_theta13, dm2_21_eV2).reshape(E.shape)


_DIRECT_MAX = 4096


def _direct_cos2m(flat, ne, wc, sin2_theta12, sin2_theta13, dm2_21_eV2):
    out = np.empty_like(flat)
    chunk = 2048
    for i in range(0, flat.size, chunk):
        e = flat[i:i + chunk, None]
        out[i:i + chunk] = _cos2_theta12_matter(e, ne[None, :], sin2_theta12, sin2_theta13,
                                                dm2_21_eV2) @ wc
    return out


@functools.lru_cache(maxsize=64)
def _table_cos2m(component, model, sin2_theta12, sin2_theta13, dm2_21_eV2):
    """Production-averaged cos 2theta12^m on 4001 points, ln E uniform over [1e-4, 1e4] MeV."""
    r, ne, w = _profile(model)
    lnE = np.linspace(np.log(1e-4), np.log(1e4), 4001)
    tab = _direct_cos2m(np.exp(lnE), ne, w[component], sin2_theta12, sin2_theta13, dm2_21_eV2)
    lnE.setflags(write=False)
    tab.setflags(write=False)
    return lnE, tab


def solar_pee(E, component: str = "8B", model: str = "B16-GS98", radius: float | None = None,
              sin2_theta12: float = SIN2_THETA12, sin2_theta13: float = SIN2_THETA13,
              dm2_21_eV2: float = DM2_21_EV2):
    """Solar nu_e survival probability at Earth (day), adiabatic LMA-MSW, 3-flavour factor.

    E : neutrino energy [MeV] (array).  component : production region to average over
    ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F").  model : SSM for n_e(r) and the
    production distributions ("B16-GS98" default).  radius : evaluate at one production radius
    [R/Rsun] instead of averaging.  Formula and conventions: module docstring.
    Arrays of more than 4096 energies are served from a cached table in ln E (4001 points over
    1e-4 ... 1e4 MeV, linear interpolation, |Delta P| < 1e-6); smaller arrays are exact.
    """
    c2m = _averaged_cos2m(E, component, model, radius, sin2_theta12, sin2_theta13, dm2_21_eV2)
    c2 = 1 - 2 * sin2_theta12
    return (1 - sin2_theta13) ** 2 * (0.5 + 0.5 * c2m * c2) + sin2_theta13 ** 2


def solar_mass_state_probabilities(E, component: str = "8B", model: str = "B16-GS98",
                                   theta14: float = 0.0, sin2_theta12: float = SIN2_THETA12,
                                   sin2_theta13: float = SIN2_THETA13, dm2_21_eV2: float = DM2_21_EV2):
    """(P_e1, P_e2, P_e3, P_e4): probabilities that a solar nu_e arrives as mass state i (incoherent),
    adiabatic: P_e1 = c14^2 c13^2 cos^2 theta12^m, P_e2 = c14^2 c13^2 sin^2 theta12^m,
    P_e3 = c14^2 s13^2, P_e4 = s14^2 (matter effects on the 4th state neglected).  Used in paper
    003 eq. (5)."""
    c2m = _averaged_cos2m(E, component, model, None, sin2_theta12, sin2_theta13, dm2_21_eV2)
    c14sq, s14sq = np.cos(theta14) ** 2, np.sin(theta14) ** 2
    c13sq = 1 - sin2_theta13
    return (c14sq * c13sq * 0.5 * (1 + c2m), c14sq * c13sq * 0.5 * (1 - c2m),
            c14sq * sin2_theta13 * np.ones_like(c2m), s14sq * np.ones_like(c2m))


def solar_flavour_fractions(E, component: str = "8B", model: str = "B16-GS98", theta14: float = 0.0,
                            matter: bool = True, **params) -> dict:
    """{"nu_e": P_ee, "nu_mu": P_emu, "nu_tau": P_etau[, "nu_s": P_es]} for solar nu_e at Earth.

    Maximal theta23: P_emu = P_etau = (1 - P_ee - P_es) / 2 (paper 004 eq. (11) for theta14 = 0).
    With theta14 != 0 (averaged 3+1, eV-scale sterile): P_ee = c14^4 P_ee^3nu + s14^4 and
    P_es = s14^2 c14^2 (1 + P_ee^3nu) (:func:`sterile_appearance_solar`).
    ``matter=False`` uses the averaged-vacuum P_ee^3nu (002 eq. (14) with the module parameters).
    ``params``: sin2_theta12, sin2_theta13, dm2_21_eV2.
    """
    if matter:
        p3 = solar_pee(E, component=component, model=model, **params)
    else:
        E = nonnegative("E", E)
        p3 = np.full_like(E, pee_vacuum_averaged(params.get("sin2_theta12", SIN2_THETA12),
                                                 params.get("sin2_theta13", SIN2_THETA13)))
    c14sq, s14sq = np.cos(theta14) ** 2, np.sin(theta14) ** 2
    pee = c14sq ** 2 * p3 + s14sq ** 2
    pes = s14sq * c14sq * (1 + p3)
    rest = 0.5 * (1 - pee - pes)
    out = {"nu_e": pee, "nu_mu": rest, "nu_tau": rest.copy()}
    if theta14 != 0:
        out["nu_s"] = pes
    return out


def sterile_appearance_solar(theta14: float, E=None, component: str = "pp", model: str = "B16-GS98",
                             matter: bool = False, sin2_theta12: float = SIN2_THETA12,
                             sin2_theta13: float = SIN2_THETA13):
    """P(nu_e -> nu_s) for solar neutrinos, 3+1 with averaged (eV-scale) sterile oscillations,
    paper 002 eq. (15), corrected:

        P_eN = s14^2 c14^2 [c13^4 P_ee^2nu + s13^4] + s14^2 c14^2,  P_ee^2nu = c12^4 + s12^4,

    i.e. P_eN = s14^2 c14^2 (1 + P_ee^3nu) with P_ee^3nu the 3-flavour survival probability.
    (Derivation: P_eN = sum_i P_ei |U_si|^2 with |U_si|^2 = s14^2 |U_ei^3nu|^2 for i <= 3 and
    |U_s4|^2 = c14^2 for theta24 = theta34 = 0.)  The converted text of 002 prints cos^2 theta13
    instead of cos^4 theta13 and P^2nu = cos^4 theta14 + sin^4 theta12 (should be theta12 twice).
    ``matter=False`` (default, as 002 for pp neutrinos): vacuum-averaged P_ee^3nu (scalar if
    E is None); ``matter=True``: P_ee^3nu = :func:`solar_pee` (E required).
    """
    s14sq, c14sq = np.sin(theta14) ** 2, np.cos(theta14) ** 2
    if matter:
        if E is None:
            raise NuemError("matter=True needs the neutrino energy E [MeV]")
        p3 = solar_pee(E, component=component, model=model, sin2_theta12=sin2_theta12,
                       sin2_theta13=sin2_theta13)
    else:
        p3 = pee_vacuum_averaged(sin2_theta12, sin2_theta13)
        if E is not None:
            p3 = np.full_like(nonnegative("E", E), p3)
    return s14sq * c14sq * (1 + p3)


def oscillate_solar(flux, component: str = "8B", model: str = "B16-GS98", theta14: float = 0.0,
                    matter: bool = True, **params):
    """Oscillate a solar nu_e :class:`~nuemcore.flux.base.Flux` to nu_e, nu_mu, nu_tau (and nu_s if
    theta14 != 0) with :func:`solar_flavour_fractions`; lines get P at their exact energy.
    The production region is that of ``component``; for a sum of components use
    ``solar_flux(..., oscillate=True)``, which oscillates each with its own region."""
    extra = [s for s in flux.species if s != "nu_e"]
    if extra:
        raise NuemError(f"oscillate_solar expects a pure nu_e flux; it also has {extra}")
    keys = ["nu_e", "nu_mu", "nu_tau"] + (["nu_s"] if theta14 != 0 else [])

    def P(key):
        return lambda E: solar_flavour_fractions(E, component=component, model=model,
                                                 theta14=theta14, matter=matter, **params)[key]
    return flux.with_probabilities({k: {"nu_e": P(k)} for k in keys},
                                   label=f"{flux.label}, oscillated (LMA-MSW, {component} region)")


# ----------------------------------------------------------------------------- mixing matrices
def rotation(n: int, i: int, j: int, theta: float, delta: float = 0.0) -> np.ndarray:
    """n x n complex rotation in the (i, j) plane (1-based i < j): R[i,i] = R[j,j] = cos theta,
    R[i,j] = sin theta e^{-i delta}, R[j,i] = -sin theta e^{+i delta}."""
    if not (1 <= i < j <= n):
        raise NuemError(f"rotation plane ({i},{j}) invalid for n = {n}")
    R = np.eye(n, dtype=complex)
    c, s = np.cos(theta), np.sin(theta)
    R[i - 1, i - 1] = R[j - 1, j - 1] = c
    R[i - 1, j - 1] = s * np.exp(-1j * delta)
    R[j - 1, i - 1] = -s * np.exp(1j * delta)
    return R


DEFAULT_ORDER_3P1 = ("34", "24", "14", "23", "13", "12")


def mixing_matrix_3p1(theta12: float = THETA12, theta13: float = THETA13, theta23: float = THETA23,
                      theta14: float = 0.0, theta24: float = 0.0, theta34: float = 0.0,
                      delta13: float = 0.0, delta14: float = 0.0, delta24: float = 0.0,
                      order: Sequence[str] = DEFAULT_ORDER_3P1,
                      majorana_phases: Sequence[float] | None = None) -> np.ndarray:
    """4 x 4 unitary mixing matrix U (rows e, mu, tau, s; columns mass states 1..4), angles and
    phases in radians; U = product of rotations in ``order`` (left to right, default
    R34 R24 R14 R23 R13 R12; see module docstring).  Phases sit on the (13), (14), (24) rotations.
    ``majorana_phases`` (3 values) multiplies U on the right by diag(1, e^{i a1}, e^{i a2}, e^{i a3})."""
    angles = {"12": (theta12, 0.0), "13": (theta13, delta13), "23": (theta23, 0.0),
              "14": (theta14, delta14), "24": (theta24, delta24), "34": (theta34, 0.0)}
    order = tuple(str(o) for o in order)
    if sorted(order) != sorted(angles):
        raise NuemError(f"order must be a permutation of {tuple(angles)}, got {order}")
    U = np.eye(4, dtype=complex)
    for key in order:
        th, de = angles[key]
        U = U @ rotation(4, int(key[0]), int(key[1]), th, de)
    if majorana_phases is not None:
        a = np.asarray(majorana_phases, float)
        if a.shape != (3,):
            raise NuemError("majorana_phases needs 3 values")
        U = U @ np.diag(np.exp(1j * np.concatenate([[0.0], a])))
    return U


def pmns(theta12: float = THETA12, theta13: float = THETA13, theta23: float = THETA23,
         delta: float = DELTA_CP) -> np.ndarray:
    """3 x 3 PMNS matrix (PDG convention R23 R13(delta) R12), radians; defaults PDG 2022."""
    U = rotation(3, 2, 3, theta23) @ rotation(3, 1, 3, theta13, delta) @ rotation(3, 1, 2, theta12)
    return U


# ----------------------------------------------------------------------------- vacuum oscillation
def _flavour_index(name) -> int:
    k = str(name).strip().lower().replace("nubar_", "").replace("nu_", "")
    k = {"sterile": "s", "n": "s"}.get(k, k)
    if k not in FLAVOUR_INDEX:
        from .errors import UnknownFlavourError
        raise UnknownFlavourError(f"unknown flavour {name!r}; expected e, mu, tau or s")
    return FLAVOUR_INDEX[k]


def vacuum_probability(alpha, beta, L_cm, E, U: np.ndarray | None = None,
                       dm2_eV2: Sequence[float] | None = None, antineutrino: bool = False):
    """P(nu_alpha -> nu_beta) in vacuum, any number of states:
    P = | sum_i U_{beta i} U*_{alpha i} exp(-i m_i^2 L / 2E) |^2.

    L_cm : baseline [cm]; E : energy [MeV] (broadcast).  U : mixing matrix (default :func:`pmns`);
    dm2_eV2 : m_i^2 - m_1^2 for i = 2..n [eV^2] (default PDG 2022 NO: dm21, dm31).
    antineutrino: U -> U*.  Flavours "e", "mu", "tau", "s" (index 3 needs a 4 x 4 U).
    """
    U = pmns() if U is None else np.asarray(U, dtype=complex)
    n = U.shape[0]
    dm2 = np.array([DM2_21_EV2, DM2_31_EV2] if dm2_eV2 is None else dm2_eV2, float)
    if dm2.size != n - 1:
        raise NuemError(f"dm2_eV2 needs {n - 1} entries for a {n}x{n} U")
    a, b = _flavour_index(alpha), _flavour_index(beta)
    if max(a, b) >= n:
        raise NuemError(f"flavour index beyond the {n}x{n} mixing matrix")
    if antineutrino:
        U = U.conj()
    L = nonnegative("L_cm", L_cm, "cm")
    E = nonnegative("E", E)
    m2 = np.concatenate([[0.0], dm2]) * 1e-12  # MeV^2
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.asarray(L / C.HBARC_MEV_CM / (2.0 * E))  # MeV^-1
    amp = 0j
    for i in range(n):
        amp = amp + U[b, i] * np.conj(U[a, i]) * np.exp(-1j * m2[i] * x)
    P = np.abs(amp) ** 2
    # E -> 0 (infinite phases): the oscillation-averaged probability sum_i |U_bi|^2 |U_ai|^2
    P_avg = float(np.sum(np.abs(U[b]) ** 2 * np.abs(U[a]) ** 2))
    return np.where(np.isfinite(P), P, P_avg)


# ----------------------------------------------------------------------------- effective moments
def effective_moment_sq(lam: np.ndarray, U: np.ndarray, alpha, L_cm=0.0, E=None,
                        m2_eV2: Sequence[float] | None = None):
    """Effective magnetic moment squared [mu_B^2] of nu_alpha at baseline L, paper 003 eq. (4):
    mu_eff^2 = sum_j | sum_i U*_{alpha i} e^{-i m_i^2 L / 2E} lambda_ij |^2
    (lambda: n x n transition-moment matrix [mu_B]; L = 0 gives the short-baseline moment).
    m2_eV2: the n masses squared m_i^2 [eV^2] (needed only for L > 0)."""
    lam = np.asarray(lam, dtype=complex)
    U = np.asarray(U, dtype=complex)
    a = _flavour_index(alpha)
    v = np.conj(U[a])
    if np.any(np.asarray(L_cm) != 0):
        if E is None or m2_eV2 is None:
            raise NuemError("L > 0 needs E [MeV] and m2_eV2")
        x = np.asarray(L_cm, float) / C.HBARC_MEV_CM / (2.0 * np.asarray(E, float))
        ph = np.exp(-1j * np.multiply.outer(x, np.asarray(m2_eV2, float) * 1e-12))
        amp = (v * ph) @ lam
        return np.sum(np.abs(amp) ** 2, axis=-1)
    return float(np.sum(np.abs(v @ lam) ** 2))


def effective_moment_sq_solar(lam: np.ndarray, P_ei: Sequence) -> np.ndarray:
    """Solar effective moment squared, paper 003 eq. (5): sum_i P_ei sum_j |lambda_ij|^2 [mu_B^2];
    ``P_ei`` e.g. from :func:`solar_mass_state_probabilities` (arrays broadcast)."""
    lam = np.asarray(lam, dtype=complex)
    rows = np.sum(np.abs(lam) ** 2, axis=1)
    if len(P_ei) != rows.size:
        raise NuemError(f"need {rows.size} probabilities P_ei, got {len(P_ei)}")
    return sum(np.asarray(p, float) * r for p, r in zip(P_ei, rows))
