r"""Dark-sector one-loop anapole and magnetic moments of neutrinos (paper 002, sec. 2, eq. 7-12).

A neutrino couples to a dark Dirac fermion :math:`\chi` and a charged scalar :math:`\phi`
(eq. 3) or a charged vector :math:`V` with its Goldstone :math:`G` (eq. 4).  :math:`\chi`,
:math:`\phi`, :math:`V` carry a dark charge :math:`e' = e`; the massless dark photon mixes with the
photon with strength :math:`\epsilon`, so the visible moments carry :math:`e'Q = e\,\epsilon`
(paper: :math:`\alpha' = \alpha`, :math:`Q = \epsilon e'/e`).

Units: masses in MeV; anapole moments returned in **cm^2**, magnetic moments in **mu_B**.
Internally natural units (MeV), converted once with :func:`nuemcore.constants.to_cm2`.

Loop functions (:math:`\eta = m_\chi^2/m_\phi^2`, :math:`\tilde\eta = m_\chi^2/m_V^2`)
---------------------------------------------------------------------------------------
Derived for the scalar loop with Feynman parameters (external neutrino on shell, photon on both
:math:`\chi` and :math:`\phi`; :math:`u` = Feynman weight of the fermion propagator,
:math:`D(u) = u\eta + 1 - u`), and checked against eq. (7)-(8):

* anapole, eq. (7): :math:`F_a(\eta) = [-3\eta + (\eta+2)\ln\eta + 3]/(\eta-1)^2
  = -\int_0^1 du\,[(2u^3-(1-u)^3)/D + \eta u^3/D^2]`;
  :math:`F_a(1) = -1/2`, :math:`F_a \to 2\ln\eta + 3` (:math:`\eta\to0`, IR log of a light
  :math:`\chi`), :math:`F_a\to (\ln\eta - 3)/\eta` (:math:`\eta\to\infty`), one zero at
  :math:`\eta_0 \approx 8.58` (sign change).
* magnetic, helicity-conserving term, eq. (8) first term:
  :math:`F_{\mu,1}(\eta) = (\eta^2 - 2\eta\ln\eta - 1)/(\eta-1)^3 = 2\int_0^1 du\,u(1-u)/D`,
  :math:`F_{\mu,1}(1) = 1/3`.  Chirality requires it to multiply the **external neutrino mass**
  :math:`m_\nu` (or :math:`m_N`), not :math:`m_\chi` as printed: with a pure :math:`c_L` coupling
  and :math:`m_\nu = 0` no helicity flip is possible.
* magnetic, chirality-flip term, eq. (8) second term:
  :math:`F_{\mu,2}(\eta) = \sqrt\eta\,(1-\eta+\ln\eta)/(\eta-1)^2
  = -\sqrt\eta\int_0^1 du\,u/D`, :math:`F_{\mu,2}(1) = -1/2`, vanishing as
  :math:`\sqrt\eta\ln\eta` and :math:`-1/\sqrt\eta` at the ends (decoupling).

Vector loop (eq. 9-12): the Goldstone pieces are scalar loops (eq. 10 uses :math:`F_a`).  The
transverse-vector functions are taken from the paper and only checked (finite at
:math:`\tilde\eta=1`, limits):
:math:`F^V_a = [-3\tilde\eta + (5\tilde\eta-2)\ln\tilde\eta + 3]/(\tilde\eta-1)^2` (:math:`\to 7/2`),
:math:`F^V_{\mu,1} = [5\tilde\eta^2 - 8\tilde\eta + 2(1-2\tilde\eta)\tilde\eta\ln\tilde\eta + 3]
/(\tilde\eta-1)^3` (:math:`\to -5/3`),
:math:`F^V_{\mu,2} = \sqrt{\tilde\eta}\,(1-\tilde\eta+\tilde\eta\ln\tilde\eta)/(\tilde\eta-1)^2`
(:math:`\to 1/2`).
Eq. (11)-(12) as converted contain a stray ``+ (|c_L^G|^2 + |c_R^G|^2) +``: a bare squared coupling
added to a quantity of dimension 1/mass, so it is a layout fragment and is dropped.  We read
eq. (11) as all four squared couplings times :math:`m_\nu F^V_{\mu,1}` (helicity-conserving, so
again :math:`m_\nu`, not :math:`m_\chi`) and eq. (12) as the chirality-flip term.

Normalisation: the magnetic-moment expressions equal our Dirac-vertex derivation exactly.  The
anapole of eq. (7) is the coefficient of :math:`q^2\gamma^\mu P_L`; the :math:`\gamma_5` part of a
Dirac vertex is half of it.  The factor 2 is restored by the conjugate (Majorana) diagrams of
Fig. 2, and eq. (17) uses :math:`a` as the coefficient of :math:`q^2\gamma^\mu\gamma_5`.  We keep the
paper's normalisation by default (``dirac=False``) and expose the Dirac value (``dirac=True``).
Overall signs follow the paper; only squares enter the cross sections.
"""
from __future__ import annotations

import numpy as np

from . import constants as C
from .errors import NegativeEnergyError

__all__ = [
    "F_anapole_scalar", "F_mag1_scalar", "F_mag2_scalar",
    "F_anapole_vector", "F_mag1_vector", "F_mag2_vector",
    "feynman_anapole_scalar", "feynman_mag1_scalar", "feynman_mag2_scalar",
    "anapole_scalar", "magnetic_scalar", "anapole_vector", "magnetic_vector",
    "TABLE1", "band", "ANAPOLE_ZERO_ETA",
]

#: Table 1 of paper 002: parameter ranges (masses in MeV)
TABLE1 = {"m_med": (1.0, 1000.0), "m_chi": (1.0, 1000.0), "coupling": (0.0, 1.0),
          "eps": (1e-9, 1e-7)}

_SERIES = 2e-3  # |eta - 1| below which Taylor series replace the closed forms


def _eta(x):
    x = np.asarray(x, dtype=float)
    if np.any(~(x > 0)):
        raise NegativeEnergyError("eta = m_chi^2/m_med^2 must be > 0")
    return x


def _closed_or_series(eta, closed, c0, c1, c2):
    """Evaluate ``closed(eta)`` away from eta=1 and the series c0 + c1 x + c2 x^2 (x = eta-1)."""
    eta = _eta(eta)
    x = eta - 1.0
    near = np.abs(x) < _SERIES
    safe = np.where(near, 2.0, eta)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(near, c0 + c1 * x + c2 * x * x, closed(safe))
    return out if out.ndim else float(out)


# --- scalar loop (eq. 7-8) --------------------------------------------------------------------
def F_anapole_scalar(eta):
    """Anapole loop function of eq. (7): [-3 eta + (eta+2) ln eta + 3]/(eta-1)^2 (dimensionless)."""
    return _closed_or_series(eta, lambda e: (-3 * e + (e + 2) * np.log(e) + 3) / (e - 1) ** 2,
                             -0.5, 0.5, -5.0 / 12.0)


def F_mag1_scalar(eta):
    """Helicity-conserving magnetic loop function of eq. (8): (eta^2 - 2 eta ln eta - 1)/(eta-1)^3."""
    return _closed_or_series(eta, lambda e: (e * e - 2 * e * np.log(e) - 1) / (e - 1) ** 3,
                             1.0 / 3.0, -1.0 / 6.0, 0.1)


def F_mag2_scalar(eta):
    """Chirality-flip magnetic loop function of eq. (8): sqrt(eta)(1 - eta + ln eta)/(eta-1)^2."""
    eta = _eta(eta)
    g = _closed_or_series(eta, lambda e: (1 - e + np.log(e)) / (e - 1) ** 2,
                          -0.5, 1.0 / 3.0, -0.25)
    return np.sqrt(eta) * g


# --- vector loop (eq. 9-12) -------------------------------------------------------------------
def F_anapole_vector(eta):
    """Transverse-vector anapole function of eq. (9): [-3 e + (5 e - 2) ln e + 3]/(e-1)^2."""
    return _closed_or_series(eta, lambda e: (-3 * e + (5 * e - 2) * np.log(e) + 3) / (e - 1) ** 2,
                             3.5, -1.5, 11.0 / 12.0)


def F_mag1_vector(eta):
    """Helicity-conserving vector function of eq. (11):
    [5 e^2 - 8 e + 2 (1 - 2 e) e ln e + 3]/(e-1)^3."""
    return _closed_or_series(
        eta, lambda e: (5 * e * e - 8 * e + 2 * (1 - 2 * e) * e * np.log(e) + 3) / (e - 1) ** 3,
        -5.0 / 3.0, 0.5, -7.0 / 30.0)


def F_mag2_vector(eta):
    """Chirality-flip vector function of eq. (12): sqrt(e)(1 - e + e ln e)/(e-1)^2."""
    eta = _eta(eta)
    g = _closed_or_series(eta, lambda e: (1 - e + e * np.log(e)) / (e - 1) ** 2,
                          0.5, -1.0 / 6.0, 1.0 / 12.0)
    return np.sqrt(eta) * g


# --- the Feynman-parameter integrals we derived (for tests and the notebook) -----------------
_GL_X, _GL_W = np.polynomial.legendre.leggauss(200)
_U = 0.5 * (_GL_X + 1.0)
_W = 0.5 * _GL_W


def _uint(f, eta):
    eta = np.atleast_1d(_eta(eta)).astype(float)[:, None]
    D = 1.0 + _U[None, :] * (eta - 1.0)
    return (f(_U[None, :], D, eta) * _W).sum(axis=1)


def feynman_anapole_scalar(eta):
    """-int_0^1 du [(2u^3 - (1-u)^3)/D + eta u^3/D^2], D = u eta + 1 - u: equals F_anapole_scalar."""
    return -_uint(lambda u, D, e: (2 * u**3 - (1 - u) ** 3) / D + e * u**3 / D**2, eta)


def feynman_mag1_scalar(eta):
    """2 int_0^1 du u(1-u)/D: equals F_mag1_scalar."""
    return 2.0 * _uint(lambda u, D, e: u * (1 - u) / D, eta)


def feynman_mag2_scalar(eta):
    """-sqrt(eta) int_0^1 du u/D: equals F_mag2_scalar."""
    eta = np.atleast_1d(_eta(eta)).astype(float)
    return -np.sqrt(eta) * _uint(lambda u, D, e: u / D, eta)


# --- physical moments ------------------------------------------------------------------------
def _eQ(eps):
    return C.e_charge * np.asarray(eps, dtype=float)


def _out(x):
    x = np.asarray(x, dtype=float)
    return x if x.ndim else float(x)


def _ana_conv(a_nat, convention, dirac):
    if convention not in ("paper", "xsec"):
        raise ValueError("convention must be 'paper' or 'xsec'")
    a = C.to_cm2(a_nat) * (0.5 if dirac else 1.0)
    return _out(a / C.e_charge if convention == "xsec" else a)


def anapole_scalar(m_phi, m_chi, c_L, c_R, eps, dirac=False, convention="paper"):
    """Anapole moment [cm^2] from the scalar loop, paper 002 eq. (7).

    m_phi, m_chi [MeV]; c_L, c_R couplings; eps kinetic mixing.  ``dirac=True`` returns the
    gamma_5 coefficient of a Dirac vertex (half of eq. 7, see module docstring).
    ``convention="paper"``: eq. (7) converted to cm^2 as printed (it contains e'Q = e eps, i.e. it
    is the full vertex coefficient); ``"xsec"``: divided by e, the convention of
    :func:`nuemcore.xsec.electron.anapole` (vertex e a (q^2 gamma - q qslash) gamma_5)."""
    m_phi = np.asarray(m_phi, float)
    eta = (np.asarray(m_chi, float) / m_phi) ** 2
    a = (_eQ(eps) / (96 * np.pi**2 * m_phi**2)
         * (np.abs(c_L) ** 2 - np.abs(c_R) ** 2) * F_anapole_scalar(eta))
    return _ana_conv(a, convention, dirac)


def magnetic_scalar(m_phi, m_chi, c_L, c_R, eps, m_nu=0.0):
    """Magnetic moment [mu_B] from the scalar loop, paper 002 eq. (8).

    The helicity-conserving term carries the external neutrino mass ``m_nu`` [MeV] (printed as
    m_chi in the paper; see module docstring); the chirality-flip term carries m_chi."""
    m_phi = np.asarray(m_phi, float)
    m_chi = np.asarray(m_chi, float)
    eta = (m_chi / m_phi) ** 2
    eQ = _eQ(eps)
    t1 = -eQ / (64 * np.pi**2 * m_phi**2) * (np.abs(c_L) ** 2 + np.abs(c_R) ** 2) \
        * np.asarray(m_nu, float) * F_mag1_scalar(eta)
    t2 = eQ / (32 * np.pi**2 * m_phi) * 2 * np.real(c_L * np.conj(c_R)) * F_mag2_scalar(eta)
    return _out((t1 + t2) / C.mu_B)


def anapole_vector(m_V, m_chi, g_L, g_R, cG_L, cG_R, eps, dirac=False, convention="paper"):
    """Anapole moment [cm^2] from the vector + Goldstone loop, paper 002 eq. (9)-(10);
    ``dirac``/``convention`` as in :func:`anapole_scalar`."""
    m_V = np.asarray(m_V, float)
    eta = (np.asarray(m_chi, float) / m_V) ** 2
    eQ = _eQ(eps)
    a = (-eQ / (48 * np.pi**2 * m_V**2) * (np.abs(g_L) ** 2 - np.abs(g_R) ** 2) * F_anapole_vector(eta)
         - eQ / (96 * np.pi**2 * m_V**2) * (np.abs(cG_L) ** 2 - np.abs(cG_R) ** 2)
         * F_anapole_scalar(eta))
    return _ana_conv(a, convention, dirac)


def magnetic_vector(m_V, m_chi, g_L, g_R, cG_L, cG_R, eps, m_nu=0.0):
    """Magnetic moment [mu_B] from the vector + Goldstone loop, paper 002 eq. (11)-(12) as
    reconstructed (stray fragment dropped, helicity-conserving term with m_nu)."""
    m_V = np.asarray(m_V, float)
    eta = (np.asarray(m_chi, float) / m_V) ** 2
    eQ = _eQ(eps)
    sq = np.abs(g_L) ** 2 + np.abs(g_R) ** 2 + np.abs(cG_L) ** 2 + np.abs(cG_R) ** 2
    t1 = eQ / (32 * np.pi**2 * m_V**2) * sq * np.asarray(m_nu, float) * F_mag1_vector(eta)
    re = np.real(cG_L * np.conj(cG_R)) + np.real(g_L * np.conj(g_R))
    t2 = eQ / (4 * np.pi**2 * m_V) * re * F_mag2_vector(eta)
    return _out((t1 + t2) / C.mu_B)


def _anapole_zero():
    from scipy.optimize import brentq
    return brentq(lambda e: float(F_anapole_scalar(e)), 2.0, 100.0, xtol=1e-12)


#: eta where the scalar anapole function changes sign
ANAPOLE_ZERO_ETA = _anapole_zero()


def band(kind, n=4000, seed=1, coupling=(0.1, 1.0), eps=None, m_med=None, m_chi=None,
         convention="paper"):
    """Range [low, high] of |moment| over the Table 1 box (log-uniform masses, couplings and eps).

    kind: "anapole_scalar", "anapole_vector" [cm^2], "magnetic_scalar", "magnetic_vector" [mu_B].
    Couplings are drawn log-uniformly in ``coupling`` (Table 1 allows 0, which gives 0); all
    couplings equal (|c_L| = |c_R| = c would cancel the anapole, so the anapole uses c_R = 0 and
    the magnetic moment c_L = c_R).  Returns (low, high, samples)."""
    rng = np.random.default_rng(seed)
    lo_hi = lambda r: (np.log10(r[0]), np.log10(r[1]))  # noqa: E731
    mm = m_med or TABLE1["m_med"]
    mc = m_chi or TABLE1["m_chi"]
    ee = eps or TABLE1["eps"]
    M = 10 ** rng.uniform(*lo_hi(mm), n)
    X = 10 ** rng.uniform(*lo_hi(mc), n)
    E = 10 ** rng.uniform(*lo_hi((min(ee), max(ee))), n)
    c = 10 ** rng.uniform(*lo_hi(coupling), n)
    if kind == "anapole_scalar":
        v = anapole_scalar(M, X, c, 0.0, E, convention=convention)
    elif kind == "anapole_vector":
        v = anapole_vector(M, X, c, 0.0, c, 0.0, E, convention=convention)
    elif kind == "magnetic_scalar":
        v = magnetic_scalar(M, X, c, c, E)
    elif kind == "magnetic_vector":
        v = magnetic_vector(M, X, c, c, c, c, E)
    else:
        raise ValueError(f"unknown band kind {kind!r}")
    v = np.abs(np.asarray(v))
    v = v[v > 0]
    return float(v.min()), float(v.max()), v
