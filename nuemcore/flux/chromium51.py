"""51Cr electron-capture neutrino source (paper 003 sec. 3.4).

Lines (E [MeV], branching), the standard set used since GALLEX/SAGE, as listed in
``notes_not_found/TEXONO_51Cr_NOTES.md`` (recalled there; "verify against ENSDF / Bahcall 1997"):
747 keV (81.63 %), 752 keV (8.49 %), 427 keV (8.95 %), 432 keV (0.93 %); T_1/2 = 27.70 d.
Paper 003 uses the same energies (427, 432, 747, 752) keV with rounded strengths (9, 1, 81, 9) %.
The 747/752 pair is K- vs L-capture to the 51V ground state, 427/432 the same to the 320 keV
level; the branchings sum to 1.  The energies are the rounded values of 003; the few-keV
differences to precise values are irrelevant at the resolution of any detector considered.

Activity: 1 Ci = 3.7e10 Bq; ``chromium51_flux(activity_MCi, distance_cm)`` returns the isotropic
point-source line fluxes 4 pi L^2 -> cm^-2 s^-1.  Helpers: the time-averaged activity over a run
(:func:`mean_activity_factor`) and the 1/(4 pi r^2) average over a cylindrical detector
(:func:`cylinder_mean_inverse_square`), for the 51Cr-LXe set-up of 003 (Coloma, Huber, Link 2014).
"""
from __future__ import annotations

import math

import numpy as np

from .._validate import nonnegative, positive
from ..errors import NuemError
from .base import Flux

#: (E [MeV], branching) of the 51Cr neutrino lines
CR51_LINES = ((0.747, 0.8163), (0.752, 0.0849), (0.427, 0.0895), (0.432, 0.0093))
#: half-life [days]
HALF_LIFE_DAYS = 27.70
#: decays per second per curie
BQ_PER_CI = 3.7e10


def activity_to_decay_rate(activity_MCi: float) -> float:
    """Decays per second for an activity in MCi."""
    activity_MCi = float(nonnegative("activity_MCi", activity_MCi, "MCi"))
    return activity_MCi * 1e6 * BQ_PER_CI


def mean_activity_factor(duration_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """Mean activity over [0, T] relative to the initial one: (1 - 2^{-T/T_1/2}) / (T ln2 / T_1/2);
    e.g. 0.541 for T = 2 half-lives (003: 55.4 days)."""
    if duration_days <= 0:
        raise NuemError("duration must be positive")
    lam = math.log(2.0) / half_life_days
    return (1.0 - math.exp(-lam * duration_days)) / (lam * duration_days)


def chromium51_flux(activity_MCi: float, distance_cm: float, lines=CR51_LINES) -> Flux:
    """Line fluxes [cm^-2 s^-1] of nu_e at ``distance_cm`` from a point source of ``activity_MCi``:
    Phi_k = A BR_k / (4 pi L^2).  No continuous part."""
    distance_cm = float(positive("distance_cm", distance_cm, "cm"))
    phi = activity_to_decay_rate(activity_MCi) / (4.0 * math.pi * distance_cm ** 2)
    return Flux(energy=np.array([]), lines={"nu_e": [(E, phi * br) for E, br in lines]},
                label=f"51Cr {activity_MCi:g} MCi at {distance_cm:g} cm")


def cylinder_mean_inverse_square(distance_cm: float, radius_cm: float, height_cm: float,
                                 geometry: str = "axial", to: str = "centre", n: int = 64) -> float:
    """Volume average of 1 / (4 pi r^2) [cm^-2] over a solid cylinder (radius, height) for a point
    source, by Gauss-Legendre quadrature (n^3 points; the source must be outside the cylinder).

    geometry "axial": source on the cylinder axis; "side": source in the mid-height plane, beside
    the curved surface.  to "centre": ``distance_cm`` is measured to the cylinder centre; "face":
    to the nearest surface (flat face for axial, curved side for side).
    Multiply by the decay rate (and branchings) to get the volume-averaged flux.
    """
    if min(radius_cm, height_cm, distance_cm) <= 0:
        raise NuemError("distance, radius and height must be positive (cm)")
    half = {"axial": 0.5 * height_cm, "side": radius_cm}.get(geometry)
    if half is None:
        raise NuemError("geometry must be 'axial' or 'side'")
    if to not in ("centre", "face"):
        raise NuemError("to must be 'centre' or 'face'")
    d = distance_cm + (half if to == "face" else 0.0)
    if d <= half:
        raise NuemError("the source must be outside the cylinder")
    x, w = np.polynomial.legendre.leggauss(n)
    rho = 0.5 * radius_cm * (x + 1)
    wr = 0.5 * radius_cm * w * rho              # rho d rho
    phi = math.pi * (x + 1)
    wp = math.pi * w
    z = 0.5 * height_cm * x
    wz = 0.5 * height_cm * w
    R, P, Z = np.meshgrid(rho, phi, z, indexing="ij")
    W = wr[:, None, None] * wp[None, :, None] * wz[None, None, :]
    X, Y = R * np.cos(P), R * np.sin(P)
    if geometry == "axial":
        r2 = X ** 2 + Y ** 2 + (Z + d) ** 2
    else:
        r2 = (X - d) ** 2 + Y ** 2 + Z ** 2
    vol = math.pi * radius_cm ** 2 * height_cm
    return float(np.sum(W / (4.0 * math.pi * r2)) / vol)


def chromium51_mean_flux_cylinder(activity_MCi: float, distance_cm: float, radius_cm: float,
                                  height_cm: float, geometry: str = "axial", to: str = "centre",
                                  lines=CR51_LINES) -> Flux:
    """Volume-averaged 51Cr line fluxes [cm^-2 s^-1] over a cylindrical detector (see
    :func:`cylinder_mean_inverse_square` for the geometry)."""
    g = cylinder_mean_inverse_square(distance_cm, radius_cm, height_cm, geometry, to)
    phi = activity_to_decay_rate(activity_MCi) * g
    return Flux(energy=np.array([]), lines={"nu_e": [(E, phi * br) for E, br in lines]},
                label=(f"51Cr {activity_MCi:g} MCi, cylinder r={radius_cm:g} h={height_cm:g} cm, "
                       f"{geometry} at {distance_cm:g} cm ({to})"))
