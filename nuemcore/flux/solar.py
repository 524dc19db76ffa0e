"""Standard-solar-model electron-neutrino fluxes at Earth (before oscillation).

Data (read in place through :func:`nuemcore.data.path`, see ``solar_ssm/PROVENANCE.md``):

* shapes, area 1 [1/MeV]: pp, hep (Bahcall PRC 56, 3391 (1997)); 13N, 15O, 17F (Bahcall & Ulrich,
  RMP 60, 297 (1988); the 15O file header wrongly says "N13", the data are 15O, endpoint 1.732 MeV);
  7Be thermal line shapes (Bahcall PRD 49, 3923 (1994)); 8B: Winter et al. PRC 73, 025503 (2006)
  (default; stored as lambda(E) with area 1000, divided by 1000 here), Bahcall et al. (BLS) PRC 54,
  411 (1996) with its +-3 sigma columns, Ortiz et al. PRL 85, 2909 (2000) (digitised-looking grid).
* totals: B16 (Vinyoles et al. 2017, arXiv:1611.09867) GS98 (default) and AGSS09met from
  ``fluxes_b16.dat`` (unlabelled rows in the order pp, pep, hep, 7Be, 8B, 13N, 15O, 17F with
  per-row powers of ten 1e10, 1e8, 1e3, 1e9, 1e6, 1e8, 1e8, 1e6 cm^-2 s^-1); BS05(OP) and
  BS05(AGS,OP) (Bahcall, Serenelli & Basu, astro-ph/0412440), first row of the radial tables in
  units of 1e10 cm^-2 s^-1.  Note: the B16-GS98 17F value in the file is 5.28e6; the B16 paper's
  table is quoted as 5.29e6 in PROVENANCE (0.2 %, irrelevant here) - we use the file.

Every tabulated shape is prefixed with (E=0, 0) where its table starts above 0 and renormalised
to trapezoid area exactly 1 on its own grid (raw areas are 1 within 0.5 %, 0.996 for Ortiz);
:func:`solar_flux` puts all components on the union of their grids, which preserves each
piecewise-linear shape, so ``Flux.total`` returns the model totals to rounding.

Lines: pep at 1.442 MeV; 7Be at 0.8618 MeV (89.7 %) and 0.3843 MeV (10.3 %).  By default the 7Be
and pep fluxes are exact lines; ``be7="shapes"`` uses the thermal line shapes instead.

pp also analytically: :func:`pp_beta_shape` (paper 002 eq. (13)) and :func:`pp_normalisation_A`
(the constant A = 2.97e-36 keV^-2 of 002).
"""
from __future__ import annotations

import functools
from typing import Iterable, Mapping

import numpy as np

from .. import constants as C
from ..data import path as data_path, read_rows
from ..errors import NuemError
from .base import Flux

COMPONENTS = ("pp", "pep", "hep", "7Be", "8B", "13N", "15O", "17F")
MODELS = ("B16-GS98", "B16-AGSS09met", "BS05-OP", "BS05-AGS-OP")
B8_SHAPES = ("winter2006", "winter2006+1sigma", "winter2006-1sigma", "bls1996", "bls1996+3sigma",
             "bls1996-3sigma", "ortiz2000")

#: pep line energy [MeV]
E_PEP = 1.442
#: 7Be lines [(E_MeV, branching)]: ground-state and 478 keV excited-state branches
BE7_LINES = ((0.8618, 0.897), (0.3843, 0.103))
#: pp endpoint Q [MeV] used in paper 002 eq. (13) ("the Q-value is 420 keV")
Q_PP_002 = 0.420

_ALIASES = {"pp": "pp", "pep": "pep", "hep": "hep", "7be": "7Be", "be7": "7Be", "8b": "8B",
            "b8": "8B", "13n": "13N", "n13": "13N", "15o": "15O", "o15": "15O", "17f": "17F",
            "f17": "17F"}
_MODEL_ALIASES = {"b16-gs98": "B16-GS98", "gs98": "B16-GS98", "b16": "B16-GS98",
                  "b16-agss09met": "B16-AGSS09met", "b16-agss09": "B16-AGSS09met",
                  "agss09met": "B16-AGSS09met", "agss09": "B16-AGSS09met",
                  "bs05-op": "BS05-OP", "bs05(op)": "BS05-OP", "bs05": "BS05-OP",
                  "bs05-ags-op": "BS05-AGS-OP", "bs05(ags,op)": "BS05-AGS-OP"}


class UnknownComponentError(NuemError):
    """A solar component, SSM model or 8B shape name that is not tabulated."""


def component_key(name) -> str:
    """Normalise a component name ("pp", "Be7", "b8", ...) to one of :data:`COMPONENTS`."""
    k = _ALIASES.get(str(name).strip().lower())
    if k is None:
        raise UnknownComponentError(f"unknown solar component {name!r}; expected one of {COMPONENTS}")
    return k


def model_key(name) -> str:
    """Normalise an SSM name to one of :data:`MODELS`."""
    k = _MODEL_ALIASES.get(str(name).strip().lower().replace(" ", ""))
    if k is None:
        raise UnknownComponentError(f"unknown solar model {name!r}; expected one of {MODELS}")
    return k


# ----------------------------------------------------------------------------- loaders
def _load_csv(rel: str) -> np.ndarray:
    # a malformed row raises MalformedDataError naming the file and line (never dropped)
    return np.array(read_rows(rel), dtype=float)


def _normalised(E, y):
    E = np.asarray(E, float)
    y = np.clip(np.asarray(y, float), 0.0, None)
    if E[0] > 0:
        E = np.concatenate([[0.0], E])
        y = np.concatenate([[0.0], y])
    # drop duplicate energies (keep first)
    keep = np.concatenate([[True], np.diff(E) > 0])
    E, y = E[keep], y[keep]
    area = np.trapezoid(y, E)
    return E, y / area, area


@functools.lru_cache(maxsize=None)
def _raw_shape(name: str):
    """(E [MeV], dN/dE raw, file) for a tabulated shape; ``name`` internal."""
    files = {"pp": "solar_ssm/peanuts/pp_shape.csv", "hep": "solar_ssm/peanuts/hep_shape.csv",
             "13N": "solar_ssm/peanuts/n13_shape.csv", "15O": "solar_ssm/peanuts/o15_shape.csv",
             "17F": "solar_ssm/peanuts/f17_shape.csv",
             "7Be_ground": "solar_ssm/peanuts/be7ground_shape.csv",
             "7Be_excited": "solar_ssm/peanuts/be7excited_shape.csv",
             "ortiz2000": "solar_ssm/peanuts/8B_shape_Ortiz_et_al.csv"}
    if name in files:
        d = _load_csv(files[name])
        return d[:, 0], d[:, 1]
    if name.startswith("winter2006"):
        d = _load_csv("solar_ssm/peanuts/8B_shape_Winter_et_al.csv")
        y = d[:, 1] / 1000.0  # lambda(E) has area 1000 in the file
        dy = d[:, 2] / 1000.0
        if name.endswith("+1sigma"):
            y = y + dy
        elif name.endswith("-1sigma"):
            y = y - dy
        return d[:, 0], y
    if name.startswith("bls1996"):
        # 16 header lines (PROVENANCE.md), then 829 rows of 4 numbers; a malformed row raises
        d = np.array(read_rows("solar_ssm/bahcall_b8_bls1996/b8spectrum.txt", ncols=4, skip=16))
        col = {"bls1996": 1, "bls1996+3sigma": 2, "bls1996-3sigma": 3}[name]
        return d[:, 0], d[:, col]
    raise UnknownComponentError(f"no tabulated shape {name!r}")


@functools.lru_cache(maxsize=None)
def _shape(name: str):
    E, y, _ = _normalised(*_raw_shape(name))
    E.setflags(write=False)
    y.setflags(write=False)
    return E, y


def raw_shape_area(name: str) -> float:
    """Trapezoid area of a tabulated shape as stored (after the 8B Winter /1000), for checks."""
    return float(_normalised(*_raw_shape(name))[2])


def _b8_key(b8_shape) -> str:
    k = str(b8_shape).strip().lower().replace("_", "").replace(" ", "")
    k = {"winter": "winter2006", "winter2006": "winter2006", "bls": "bls1996", "bahcall": "bls1996",
         "bahcall1996": "bls1996", "ortiz": "ortiz2000"}.get(k, k)
    if k not in B8_SHAPES:
        raise UnknownComponentError(f"unknown 8B shape {b8_shape!r}; expected one of {B8_SHAPES}")
    return k


def shape(component, b8_shape: str = "winter2006", be7_branch: str = "ground"):
    """(E [MeV], dN/dE [1/MeV]) normalised shape (trapezoid area 1) of a continuum component, or of
    a 7Be thermal line shape (``be7_branch`` "ground" 0.862 MeV / "excited" 0.384 MeV).
    pep has no shape (a line): raises :class:`UnknownComponentError`."""
    c = component_key(component)
    if c == "pep":
        raise UnknownComponentError("pep is a line at 1.442 MeV; it has no shape table")
    if c == "7Be":
        if be7_branch not in ("ground", "excited"):
            raise UnknownComponentError("be7_branch must be 'ground' or 'excited'")
        return _shape(f"7Be_{be7_branch}")
    if c == "8B":
        return _shape(_b8_key(b8_shape))
    return _shape(c)


@functools.lru_cache(maxsize=None)
def _model_totals(model: str) -> dict:
    if model.startswith("B16"):
        d = np.array(read_rows("solar_ssm/peanuts/fluxes_b16.dat", ncols=4))
        if d.shape != (8, 4):
            raise NuemError(f"unexpected layout of fluxes_b16.dat: {d.shape}")
        powers = np.array([1e10, 1e8, 1e3, 1e9, 1e6, 1e8, 1e8, 1e6])
        col = 0 if model == "B16-GS98" else 2
        return dict(zip(COMPONENTS, (d[:, col] * powers).tolist()))
    rel = {"BS05-OP": "solar_ssm/peanuts/bs2005opflux.dat",
           "BS05-AGS-OP": "solar_ssm/peanuts/bs2005agsopflux.csv"}[model]
    for line in data_path(rel).read_text().splitlines():
        parts = line.replace(",", " ").split()
        if len(parts) == 8:
            try:
                vals = [float(x) * 1e10 for x in parts]
            except ValueError:
                continue
            return dict(zip(COMPONENTS, vals))
    raise NuemError(f"no total-flux row found in {rel}")


def total_flux(component, model: str = "B16-GS98") -> float:
    """Total flux [cm^-2 s^-1] of a component in an SSM (before oscillation)."""
    return _model_totals(model_key(model))[component_key(component)]


def model_totals(model: str = "B16-GS98") -> dict:
    """{component: total flux [cm^-2 s^-1]} of an SSM."""
    return dict(_model_totals(model_key(model)))


# ----------------------------------------------------------------------------- fluxes
def solar_component_flux(component, model: str = "B16-GS98", b8_shape: str = "winter2006",
                         be7: str = "lines", total: float | None = None) -> Flux:
    """One SSM component as a nu_e :class:`Flux` [cm^-2 s^-1 MeV^-1] at Earth, no oscillation.

    ``total`` overrides the model total [cm^-2 s^-1] (e.g. 8B = 5.46e6 as paper 004 does, which
    is the B16-GS98 value).  ``be7``: "lines" (exact lines, default) or "shapes" (thermal widths).
    """
    c = component_key(component)
    phi = total_flux(c, model) if total is None else float(total)
    if phi < 0:
        raise NuemError("a total flux must be non-negative")
    label = f"solar {c} ({model_key(model)}{'' if total is None else ', total overridden'})"
    if c == "pep":
        return Flux(energy=np.array([]), lines={"nu_e": [(E_PEP, phi)]}, label=label)
    if c == "7Be":
        if be7 == "lines":
            return Flux(energy=np.array([]), lines={"nu_e": [(E, phi * b) for E, b in BE7_LINES]},
                        label=label)
        if be7 != "shapes":
            raise NuemError("be7 must be 'lines' or 'shapes'")
        parts = [Flux(energy=shape("7Be", be7_branch=br)[0],
                      spectra={"nu_e": phi * b * shape("7Be", be7_branch=br)[1]})
                 for br, (_, b) in zip(("ground", "excited"), BE7_LINES)]
        f = parts[0] + parts[1]
        return Flux(energy=f.energy, spectra=f.spectra, label=label)
    E, y = shape(c, b8_shape=b8_shape)
    if c == "8B":
        label += f", 8B shape {_b8_key(b8_shape)}"
    return Flux(energy=E, spectra={"nu_e": phi * y}, label=label)


def solar_flux(components: Iterable[str] | str | None = None, model: str = "B16-GS98",
               b8_shape: str = "winter2006", be7: str = "lines",
               totals: Mapping[str, float] | None = None, energy=None,
               oscillate: bool = False, **osc_kwargs) -> Flux:
    """Sum of SSM components as a :class:`Flux` [cm^-2 s^-1 MeV^-1] at Earth.

    components : iterable of names from :data:`COMPONENTS` (default: all eight).
    model : "B16-GS98" (default), "B16-AGSS09met", "BS05-OP", "BS05-AGS-OP".
    b8_shape : one of :data:`B8_SHAPES` ("winter2006" default).
    be7 : "lines" (default, exact) or "shapes".
    totals : {component: total [cm^-2 s^-1]} overriding the model (e.g. {"8B": 5.46e6}, paper 004).
    energy : optional grid [MeV] to interpolate the continuum onto (default: the union of the
        component tables, which keeps every shape exact).
    oscillate : False (default) -> only nu_e, unoscillated.  True -> each component is oscillated
        with its own production-region-averaged LMA-MSW P_ee (:func:`nuemcore.oscillation.solar_pee`)
        and split into nu_e, nu_mu, nu_tau under maximal theta_23 (paper 004 eq. (11));
        ``osc_kwargs`` (theta14, matter, sin2_theta12, sin2_theta13, dm2_21_eV2, or model= to use
        another SSM's n_e profile) are passed to :func:`nuemcore.oscillation.oscillate_solar`.
    """
    if components is None:
        comps = list(COMPONENTS)
    elif isinstance(components, str):
        comps = [component_key(components)]
    else:
        comps = [component_key(c) for c in components]
    if not comps:
        raise UnknownComponentError("no solar components selected")
    totals = {component_key(k): v for k, v in (totals or {}).items()}
    if osc_kwargs and not oscillate:
        raise NuemError(f"oscillation options {sorted(osc_kwargs)} given with oscillate=False")
    parts = []
    for c in comps:
        f = solar_component_flux(c, model=model, b8_shape=b8_shape, be7=be7, total=totals.get(c))
        if oscillate:
            from ..oscillation import oscillate_solar
            f = oscillate_solar(f, component=c, **{"model": model, **osc_kwargs})
        parts.append(f)
    out = parts[0]
    for f in parts[1:]:
        out = out + f
    if energy is not None:
        out = out.regrid(energy)
    label = f"solar {'+'.join(comps)} ({model_key(model)}"
    label += ", 8B " + _b8_key(b8_shape) if "8B" in comps else ""
    label += ", oscillated LMA-MSW)" if oscillate else ", nu_e before oscillation)"
    return Flux(energy=out.energy, spectra=out.spectra, lines=out.lines, unit=out.unit, label=label)


# ----------------------------------------------------------------------------- pp analytic
def _pp_kernel(E, Q, m_nu=0.0):
    """(Q + m_e - E) sqrt((Q + m_e - E)^2 - m_e^2) E p_nu, E = total neutrino energy [MeV]; 0 outside.
    For m_nu = 0 this is the eq. (13) kernel W p_e E^2."""
    E = np.asarray(E, float)
    me = C.m_e
    W = Q + me - E
    with np.errstate(invalid="ignore"):
        pe = np.sqrt(np.clip(W * W - me * me, 0.0, None))
        pnu = np.sqrt(np.clip(E * E - m_nu * m_nu, 0.0, None))
    ok = (E >= m_nu) & (W >= me)
    return np.where(ok, W * pe * E * pnu, 0.0)


#: 200-point Gauss-Legendre rule for the pp kernel integral, built once (was rebuilt per call)
_GL200_X, _GL200_W = np.polynomial.legendre.leggauss(200)


def _kernel_integral(Q, m_nu=0.0, n=4001):
    """∫_{m_nu}^{Q} of :func:`_pp_kernel` [MeV^5] (200-point Gauss-Legendre; ``n`` is unused, kept
    for the signature); cached per (Q, m_nu) because sterile-mass scans call it per mass."""
    return _kernel_integral_cached(float(Q), float(m_nu))


@functools.lru_cache(maxsize=1024)
def _kernel_integral_cached(Q, m_nu):
    x, w = _GL200_X, _GL200_W
    a, b = m_nu, Q
    E = 0.5 * (b - a) * x + 0.5 * (b + a)
    return float(0.5 * (b - a) * np.sum(w * _pp_kernel(E, Q, m_nu)))


def pp_beta_shape(E, Q: float = Q_PP_002, m_nu: float = 0.0, prescription: str = "kinematic",
                  unit_area: bool = False):
    """pp spectrum dN/dE [1/MeV] in the allowed beta-decay form, paper 002 eq. (13):
    dN/dE ∝ (Q + m_e - E) [(Q + m_e - E)^2 - m_e^2]^(1/2) E^2 F, with F = 1, Q = 0.420 MeV,
    normalised so that the massless spectrum (m_nu = 0) has area 1.

    m_nu [MeV] > 0: a massive (sterile) neutrino.  ``prescription="kinematic"`` (default) uses
    E = total neutrino energy and replaces E^2 by E p_nu (phase space; endpoint Q unchanged in total
    energy).  Its area is then the phase-space fraction
    ∫ kernel(m_nu) / ∫ kernel(0) <= 1 (1 at m_nu = 0, 0.86 / 0.53 / 0.19 / 0.006 at
    100 / 200 / 300 / 400 keV): emitting a massive state is suppressed, so a flux
    Phi_pp x pp_beta_shape(E, m_nu=m) is the flux of the massive state per unit mixing.
    ``unit_area=True`` renormalises to area 1 at every m_nu (the shape alone; before this option
    existed that was the only behaviour, which kept the massive-state flux at Phi_pp).
    ``prescription="shift002"`` is the literal 002 replacement E -> E - m_N in the whole of
    eq. (13) (the massless shape shifted up by m_N, endpoint Q + m_N; area 1 for any m_N, with or
    without ``unit_area``).  0 outside the range.
    """
    E = np.asarray(E, dtype=float)
    if prescription == "kinematic":
        norm = _kernel_integral(Q, m_nu) if unit_area else _kernel_integral(Q, 0.0)
        if norm <= 0:
            raise NuemError(f"pp_beta_shape: m_nu = {m_nu!r} MeV leaves no phase space below "
                            f"Q = {Q!r} MeV; unit_area=True needs 0 <= m_nu < Q")
        return _pp_kernel(E, Q, m_nu) / norm
    if prescription == "shift002":
        return _pp_kernel(E - m_nu, Q, 0.0) / _kernel_integral(Q, 0.0)
    raise NuemError("prescription must be 'kinematic' or 'shift002'")


def pp_phase_space_fraction(m_nu: float, Q: float = Q_PP_002) -> float:
    """Fraction of pp decays kinematically able to emit a state of mass m_nu [MeV] (eq. (13)
    kernel with E^2 -> E p_nu, integrated, over the massless integral): 1 at m_nu = 0, 0 at
    m_nu >= Q.  Dimensionless."""
    if m_nu >= Q:
        return 0.0
    return _kernel_integral(Q, m_nu) / _kernel_integral(Q, 0.0)


def pp_normalisation_A(phi_pp: float | None = None, Q: float = Q_PP_002, model: str = "B16-GS98"):
    """Constant A of paper 002 eq. (13) in keV^-2 (natural units, hbar = c = 1):
    A = Phi_pp / ∫_0^Q (Q + m_e - E) [(Q + m_e - E)^2 - m_e^2]^(1/2) E^2 dE,
    with Phi_pp [cm^-2 s^-1] converted to keV^3 via (hbar c)^2 hbar.  ``phi_pp=None`` takes the pp
    total of ``model``.  002 quotes A = 2.97e-36 keV^-2."""
    phi = total_flux("pp", model) if phi_pp is None else float(phi_pp)
    # cm^-2 s^-1 -> MeV^3:  (hbar c [MeV cm])^2 * hbar [MeV s]
    phi_mev3 = phi * C.HBARC2_MEV2_CM2 * C.HBAR_MEV_S
    A_mev = phi_mev3 / _kernel_integral(Q)  # MeV^-2
    return A_mev * 1e-6  # MeV^-2 -> keV^-2 (1 MeV^-2 = 1e-6 keV^-2)
