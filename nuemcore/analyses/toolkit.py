"""The toolkit chapter: the core at work, and the core's own claims.

Everything here is a thin composition of core modules (cross sections, fluxes, oscillation,
atomic binding, rates, detector response) used by ``book/toolkit/toolkit.ipynb``.  Units as in
:mod:`nuemcore.constants`: MeV, cm, cm^2/MeV, mu_B, e, cm^2.
"""
from __future__ import annotations

import functools

import numpy as np

from .. import atomic, constants as C, kinematics, nuclear, oscillation, rates
from ..claims import Claim
from ..detector import response_matrix
from ..errors import NuemError
from ..explorer import Control, Explorer, ExplorerError, lin_grid, log_grid
from ..flux import chromium51, dune_nd, lhc_forward, pion_dar, reactor, solar
from ..xsec import electron as xe
from ..xsec import nucleus as xn

#: benchmark BSM values used by the cross-section gallery and the explorer's defaults
BENCH = {"mu": 1e-10, "q": 1e-12, "r2": 1e-32, "m4": 1.0}

#: the properties the explorer offers, with the label and unit of their value slider
PROPERTIES = {
    "magnetic moment": ("mu", "mu_B"),
    "millicharge": ("q", "e"),
    "charge radius": ("<r^2>", "cm^2"),
    "dipole portal": ("mu (m4 set separately)", "mu_B"),
}


def electron_curves(E_nu, T, prop, value, m4=0.0, flavour="e"):
    """SM and SM + BSM d sigma/dT [cm^2/MeV] per free electron for one property.

    ``prop`` in :data:`PROPERTIES`; ``value`` its size (mu_B, e, cm^2); ``m4`` [MeV] only for the
    dipole portal (where the BSM part replaces the elastic SM final state, so the two add).
    A millicharge ``value`` is the neutrino's electric charge Q in units of e, the convention of
    :mod:`nuemcore.xsec.nucleus` (paper 004); :mod:`nuemcore.xsec.electron` follows paper 001,
    whose q is -Q, so it is called with ``-value``: one slider, one physical charge."""
    sm = xe.sm(E_nu, T, flavour)
    if prop == "magnetic moment":
        bsm = sm + xe.magnetic_moment(E_nu, T, value)
    elif prop == "millicharge":
        bsm = sm + xe.millicharge(E_nu, T, -value, flavour)   # 001's q = -Q
    elif prop == "charge radius":
        bsm = xe.sm(E_nu, T, flavour, charge_radius=value)
    elif prop == "dipole portal":
        bsm = sm + xe.magnetic_moment(E_nu, T, value, m4=m4)
    else:
        raise ValueError(f"unknown property {prop!r}; expected one of {list(PROPERTIES)}")
    return sm, bsm


def nucleus_curves(E_nu, T, prop, value, target="Xe", m4=0.0, flavour="e"):
    """SM and SM + BSM d sigma/dT [cm^2/MeV] per nucleus (Helm form factor) for one property."""
    nuc = nuclear.nucleus(target)
    kw = dict(Z=nuc.Z, N=nuc.N, mass=nuc.mass)
    sm = xn.sm(E_nu, T, **kw)
    if prop == "magnetic moment":
        bsm = sm + xn.magnetic_moment(E_nu, T, mu=value, **kw)
    elif prop == "millicharge":
        bsm = xn.sm_with_millicharge(E_nu, T, q=value, flavour=flavour, **kw)
    elif prop == "charge radius":
        bsm = xn.sm(E_nu, T, charge_radius=value, **kw)
    elif prop == "dipole portal":
        bsm = sm + xn.magnetic_moment(E_nu, T, mu=value, m4=m4, **kw)
    else:
        raise ValueError(f"unknown property {prop!r}; expected one of {list(PROPERTIES)}")
    return sm, bsm


#: the gallery's benchmark value of each property, in its unit (mu_B, e, cm^2, mu_B)
GALLERY_VALUES = {"magnetic moment": BENCH["mu"], "millicharge": BENCH["q"],
                  "charge radius": BENCH["r2"], "dipole portal": BENCH["mu"]}


def gallery_curves(target, E_nu=10.0, m4=BENCH["m4"], n=300):
    """The cross-section gallery for one target: the recoil grid T [MeV] (:func:`recoil_grid`),
    the SM d sigma/dT of a nu_e [cm^2/MeV] and ``{prop: SM + prop}`` [cm^2/MeV] for every property
    of :data:`PROPERTIES` at its :data:`GALLERY_VALUES` (the dipole portal with ``m4`` [MeV]).

    ``target`` "electron" (per free electron) or a nucleus symbol (per nucleus, Helm form
    factor); ``E_nu`` [MeV]."""
    out = {}
    T = sm = None
    for prop, value in GALLERY_VALUES.items():
        T, sm, bsm = widget_update(target, prop, np.log10(value), E_nu, m4, n=n)
        out[prop] = bsm
    return T, sm, out


def recoil_grid(E_nu, target_mass, n=300):
    """Log-spaced recoil grid [MeV] from 1e-4 T_max to T_max for the gallery plots."""
    t_max = xe.kinematics.recoil_max(E_nu, target_mass)
    return np.geomspace(1e-4 * t_max, t_max, n)


@functools.lru_cache(maxsize=1)
def steady_fluxes():
    """Fluxes at a detector for the steady sources [cm^-2 s^-1 MeV^-1; lines cm^-2 s^-1]:
    the Sun (B16-GS98, before oscillation), a 2.9 GW reactor at 28 m (Huber-Mueller above 1.8
    MeV) and a 5 MCi 51Cr source at 25 cm."""
    return {
        "Sun (B16-GS98)": solar.solar_flux(),
        "reactor 2.9 GW, 28 m": reactor.reactor_flux(2900.0, 2800.0),
        "51Cr 5 MCi, 25 cm": chromium51.chromium51_flux(5.0, 25.0),
    }


@functools.lru_cache(maxsize=1)
def beam_fluxes():
    """Per-proton and per-luminosity sources: pion decay at rest (COHERENT LAr: 0.09 nu per
    flavour per POT at 27.5 m), DUNE ND on axis (FHC), and FLArE-10 at the LHC (3000 fb^-1)."""
    return {
        "pi-DAR, 27.5 m [per POT]": pion_dar.pion_dar_flux(1.0, 0.09, 2750.0),
        "DUNE ND FHC [per POT]": dune_nd.dune_nd_flux("FHC"),
        "FLArE-10 [per 3000 fb^-1]": lhc_forward.lhc_forward_flux("FLArE10"),
    }


#: XENON1T energy resolution of paper 003 sec. 3.1: sigma(E) = a sqrt(E) + b E (E in keV)
XENON1T_RES = (0.310, 0.0037)


def xenon_solar_er(mu=1e-11, bins_keV=np.arange(1.0, 31.0, 1.0), T_keV=None):
    """Solar-neutrino electron recoils in xenon, true and observed (a rate with and without
    response).

    pp + 7Be + pep + CNO + 8B fluxes (B16-GS98), each component oscillated with its own
    production-averaged LMA-MSW probabilities; nu_e, nu_mu, nu_tau cross sections per free
    electron times the stepping function of Xe (paper 003 eq. 16), SM plus a flavour-universal
    magnetic moment ``mu`` [mu_B].  Returns a dict with the true grid ``T_keV``, the true rates
    ``sm``/``mm`` in events/(t yr keV), and the observed counts per bin in events/(t yr) after a
    Gaussian resolution (XENON1T, 003 sec. 3.1) and the bins ``bins_keV``.
    """
    if T_keV is None:
        T_keV = np.geomspace(0.2, 60.0, 400)
    T = np.asarray(T_keV) * C.keV
    flux = solar.solar_flux(oscillate=True)
    fl = {"nu_e": "e", "nu_mu": "mu", "nu_tau": "tau"}

    def sm_x(species, E, TT):
        return xe.sm(E, TT, fl[species])

    def mm_x(species, E, TT):
        return xe.magnetic_moment(E, TT, mu)

    step = atomic.n_effective(T, "Xe")  # electrons per atom able to recoil at T
    per_atom_sm = rates.recoil_spectrum(flux, sm_x, T, C.m_e) * step
    per_atom_mm = rates.recoil_spectrum(flux, mm_x, T, C.m_e) * step
    atoms_per_tonne = nuclear.nuclei_per_kg("Xe", "Xe") * C.tonne
    to_t_yr_keV = atoms_per_tonne * C.year * C.keV  # per atom per s per MeV -> per t yr keV
    a, b = XENON1T_RES
    R = response_matrix(T, np.asarray(bins_keV) * C.keV,
                        resolution=lambda E: (a * np.sqrt(E / C.keV) + b * E / C.keV) * C.keV)
    exposure = atoms_per_tonne * C.year
    return {
        "T_keV": np.asarray(T_keV),
        "sm": per_atom_sm * to_t_yr_keV,
        "mm": per_atom_mm * to_t_yr_keV,
        "bins_keV": np.asarray(bins_keV),
        "obs_sm": exposure * (R @ per_atom_sm),
        "obs_mm": exposure * (R @ per_atom_mm),
        "true_sm_bins": exposure * (R_identity(T, np.asarray(bins_keV) * C.keV) @ per_atom_sm),
    }


def R_identity(T, bins):
    """Response matrix without smearing (counts of the true spectrum in each bin)."""
    return response_matrix(T, bins)


def widget_update(target="electron", prop="magnetic moment", log10_value=-10.0, E_nu=10.0,
                  m4=1.0, n=300):
    """The explorer's computation: (T grid [MeV], SM, SM+BSM [cm^2/MeV]) for one target and
    property, on ``n`` log-spaced recoil energies.

    ``target`` "electron" or a nucleus symbol; ``E_nu`` [MeV]; the value is 10**log10_value in the
    property's unit; ``m4`` [MeV] for the dipole portal."""
    value = 10.0 ** log10_value
    mass = C.m_e if target == "electron" else nuclear.nucleus(target).mass
    T = recoil_grid(E_nu, mass, n)
    m = m4 if prop == "dipole portal" else 0.0
    if target == "electron":
        sm, bsm = electron_curves(E_nu, T, prop, value, m4=m)
    else:
        sm, bsm = nucleus_curves(E_nu, T, prop, value, target=target, m4=m)
    return T, sm, bsm


#: recoil energies per curve in the explorer (the static page embeds every curve)
EXPLORER_POINTS = 60


def explorer_values(target="Xe", prop="magnetic moment", log10_value=-10.0, E_nu=10.0, m4=1.0):
    """The toolkit explorer (:mod:`nuemcore.explorer`): SM and SM + BSM d sigma/dT [cm^2/MeV]
    against the recoil T [MeV] for one target and property, and two readouts: T_max [MeV] and the
    ratio (SM + BSM)/SM at the lowest plotted recoil, T = 1e-4 T_max.

    ``log10_value``: log10 of the property's size in its unit (:data:`PROPERTIES`: mu_B, e, cm^2);
    ``E_nu`` [MeV]; ``m4`` [MeV] (dipole portal only)."""
    if target != "electron":
        nuclear.nucleus(target)  # raises UnknownTargetError for an unknown nucleus
    if prop not in PROPERTIES:
        raise ExplorerError(f"prop={prop!r} is not one of {list(PROPERTIES)}")
    if not 0.0 < E_nu <= 1e5:
        raise ExplorerError(f"E_nu={E_nu!r} MeV is outside (0, 1e5] MeV")
    T, sm, bsm = widget_update(target, prop, log10_value, E_nu, m4, n=EXPLORER_POINTS)
    unit = PROPERTIES[prop][1]
    what = f"{prop} = 1e{log10_value:g} {unit}" + (f", m4 = {m4:.3g} MeV"
                                                   if prop == "dipole portal" else "")
    return {"traces": {"SM": (T, sm), f"SM + {prop}": (T, bsm)},
            "readouts": {"T_max [MeV]": float(T[-1]),
                         "(SM + BSM)/SM at T = 1e-4 T_max": float(bsm[0] / sm[0])},
            "title": f"{target}, E = {E_nu:.3g} MeV, {what}"}


EXPLORERS = {"toolkit": Explorer(
    name="toolkit", function=f"{__name__}:explorer_values",
    controls=(
        Control("log10_value", "log10 mu [mu_B]", lin_grid(-12.0, -6.0, 13), -10.0,
                live=lin_grid(-34.0, -6.0, 57)),
        Control("E_nu", "E_nu [MeV]", log_grid(0.1, 1000.0, 17), 10.0, log=True,
                live=log_grid(0.1, 1000.0, 81)),
        Control("target", "target", ("Xe",), "Xe", static=False,
                live=("electron", "Xe", "Ar", "Ge", "Cs", "I")),
        Control("prop", "property", ("magnetic moment",), "magnetic moment", static=False,
                live=tuple(PROPERTIES)),
        Control("m4", "m4 [MeV] (dipole portal)", (1.0,), 1.0, static=False,
                live=log_grid(0.01, 100.0, 81)),
    ),
    xlabel="recoil T [MeV]", ylabel="dsigma/dT [cm^2/MeV]", xlog=True, ylog=True,
    note="This page's explorer covers the magnetic moment on xenon (log10 mu from -12 to -6 in "
         "steps of 0.5, E_nu from 0.1 to 1000 MeV, 17 log steps), precomputed by nuemcore; the "
         "full explorer (electron and other targets, millicharge, charge radius, dipole portal "
         "with m4) runs in Jupyter.")}


# ---------------------------------------------------------------------------------------------
# exercises (book/toolkit/toolkit.ipynb, section "Exercises"; checked in tests/test_toolkit.py)


def exercise_1(E_nu=10.0, targets=("electron", "Xe")):
    """Exercise toolkit-ex-tmax: the largest recoil T_max [MeV] that a massless neutrino of
    energy ``E_nu`` [MeV] gives to each target at rest, from
    :func:`nuemcore.kinematics.recoil_max` (eq. toolkit-window at m4 = 0:
    T_max = 2 E^2 / (M + 2E), paper 003 eq. 22 inverted).

    ``targets``: "electron" or nucleus symbols (:func:`nuemcore.nuclear.nucleus`).  Returns
    ``{target: {"mass": M [MeV], "T_max": T_max [MeV]}}``.  ``E_nu`` <= 0 raises
    :class:`~nuemcore.errors.NuemError`."""
    if not np.isfinite(E_nu) or E_nu <= 0:
        raise NuemError(f"exercise_1: E_nu={E_nu!r} MeV; expected a finite value > 0 MeV")
    out = {}
    for target in targets:
        mass = C.m_e if target == "electron" else nuclear.nucleus(target).mass
        out[target] = {"mass": float(mass),
                       "T_max": float(kinematics.recoil_max(E_nu, mass))}
    return out


def exercise_2(E_nu=0.862, mu=1e-11, thresholds_keV=(1.0, 10.0, 100.0), flavour="e"):
    """Exercise toolkit-ex-threshold: cross sections per free electron integrated above a
    recoil threshold, for a neutrino line of ``E_nu`` [MeV] (default the 0.862 MeV 7Be line).

    For each threshold T_th [keV] in ``thresholds_keV``: ``sigma_mu`` [cm^2], the
    magnetic-moment cross section with moment ``mu`` [mu_B] (paper 001 eq. 4.3) integrated
    from T_th to T_max, ``sigma_sm`` [cm^2], the SM nu_``flavour`` e cross section over the same
    range, and their ratio.  Both come from :func:`nuemcore.xsec.electron.total` (fixed
    Gauss-Legendre rule).  A threshold outside (0, T_max) raises
    :class:`~nuemcore.errors.NuemError`.  Returns a list of dicts with keys ``T_th`` [MeV],
    ``sigma_mu``, ``sigma_sm`` [cm^2] and ``ratio``."""
    t_max = kinematics.recoil_max(E_nu, C.m_e)
    rows = []
    for t_keV in thresholds_keV:
        T_th = t_keV * C.keV
        if not 0.0 < T_th < t_max:
            raise NuemError(f"exercise_2: thresholds_keV entry {t_keV!r} keV is outside "
                            f"(0, {t_max / C.keV:.4g}) keV, the recoil range at E_nu={E_nu!r} MeV")
        s_mu = xe.total(E_nu, lambda E, T: xe.magnetic_moment(E, T, mu), T_min=T_th,
                        log=True)
        s_sm = xe.total(E_nu, lambda E, T: xe.sm(E, T, flavour), T_min=T_th, log=False)
        rows.append({"T_th": T_th, "sigma_mu": float(s_mu), "sigma_sm": float(s_sm),
                     "ratio": float(s_mu / s_sm)})
    return rows


def exercise_3(E_nu=10.0, T=1.0, m4_values=(0.1, 0.01, 0.001), mu=1e-10):
    """Exercise toolkit-ex-massless: the dipole-portal cross section (paper 000 eq. 5 = 003
    eq. 19) tends to the magnetic-moment one (paper 001 eq. 4.3) as m4 -> 0.

    At one neutrino energy ``E_nu`` [MeV] and recoil ``T`` [MeV], for each m4 [MeV] in
    ``m4_values``: the relative difference ``rel`` = d sigma(m4)/dT / d sigma(0)/dT - 1 of
    :func:`nuemcore.xsec.electron.magnetic_moment` (moment ``mu`` [mu_B]; the ratio does not
    depend on it), and ``t_min`` [MeV], the lower edge of the recoil window, which closes to 0.
    ``T`` outside (0, T_max) raises :class:`~nuemcore.errors.NuemError`.  Returns a list of
    dicts with keys ``m4``, ``rel``, ``t_min``."""
    t_max = kinematics.recoil_max(E_nu, C.m_e)
    if not 0.0 < T < t_max:
        raise NuemError(f"exercise_3: T={T!r} MeV is outside (0, {t_max:.4g}) MeV, the recoil "
                        f"range at E_nu={E_nu!r} MeV")
    base = xe.magnetic_moment(E_nu, T, mu)
    rows = []
    for m4 in m4_values:
        val = xe.magnetic_moment(E_nu, T, mu, m4=m4)
        rows.append({"m4": float(m4), "rel": float(val / base - 1.0),
                     "t_min": float(kinematics.recoil_min(E_nu, C.m_e, m4))})
    return rows


#: 51Cr source of paper 003 sec. 3.4: 5 MCi, 2000 cm^3 detector at 25 cm, 55.4 days
CR51 = {"activity_MCi": 5.0, "distance_cm": 25.0, "volume_cm3": 2000.0, "days": 55.4}


def chromium51_average_flux(geometry="axial", to="centre"):
    """Time- and volume-averaged 51Cr flux [cm^-2 s^-1] for the setup :data:`CR51` (a cylinder
    with height = diameter)."""
    r = (CR51["volume_cm3"] / (2.0 * np.pi)) ** (1.0 / 3.0)
    flux = chromium51.chromium51_mean_flux_cylinder(CR51["activity_MCi"], CR51["distance_cm"], r,
                                                    2.0 * r, geometry=geometry, to=to)
    return flux.total() * chromium51.mean_activity_factor(CR51["days"])


def chromium51_geometry_range():
    """(min, max) of :func:`chromium51_average_flux` over the four source placements."""
    vals = [chromium51_average_flux(g, t) for g in ("axial", "side") for t in ("centre", "face")]
    return min(vals), max(vals)


def claims() -> list[Claim]:
    """The core's own checks against numbers the papers quote for the inputs they share."""
    A = solar.pp_normalisation_A()
    pee = oscillation.pee_002_eq14()
    cr_total = chromium51_average_flux()
    b8 = solar.total_flux("8B")
    return [
        Claim("toolkit", "pp flux: beta-shape constant A", A, 2.97e-36, "keV^-2",
              "002 eq. 13", "from the B16-GS98 pp flux converted to natural units; "
              "reproduced within 1 %", status="reproduced", anchor="toolkit-solar-inputs",
              headline=True),
        Claim("toolkit", "P_ee at low energy", pee, 0.553, "",
              "002 eq. 14", "002's formula with its own sin^2 2theta values; reproduced "
              "within 1 %", status="reproduced", anchor="toolkit-solar-inputs", headline=True),
        Claim("toolkit", "8B flux (B16-GS98)", b8, 5.46e6, "cm^-2 s^-1", "004 sec. III",
              "read from the B16 table", status="input",  # a table value beside itself
              anchor="toolkit-solar-inputs"),
        Claim("toolkit", "51Cr flux, 5 MCi, 2000 cm^3 cylinder at 25 cm", cr_total, 1.1e13,
              "cm^-2 s^-1", "003 sec. 3.4",
              "time average over 55.4 d (2 half-lives) and volume average over a cylinder with "
              "h = 2r on the source axis, 25 cm to its centre; 003 does not state its geometry, "
              "and the other placements give %.2g-%.2g, a range that holds 003's value: the "
              "placement is a plausible cause of the difference, not a demonstrated one"
              % chromium51_geometry_range(),
              status="hypothesis", anchor="toolkit-cr51", headline=True),
    ]
