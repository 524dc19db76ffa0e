r"""Coherent elastic neutrino-nucleus scattering (CEvNS) and its electromagnetic modifications.

Per nucleus, differential in the nuclear kinetic recoil energy T: **cm^2/MeV**.  ``E_nu`` and ``T``
in MeV, ``Z``/``N`` proton/neutron numbers (N may be isotope-averaged, see
:mod:`nuemcore.nuclear`), ``mass`` the nuclear mass in MeV (default :func:`nuclear.default_mass`),
magnetic moments in mu_B, charges in e, charge radii in cm^2.  All arguments broadcast.  Outside
the kinematic window of :func:`nuemcore.kinematics.recoil_window` the result is 0 (never NaN);
the terms that diverge as 1/T (magnetic moment, millicharge) are also set to 0 at the single point
T = 0 (and below ``T_FLOOR`` = 1e-30 MeV); neutrino energies below ``E_FLOOR`` = 1e-30 MeV count
as 0.  Every function accepts ``target="Xe"`` instead of (Z, N) for a tabulated natural element.

Conventions (decided from papers 003 and 004; see also the tests):

* **SM** (paper 004 eq. 1-2 = paper 003 eq. 11-12):
  :math:`\frac{d\sigma}{dT} = \frac{G_F^2 M}{\pi} Q_V^2 \left(1 - \frac{MT}{2E^2} - \frac{T}{E}\right)`,
  :math:`Q_V = g_V^p Z F_p(q) + g_V^n N F_n(q)`, :math:`|q| = \sqrt{2MT}`.
  Equivalently :math:`\frac{G_F^2 M}{4\pi} Q_W^2 F^2(\ldots)` with
  :math:`Q_W = N - (1 - 4 s_W^2) Z = -2 Q_V` (for F_p = F_n).
  ``couplings="tree"`` (default, as paper 004): :math:`g_V^p = \tfrac12 - 2 s_W^2`,
  :math:`g_V^n = -\tfrac12`, with :math:`s_W^2` = ``sin2w`` (default 0.23857, paper 004 and the
  package default; paper 003 uses 0.2312: pass ``sin2w=0.2312``).
  ``couplings="radiative"``: :math:`g_V^p = 0.0298`, :math:`g_V^n = -0.5117`, the values with
  electroweak radiative corrections common in the CEvNS literature (they follow from the PDG
  neutral-current parameters rho, kappa, lambda^{uL,dL,uR,dR}; ``sin2w`` is then ignored).
  The recoil term :math:`+T^2/(2E^2)` of a spin-1/2 nucleus is **dropped by default** (papers
  003/004 drop it; it is O(T/E)^2 < 1e-6 for 8B on Xe); ``t2_term=True`` adds it.
* **Form factor**: "helm" (paper 003 eq. 13, s = 0.9 fm, proton rms radius = tabulated charge
  radius; neutron radius = same unless ``neutron_radius`` [fm] is given), "klein_nystrand"
  (paper 004 eq. 3, R_A = 1.23 A^(1/3) fm, a_k = 0.7 fm, same F for protons and neutrons),
  "fermi", "none", or a callable F(q [MeV]).  Paper 004 uses KN throughout; paper 003 uses Helm
  (KN for COHERENT-CsI).
* **Charge radius** (``charge_radius`` = <r^2_nu> in cm^2, optional in :func:`sm`):
  :math:`g_V^p \to g_V^p - \frac{\sqrt2 \pi\alpha}{3 G_F}\langle r^2\rangle` (same convention as
  the millicharge of paper 004 eq. 5-6, to which it is related by
  :math:`\mathcal Q \to \mathcal Q + q^2 \langle r^2\rangle / 6`).
* **Magnetic moment** (paper 004 eq. 4):
  :math:`\frac{\pi\alpha^2}{m_e^2}\left(\frac1T - \frac1E\right) Z^2 F^2 (\mu/\mu_B)^2`;
  **dipole portal** (m4 > 0; paper 003 eq. 17 = paper 004 eq. 9, spin-1/2 nucleus) with the
  exact kinematic window (paper 004 eq. 8 is its approximation), and ``spin0=True``
  subtracting paper 003 eq. 18 (times the same prefactor).  Both were re-derived in the tests
  from the Dirac traces (4x4 gamma matrices): eq. 17 is the spin-1/2 result and eq. 17 - eq. 18 the
  spin-0 result, exactly.  m4 -> 0 reproduces eq. 4 (spin 1/2).
* **Millicharge** (paper 004 eq. 5-6): diagonal charge :math:`\mathcal Q_{\nu_{\ell\ell}}` enters
  as :math:`g_V^p \to g_V^p - Q^{EC}`, :math:`Q^{EC} = \frac{2\sqrt2\pi\alpha}{G_F q^2}\mathcal Q`,
  :math:`q^2 = -2MT`, i.e. :math:`g_V^p \to g_V^p + \frac{\sqrt2\pi\alpha\,\mathcal Q}{G_F M T}`
  (sign of paper 004; a positive charge interferes destructively with the SM, whose
  :math:`Q_V < 0`).  :func:`millicharge` returns the **difference** (full - SM, i.e.
  interference + quadratic; the quantity added to :func:`sm`, like the electron helper's
  ``millicharge``); :func:`sm_with_millicharge` returns the **full** cross section.  With
  ``transition=True`` the charge is a transition charge :math:`\mathcal Q_{\ell\ell'}` and the
  incoherent term of paper 004 eq. 5, :math:`\frac{G_F^2 M}{\pi}(Q^{EC})^2 Z^2 F^2 (\ldots)
  = \frac{2\pi\alpha^2 \mathcal Q^2 Z^2 F^2}{M T^2}(1 - \frac{MT}{2E^2} - \frac TE)` is returned
  (sum over ell' by passing sqrt(sum of squares)).  The CEvNS vector cross section is the same for
  neutrinos and antineutrinos (the photon and Z vector couplings both flip under C), so there is
  no ``antineutrino`` argument; ``flavour`` is validated and labels which charge is meant.
* **Millicharge sign, compared with** :mod:`nuemcore.xsec.electron`: here ``q`` is the neutrino's
  charge :math:`\mathcal Q` itself in the convention :math:`F(q^2) = \mathcal Q + q^2\langle
  r^2\rangle/6` (the same convention as ``charge_radius`` above).  In
  :func:`nuemcore.xsec.electron.millicharge` the argument ``q`` follows paper 001 and equals
  :math:`-\mathcal Q` in that convention.  **The two modules therefore use opposite signs**: a
  physical charge is ``q=+Q`` here and ``q=-Q`` in the electron module; only the interference
  terms (odd in q) are affected.  The conventions are kept (each follows its paper, and chapter
  results are unchanged); a "+q" slider that drives both must flip one of them.
* **Input contract** (see :mod:`nuemcore._validate`): NaN/inf are rejected everywhere; ``mass``
  must be > 0 and, for Z > 1, >= 1000 MeV (a mass in GeV is refused with a message naming MeV);
  ``sin2w`` in (0, 1); ``neutron_radius`` > 0 fm; ``charge_radius`` [cm^2] may be an array.
  **Negative moments**: ``mu`` [mu_B] may be negative everywhere in nuemcore (cross sections and
  widths depend on mu^2), exactly as in :mod:`nuemcore.xsec.electron` and :mod:`nuemcore.decay`.
"""
from __future__ import annotations

import math
import warnings

import numpy as np

from .. import constants as C
from .. import form_factors as FF
from .. import nuclear
from .._validate import flavour as _flavour
from .._validate import nonnegative, finite, nuclear_mass, positive
from .._validate import sin2w as _check_sin2w
from ..errors import NuemError, UnitSlipWarning
from ..kinematics import recoil_window

#: radiatively corrected vector couplings (see module docstring)
GV_P_RADIATIVE = 0.0298
GV_N_RADIATIVE = -0.5117

#: neutrino energies below this [MeV] are treated as 0, and recoils below it as T = 0 in the 1/T
#: terms (avoids E^2 underflow and 1/T overflow; physically irrelevant)
E_FLOOR = 1e-30
T_FLOOR = 1e-30

__all__ = ["sm", "weak_charge", "couplings", "magnetic_moment", "millicharge",
           "sm_with_millicharge", "sm_total", "integrate_recoil"]


def _out(v):
    return v if np.ndim(v) else float(v)


def _ZN(Z, N, target):
    if target is not None:
        n = nuclear.nucleus(target)
        if Z is not None or N is not None:
            raise NuemError("give either (Z, N) or target=, not both")
        return float(n.Z), float(n.N)
    if Z is None or N is None:
        raise NuemError("give Z and N (or target='Xe' etc.)")
    if np.ndim(Z) or np.ndim(N):
        raise NuemError("Z and N must be scalars (one nucleus per call)")
    Z, N = float(Z), float(N)
    if not (Z >= 1 and N >= 0 and math.isfinite(Z) and math.isfinite(N)):
        raise NuemError(f"need Z >= 1 and N >= 0, got Z={Z}, N={N}")
    return Z, N


def _mass(Z, N, mass):
    if mass is None:
        return nuclear.default_mass(Z, N)
    return float(nuclear_mass("mass", mass, Z))


def couplings(kind="tree", sin2w=None):
    """(g_V^p, g_V^n): "tree" -> (1/2 - 2 sin2w, -1/2) (paper 004 eq. 2; sin2w default 0.23857);
    "radiative" -> (0.0298, -0.5117)."""
    k = str(kind).lower()
    if k == "tree":
        s = C.sin2w_or_default(_check_sin2w(sin2w))
        return 0.5 - 2.0 * s, -0.5
    if k == "radiative":
        return GV_P_RADIATIVE, GV_N_RADIATIVE
    raise NuemError(f"couplings must be 'tree' or 'radiative', got {kind!r}")


def weak_charge(Z, N, sin2w=None, couplings_kind="tree"):
    """Weak charge Q_W = -2 (g_V^p Z + g_V^n N) (= N - (1 - 4 sin2w) Z at tree level), at q = 0."""
    gp, gn = couplings(couplings_kind, sin2w)
    return -2.0 * (gp * float(Z) + gn * float(N))


def _prepare(E_nu, T, Z, N, mass, target, m4=0.0):
    Z, N = _ZN(Z, N, target)
    M = _mass(Z, N, mass)
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    m4 = nonnegative("m4", m4)
    E, T, m4b = np.broadcast_arrays(E, T, m4)
    E = np.where(E < E_FLOOR, 0.0, E)
    if np.all(m4b == 0):
        # elastic: T_max = 2E^2/(M + 2E), T_min = 0 (same closed form as kinematics.recoil_window)
        tmax = 2.0 * E * E / (M + 2.0 * E)
        inside = (E > 0) & (T <= tmax)
        if T.size and not inside.any() and (E > 0).any() and (T > 1e3 * tmax).all():
            warnings.warn(UnitSlipWarning(
                f"every recoil T (min {T.min():g}) is > 1000 x T_max (max {tmax.max():g} MeV): "
                f"T must be in MeV (not keV or eV); the cross section is 0 here"), stacklevel=3)
    else:
        tmin, tmax = recoil_window(E, M, m4b)
        inside = (E > 0) & (tmax > 0) & (T >= tmin) & (T <= tmax)
    return Z, N, M, E, T, m4b, inside


def _ff(form_factor, Z, N, rms_radius=None):
    return FF.resolve(form_factor, Z, N, rms_radius)


def _kin_sm(E, T, M, t2_term):
    with np.errstate(divide="ignore", invalid="ignore"):
        Es = np.where(E > 0, E, 1.0)
        k = 1.0 - M * T / (2.0 * Es * Es) - T / Es
        if t2_term:
            k = k + T * T / (2.0 * Es * Es)
    return np.maximum(k, 0.0)


def _qv(Z, N, q, form_factor, sin2w, couplings_kind, neutron_radius, charge_radius=0.0):
    gp, gn = couplings(couplings_kind, sin2w)
    cr = finite("charge_radius", charge_radius, "cm^2")
    if np.any(cr != 0):
        gp = gp - math.sqrt(2.0) * math.pi * C.alpha / (3.0 * C.G_F) * C.cm2_to_natural(
            cr if cr.ndim else float(cr))
    Fp = _ff(form_factor, Z, N)(q)
    if neutron_radius is not None:
        if callable(form_factor) or str(form_factor).lower() not in ("helm", "fermi"):
            raise NuemError("neutron_radius applies to the 'helm' and 'fermi' form factors only")
        rn = float(positive("neutron_radius", neutron_radius, "fm"))
        Fn = _ff(form_factor, Z, N, rms_radius=rn)(q)
    else:
        Fn = Fp
    return gp * Z * Fp + gn * N * Fn, Fp


def sm(E_nu, T, Z=None, N=None, form_factor="helm", sin2w=None, mass=None, target=None, *,
       couplings_kind="tree", charge_radius=0.0, t2_term=False, neutron_radius=None):
    r"""SM CEvNS differential cross section d sigma/dT [cm^2/MeV] per nucleus.

    Paper 004 eq. (1)-(2) (= paper 003 eq. 11-12):
    G_F^2 M / pi * (g_V^p Z F_p + g_V^n N F_n)^2 * (1 - M T/(2 E^2) - T/E) [+ T^2/(2E^2) if
    ``t2_term``], |q| = sqrt(2 M T).  E_nu, T [MeV]; Z, N (or ``target``); ``mass`` [MeV]
    (default from :mod:`nuemcore.nuclear`); ``form_factor`` name or callable F(q [MeV]);
    ``sin2w`` (None: 0.23857); ``couplings_kind`` "tree"/"radiative"; ``charge_radius`` <r^2> [cm^2]
    (flavour-diagonal neutrino charge radius, g_V^p -> g_V^p - sqrt2 pi alpha <r^2>/(3 G_F));
    ``neutron_radius`` [fm] for F_n (Helm/Fermi).  0 for T > T_max = 2E^2/(M + 2E).
    """
    Z, N, M, E, T, _, inside = _prepare(E_nu, T, Z, N, mass, target)
    q = np.sqrt(2.0 * M * T)
    qv, _ = _qv(Z, N, q, form_factor, sin2w, couplings_kind, neutron_radius, charge_radius)
    val = C.G_F**2 * M / math.pi * qv * qv * _kin_sm(E, T, M, t2_term)
    return _out(np.where(inside, C.to_cm2(val), 0.0))


def magnetic_moment(E_nu, T, Z=None, N=None, mu=0.0, m4=0.0, form_factor="helm", mass=None,
                    target=None, *, spin0=False):
    r"""Neutrino magnetic-moment (m4 = 0) or dipole-portal (m4 > 0, nu N -> N_4 N) cross section
    d sigma/dT [cm^2/MeV] per nucleus, to be added incoherently to :func:`sm`.

    m4 = 0: paper 004 eq. (4), pi alpha^2/m_e^2 (1/T - 1/E) Z^2 F^2 (mu/mu_B)^2.
    m4 > 0: paper 003 eq. (17) = paper 004 eq. (9) (spin-1/2 nucleus),
    pi alpha^2/m_e^2 (mu/mu_B)^2 Z^2 F^2 [1/T - 1/E - m4^2/(2 E T M) (1 - T/(2E) + M/(2E))
    + m4^4 (T - M)/(8 E^2 T^2 M^2)] inside the exact window T_min(m4) <= T <= T_max(m4).
    ``spin0=True`` subtracts paper 003 eq. (18): m4^2/(8 M E^2) (1 + m4^2/(M T)) - T/(4E^2)
    (so at m4 = 0 the spin-0 bracket is 1/T - 1/E + T/(4E^2)).
    mu [mu_B] (signed; only mu^2 enters; broadcasts); m4 [MeV]; E_nu, T [MeV].  0 outside the window and at T = 0.
    """
    mu = finite("mu", mu, "mu_B")  # signed moments accepted: the cross section depends on mu^2
    Z, N, M, E, T, m4, inside = _prepare(E_nu, T, Z, N, mass, target, m4)
    inside = inside & (T > T_FLOOR)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        Ts = np.where(T > T_FLOOR, T, 1.0)
        Es = np.where(E > 0, E, 1.0)
        m42 = m4 * m4
        br = (1.0 / Ts - 1.0 / Es
              - m42 / (2.0 * Es * Ts * M) * (1.0 - Ts / (2.0 * Es) + M / (2.0 * Es))
              + m42 * m42 * (Ts - M) / (8.0 * Es * Es * Ts * Ts * M * M))
        if spin0:
            br = br - (m42 / (8.0 * M * Es * Es) * (1.0 + m42 / (M * Ts)) - Ts / (4.0 * Es * Es))
    br = np.maximum(br, 0.0)
    F = _ff(form_factor, Z, N)(np.sqrt(2.0 * M * T))
    val = math.pi * C.alpha**2 / C.m_e**2 * Z * Z * F * F * br * mu * mu
    return _out(np.where(inside, C.to_cm2(val), 0.0))


def _qec_abs_factor(M, T):
    """sqrt2 pi alpha / (G_F M T): -Q^EC per unit charge (paper 004 eq. 6 with q^2 = -2MT)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return math.sqrt(2.0) * math.pi * C.alpha / (C.G_F * M * np.where(T > T_FLOOR, T, 1.0))


def millicharge(E_nu, T, Z=None, N=None, q=0.0, flavour="e", form_factor="helm", sin2w=None,
                mass=None, target=None, *, transition=False, couplings_kind="tree",
                neutron_radius=None):
    r"""Change of the CEvNS cross section due to a neutrino millicharge ``q`` [e]:
    **full minus SM** [cm^2/MeV] per nucleus (add it to :func:`sm`; :func:`sm_with_millicharge`
    gives the full cross section).

    Diagonal (``transition=False``, paper 004 eq. 5-6, charge Q_{nu_{ll}} of ``flavour``):
    g_V^p -> g_V^p + sqrt2 pi alpha q/(G_F M T), coherent with the SM; the returned value is
    G_F^2 M/pi (1 - MT/(2E^2) - T/E) * d Z F_p (2 Q_V + d Z F_p), d = sqrt2 pi alpha q/(G_F M T)
    (interference + quadratic; may be negative).
    Transition (``transition=True``, second term of paper 004 eq. 5, charge Q_{nu_{ll'}}):
    2 pi alpha^2 q^2 Z^2 F^2 / (M T^2) (1 - MT/(2E^2) - T/E), incoherent, >= 0.
    q may be negative (sign matters only for the diagonal interference); broadcasts.
    0 outside the window and at T = 0.
    """
    _flavour(flavour)
    qch = finite("q", q, "e")
    Z, N, M, E, T, _, inside = _prepare(E_nu, T, Z, N, mass, target)
    inside = inside & (T > T_FLOOR)
    qm = np.sqrt(2.0 * M * T)
    kin = _kin_sm(E, T, M, False)
    d = _qec_abs_factor(M, T) * qch
    with np.errstate(over="ignore", invalid="ignore"):
        if transition:
            F = _ff(form_factor, Z, N)(qm)
            val = C.G_F**2 * M / math.pi * kin * (d * Z * F) ** 2
        else:
            qv, Fp = _qv(Z, N, qm, form_factor, sin2w, couplings_kind, neutron_radius)
            shift = d * Z * Fp
            val = C.G_F**2 * M / math.pi * kin * shift * (2.0 * qv + shift)
    return _out(np.where(inside, C.to_cm2(val), 0.0))


def sm_with_millicharge(E_nu, T, Z=None, N=None, q=0.0, flavour="e", form_factor="helm",
                        sin2w=None, mass=None, target=None, *, transition=False,
                        couplings_kind="tree", neutron_radius=None):
    """Full CEvNS cross section [cm^2/MeV] with a neutrino millicharge ``q`` [e]:
    :func:`sm` + :func:`millicharge` (paper 004 eq. 5), >= 0."""
    kw = dict(form_factor=form_factor, sin2w=sin2w, mass=mass, target=target)
    base = sm(E_nu, T, Z, N, couplings_kind=couplings_kind, neutron_radius=neutron_radius, **kw)
    extra = millicharge(E_nu, T, Z, N, q, flavour, transition=transition,
                        couplings_kind=couplings_kind, neutron_radius=neutron_radius, **kw)
    return _out(np.maximum(np.asarray(base) + np.asarray(extra), 0.0))


# ---------------------------------------------------------------------------------------------
_GL_CACHE: dict = {}


def _gauss_legendre(n):
    if n not in _GL_CACHE:
        _GL_CACHE[n] = np.polynomial.legendre.leggauss(n)
    return _GL_CACHE[n]


def integrate_recoil(func, E_nu, T_low, T_high, n=128, log=False):
    """Integrate d sigma/dT = func(E_nu, T) over T in [T_low, T_high] for every E_nu [MeV] with an
    n-point Gauss-Legendre rule (in ln T if ``log``; then T_low must be > 0).  Returns cm^2.
    ``func`` must broadcast (E_nu[:, None], T[:, n]).  Empty intervals give 0."""
    E = np.atleast_1d(nonnegative("E_nu", E_nu)).astype(float)
    lo = np.broadcast_to(nonnegative("T_low", T_low), E.shape).astype(float)
    hi = np.broadcast_to(nonnegative("T_high", T_high), E.shape).astype(float)
    hi = np.maximum(hi, lo)
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise NuemError(f"n (Gauss-Legendre points) must be an integer >= 1, got {n!r}")
    x, w = _gauss_legendre(int(n))
    if log:
        if np.any(lo <= 0):
            raise NuemError("log integration needs T_low > 0")
        a, b = np.log(lo), np.log(hi)
        u = 0.5 * (b - a)[:, None] * x[None, :] + 0.5 * (b + a)[:, None]
        Tg = np.exp(u)
        jac = 0.5 * (b - a)[:, None] * Tg
    else:
        Tg = 0.5 * (hi - lo)[:, None] * x[None, :] + 0.5 * (hi + lo)[:, None]
        jac = 0.5 * (hi - lo)[:, None] * np.ones_like(x)[None, :]
    vals = np.asarray(func(E[:, None], Tg))
    res = np.sum(vals * jac * w[None, :], axis=1)
    return res if np.ndim(E_nu) else float(res[0])


def sm_total(E_nu, Z=None, N=None, form_factor="helm", sin2w=None, mass=None, target=None,
             T_threshold=0.0, n=128, **kw):
    """Total SM CEvNS cross section [cm^2] per nucleus above recoil ``T_threshold`` [MeV]:
    the integral of :func:`sm` from T_threshold to T_max (Gauss-Legendre, n points).
    Without form factor it equals G_F^2 Q_V^2 M/pi [T - T^2/(2E) - M T^2/(4E^2)] between the
    limits (~ G_F^2 Q_V^2 E^2/pi for M >> E)."""
    Zf, Nf = _ZN(Z, N, target)
    M = _mass(Zf, Nf, mass)
    E = nonnegative("E_nu", E_nu)
    tmax = 2.0 * E * E / (M + 2.0 * E)

    def f(e, t):
        return sm(e, t, Zf, Nf, form_factor=form_factor, sin2w=sin2w, mass=M, **kw)

    return integrate_recoil(f, E, np.minimum(T_threshold, tmax), tmax, n=n)
