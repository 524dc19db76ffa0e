r"""Nuclear form factors F(|q|) for coherent scattering, normalised to F(0) = 1.

All functions take the magnitude of the three-momentum transfer ``q`` in **MeV** (for a nuclear
recoil T: :math:`|\mathbf q| = \sqrt{2 M T}`, paper 003 below eq. 12 and paper 004 below eq. 6;
use :func:`q_from_recoil`) and radii in **fm**; they broadcast over arrays and are vectorised
(no special functions beyond sin/cos/exp; the small-argument region uses the Taylor series, so
F(0) = 1 exactly and there is no 0/0).

* :func:`helm` -- paper 003 eq. (13):
  :math:`F(q) = 3\,\frac{j_1(qR_0)}{qR_0}\,e^{-q^2 s^2/2}` with
  :math:`R_0^2 = \tfrac53 (R^2 - 3 s^2)`, :math:`R` the rms radius of the distribution
  (paper 003 uses the proton and neutron rms radii :math:`R_{p,n}`) and surface thickness
  :math:`s = 0.9` fm (paper 003). The default radius is the tabulated rms charge radius
  (``nuemcore.nuclear``, Angeli & Marinova 2013). By construction the Helm distribution has
  mean square radius :math:`\tfrac35 R_0^2 + 3 s^2 = R^2`. If only ``A`` is known, the
  rms radius follows from the Lewin-Smith parametrisation
  (J. D. Lewin and P. F. Smith, Astropart. Phys. 6 (1996) 87):
  :math:`c = 1.23 A^{1/3} - 0.60` fm, :math:`a = 0.52` fm,
  :math:`R_0^2 = c^2 + \tfrac73\pi^2 a^2 - 5 s^2`, hence :math:`R^2 = \tfrac35 R_0^2 + 3 s^2`.
* :func:`klein_nystrand` -- paper 004 eq. (3) (and footnote 2 of paper 003):
  :math:`F(q) = 3\,\frac{j_1(qR_A)}{qR_A}\,\frac{1}{1 + q^2 a_k^2}` with
  :math:`R_A = 1.23 A^{1/3}` fm and :math:`a_k = 0.7` fm. (Paper 004 calls :math:`R_A` "the root
  mean square radius"; it is the hard-sphere radius of the Klein-Nystrand density, whose rms radius
  is :math:`\sqrt{\tfrac35 R_A^2 + 6 a_k^2}` -- 5.14 fm for natural Xe.)
* :func:`symmetric_fermi` -- analytic Fourier transform of the symmetrised Fermi distribution
  (D. W. L. Sprung and J. Martorell, J. Phys. A 30 (1997) 6525), with diffuseness a = 0.52 fm and
  half-density radius c fixed by the rms radius, :math:`R^2 = \tfrac35 c^2 + \tfrac75 \pi^2 a^2`.

:func:`resolve` turns a name ("helm", "klein_nystrand", "fermi", "none") or a callable into a
function F(q) for a given nucleus; the cross sections in :mod:`nuemcore.xsec.nucleus` use it.
"""
from __future__ import annotations

import math

import numpy as np

from . import constants as C
from ._validate import nonnegative
from .errors import NuemError

#: hbar c [MeV fm]
HBARC_MEV_FM = C.HBARC_MEV_CM / C.fm
#: Helm surface thickness s [fm] (paper 003, below eq. 13)
HELM_S_FM = 0.9
#: Klein-Nystrand Yukawa range a_k [fm] and radius coefficient R_A = 1.23 A^(1/3) fm (paper 004 eq. 3)
KN_AK_FM = 0.7
KN_R_COEFF_FM = 1.23
#: symmetrised-Fermi diffuseness [fm]
FERMI_A_FM = 0.52

NAMES = ("helm", "klein_nystrand", "fermi", "none")


def q_from_recoil(T, mass):
    """|q| = sqrt(2 M T) [MeV] for nuclear kinetic recoil ``T`` and nuclear mass ``mass`` [MeV]."""
    return np.sqrt(2.0 * nonnegative("mass", mass) * nonnegative("T", T))


def _j1_over_x_times3(x):
    """3 j_1(x)/x, with the Taylor series 1 - x^2/10 + x^4/280 - x^6/15120 for x < 0.05."""
    x = np.asarray(x, dtype=float)
    small = x < 0.05
    xs = np.where(small, 1.0, x)
    full = 3.0 * (np.sin(xs) - xs * np.cos(xs)) / xs**3
    x2 = x * x
    series = 1.0 - x2 / 10.0 + x2 * x2 / 280.0 - x2 * x2 * x2 / 15120.0
    return np.where(small, series, full)


def _out(v):
    return v if np.ndim(v) else float(v)


def lewin_smith_rms(A, s=HELM_S_FM):
    """rms radius [fm] of the Helm distribution with the Lewin-Smith R_0 for mass number A."""
    A = float(A)
    if A <= 0:
        raise NuemError(f"mass number must be positive, got {A}")
    c = 1.23 * A ** (1.0 / 3.0) - 0.60
    r0sq = c * c + 7.0 / 3.0 * math.pi**2 * 0.52**2 - 5.0 * s * s
    return math.sqrt(0.6 * r0sq + 3.0 * s * s)


def helm_R0(rms_radius, s=HELM_S_FM):
    """Helm box radius R_0 [fm] = sqrt(5/3 (R^2 - 3 s^2)) (paper 003 below eq. 13)."""
    r0sq = 5.0 / 3.0 * (float(rms_radius) ** 2 - 3.0 * float(s) ** 2)
    if not r0sq > 0:
        raise NuemError(f"Helm form factor needs rms radius > sqrt(3) s = {math.sqrt(3) * s:.3g} fm, "
                        f"got {rms_radius!r} fm; use form_factor='none' or another model")
    return math.sqrt(r0sq)


def helm(q, rms_radius=None, A=None, s=HELM_S_FM):
    """Helm form factor (paper 003 eq. 13), dimensionless, F(0) = 1.

    q: |q| [MeV]; rms_radius: rms radius R of the proton (or neutron) distribution [fm];
    if None, derived from mass number ``A`` (Lewin-Smith, see module docstring);
    s: surface thickness [fm] (default 0.9 fm as in paper 003).
    """
    q = nonnegative("q", q)
    if rms_radius is None:
        if A is None:
            raise NuemError("helm(): give rms_radius [fm] or mass number A")
        rms_radius = lewin_smith_rms(A, s)
    R0 = helm_R0(rms_radius, s)
    qf = q / HBARC_MEV_FM  # fm^-1
    return _out(_j1_over_x_times3(qf * R0) * np.exp(-0.5 * (qf * s) ** 2))


def klein_nystrand(q, A=None, R_A=None, a_k=KN_AK_FM):
    """Klein-Nystrand form factor (paper 004 eq. 3), dimensionless, F(0) = 1.

    q: |q| [MeV]; A: mass number (R_A = 1.23 A^(1/3) fm); or R_A [fm] directly;
    a_k: Yukawa range [fm] (default 0.7 fm as in paper 004).
    """
    q = nonnegative("q", q)
    if R_A is None:
        if A is None or float(A) <= 0:
            raise NuemError("klein_nystrand(): give a positive mass number A or R_A [fm]")
        R_A = KN_R_COEFF_FM * float(A) ** (1.0 / 3.0)
    qf = q / HBARC_MEV_FM
    return _out(_j1_over_x_times3(qf * float(R_A)) / (1.0 + (qf * float(a_k)) ** 2))


def klein_nystrand_rms(A=None, R_A=None, a_k=KN_AK_FM):
    """rms radius [fm] of the Klein-Nystrand density: sqrt(3/5 R_A^2 + 6 a_k^2)."""
    if R_A is None:
        R_A = KN_R_COEFF_FM * float(A) ** (1.0 / 3.0)
    return math.sqrt(0.6 * R_A**2 + 6.0 * a_k**2)


def symmetric_fermi(q, rms_radius, a=FERMI_A_FM):
    """Symmetrised-Fermi form factor (Sprung & Martorell 1997), F(0) = 1.

    q: |q| [MeV]; rms_radius [fm]; a: diffuseness [fm]. The half-density radius
    c = sqrt(5/3 R^2 - 7/3 pi^2 a^2) reproduces the rms radius exactly.
    """
    q = nonnegative("q", q)
    csq = 5.0 / 3.0 * float(rms_radius) ** 2 - 7.0 / 3.0 * math.pi**2 * a * a
    if not csq > 0:
        raise NuemError(f"symmetric Fermi: rms radius {rms_radius!r} fm too small for a = {a} fm")
    c = math.sqrt(csq)
    qf = q / HBARC_MEV_FM
    small = qf * c < 1e-3
    qs = np.where(small, 1.0, qf)
    x = math.pi * qs * a
    # x/sinh(x) and x/tanh(x) without overflow (exp(-x) form)
    xm = np.minimum(x, 350.0)
    ex = np.exp(-xm)
    one_minus = -np.expm1(-2.0 * xm)  # 1 - exp(-2x), accurate for small x
    x_sinh = 2.0 * x * ex / one_minus
    x_tanh = x * (1.0 + ex * ex) / one_minus
    qc = qs * c
    # 3 / (qc ((qc)^2 + (pi q a)^2)) = 3 / (qc^3 (1 + pi^2 a^2 / c^2)): normalised to F(0) = 1
    full = 3.0 / (qc * (qc * qc + x * x)) * x_sinh * (x_tanh * np.sin(qc) - qc * np.cos(qc))
    series = 1.0 - (qf * float(rms_radius)) ** 2 / 6.0
    return _out(np.where(small, series, full))


def resolve(form_factor, Z, N, rms_radius=None):
    """Return a callable F(q [MeV]) for the nucleus (Z, N).

    form_factor: "helm" (paper 003 eq. 13; rms radius = ``rms_radius`` [fm] if given, else the
    tabulated charge radius of element Z, else Lewin-Smith from A = Z + N), "klein_nystrand"
    (paper 004 eq. 3 with A = Z + N), "fermi" (symmetrised Fermi, same radius as Helm), "none"
    or None (F = 1), or a callable F(q) returned unchanged.
    """
    if callable(form_factor):
        return form_factor
    name = "none" if form_factor is None else str(form_factor).strip().lower()
    name = {"kn": "klein_nystrand", "klein-nystrand": "klein_nystrand",
            "symmetric_fermi": "fermi", "1": "none", "unity": "none"}.get(name, name)
    if name not in NAMES:
        raise NuemError(f"unknown form factor {form_factor!r}; expected one of {NAMES} or a callable")
    A = float(Z) + float(N)
    if name == "none":
        return lambda q: np.ones_like(np.asarray(q, dtype=float))
    if name == "klein_nystrand":
        return lambda q: klein_nystrand(q, A=A)
    if rms_radius is None:
        from .nuclear import _BY_Z  # local import: nuclear does not depend on form_factors
        zi = int(round(float(Z)))
        rms_radius = _BY_Z[zi].r_charge if zi in _BY_Z else lewin_smith_rms(A)
    R = float(rms_radius)
    if name == "helm":
        helm_R0(R)  # validate once, raising a clear error for too-small radii
        return lambda q: helm(q, rms_radius=R)
    return lambda q: symmetric_fermi(q, rms_radius=R)
