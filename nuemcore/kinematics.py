r"""Two-body kinematics of neutrino scattering on a target at rest, with a massive final state.

All energies and masses in MeV.  The process is :math:`\nu(E_\nu) + X(M) \to N(m_4) + X(M)` with
kinetic recoil energy :math:`T` of the target; :math:`m_4 = 0` is elastic scattering.

Exact results (no small-mass expansion):

* recoil window from :func:`recoil_window_massive` (exact, also for a massive incoming
  particle); for :math:`m_4 = 0`: :math:`T_{\max} = 2E_\nu^2/(M + 2E_\nu)`, :math:`T_{\min} = 0`.
* minimum neutrino energy for a recoil :math:`T` (paper 000 eq. 9 = paper 003 eq. 22):
  :math:`E_\nu^{\min} = \tfrac12\,[T + \sqrt{T^2 + 2MT}]\,(1 + m_4^2/(2MT))`; its inverse in
  :math:`m_4`, the largest final mass for given :math:`(E_\nu, T)`: :func:`m4_max`.
"""
from __future__ import annotations

import numpy as np

from ._validate import nonnegative, positive


def recoil_window_massive(E_in, target_mass, m_in=0.0, m_out=0.0):
    r"""Exact recoil window (T_min, T_max) [MeV] for
    :math:`X(E_{in}, m_{in}) + A(M, \text{rest}) \to Y(m_{out}) + A(T)`.

    ``E_in`` is the **total** lab energy of the incoming particle (>= m_in), all in MeV.  From
    4-momentum conservation, :math:`\cos\theta_A = [2T(E+M) - \Delta]/(2p\sqrt{T^2+2MT})` with
    :math:`\Delta = m_{in}^2 - m_{out}^2`; :math:`|\cos\theta_A| \le 1` gives the quadratic
    :math:`sT^2 - bT + \Delta^2/4 \le 0` with :math:`s = m_{in}^2 + M^2 + 2ME` and
    :math:`b = \Delta(E+M) + 2p^2M`.  Hence :math:`T_{\max} = [b + \sqrt{b^2 - s\Delta^2}]/(2s)`
    and :math:`T_{\min} = \Delta^2/(4 s T_{\max})` (product of the roots: no cancellation when
    :math:`m_{out} \ll E`).  Both are 0 where the process is closed.
    """
    E = nonnegative("E_in", E_in)
    M = positive("target_mass", target_mass)
    m1 = nonnegative("m_in", m_in)
    m2 = nonnegative("m_out", m_out)
    E, M, m1, m2 = np.broadcast_arrays(E, M, m1, m2)
    p2 = E * E - m1 * m1
    s = m1 * m1 + M * M + 2.0 * M * E
    D = m1 * m1 - m2 * m2
    b = D * (E + M) + 2.0 * p2 * M
    disc = b * b - s * D * D
    open_ = (p2 > 0) & (s > (M + m2) ** 2) & (disc >= 0) & (b > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_max = np.where(open_, (b + np.sqrt(np.where(open_, disc, 0.0))) / (2.0 * s), 0.0)
        t_min = np.where(open_ & (t_max > 0),
                         D * D / (4.0 * s * np.where(t_max > 0, t_max, 1.0)), 0.0)
    if np.ndim(t_max) == 0:
        return float(t_min), float(t_max)
    return t_min, t_max


def _window(E_nu, target_mass, m4):
    return recoil_window_massive(E_nu, target_mass, 0.0, m4)


def recoil_max(E_nu, target_mass, m4=0.0):
    """Maximum kinetic recoil energy T_max [MeV] of a target of mass ``target_mass`` [MeV] hit by a
    neutrino of energy ``E_nu`` [MeV] producing a final neutral lepton of mass ``m4`` [MeV].

    Zero below the production threshold sqrt(s) <= M + m4.  Broadcasts over arrays.
    """
    return _window(E_nu, target_mass, m4)[1]


def recoil_min(E_nu, target_mass, m4=0.0):
    """Minimum kinetic recoil energy T_min [MeV] (0 for m4 = 0, > 0 for up-scattering m4 > 0)."""
    return _window(E_nu, target_mass, m4)[0]


def recoil_window(E_nu, target_mass, m4=0.0):
    """Return (T_min, T_max) [MeV]; both are 0 where the process is kinematically closed."""
    return _window(E_nu, target_mass, m4)


def neutrino_energy_min(T, target_mass, m4=0.0):
    """Minimum neutrino energy [MeV] able to give kinetic recoil ``T`` [MeV] to a target of mass
    ``target_mass`` [MeV] while producing a final lepton of mass ``m4`` [MeV].

    Paper 000 eq. (9) = paper 003 eq. (22):
    E_min = (T + sqrt(T^2 + 2 M T)) / 2 * (1 + m4^2 / (2 M T)).  At T = 0 the result is 0 for
    m4 = 0 and +inf for m4 > 0 (no neutrino energy produces zero recoil with a massive final state).
    """
    T = nonnegative("T", T)
    M = positive("target_mass", target_mass)
    m4 = nonnegative("m4", m4)
    T, M, m4 = np.broadcast_arrays(T, M, m4)
    with np.errstate(divide="ignore", invalid="ignore"):
        e0 = 0.5 * (T + np.sqrt(T * T + 2.0 * M * T))
        factor = np.where(m4 > 0, 1.0 + m4 * m4 / (2.0 * M * T), 1.0)
        out = np.where((T == 0) & (m4 > 0), np.inf, e0 * factor)
    return out if np.ndim(out) else float(out)


def m4_max(E_nu, T, target_mass):
    r"""Largest final-lepton mass m4 [MeV] that a neutrino of energy ``E_nu`` [MeV] can produce
    while giving kinetic recoil ``T`` [MeV] to a target of mass ``target_mass`` [MeV]: the inverse
    of :func:`neutrino_energy_min` in m4, i.e. ``neutrino_energy_min(T, M, m4_max(E, T, M)) == E``.

    Exact (collinear final state: the edge of the recoil window):

    .. math:: m_4^2 = 2E_\nu|\mathbf q| - 2E_\nu T - 2MT,\qquad |\mathbf q| = \sqrt{T^2 + 2MT},

    equal to :math:`2MT\,(E_\nu/E_\nu^{\min}(T, m_4{=}0) - 1)`. Paper 004 eq. (8),
    :math:`m_4^2 \lesssim 2MT(\sqrt{2/(MT)}E_\nu - 1)`, is this without the :math:`T^2` and
    :math:`2E_\nu T` terms. 0 where no m4 works (``E_nu`` below the elastic threshold
    :math:`E^{\min}(T)`, or T = 0). Broadcasts.
    """
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    M = positive("target_mass", target_mass)
    E, T, M = np.broadcast_arrays(E, T, M)
    q = np.sqrt(T * T + 2.0 * M * T)
    # 2E(q - T) - 2MT written with q - T = 2MT/(q + T): no cancellation for T << M
    with np.errstate(divide="ignore", invalid="ignore"):
        qmt = np.where(q + T > 0, 2.0 * M * T / np.where(q + T > 0, q + T, 1.0), 0.0)
    out = np.sqrt(np.clip(2.0 * E * qmt - 2.0 * M * T, 0.0, None))
    return out if np.ndim(out) else float(out)


def momentum_transfer_sq(T, target_mass):
    """|q^2| = 2 M T [MeV^2] for kinetic recoil T of a target of mass M (both MeV)."""
    return 2.0 * positive("target_mass", target_mass) * nonnegative("T", T)
