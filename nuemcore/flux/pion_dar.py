"""Stopped-pion (pi+ decay-at-rest) neutrino fluxes, e.g. the SNS (COHERENT).

pi+ -> mu+ nu_mu (prompt, tau_pi = 26 ns): a line at E = (m_pi^2 - m_mu^2) / (2 m_pi) = 29.79 MeV.
mu+ -> e+ nu_e nubar_mu (delayed, tau_mu = 2.2 us): Michel spectra on [0, m_mu/2] (massless e+,
no radiative corrections), normalised to 1:
    nu_e     : dN/dE = (192 / m_mu) (E/m_mu)^2 (1/2 - E/m_mu),
    nubar_mu : dN/dE = (64 / m_mu)  (E/m_mu)^2 (3/4 - E/m_mu).
Normalisation per flavour: ``pot * nu_per_proton / (4 pi L^2)``: with ``pot`` the number of
protons on target (fluence, cm^-2) or a POT rate [s^-1] (flux, cm^-2 s^-1); ``unit`` labels which.
Masses from :mod:`nuemcore.constants`.
"""
from __future__ import annotations

import math

import numpy as np

from .. import constants as C
from .._validate import nonnegative, positive
from ..errors import NuemError
from .base import Flux

#: prompt nu_mu energy [MeV]
E_NU_MU_PROMPT = (C.m_pi ** 2 - C.m_mu ** 2) / (2.0 * C.m_pi)
#: Michel endpoint m_mu / 2 [MeV]
E_MICHEL_MAX = 0.5 * C.m_mu


def michel_nu_e(E):
    """Normalised nu_e spectrum from mu+ decay at rest [1/MeV]; 0 outside [0, m_mu/2]."""
    x = np.asarray(E, float) / C.m_mu
    return np.where((x >= 0) & (x <= 0.5), 192.0 / C.m_mu * x * x * (0.5 - x), 0.0)


def michel_nubar_mu(E):
    """Normalised nubar_mu spectrum from mu+ decay at rest [1/MeV]; 0 outside [0, m_mu/2]."""
    x = np.asarray(E, float) / C.m_mu
    return np.where((x >= 0) & (x <= 0.5), 64.0 / C.m_mu * x * x * (0.75 - x), 0.0)


def pion_dar_flux(pot: float, nu_per_proton: float, distance_cm: float, n_grid: int = 2001,
                  unit: str = "cm^-2 MeV^-1") -> Flux:
    """pi+ DAR flux at ``distance_cm`` [cm]: prompt nu_mu line (exact) + delayed nu_e and nubar_mu
    Michel spectra on a uniform grid of ``n_grid`` points over [0, m_mu/2].

    pot : protons on target (total -> fluence, unit "cm^-2 MeV^-1"; per second -> pass
        unit="cm^-2 s^-1 MeV^-1").  nu_per_proton : neutrinos per flavour per proton (r, e.g. 0.08).
    The Michel spectra are cubic, so the trapezoid total is 1 - O(n_grid^-2) (1e-7 at 2001 points).
    """
    distance_cm = float(positive("distance_cm", distance_cm, "cm"))
    pot = float(nonnegative("pot", pot, "protons on target"))
    nu_per_proton = float(nonnegative("nu_per_proton", nu_per_proton, "neutrinos per proton"))
    if n_grid < 3:
        raise NuemError("n_grid must be >= 3")
    norm = pot * nu_per_proton / (4.0 * math.pi * distance_cm ** 2)
    E = np.linspace(0.0, E_MICHEL_MAX, n_grid)
    return Flux(energy=E, spectra={"nu_e": norm * michel_nu_e(E), "nubar_mu": norm * michel_nubar_mu(E)},
                lines={"nu_mu": [(E_NU_MU_PROMPT, norm)]}, unit=unit,
                label=f"pi+ DAR, {nu_per_proton:g} nu/flavour/proton, {pot:g} POT, L = {distance_cm:g} cm")
