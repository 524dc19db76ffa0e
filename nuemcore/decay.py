r"""Radiative decay of a heavy neutral lepton through the dipole portal, :math:`N \to \nu\gamma`.

Units: masses and energies in MeV, magnetic moments in units of the Bohr magneton
:math:`\mu_B` (converted to natural units, MeV^-1, with :data:`nuemcore.constants.mu_B`), widths in
MeV, lengths in cm (one factor of :math:`\hbar c` from :data:`nuemcore.constants.HBARC_MEV_CM`).

The factor-2 issue (read before comparing papers)
-------------------------------------------------
Two conventions for the same physics appear in the papers of this book.

* Paper 000 eq. (1) writes the dipole portal as
  :math:`\mathcal L \supset \tfrac12\,\mu\,\bar\nu_L\sigma^{\mu\nu}N_R F_{\mu\nu}` (+ h.c.)
  with a *Dirac* :math:`N_R`.  The width of :math:`N \to \nu\gamma` is then

  .. math:: \Gamma = \frac{\mu^2 m_4^3}{16\pi},

  and the lab-frame decay length :math:`l = (p/m_4)/\Gamma` is exactly paper 000 eq. (6),
  :math:`l_{\rm decay} = 16\pi\sqrt{E_N^2-m_4^2}/(\mu^2 m_4^4)`.  This is the **default**
  (``majorana=False``).  Written with the coupling :math:`d` of
  :math:`\mathcal L \supset d\,\bar\nu_L\sigma^{\mu\nu}N_R F_{\mu\nu}` (no 1/2, the convention of
  Magill, Plestid, Pospelov and Tsai 2018), :math:`\mu = 2d` and :math:`\Gamma = d^2 m_4^3/(4\pi)`:
  the same number.
* Paper 002 eq. (26), :math:`\Gamma = (m_N^2-m_\nu^2)^3 |\mu_{\nu N}|^2/(8\pi m_N^3)`, with
  paper 002 eq. (6) :math:`\mathcal L_\mu = \tfrac{\mu_{ij}}{2}\bar\nu_j\sigma^{\mu\nu}\nu_i F_{\mu\nu}`
  summed over both orderings (i, j) and (j, i), i.e. a Majorana-like (or self-conjugate) transition
  moment: the heavy state decays to both :math:`\nu\gamma` and :math:`\bar\nu\gamma` (equivalently
  the hermitian-conjugate operator is counted as a second channel), doubling the width:
  :math:`\Gamma = \mu^2 m^3/(8\pi)` for :math:`m_\nu = 0`.  Use ``majorana=True``.

The magnetic-moment *scattering* cross sections of this book (paper 000 eq. 5, paper 003 eq. 19)
use the same :math:`\mu`; switching ``majorana`` changes only the decay width, so a chapter that
quotes paper 002's X-ray/decay constraints should pass ``majorana=True`` and say so.

A daughter mass ``m_nu`` (MeV) is allowed as in paper 002 eq. (26):
:math:`\Gamma \propto (m_4^2-m_\nu^2)^3/m_4^3`; it defaults to 0.
"""
from __future__ import annotations

import numpy as np

from . import constants as C
from ._validate import finite, nonnegative
from .errors import NuemError

__all__ = ["width_nu_gamma", "lifetime", "decay_length", "probability_decay_between",
           "probability_decay_beyond", "probability_decay_before"]


def _ret(x):
    return x if np.ndim(x) else float(x)


def width_nu_gamma(m4, mu, majorana=False, m_nu=0.0):
    r"""Total width :math:`\Gamma(N\to\nu\gamma)` [MeV] of a heavy neutral lepton of mass ``m4``
    [MeV] with transition magnetic moment ``mu`` [mu_B].

    Default (``majorana=False``, paper 000 eq. 1 convention, Dirac N):
    :math:`\Gamma = \mu^2 (m_4^2-m_\nu^2)^3/(16\pi m_4^3)`, which reproduces paper 000 eq. (6).
    ``majorana=True``: twice that, paper 002 eq. (26), :math:`\mu^2 m_4^3/(8\pi)` at m_nu = 0.
    See the module docstring for the factor-2 discussion.  Zero where m4 <= m_nu (closed) or
    mu = 0.  Broadcasts; raises NegativeEnergyError for a negative m4/m_nu and NonFiniteError for
    NaN/inf.  **Negative moments** (one rule in all of nuemcore): ``mu`` may carry a sign; only
    mu^2 enters.
    """
    m4 = nonnegative("m4", m4)
    mu = finite("mu", mu, "mu_B")
    m_nu = nonnegative("m_nu", m_nu)
    mu_nat = mu * C.mu_B  # MeV^-1
    with np.errstate(divide="ignore", invalid="ignore"):
        phase = np.where(m4 > m_nu, (m4 * m4 - m_nu * m_nu) ** 3 / np.where(m4 > 0, m4, 1.0) ** 3, 0.0)
    g = mu_nat**2 * phase / (16.0 * np.pi)
    if majorana:
        g = 2.0 * g
    return _ret(g)


def lifetime(m4, mu, majorana=False, m_nu=0.0):
    """Rest-frame lifetime tau = hbar / Gamma [s]; +inf where the width is zero."""
    g = np.asarray(width_nu_gamma(m4, mu, majorana=majorana, m_nu=m_nu))
    with np.errstate(divide="ignore"):
        out = np.where(g > 0, C.HBAR_MEV_S / np.where(g > 0, g, 1.0), np.inf)
    return _ret(out)


def _momentum(E_N, m4):
    E = nonnegative("E_N", E_N)
    m = nonnegative("m4", m4)
    E, m = np.broadcast_arrays(E, m)
    # tolerate rounding at E_N = m4 (a particle produced at rest)
    tol = 1e-12 * np.maximum(m, 1e-300)
    if np.any(E < m - tol):
        bad = np.argmax((E < m - tol).ravel())
        raise NuemError(
            f"E_N must be >= m4 (total energy of N in MeV); got E_N={E.ravel()[bad]:g} < "
            f"m4={m.ravel()[bad]:g}")
    return np.sqrt(np.maximum(E * E - m * m, 0.0)), m


def decay_length(E_N, m4, mu, majorana=False, m_nu=0.0):
    r"""Mean lab-frame decay length :math:`l = \beta\gamma c\tau = (p/m_4)\,\hbar c/\Gamma` [cm]
    of N with total lab energy ``E_N`` [MeV], mass ``m4`` [MeV] and moment ``mu`` [mu_B].

    Default convention reproduces paper 000 eq. (6): :math:`l = 16\pi\,p/(\mu^2 m_4^4)`
    (times hbar c).  ``majorana=True`` halves it (paper 002 eq. 26 width).  +inf for mu = 0 or
    m4 = 0 (stable); 0 for E_N = m4 (at rest).  Raises NuemError for E_N < m4 and
    NegativeEnergyError for negative input.
    """
    p, m = _momentum(E_N, m4)
    g = np.asarray(width_nu_gamma(m, mu, majorana=majorana, m_nu=m_nu))
    p, m, g = np.broadcast_arrays(p, m, g)
    with np.errstate(divide="ignore", invalid="ignore"):
        l = np.where((g > 0) & (m > 0), C.HBARC_MEV_CM * p / (np.where(m > 0, m, 1.0) * np.where(g > 0, g, 1.0)),
                     np.where(p == 0, 0.0, np.inf))
        # p = 0 and g = 0: a stable particle at rest never gets anywhere
        l = np.where((p == 0) & ~((g > 0) & (m > 0)), 0.0, l)
    return _ret(l)


def _survival(L, l):
    """exp(-L/l) with the limits l = 0 (-> 0 for L > 0, 1 at L = 0) and l = inf (-> 1)."""
    L = np.asarray(L, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(np.isinf(l), 0.0, np.where(l > 0, L / np.where(l > 0, l, 1.0), np.where(L > 0, np.inf, 0.0)))
    return np.exp(-x)


def probability_decay_between(L1, L2, E_N, m4, mu, majorana=False, m_nu=0.0):
    r"""Probability that N produced at distance 0 decays between ``L1`` and ``L2`` [cm]
    (0 <= L1 <= L2):  :math:`P = e^{-L_1/l} - e^{-L_2/l}` with :math:`l` from
    :func:`decay_length`.  In [0, 1]; 0 for a stable N.  ``L2 = inf`` is allowed.
    Paper 000 uses this for the "double-bang" region l_prompt < L < l_detector.
    """
    L1 = nonnegative("L1", L1, "cm")
    L2 = nonnegative("L2", L2, "cm", allow_inf=True)
    if np.any(L2 < L1):
        raise NuemError("probability_decay_between needs L1 <= L2 (cm)")
    l = np.asarray(decay_length(E_N, m4, mu, majorana=majorana, m_nu=m_nu))
    p = _survival(L1, l) - _survival(L2, l)
    return _ret(np.clip(p, 0.0, 1.0))


def probability_decay_beyond(L, E_N, m4, mu, majorana=False, m_nu=0.0):
    """Probability that N survives beyond distance ``L`` [cm]: exp(-L/l) in [0, 1]."""
    L = nonnegative("L", L, "cm")
    l = np.asarray(decay_length(E_N, m4, mu, majorana=majorana, m_nu=m_nu))
    return _ret(_survival(L, l))


def probability_decay_before(L, E_N, m4, mu, majorana=False, m_nu=0.0):
    """Probability that N decays before distance ``L`` [cm]: 1 - exp(-L/l) (computed with
    expm1 for accuracy at L << l)."""
    L = nonnegative("L", L, "cm")
    l = np.asarray(decay_length(E_N, m4, mu, majorana=majorana, m_nu=m_nu))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(np.isinf(l), 0.0, np.where(l > 0, L / np.where(l > 0, l, 1.0), np.where(L > 0, np.inf, 0.0)))
    return _ret(-np.expm1(-x))
