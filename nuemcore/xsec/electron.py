r"""Neutrino-electron elastic (and up/down-scattering) cross sections per free electron.

Conventions (see ``shared/docs/ARCHITECTURE.md``)
-------------------------------------------------
* All functions return :math:`d\sigma/dT` in **cm^2/MeV** per free electron at rest; ``T`` is the
  electron *kinetic* recoil energy [MeV], ``E_nu``/``E_N`` the incoming energy [MeV] (for a massive
  incoming sterile state ``E_N`` is its **total** energy, :math:`E_N \ge m_N`).
* Arguments broadcast as numpy arrays; scalars in give a float out.
* Outside the exact kinematic window :math:`[T_{\min}, T_{\max}]` the result is exactly 0, never NaN.
  Photon-exchange terms that diverge like :math:`1/T` or :math:`1/T^2` return 0 at ``T == 0``
  (a measure-zero point; integrate from a threshold); so do they for ``T < 1e-30`` MeV
  (:data:`T_FLOOR`, far below any physical threshold), to avoid float overflow of 1/T^2.
* Negative energies/masses raise :class:`~nuemcore.errors.NegativeEnergyError`; a flavour outside
  {e, mu, tau} raises :class:`~nuemcore.errors.UnknownFlavourError`.
* Magnetic moments ``mu`` in units of :math:`\mu_B = e/(2m_e)` (converted with
  ``constants.mu_B`` [MeV^-1]), charges ``q`` in units of ``e``, charge radii and anapole moments in
  **cm^2** (converted with ``constants.cm2_to_natural``). Natural units inside, one ``to_cm2``.
* ``sin2w=None`` means ``constants.SIN2W_DEFAULT = 0.23857`` (PDG 2022 low-energy MS-bar value,
  also used by paper 004); paper 001 uses 0.2385 (pass ``sin2w=0.2385`` to reproduce it).

Functions
---------
Standard Model and flavour-diagonal electromagnetic properties (massless neutrinos):

* :func:`sm` -- SM :math:`\nu_\alpha e` / :math:`\bar\nu_\alpha e` with the full electron-mass
  term and an optional charge radius.
* :func:`magnetic_moment` -- magnetic moment (m4 = 0) or dipole portal :math:`\nu e\to N e` (m4 > 0).
* :func:`millicharge`, :func:`millicharge_terms` -- millicharge interference + quadratic terms.
* :func:`anapole`, :func:`anapole_terms` -- anapole moment (charge-radius-like).
* :func:`charge_radius_shift` -- the :math:`g_V` shift for a charge radius, both conventions.
* :func:`couplings` -- :math:`(g_V, g_A)` per flavour.

Sterile neutrino N (paper 002 eq. 19-24), exact kinematics for massive in/out states:

* :func:`sterile_magnetic_moment` (N e -> N e, diagonal :math:`\mu_{NN}`, 002 eq. 22),
* :func:`sterile_anapole` (N e -> N e, diagonal :math:`a_{NN}`, 002 eq. 21),
* :func:`transition_magnetic_moment` (:math:`\nu e\to N e`, = :func:`magnetic_moment` with m4, 002
  eq. 20) and :func:`transition_magnetic_moment_down` (:math:`N e\to \nu e`, see note on 002 eq. 24),
* :func:`transition_anapole` (:math:`\nu e\to N e`, 002 eq. 19) and
  :func:`transition_anapole_down` (:math:`N e\to\nu e`, see note on 002 eq. 23),
* :func:`recoil_window_massive` -- exact :math:`(T_{\min}, T_{\max})` for incoming mass
  :math:`m_{in}` and outgoing mass :math:`m_{out}` (general; could move to ``kinematics``).

Other:

* :func:`weak_magnetic_interference` -- 003 eq. (20) (weak x dipole-portal interference, ∝ m4),
  derived exactly in m4 (the printed eq. 20 is its O(m4) truncation; see below).
* :func:`d_sigma_d_Etheta2` -- distribution in :math:`x = E_e\theta^2` (001 eq. 2.3-2.4).
* :func:`total` -- fixed-grid Gauss-Legendre integral over T (no quad).

How the formulas were checked (all by us, beyond reading the papers)
--------------------------------------------------------------------
An exact spin-summed :math:`|\mathcal M|^2` was computed with explicit Dirac matrices (numerically
and symbolically with sympy, photon exchange, neutrino vertex :math:`\mu\,\sigma^{\mu\nu}q_\nu` or
:math:`a\,(q^2\gamma^\mu - q^\mu \not q)\gamma_5`, electron vertex :math:`e\gamma_\mu`, massive
in/out neutral leptons). Closed forms, with :math:`\Delta = m_{in}^2 - m_{out}^2`,
:math:`p^2 = E^2 - m_{in}^2`, couplings :math:`\mu, a` in natural units:

.. math::

   \frac{d\sigma^\mu}{dT} = \frac{\alpha\mu^2}{8T^2m_e^2p^2}\Big[8E^2Tm_e^2 - 8ET^2m_e^2
     + 4ETm_e\Delta - 2T^2m_e(m_{in}^2 - 2m_{in}m_{out} - m_{out}^2) + T\Delta^2
     - 2Tm_e^2(m_{in}+m_{out})^2 - m_e\Delta^2\Big]

.. math::

   \frac{d\sigma^a}{dT} = \frac{\alpha a^2}{2p^2}\Big[4E^2m_e - 4ETm_e + 2E\Delta + 2T^2m_e
     - T(m_{in}^2 - 2m_{in}m_{out} - m_{out}^2) - 2Tm_e^2 - m_e(m_{in}+m_{out})^2\Big]

These reproduce *exactly* 000 eq. (5) = 003 eq. (19) = 002 eq. (20) (:math:`m_{in}=0`), 002 eq.
(18) and 001 eq. (4.3) (:math:`m_{in}=m_{out}=0`), 002 eq. (22) and (21) (:math:`m_{in}=m_{out}=m_N`,
with 002's :math:`E_\nu` read as the **total** energy of N), 002 eq. (17) and (19).

Typos / discrepancies found in the converted papers
---------------------------------------------------
* 000 eq. (7): the last bracket is mangled; it must read :math:`-(g_V^2-g_A^2)\,m_eT/E_\nu^2`
  (as 001 eq. 2.1 and 003 eq. 14). 000 calls :math:`E_{\rm rec}` "the energy of the outgoing
  electron"; in eq. (5) it is the kinetic recoil energy (verified by the trace computation).
* 001 eq. (4.8): the vector bracket :math:`[2E^2+T^2-T(2E+T)]` collapses to :math:`2E^2-2ET`;
  the derivation gives :math:`[2E^2+T^2-T(2E+m_e)]` (the ``+T`` is a mangled ``+m_e``), and the
  axial sign is :math:`+g_A` for neutrinos, :math:`-g_A` for antineutrinos (the text says "+(-) for
  (anti)neutrinos"; the printed :math:`\mp` contradicts it).
* 001 eq. (4.9): the prefactor is :math:`\pi\alpha^2 q^2` (one :math:`\alpha` lost), and it drops
  the :math:`-m_eT` term, which we keep.
* 002 eq. (23)-(24) are verbatim copies of (19)-(20). For :math:`N e\to\nu e` with a massive
  incoming N of total energy :math:`E_N` the exact result differs (the :math:`m_N^2`-linear terms
  change sign and :math:`E^2\to E^2-m_N^2`), e.g. by a factor 1.35-7 at :math:`E_N = 1`-10 MeV,
  :math:`m_N = 0.3`-2 MeV. The printed form is right only for :math:`m_N\to 0`.
  We implement the exact form in the ``*_down`` functions.
* 002 eq. (17) writes :math:`\alpha a^2` with :math:`a` including the coupling :math:`e`
  (their vertex :math:`f_A q^2\gamma^\mu\gamma_5` contains :math:`e'Q`, eq. 7). With :math:`a` in
  cm^2 as quoted in 002 ("a ≤ 2.98e-32 cm^2") the cross section is :math:`4\pi\alpha^2 a^2 m_e(\dots)`;
  see :func:`anapole`.
* 003 eq. (20) (weak x dipole interference, from Grimus & Stockinger 1998) is the O(m4)
  truncation of the exact interference: the vector term lacks the factor
  :math:`1 + m_4^2/(2m_eT)` and the axial bracket the term :math:`-m_4^2/(2m_eE_\nu)`, both O(1)
  at 003's keV-MeV masses; footnote 5's :math:`\tilde g_A\to-\tilde g_A` for neutrinos should be
  a sign flip of the whole axial term. See :func:`weak_magnetic_interference`.

Input contract (see :mod:`nuemcore._validate`): NaN/inf are rejected in every numeric argument;
energies and masses [MeV] must be >= 0; ``sin2w`` lies in (0, 1).  **Negative moments** (one rule
in all of nuemcore: here, :mod:`nuemcore.xsec.nucleus` and :mod:`nuemcore.decay`): a magnetic
moment ``mu`` [mu_B] may carry a sign; every cross section and width depends on mu^2 only.
Millicharges ``q`` [e], charge radii and anapole moments [cm^2] are signed (they interfere).
**Millicharge sign**: ``q`` here is paper 001's, i.e. minus the charge used by
:func:`nuemcore.xsec.nucleus.millicharge` (see :func:`millicharge_terms`).
"""
from __future__ import annotations

import math

import numpy as np

from .. import constants as C
from .. import kinematics
from .._validate import flavour as _flavour
from .._validate import finite, nonnegative
from ..errors import NuemError
from .._validate import sin2w as _check_sin2w

__all__ = [
    "couplings", "charge_radius_shift", "sm", "magnetic_moment", "millicharge",
    "millicharge_terms", "anapole", "anapole_terms", "sterile_magnetic_moment", "sterile_anapole",
    "transition_magnetic_moment", "transition_magnetic_moment_down", "transition_anapole",
    "transition_anapole_down", "recoil_window_massive", "weak_magnetic_interference",
    "d_sigma_d_Etheta2", "total",
]

_ME = C.m_e
#: G_F^2 m_e / (2 pi) in cm^2/MeV (the SM prefactor, ~4.3e-45)
SM_PREFACTOR_CM2 = C.to_cm2(C.G_F**2 * _ME / (2.0 * math.pi))


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def _out(x):
    x = np.asarray(x, dtype=float)
    return x if x.ndim else float(x)


def _arr(name, v):
    """Real-valued parameter (may be negative: charges, radii, moments), rejecting NaN."""
    unit = {"mu": "mu_B", "q": "e", "charge_radius": "cm^2", "a": "cm^2"}.get(name, "")
    return finite(name, v, unit)


def couplings(flavour, sin2w=None):
    r"""Effective :math:`(g_V, g_A)` of :math:`\nu_\alpha e` scattering (neutrinos).

    :math:`g_V = -\tfrac12 + 2\sin^2\theta_W + \delta_{\alpha e}`,
    :math:`g_A = -\tfrac12 + \delta_{\alpha e}` (001 eq. 2.2, 003 eq. 15, 000 eq. 8); the
    :math:`\delta_{\alpha e}` is the charged-current (W exchange, Fierz-rearranged) part for
    :math:`\nu_e`. Antineutrinos: :math:`g_A\to -g_A` in the cross section (see :func:`sm`).
    """
    f = _flavour(flavour)
    s = C.sin2w_or_default(_check_sin2w(sin2w))
    d = 1.0 if f == "e" else 0.0
    return -0.5 + 2.0 * s + d, -0.5 + d


def charge_radius_shift(charge_radius, convention="001"):
    r"""Shift :math:`\delta g_V` (dimensionless) produced by a neutrino charge radius
    :math:`\langle r^2\rangle` [cm^2].

    * ``"001"`` (default): paper 001 eq. (4.16), :math:`g_V\to g_V + \tfrac23 m_W^2 s_W^2
      \langle r^2\rangle`. With :math:`G_F/\sqrt2 = e^2/(8 s_W^2 m_W^2)` this is
      :math:`\delta g_V = \sqrt2\pi\alpha\langle r^2\rangle/(3G_F)`, i.e.
      :math:`\sin^2\theta_W\to\sin^2\theta_W + \sqrt2\pi\alpha\langle r^2\rangle/(6G_F)`.
      It is what one gets from the photon-exchange amplitude with the charge form factor
      :math:`F(q^2) = q^2\langle r^2\rangle/6` acting on left-handed neutrinos
      (:math:`\bar\nu\gamma^\mu\nu\to\tfrac12\bar\nu\gamma^\mu(1-\gamma_5)\nu`), and it is the
      convention in which paper 002's anapole eq. (17) equals the quadratic term with
      :math:`\langle r^2\rangle = 6a` (checked in the tests).
    * ``"alt"``: the convention of 001's footnote 3 (their ref. [34], Vogel & Engel):
      :math:`\sin^2\theta_W\to\sin^2\theta_W + \sqrt2\pi\alpha\langle r^2\rangle/(3G_F)`, i.e.
      :math:`\delta g_V` twice as large. A bound quoted in "alt" is half the "001" number.

    Numerically :math:`\sqrt2\pi\alpha/(3G_F)` = 2.38e30 cm^-2, so :math:`\langle r^2\rangle`
    = 1e-32 cm^2 gives :math:`\delta g_V` = 0.024 ("001").
    """
    r2 = C.cm2_to_natural(_arr("charge_radius", charge_radius))
    base = math.sqrt(2.0) * math.pi * C.alpha / (3.0 * C.G_F) * r2
    if convention == "001":
        return base
    if convention == "alt":
        return 2.0 * base
    from ..errors import NuemError
    raise NuemError(f"charge_radius_convention must be '001' or 'alt', got {convention!r}")


def recoil_window_massive(E_in, m_in=0.0, m_out=0.0, target_mass=_ME):
    """Exact (T_min, T_max) [MeV] for X(E_in, m_in) + e -> Y(m_out) + e; electron-target form of
    :func:`nuemcore.kinematics.recoil_window_massive` (``E_in`` is the total energy)."""
    return kinematics.recoil_window_massive(E_in, target_mass, m_in, m_out)


#: below this recoil [MeV] the 1/T and 1/T^2 photon-pole terms are set to 0 (see module docstring)
T_FLOOR = 1e-30


def _inside(T, tmin, tmax, strict_zero=False):
    m = (T >= tmin) & (T <= tmax) & (tmax > 0)
    if strict_zero:
        m &= T > T_FLOOR
    return m


def _mag_kernel(E, T, m1, m2):
    r"""[exact bracket]/(8 T^2 m_e^2 p^2) of the dipole formula (MeV^-1; multiply by alpha mu^2)."""
    me = _ME
    D = m1 * m1 - m2 * m2
    p2 = E * E - m1 * m1
    # divided term by term for numerical stability at high energy
    val = ((E / T) * (E / p2) - (E / p2)
           + D * E / (2.0 * T * me * p2)
           - (m1 * m1 - 2.0 * m1 * m2 - m2 * m2) / (4.0 * me * p2)
           + D * D / (8.0 * T * me * me * p2)
           - (m1 + m2) ** 2 / (4.0 * T * p2)
           - D * D / (8.0 * T * T * me * p2))
    return val


def _ana_kernel(E, T, m1, m2):
    r"""[exact bracket]/(2 p^2) of the anapole formula (MeV; multiply by alpha a^2, a natural)."""
    me = _ME
    D = m1 * m1 - m2 * m2
    p2 = E * E - m1 * m1
    num = (4.0 * E * E * me - 4.0 * E * T * me + 2.0 * E * D + 2.0 * T * T * me
           - T * (m1 * m1 - 2.0 * m1 * m2 - m2 * m2) - 2.0 * T * me * me
           - me * (m1 + m2) ** 2)
    return num / (2.0 * p2)


def _dipole(E_in, T, mu, m_in, m_out):
    E = nonnegative("E", E_in)
    T = nonnegative("T", T)
    mu = _arr("mu", mu)
    m1 = nonnegative("m_in", m_in)
    m2 = nonnegative("m_out", m_out)
    E, T, mu, m1, m2 = np.broadcast_arrays(E, T, mu, m1, m2)
    tmin, tmax = recoil_window_massive(E, m1, m2)
    ok = _inside(T, tmin, tmax, strict_zero=True)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 1.0)
    m1s = np.where(ok, m1, 0.0)
    m2s = np.where(ok, m2, 0.0)
    k = _mag_kernel(Es, Ts, m1s, m2s)
    mu_nat = mu * C.mu_B
    val = C.alpha * mu_nat * mu_nat * np.maximum(k, 0.0)  # exact |M|^2 >= 0: clip rounding only
    return _out(np.where(ok, C.to_cm2(val), 0.0))


def _anapole_pure(E_in, T, a, m_in, m_out):
    E = nonnegative("E", E_in)
    T = nonnegative("T", T)
    a = _arr("a", a)
    m1 = nonnegative("m_in", m_in)
    m2 = nonnegative("m_out", m_out)
    E, T, a, m1, m2 = np.broadcast_arrays(E, T, a, m1, m2)
    tmin, tmax = recoil_window_massive(E, m1, m2)
    ok = _inside(T, tmin, tmax)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 0.0)
    k = _ana_kernel(Es, Ts, np.where(ok, m1, 0.0), np.where(ok, m2, 0.0))
    a_nat = C.cm2_to_natural(a)
    # alpha * (e a)^2 = 4 pi alpha^2 a^2  (a in natural units MeV^-2, see anapole())
    val = 4.0 * math.pi * C.alpha**2 * a_nat * a_nat * np.maximum(k, 0.0)
    return _out(np.where(ok, C.to_cm2(val), 0.0))


def _sm_core(E, T, gV, gA, antineutrino):
    """G_F^2 m_e/(2 pi) [...] in cm^2/MeV with arrays already broadcast; 0 outside [0, T_max]."""
    gA = -gA if antineutrino else gA
    tmax = np.where(E > 0, 2.0 * E * E / (_ME + 2.0 * E), 0.0)
    ok = (T <= tmax) & (E > 0)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 0.0)
    y = Ts / Es
    br = ((gV + gA) ** 2 + (gV - gA) ** 2 * (1.0 - y) ** 2
          - (gV * gV - gA * gA) * _ME * Ts / (Es * Es))
    return np.where(ok, SM_PREFACTOR_CM2 * np.maximum(br, 0.0), 0.0)


# ----------------------------------------------------------------------------------------------
# Standard Model (+ charge radius)
# ----------------------------------------------------------------------------------------------
def sm(E_nu, T, flavour, antineutrino=False, sin2w=None, charge_radius=0.0,
       charge_radius_convention="001"):
    r"""SM :math:`d\sigma/dT` [cm^2/MeV] for :math:`\nu_\alpha e\to\nu_\alpha e` (or
    :math:`\bar\nu_\alpha e`) per free electron, tree level, full electron-mass term:

    .. math::

       \frac{d\sigma}{dT} = \frac{G_F^2 m_e}{2\pi}\Big[(g_V+g_A)^2 + (g_V-g_A)^2(1-y)^2
         - (g_V^2-g_A^2)\frac{m_eT}{E_\nu^2}\Big],\qquad y = T/E_\nu

    (001 eq. 2.1 = 003 eq. 14 with :math:`g_{L,R} = (g_V\pm g_A)/2` = 000 eq. 7 after fixing its
    bracket). Couplings from :func:`couplings`. **Antineutrinos**: :math:`g_A\to -g_A`, which swaps
    the :math:`(g_V+g_A)^2` and :math:`(g_V-g_A)^2` terms and leaves the :math:`m_e` term
    unchanged (001's :math:`\pm/\mp`, 003's :math:`g_L\leftrightarrow g_R`).

    Endpoint: the cross section does **not** vanish at :math:`T_{\max} = 2E^2/(m_e+2E)`; for
    :math:`E\gg m_e` it tends to :math:`G_F^2 m_e/(2\pi)\,(g_V\pm g_A)^2` (neutrino/antineutrino).
    It is 0 for :math:`T > T_{\max}`. ``T = 0`` is inside the window.

    ``charge_radius`` :math:`\langle r^2_{\nu_\alpha}\rangle` [cm^2] shifts
    :math:`g_V\to g_V+\delta g_V` (:func:`charge_radius_shift`, ``charge_radius_convention``
    "001" = 001 eq. 4.16 (default), or "alt" = 001 footnote 3, twice the shift).
    *Antineutrinos*: ``charge_radius`` is always the **neutrino's** :math:`\langle r^2\rangle`
    and the *same* :math:`\delta g_V` is applied before :math:`g_A\to-g_A`. Reason: the charge
    radius enters through the same effective vector-current operator
    :math:`[\bar\nu\gamma^\mu(1-\gamma_5)\nu][\bar e\gamma_\mu e]` that describes both
    :math:`\nu e` and :math:`\bar\nu e` (like :math:`\sin^2\theta_W` itself, which is why the
    "alt" convention can be written as a shift of :math:`\sin^2\theta_W`); equivalently, in terms of
    the antineutrino's own radius :math:`\langle r^2_{\bar\nu}\rangle = -\langle r^2_\nu\rangle`
    (C-odd vector form factor of a Dirac neutrino) the shift would change sign. This is the
    convention of the global fits quoted by 001 (their bounds 4.17 from :math:`\nu_e e` and
    :math:`\bar\nu_e e` data combined).

    ``sin2w`` default :data:`nuemcore.constants.SIN2W_DEFAULT` = 0.23857 (PDG 2022 low-energy
    MS-bar; 004 uses 0.23857; 001 uses 0.2385).
    """
    gV, gA = couplings(flavour, sin2w)
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    dgv = charge_radius_shift(charge_radius, charge_radius_convention)
    E, T, dgv = np.broadcast_arrays(E, T, dgv)
    return _out(_sm_core(E, T, gV + dgv, gA, antineutrino))


# ----------------------------------------------------------------------------------------------
# magnetic moment / dipole portal
# ----------------------------------------------------------------------------------------------
def magnetic_moment(E_nu, T, mu, m4=0.0):
    r"""Magnetic-moment (m4 = 0) or dipole-portal (:math:`\nu e\to N e`, m4 > 0) cross section
    [cm^2/MeV], incoming massless neutrino of energy ``E_nu`` [MeV], moment ``mu`` in
    :math:`\mu_B`, sterile mass ``m4`` [MeV].

    m4 = 0: :math:`\dfrac{\pi\alpha^2}{m_e^2}\mu^2\Big[\dfrac1T-\dfrac1{E_\nu}\Big]`
    (001 eq. 4.3, 002 eq. 18 with :math:`\mu\to\mu\,e/(2m_e)`). m4 > 0 (000 eq. 5 = 003 eq. 19 =
    002 eq. 20, :math:`\mu_{nat} = \mu\,\mu_B`, :math:`\mu_B = e/(2m_e)`, so
    :math:`\alpha\mu_{nat}^2 = \pi\alpha^2\mu^2/m_e^2`):

    .. math::

       \frac{d\sigma}{dT} = \alpha\mu_{nat}^2\Big[\frac1T - \frac1{E_\nu}
        + m_4^2\frac{T-2E_\nu-m_e}{4E_\nu^2Tm_e} + m_4^4\frac{T-m_e}{8E_\nu^2T^2m_e^2}\Big]

    on the exact window :math:`T_{\min}(m_4) \le T \le T_{\max}(m_4)`
    (:func:`recoil_window_massive`), 0 elsewhere and at T = 0. The formula equals the exact
    spin-summed :math:`|\mathcal M|^2` (verified), so it is :math:`\ge 0` inside the window; at
    the window edges it is finite and non-zero in general (at :math:`m_4=0`,
    :math:`T=T_{\max}`: :math:`\alpha\mu^2 m_e/(2E^2)`). The same formula describes a diagonal
    moment and an active-active transition moment at m4 = 0 (spin-summed final state), and the
    :math:`m_4\to0` limit is smooth (tested). For the unpolarised/left-handed incoming neutrino the
    result is the same (the dipole vertex and the electron vector current are parity even).
    """
    return _dipole(E_nu, T, mu, 0.0, m4)


def transition_magnetic_moment(E_nu, T, mu, m4):
    r"""Up-scattering :math:`\nu e\to N e` through a transition moment :math:`\mu_{\nu N}`
    [:math:`\mu_B`] (002 eq. 20 = 003 eq. 19 = 000 eq. 5). Alias of
    ``magnetic_moment(E_nu, T, mu, m4)``; cm^2/MeV."""
    return _dipole(E_nu, T, mu, 0.0, m4)


def transition_magnetic_moment_down(E_N, T, mu, m_N):
    r"""Down-scattering :math:`N e\to\nu e` through :math:`\mu_{N\nu}` [:math:`\mu_B`]; ``E_N`` is
    the **total** energy of the incoming N (mass ``m_N``), cm^2/MeV.

    Exact result (general kernel with :math:`m_{in}=m_N`, :math:`m_{out}=0`):

    .. math::

       \frac{d\sigma}{dT} = \alpha\mu^2\,\frac{8E_N^2Tm_e^2 - 8E_NT^2m_e^2
        + 2m_N^2Tm_e(2E_N - T - m_e) + m_N^4(T-m_e)}{8T^2m_e^2(E_N^2-m_N^2)} .

    002 eq. (24) prints the up-scattering expression (eq. 20) instead; the two agree only for
    :math:`m_N\to0`. The window has :math:`T_{\min}>0` (exothermic) and is exact.
    """
    return _dipole(E_N, T, mu, m_N, 0.0)


def sterile_magnetic_moment(E_N, T, mu, m_N):
    r"""Elastic :math:`N e\to N e` through the sterile diagonal moment :math:`\mu_{NN}`
    [:math:`\mu_B`], incoming N of total energy ``E_N`` [MeV] and mass ``m_N`` [MeV]; cm^2/MeV.

    002 eq. (22) (verified exactly, with :math:`E_\nu` there = total energy of N):

    .. math::

       \frac{d\sigma}{dT} = \alpha\mu_{nat}^2\,
         \frac{2m_e(E_N^2 - TE_N - m_N^2) + Tm_N^2}{2m_eT(E_N^2 - m_N^2)}

    on :math:`0 < T\le T_{\max} = 2m_e p_N^2/(m_N^2+m_e^2+2m_eE_N)`; reduces to
    :func:`magnetic_moment` at :math:`m_N\to0` (tested). Unpolarised N (parity-even vertex: the
    same for either helicity).
    """
    return _dipole(E_N, T, mu, m_N, m_N)


# ----------------------------------------------------------------------------------------------
# millicharge
# ----------------------------------------------------------------------------------------------
def millicharge_terms(E_nu, T, q, flavour, antineutrino=False, sin2w=None):
    r"""(interference, quadratic) millicharge terms [cm^2/MeV], each added to :func:`sm`.

    Derivation (ours; checked numerically in the tests): photon exchange adds to the SM amplitude a
    vector term that acts on left-handed neutrinos as the shift

    .. math:: g_V \to g_V + \frac{\sqrt2\pi\alpha\,q}{G_F m_e T}

    (``q`` in units of e, sign convention of 001 eq. 4.6/4.8). Inserting it in :func:`sm`'s
    bracket, keeping :math:`m_e`:

    .. math::

       \frac{d\sigma^{\rm Int}}{dT} = \frac{\sqrt2\alpha G_F q}{E_\nu^2T}\Big\{g_V\big[2E_\nu^2
         - 2E_\nu T + T^2 - m_eT\big] \pm g_A\,T(2E_\nu - T)\Big\}

    (+ neutrinos, - antineutrinos), and

    .. math::

       \frac{d\sigma^{\rm EM}}{dT} = \frac{2\pi\alpha^2q^2}{m_eT^2}\Big[1 - \frac{T}{E_\nu}
          + \frac{T^2}{2E_\nu^2} - \frac{m_eT}{2E_\nu^2}\Big].

    Compared with 001: eq. (4.8)'s vector bracket :math:`[2E^2+T^2-T(2E+T)]` should read
    :math:`[2E^2+T^2-T(2E+m_e)]` and its axial sign is :math:`+g_A` for neutrinos (as their text
    says); eq. (4.9) needs :math:`\alpha\to\alpha^2` and omits :math:`-m_eT`.

    **Sign convention.** With the photon-exchange amplitude and the charge form factor
    :math:`F(t) = Q + t\langle r^2\rangle/6` (:math:`t = -2m_eT`), the combination that enters is
    :math:`\delta g_V \propto -Q/(2m_eT) + \langle r^2\rangle/6`. We adopt 001's sign
    (:math:`+q`, so that :func:`sm`'s charge-radius shift, also 001's, and the millicharge shift
    follow the same paper); thus ``q`` here is :math:`-Q` in the convention where a positive
    :math:`\langle r^2\rangle` raises :math:`g_V`. Only the interference term is odd in ``q``;
    DUNE-type bounds on ``q`` flip sign under the other convention.
    **This is the opposite sign to** :func:`nuemcore.xsec.nucleus.millicharge`, whose ``q`` is
    :math:`+\mathcal Q` (paper 004): the same physical charge is ``-q`` here and ``+q`` there.

    Window: :math:`0 < T\le T_{\max}`, 0 at T = 0.
    """
    gV, gA = couplings(flavour, sin2w)
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    q = _arr("q", q)
    E, T, q = np.broadcast_arrays(E, T, q)
    tmax = np.where(E > 0, 2.0 * E * E / (_ME + 2.0 * E), 0.0)
    ok = (T > T_FLOOR) & (T <= tmax) & (E > 0)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 1.0)
    ga = -gA if antineutrino else gA
    vec = 2.0 * Es * Es - 2.0 * Es * Ts + Ts * Ts - _ME * Ts
    inter = (math.sqrt(2.0) * C.alpha * C.G_F * q / (Es * Es * Ts)
             * (gV * vec + ga * Ts * (2.0 * Es - Ts)))
    quad = math.pi * C.alpha**2 * q * q * vec / (_ME * Ts * Ts * Es * Es)
    inter = np.where(ok, C.to_cm2(inter), 0.0)
    quad = np.where(ok, C.to_cm2(np.maximum(quad, 0.0)), 0.0)
    return _out(inter), _out(quad)


def millicharge(E_nu, T, q, flavour, antineutrino=False, sin2w=None):
    r"""Millicharge contribution (interference + quadratic) [cm^2/MeV] to ADD to :func:`sm`, i.e.
    total = ``sm(...) + millicharge(...)`` = SM with :math:`g_V\to g_V+\sqrt2\pi\alpha q/(G_Fm_eT)`.
    ``q`` in units of e (sign convention: :func:`millicharge_terms`). Can be negative (destructive
    interference) but total is always >= 0."""
    i, qd = millicharge_terms(E_nu, T, q, flavour, antineutrino, sin2w)
    return _out(np.asarray(i) + np.asarray(qd))


# ----------------------------------------------------------------------------------------------
# anapole
# ----------------------------------------------------------------------------------------------
def anapole_terms(E_nu, T, a, flavour="e", antineutrino=False, sin2w=None):
    r"""(interference, quadratic) anapole terms [cm^2/MeV] for an active neutrino; ``a`` in cm^2.

    On left-handed (ultra-relativistic) neutrinos the anapole vertex
    :math:`e\,a\,(q^2\gamma^\mu - q^\mu\not q)\gamma_5` acts like a charge radius with
    :math:`\langle r^2\rangle = 6a` (convention "001" of :func:`charge_radius_shift`), i.e.
    :math:`\delta g_V = 2\sqrt2\pi\alpha a/G_F`. The quadratic term is then exactly 002 eq. (17),

    .. math:: \frac{d\sigma^a}{dT} = 4\pi\alpha^2 a^2\,\frac{m_e(2E_\nu^2 - 2E_\nu T + T^2 - m_eT)}{E_\nu^2},

    where 002's :math:`\alpha a_{002}^2` has :math:`a_{002} = e\,a` (natural units; their eq. 7
    puts :math:`e'Q` inside :math:`a`), while the limits 002 quotes are in cm^2, i.e. our ``a``.
    The relative sign :math:`a = +\langle r^2\rangle/6` is a convention (it depends on the sign
    conventions for :math:`\gamma_5` and the vertex); only the interference term depends on it,
    and 002 uses the quadratic term alone. Antineutrinos: same :math:`\delta g_V` as for
    :func:`sm` with ``charge_radius = 6a``.
    """
    gV, gA = couplings(flavour, sin2w)
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    a = _arr("a", a)
    E, T, a = np.broadcast_arrays(E, T, a)
    dgv = charge_radius_shift(6.0 * a, "001")
    ga = -gA if antineutrino else gA
    tmax = np.where(E > 0, 2.0 * E * E / (_ME + 2.0 * E), 0.0)
    ok = (T <= tmax) & (E > 0)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 0.0)
    vec = 1.0 + (1.0 - Ts / Es) ** 2 - _ME * Ts / (Es * Es)
    inter = SM_PREFACTOR_CM2 * 2.0 * dgv * (gV * vec + ga * (1.0 - (1.0 - Ts / Es) ** 2))
    quad = SM_PREFACTOR_CM2 * dgv * dgv * np.maximum(vec, 0.0)
    return _out(np.where(ok, inter, 0.0)), _out(np.where(ok, quad, 0.0))


def anapole(E_nu, T, a, flavour="e", antineutrino=False, sin2w=None, interference=True):
    r"""Anapole contribution [cm^2/MeV] of an active neutrino with anapole moment ``a`` [cm^2],
    to ADD to :func:`sm`.

    * ``interference=True`` (default, physical for an active neutrino): interference + quadratic,
      so that ``sm(E, T, f) + anapole(E, T, a, f) == sm(E, T, f, charge_radius=6*a)`` exactly.
    * ``interference=False``: the pure anapole term only, = 002 eq. (17) (what paper 002 uses,
      flavour independent) -- see :func:`anapole_terms` for the normalisation.
    """
    i, qd = anapole_terms(E_nu, T, a, flavour, antineutrino, sin2w)
    if not interference:
        return qd
    return _out(np.asarray(i) + np.asarray(qd))


def transition_anapole(E_nu, T, a, m4):
    r"""Up-scattering :math:`\nu e\to N e` through a transition anapole :math:`a_{\nu N}` [cm^2],
    pure photon-exchange term (no weak interference), cm^2/MeV. 002 eq. (19) (verified exactly):

    .. math::

       \frac{d\sigma}{dT} = 4\pi\alpha^2 a^2\frac{m_N^2(T-2E_\nu) - 2Tm_e^2
          + m_e(4E_\nu^2 - 4TE_\nu + 2T^2 - m_N^2)}{2E_\nu^2}

    (002's :math:`\alpha a^2` with :math:`a_{002} = e a`), on the exact window; reduces to the pure
    term of :func:`anapole` for :math:`m_4\to0`."""
    return _anapole_pure(E_nu, T, a, 0.0, m4)


def transition_anapole_down(E_N, T, a, m_N):
    r"""Down-scattering :math:`N e\to\nu e` through :math:`a_{N\nu}` [cm^2]; ``E_N`` total energy of
    N. Exact (002 eq. 23 as printed repeats eq. 19 and is only right for :math:`m_N\to0`):

    .. math::

       \frac{d\sigma}{dT} = 4\pi\alpha^2a^2\frac{m_N^2(2E_N - T) - 2Tm_e^2
           + m_e(4E_N^2 - 4TE_N + 2T^2 - m_N^2)}{2(E_N^2 - m_N^2)} ."""
    return _anapole_pure(E_N, T, a, m_N, 0.0)


def sterile_anapole(E_N, T, a, m_N):
    r"""Elastic :math:`N e\to N e` through the sterile diagonal anapole :math:`a_{NN}` [cm^2];
    ``E_N`` total energy of N [MeV]. 002 eq. (21) (verified exactly, unpolarised N):

    .. math::

       \frac{d\sigma}{dT} = 4\pi\alpha^2a^2\frac{Tm_N^2 - Tm_e^2 + m_e(T^2 + 2E_N^2 - 2TE_N
           - 2m_N^2)}{E_N^2 - m_N^2}

    on :math:`0\le T\le 2m_ep_N^2/(m_N^2+m_e^2+2m_eE_N)`. For a massive N the helicity-dependent
    (parity-odd) part vanishes against the vector electron current, so any polarisation gives
    this result."""
    return _anapole_pure(E_N, T, a, m_N, m_N)


# ----------------------------------------------------------------------------------------------
# weak x dipole interference (003 eq. 20)
# ----------------------------------------------------------------------------------------------
def weak_magnetic_interference(E_nu, T, mu, m4, c_V, c_A, antineutrino=False, exact=True):
    r"""Interference of the weak (Z/W) amplitude with the dipole-portal (photon) amplitude in
    :math:`\nu e\to N e` / :math:`\bar\nu e\to\bar N e` per free electron [cm^2/MeV]; paper 003
    eq. (20) (from Grimus & Stockinger, PRD 57 (1998) 1762), **derived here exactly in m4**.

    Amplitudes (natural units, incoming massless 100 % polarised :math:`\nu_L` or
    :math:`\bar\nu_R`, outgoing N of mass :math:`m_4`, unpolarised electron):

    .. math::

       \mathcal M_W = -\frac{G_F}{\sqrt2}\,[\bar u_N\gamma^\mu(1-\gamma_5)u_\nu]\,
          [\bar u_e\gamma_\mu(c_V - c_A\gamma_5)u_e],\qquad
       \mathcal M_\gamma = \frac{i\mu e}{q^2}\,[\bar u_N\sigma^{\beta\alpha}q_\alpha u_\nu]\,
          [\bar u_e\gamma_\beta u_e],

    from :math:`\mathcal L = -\tfrac12\mu\,\bar N\sigma^{\alpha\beta}\nu F_{\alpha\beta}` + h.c.
    (:math:`\mu>0` = moment along the spin, :math:`H=-\mu\,\vec\Sigma\cdot\vec B`) and
    :math:`\mathcal L_{em} = -eQ\bar\psi\gamma^\mu\psi A_\mu`, :math:`Q_e=-1`,
    :math:`q = p_\nu - p_N`. In these conventions a charge form factor gives the
    :func:`charge_radius_shift` "001" sign used by :func:`sm` (tested), which fixes the relative
    sign of :math:`\mathcal M_W` and :math:`\mathcal M_\gamma`. The interference
    :math:`2{\rm Re}\,\mathcal M_W\mathcal M_\gamma^*` needs a chirality flip on the N line, so only
    the :math:`m_4` term of :math:`\not p_N + m_4` survives: it is **exactly linear in**
    :math:`m_4` **times a polynomial in** :math:`m_4^2`, and vanishes for a massless final state
    (helicity conservation). Result (``mu`` in :math:`\mu_B`):

    .. math::

       \frac{d\sigma^{\rm int}}{dT} = \frac{\alpha G_F m_4\,\mu}{\sqrt2\,m_e E_\nu}\Big[
          c_V\,\frac{m_e - T}{E_\nu}\Big(1 + \frac{m_4^2}{2m_eT}\Big)
          \mp c_A\Big(2 - \frac{T}{E_\nu} - \frac{m_4^2}{2m_eE_\nu}\Big)\Big]

    (:math:`-` neutrinos, :math:`+` antineutrinos; the axial bracket is > 0 on the whole window).
    The vector term is exact in closed form because the :math:`q^\mu p_\nu^\beta` part of the
    trace contracts to zero with the electron tensor.

    **Couplings.** :math:`c_{V,A}` are the real effective vector/axial couplings of the weak
    :math:`\nu_\alpha\to N` transition (CC + NC, the same normalisation as :func:`couplings`,
    i.e. :math:`g_{V,A}` of :func:`sm` for :math:`\nu_\alpha\to\nu_\alpha`), multiplied by the
    mixing and divided by ``mu``: in 003's notation
    :math:`c_{V,A}\,\mu = {\rm Re}\sum_{j,n}e^{-i\Delta m^2_{jn}L/2E}U_{ej}U^*_{en}
    \tilde\lambda_{j4}Z^{V,A*}_{n4}` with :math:`Z^{V,A}_{jk} = U_{ej}U^*_{ek}+\delta_{jk}\tilde g_{V,A}`
    (:math:`\tilde g_V = -\tfrac12+2s_W^2`, :math:`\tilde g_A=-\tfrac12`). For an incoming
    :math:`\nu_e` and one :math:`\tilde\lambda_{i4}` (phases 0, L -> 0):
    :math:`c_{V,A}\mu = U_{ei}U_{e4}\tilde\lambda_{i4}(1+\tilde g_{V,A})`. The neutrino/antineutrino
    difference is **only** the sign of the whole axial term (``antineutrino``), as for :func:`sm`;
    003's footnote 5 (":math:`\tilde g_A\to-\tilde g_A`" for :math:`\nu_e`) flips only the NC part
    of :math:`Z^A` and does not reproduce this (it would give :math:`+\tfrac32` instead of
    :math:`-\tfrac12` for the axial coupling in the flavour limit).

    **Comparison with 003 eq. (20)** (printed for :math:`\bar\nu_e e\to\nu_s e`): its bracket
    :math:`(m_e/E - T/E)c_V + (2 - T/E)c_A` and prefactor are the :math:`\mathcal O(m_4)` truncation
    of the exact result (sign and normalisation agree). Grimus & Stockinger computed the term to
    linear order in the (eV-scale) neutrino masses; 003 applies it at :math:`m_4\sim0.1`-1 MeV, where
    the dropped :math:`m_4^2/(2m_eT)` (vector) and :math:`m_4^2/(2m_eE_\nu)` (axial) terms are
    :math:`\mathcal O(1)` or larger (e.g. x2.6 on the vector term at :math:`m_4` = 0.4 MeV,
    :math:`E_\nu` = 0.75 MeV, T = 0.1 MeV). ``exact=False`` returns the truncated (printed) form,
    with the same ``antineutrino`` sign rule.

    Checked in tests/test_xsec_electron.py against the spin-summed :math:`|\mathcal M_W+\mathcal
    M_\gamma|^2 - |\mathcal M_W|^2 - |\mathcal M_\gamma|^2` with explicit Dirac matrices.

    Window: the exact :math:`\nu e\to N e` window; 0 outside it and at T = 0. May be negative.
    """
    E = nonnegative("E_nu", E_nu)
    T = nonnegative("T", T)
    m4 = nonnegative("m4", m4)
    mu = _arr("mu", mu)
    cV = _arr("c_V", c_V)
    cA = _arr("c_A", c_A)
    E, T, m4, mu, cV, cA = np.broadcast_arrays(E, T, m4, mu, cV, cA)
    tmin, tmax = recoil_window_massive(E, 0.0, m4)
    ok = _inside(T, tmin, tmax, strict_zero=True)
    Es = np.where(ok, E, 1.0)
    Ts = np.where(ok, T, 1.0)
    m4s = np.where(ok, m4, 0.0)
    sA = 1.0 if antineutrino else -1.0
    if exact:
        vec = (_ME - Ts) / Es * (1.0 + m4s * m4s / (2.0 * _ME * Ts))
        ax = 2.0 - Ts / Es - m4s * m4s / (2.0 * _ME * Es)
    else:
        vec = (_ME - Ts) / Es
        ax = 2.0 - Ts / Es
    val = (C.alpha * C.G_F * m4s / (math.sqrt(2.0) * Es * _ME) * mu
           * (cV * vec + sA * cA * ax))
    return _out(np.where(ok, C.to_cm2(val), 0.0))


# ----------------------------------------------------------------------------------------------
# angular variable E_e theta^2 (001 eq. 2.3-2.4)
# ----------------------------------------------------------------------------------------------
def d_sigma_d_Etheta2(dsigma_dT, E_nu, x, **kwargs):
    r"""Distribution in :math:`x = E_e\theta^2` [MeV] in cm^2/MeV (001 eq. 2.4).

    Kinematics (001 eq. 2.3, exact): :math:`1-\cos\theta = m_e(1-y)/E_e`, :math:`y=T/E_\nu`,
    :math:`E_e = m_e + T`. For small angles :math:`1-\cos\theta\simeq\theta^2/2`, so
    :math:`x \simeq 2m_e(1-y)`, i.e. :math:`T = E_\nu(1 - x/2m_e)` and

    .. math:: \frac{d\sigma}{dx} = \frac{E_\nu}{2m_e}\,\frac{d\sigma}{dT}\Big|_{T = E_\nu(1-x/2m_e)}.

    The map is a plain change of variables, so :math:`\int_0^{2m_e}dx\,d\sigma/dx =
    \int_0^{E_\nu}dT\,d\sigma/dT` = the total cross section (tested). Values :math:`x<0` or
    :math:`x>2m_e` give 0; small ``x`` maps to :math:`T > T_{\max}` (0) -- a tiny edge effect
    :math:`\mathcal O(m_e/E_\nu)` of the small-angle approximation.

    ``dsigma_dT``: a callable ``f(E_nu, T)`` (any combination of this module's functions, e.g.
    ``lambda E, T: sm(E, T, "mu") + magnetic_moment(E, T, 1e-9)``), or a flavour string, in which
    case :func:`sm` is used with ``**kwargs`` (antineutrino, sin2w, charge_radius, ...).
    """
    if isinstance(dsigma_dT, str):
        flav = dsigma_dT

        def dsigma_dT(E, T):  # noqa: E306
            return sm(E, T, flav, **kwargs)
    E = nonnegative("E_nu", E_nu)
    x = _arr("x", x)
    E, x = np.broadcast_arrays(E, x)
    ok = (x >= 0) & (x <= 2.0 * _ME) & (E > 0)
    T = np.where(ok, E * (1.0 - x / (2.0 * _ME)), 0.0)
    vals = np.asarray(dsigma_dT(E, np.maximum(T, 0.0)), dtype=float)
    return _out(np.where(ok, E / (2.0 * _ME) * vals, 0.0))


# ----------------------------------------------------------------------------------------------
# fixed-grid integral over T
# ----------------------------------------------------------------------------------------------
def total(E_nu, dsigma_dT, T_min=0.0, m4=0.0, n=400, log=None):
    r"""Integrated cross section [cm^2] :math:`\int_{T_{lo}}^{T_{\max}} dT\,d\sigma/dT` with a fixed
    ``n``-point Gauss-Legendre rule per ``E_nu`` (vectorised, no quad).

    ``dsigma_dT(E, T)`` must broadcast (it is called with shapes (..., 1) and (..., n)).
    :math:`T_{lo} = \max(T_{\min}, T^{kin}_{\min}(m_4))`, :math:`T_{\max}` from
    :func:`recoil_window_massive` with outgoing mass ``m4``. ``log`` (default: when
    :math:`T_{lo}>0`) integrates in :math:`\ln T`, suited to :math:`1/T` integrands.

    High-energy check (tested): :math:`\sigma/E_\nu = G_F^2m_e/(2\pi)[(g_V\pm g_A)^2 +
    (g_V\mp g_A)^2/3]` = 1.50, 1.37, 9.72, 4.11 x 1e-42 cm^2/GeV for :math:`\nu_\mu, \bar\nu_\mu,
    \nu_e, \bar\nu_e` at :math:`\sin^2\theta_W` = 0.23857 (tree level). Formaggio & Zeller, RMP 84,
    1307 (2012) (Table of :math:`\nu e` cross sections, with radiative corrections) quote
    1.58, 1.31, 9.49, 3.98 (x1e-42 E/GeV); the few-% differences are the electroweak radiative
    corrections absent here.
    """
    E = nonnegative("E_nu", E_nu)
    tmin_k, tmax = recoil_window_massive(E, 0.0, m4)
    lo = np.maximum(np.asarray(tmin_k), nonnegative("T_min", T_min))
    hi = np.asarray(tmax)
    use_log = bool(np.all(lo > 0)) if log is None else log
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise NuemError(f"n (Gauss-Legendre points) must be an integer >= 1, got {n!r}")
    xg, wg = np.polynomial.legendre.leggauss(n)
    lo_ = lo[..., None]
    hi_ = np.maximum(hi, lo)[..., None]
    if use_log:
        llo = np.log(np.where(lo_ > 0, lo_, 1e-300))
        lhi = np.log(np.where(hi_ > 0, hi_, 1e-300))
        u = 0.5 * (lhi - llo) * xg + 0.5 * (lhi + llo)
        Tn = np.exp(u)
        w = 0.5 * (lhi - llo) * wg * Tn
    else:
        Tn = 0.5 * (hi_ - lo_) * xg + 0.5 * (hi_ + lo_)
        w = 0.5 * (hi_ - lo_) * wg
    vals = np.asarray(dsigma_dT(E[..., None], Tn), dtype=float)
    res = np.sum(w * vals, axis=-1)
    res = np.where(hi > lo, res, 0.0)
    return _out(res)
