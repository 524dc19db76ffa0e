r"""Two-body kinematics of neutrino scattering on a target at rest, with a massive final state.

All energies and masses in MeV.  The process is :math:`\nu(E_\nu) + X(M) \to N(m_4) + X(M)` with
kinetic recoil energy :math:`T` of the target; :math:`m_4 = 0` is elastic scattering.

Exact results (no small-mass expansion):

* recoil window from the centre-of-mass boost, :math:`s = M^2 + 2 M E_\nu`,
  :math:`T_{\max/\min} = [(E_\nu + M) E^*_X \pm E_\nu p^*] / \sqrt{s} - M`;
  for :math:`m_4 = 0`: :math:`T_{\max} = 2E_\nu^2/(M + 2E_\nu)`, :math:`T_{\min} = 0`.
* minimum neutrino energy for a recoil :math:`T` (paper 000 eq. 9 = paper 003 eq. 22):
  :math:`E_\nu^{\min} = \tfrac12\,[T + \sqrt{T^2 + 2MT}]\,(1 + m_4^2/(2MT))`.
"""
from __future__ import annotations

import numpy as np

from ._validate import nonnegative


def _window(E_nu, target_mass, m4):
    E = nonnegative("E_nu", E_nu)
    M = nonnegative("target_mass", target_mass)
    m4 = nonnegative("m4", m4)
    E, M, m4 = np.broadcast_arrays(E, M, m4)
    s = M * M + 2.0 * M * E
    sqrt_s = np.sqrt(s)
    open_ = sqrt_s > M + m4
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = (s - (M + m4) ** 2) * (s - (M - m4) ** 2)
        p_star = np.sqrt(np.where(open_, lam, 0.0)) / (2.0 * sqrt_s)
        E_X = (s + M * M - m4 * m4) / (2.0 * sqrt_s)
        base = (E + M) * E_X / sqrt_s - M
        spread = E * p_star / sqrt_s
    t_max = np.where(open_, base + spread, 0.0)
    t_min = np.where(open_, np.maximum(base - spread, 0.0), 0.0)
    # m4 = 0 exactly: use the closed form (no cancellation in base - spread)
    elastic = m4 == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        t_el = np.where(M + 2 * E > 0, 2.0 * E * E / np.where(M + 2 * E > 0, M + 2 * E, 1.0), 0.0)
    t_max = np.where(elastic, t_el, t_max)
    t_min = np.where(elastic, 0.0, t_min)
    return t_min, t_max


def recoil_max(E_nu, target_mass, m4=0.0):
    """Maximum kinetic recoil energy T_max [MeV] of a target of mass ``target_mass`` [MeV] hit by a
    neutrino of energy ``E_nu`` [MeV] producing a final neutral lepton of mass ``m4`` [MeV].

    Zero below the production threshold sqrt(s) <= M + m4.  Broadcasts over arrays.
    """
    t_max = _window(E_nu, target_mass, m4)[1]
    return t_max if np.ndim(t_max) else float(t_max)


def recoil_min(E_nu, target_mass, m4=0.0):
    """Minimum kinetic recoil energy T_min [MeV] (0 for m4 = 0, > 0 for up-scattering m4 > 0)."""
    t_min = _window(E_nu, target_mass, m4)[0]
    return t_min if np.ndim(t_min) else float(t_min)


def recoil_window(E_nu, target_mass, m4=0.0):
    """Return (T_min, T_max) [MeV]; both are 0 where the process is kinematically closed."""
    t_min, t_max = _window(E_nu, target_mass, m4)
    if np.ndim(t_min) == 0:
        return float(t_min), float(t_max)
    return t_min, t_max


def neutrino_energy_min(T, target_mass, m4=0.0):
    """Minimum neutrino energy [MeV] able to give kinetic recoil ``T`` [MeV] to a target of mass
    ``target_mass`` [MeV] while producing a final lepton of mass ``m4`` [MeV].

    Paper 000 eq. (9) = paper 003 eq. (22):
    E_min = (T + sqrt(T^2 + 2 M T)) / 2 * (1 + m4^2 / (2 M T)).  At T = 0 the result is 0 for
    m4 = 0 and +inf for m4 > 0 (no neutrino energy produces zero recoil with a massive final state).
    """
    T = nonnegative("T", T)
    M = nonnegative("target_mass", target_mass)
    m4 = nonnegative("m4", m4)
    T, M, m4 = np.broadcast_arrays(T, M, m4)
    with np.errstate(divide="ignore", invalid="ignore"):
        e0 = 0.5 * (T + np.sqrt(T * T + 2.0 * M * T))
        factor = np.where(m4 > 0, 1.0 + m4 * m4 / (2.0 * M * T), 1.0)
        out = np.where((T == 0) & (m4 > 0), np.inf, e0 * factor)
    return out if np.ndim(out) else float(out)


def momentum_transfer_sq(T, target_mass):
    """|q^2| = 2 M T [MeV^2] for kinetic recoil T of a target of mass M (both MeV)."""
    return 2.0 * nonnegative("target_mass", target_mass) * nonnegative("T", T)
