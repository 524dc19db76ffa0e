"""Tests of nuemcore.xsec.nucleus: CEvNS SM (paper 004 eq. 1-3, 003 eq. 11-13), magnetic moment
(004 eq. 4), dipole portal (003 eq. 17-18, 004 eq. 8-9), millicharge (004 eq. 5-6)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuemcore import constants as C
from nuemcore import kinematics, nuclear
from nuemcore.errors import NegativeEnergyError, NuemError, UnknownFlavourError, UnknownTargetError
from nuemcore.xsec import nucleus as X

XE = nuclear.nucleus("Xe")


def tmax(E, M):
    return 2 * E * E / (M + 2 * E)


# ------------------------------------------------------------------------------------------ SM
def test_weak_charge_numbers():
    # Q_W = N - (1 - 4 sin2w) Z
    assert X.weak_charge(54, 77) == pytest.approx(77 - (1 - 4 * 0.23857) * 54)
    assert X.weak_charge(54, 77) == pytest.approx(74.53, abs=0.01)
    assert X.weak_charge(54, 77, sin2w=0.25) == pytest.approx(77.0)
    assert X.weak_charge(55, 78, couplings_kind="radiative") == pytest.approx(2 * (0.5117 * 78 - 0.0298 * 55))
    assert X.couplings("tree", 0.2312) == pytest.approx((0.5 - 0.4624, -0.5))
    with pytest.raises(NuemError):
        X.couplings("loop")


def test_sm_formula_no_form_factor():
    """F = 1: d sigma/dT = G_F^2 M/(4 pi) Q_W^2 (1 - M T/(2E^2) - T/E), for 131Xe (Q_W = 74.5)."""
    E, T = 10.0, np.array([1e-4, 1e-3, 1.4e-3])
    M = nuclear.default_mass(54, 77)
    qw = X.weak_charge(54, 77)
    ref = C.G_F**2 * M / (4 * math.pi) * qw**2 * (1 - M * T / (2 * E * E) - T / E) * C.HBARC2_MEV2_CM2
    got = X.sm(E, T, 54, 77, form_factor="none")
    np.testing.assert_allclose(got, ref, rtol=1e-12)
    # the number itself, G_F^2 M Q_W^2/(4 pi) ~ 3e-35 cm^2/MeV with Q_W = 74.531, at T = 1e-4 MeV,
    # where the recoil factor is 0.939 (M T/(2E^2) = 0.061; it was left out while approx's 1e-12
    # absolute tolerance hid the 6% difference)
    kin0 = 1 - M * T[0] / (2 * E * E) - T[0] / E
    assert got[0] == pytest.approx(C.G_F**2 * M / (4 * math.pi) * 74.531**2 * kin0 * C.HBARC2_MEV2_CM2, rel=1e-3, abs=0)
    # sin2w = 1/4: Q_W = N exactly
    v = X.sm(E, 1e-4, 54, 77, form_factor="none", sin2w=0.25)
    assert v == pytest.approx(C.G_F**2 * M / (4 * math.pi) * 77**2 * (1 - M * 1e-4 / 200 - 1e-5) * C.HBARC2_MEV2_CM2, rel=1e-6, abs=0)


def test_sm_t2_term_and_mass_argument():
    E, T = 30.0, 0.01
    M = nuclear.nucleus("Cs").mass
    a = X.sm(E, T, target="Cs", form_factor="none")
    b = X.sm(E, T, target="Cs", form_factor="none", t2_term=True)
    kin = 1 - M * T / (2 * E * E) - T / E
    assert b / a == pytest.approx((kin + T * T / (2 * E * E)) / kin)
    assert X.sm(E, T, 55, 78, form_factor="none") == pytest.approx(a, rel=1e-12, abs=0)
    # explicit mass is used: d sigma/dT ~ M (1 - M T/(2E^2) - T/E); the recoil factor moves the
    # ratio by 0.7% at T = 1e-4 MeV (more than the old rel=2e-3, hidden by approx's 1e-12 abs)
    kin = lambda m: 1 - m * 1e-4 / (2 * E * E) - 1e-4 / E  # noqa: E731
    assert X.sm(E, 1e-4, 55, 78, form_factor="none", mass=2 * M) == pytest.approx(
        2 * X.sm(E, 1e-4, 55, 78, form_factor="none") * kin(2 * M) / kin(M), rel=1e-12, abs=0)


def test_sm_zero_above_tmax_and_positive():
    E = np.array([5.0, 10.0, 15.0])
    M = XE.mass
    tm = tmax(E, M)
    inside = X.sm(E, 0.999 * tm, target="Xe")
    assert np.all(inside > 0)
    assert np.all(X.sm(E, tm * 1.0001, target="Xe") == 0)
    assert np.all(X.sm(E, tm, target="Xe") == pytest.approx(0, abs=1e-50))
    assert X.sm(0.0, 0.0, target="Xe") == 0.0
    # endpoint agrees with kinematics.recoil_max
    assert tm == pytest.approx(kinematics.recoil_max(E, M))


@given(E=st.floats(0.0, 200.0), x=st.floats(0.0, 2.0))
@settings(max_examples=300, deadline=None)
def test_sm_property_nonnegative_finite(E, x):
    for tgt in ("Xe", "Ar", "Ge"):
        M = nuclear.nucleus(tgt).mass
        T = x * tmax(E, M)
        for ff in ("helm", "klein_nystrand", "none"):
            v = X.sm(E, T, target=tgt, form_factor=ff)
            assert np.isfinite(v) and v >= 0
            if x > 1.0 + 1e-9:
                assert v == 0


def test_broadcasting_and_types():
    E = np.linspace(1, 50, 7)[:, None]
    T = np.logspace(-6, -1, 5)[None, :]
    assert X.sm(E, T, target="Xe").shape == (7, 5)
    assert X.magnetic_moment(E, T, target="Xe", mu=1e-10).shape == (7, 5)
    assert X.millicharge(E, T, target="Xe", q=1e-10).shape == (7, 5)
    assert isinstance(X.sm(10.0, 1e-3, target="Xe"), float)
    mus = np.array([1e-11, 1e-10])
    r = X.magnetic_moment(10.0, 1e-3, target="Xe", mu=mus)
    assert r[1] / r[0] == pytest.approx(100.0)


def test_form_factor_choices():
    E, T = 15.0, 2e-3
    none = X.sm(E, T, target="Xe", form_factor="none")
    helm = X.sm(E, T, target="Xe", form_factor="helm")
    kn = X.sm(E, T, target="Xe", form_factor="klein_nystrand")
    assert kn < helm < none
    assert helm / none == pytest.approx(0.9 ** 2, abs=0.1)
    assert X.sm(E, T, target="Xe", form_factor=lambda q: 0.5 + 0 * q) == pytest.approx(0.25 * none, rel=1e-6, abs=0)
    # neutron skin lowers the cross section (F_n smaller)
    assert X.sm(E, T, target="Xe", neutron_radius=XE.r_charge + 0.2) < helm
    with pytest.raises(NuemError):
        X.sm(E, T, target="Xe", form_factor="klein_nystrand", neutron_radius=5.0)
    with pytest.raises(NuemError):
        X.sm(E, T, target="Xe", form_factor="woods")


def test_total_8b_on_xe():
    """Total CEvNS on Xe at 10 MeV ~ 2.3e-39 cm^2 (order 1e-39); F = 1 closed form."""
    E = 10.0
    M = XE.mass
    qv = (0.5 - 2 * 0.23857) * 54 - 0.5 * XE.N
    t = tmax(E, M)
    closed = C.G_F**2 * M / math.pi * qv**2 * (t - t * t / (2 * E) - M * t * t / (4 * E * E)) * C.HBARC2_MEV2_CM2
    assert X.sm_total(E, target="Xe", form_factor="none") == pytest.approx(closed, rel=1e-10, abs=0)
    # classic estimate G_F^2 E^2 Q_W^2/(4 pi)
    assert closed == pytest.approx(C.G_F**2 * E**2 * (2 * qv) ** 2 / (4 * math.pi) * C.HBARC2_MEV2_CM2, rel=2e-3, abs=0)
    s = X.sm_total(E, target="Xe")
    assert 1.5e-39 < s < 3e-39
    assert 0.95 < s / closed < 1.0
    # vectorised over energies, monotonic
    es = np.array([2.0, 5.0, 10.0, 15.0])
    tot = X.sm_total(es, target="Xe")
    assert tot.shape == (4,) and np.all(np.diff(tot) > 0)
    # threshold removes events
    assert X.sm_total(E, target="Xe", T_threshold=1e-3) < s
    assert X.sm_total(E, target="Xe", T_threshold=1.0) == 0.0


def test_total_csi_30MeV():
    """CsI at 30 MeV (pi-DAR prompt nu_mu): per nucleus ~ 1.5-1.7e-38 cm^2 with form factor,
    2.2e-38 without (N^2 E^2 scaling). COHERENT quotes a flux-averaged CsI cross section of
    1.65e-38 cm^2 (measured) vs 1.89e-38 (SM) [Akimov et al., PRL 129 (2022) 081801]."""
    cs = X.sm_total(30.0, target="Cs", form_factor="klein_nystrand")
    i = X.sm_total(30.0, target="I", form_factor="klein_nystrand")
    assert 1.4e-38 < 0.5 * (cs + i) < 1.9e-38
    assert X.sm_total(30.0, target="Cs", form_factor="none") == pytest.approx(2.16e-38, rel=0.02, abs=0)


# ---------------------------------------------------------------------------------- errors
def test_errors():
    with pytest.raises(NegativeEnergyError):
        X.sm(-1.0, 1e-3, target="Xe")
    with pytest.raises(NegativeEnergyError):
        X.sm(10.0, -1e-3, target="Xe")
    with pytest.raises(NegativeEnergyError):
        X.sm(10.0, np.nan, target="Xe")
    with pytest.raises(UnknownTargetError):
        X.sm(10.0, 1e-3, target="Kr")
    with pytest.raises(NuemError):
        X.sm(10.0, 1e-3, 54, None)
    with pytest.raises(NuemError):
        X.sm(10.0, 1e-3, 0, 10)
    with pytest.raises(NuemError):
        X.sm(10.0, 1e-3, 54, 77, target="Xe")
    with pytest.raises(NuemError):
        X.sm(10.0, 1e-3, 54, 77, mass=0.0)
    # one rule for negative moments in nuemcore: the sign is accepted, only mu^2 enters
    assert X.magnetic_moment(10.0, 1e-3, target="Xe", mu=-1e-10) == X.magnetic_moment(
        10.0, 1e-3, target="Xe", mu=1e-10)
    with pytest.raises(NegativeEnergyError):
        X.magnetic_moment(10.0, 1e-3, target="Xe", mu=1e-10, m4=-1.0)
    with pytest.raises(UnknownFlavourError):
        X.millicharge(10.0, 1e-3, target="Xe", q=1e-10, flavour="sterile")
    with pytest.raises(NuemError):
        X.millicharge(10.0, 1e-3, target="Xe", q=np.inf)


# ------------------------------------------------------------------------ magnetic moment
def test_magnetic_moment_formula():
    """Paper 004 eq. 4: pi alpha^2/m_e^2 (1/T - 1/E) Z^2 F^2 (mu/mu_B)^2."""
    E, T, mu = 10.0, np.array([1e-5, 1e-4, 1e-3]), 1e-10
    ref = math.pi * C.alpha**2 / C.m_e**2 * (1 / T - 1 / E) * 54**2 * mu**2 * C.HBARC2_MEV2_CM2
    np.testing.assert_allclose(X.magnetic_moment(E, T, target="Xe", mu=mu, form_factor="none"), ref, rtol=1e-12)
    # the same from alpha mu^2 Z^2 with mu in natural units (paper 003 eq. 17 prefactor)
    ref2 = C.alpha * (mu * C.mu_B) ** 2 * 54**2 * (1 / T - 1 / E) * C.HBARC2_MEV2_CM2
    np.testing.assert_allclose(ref, ref2, rtol=1e-12)


def test_mm_over_sm_ratio_scales_as_inverse_T():
    E = 15.0
    T = np.logspace(-7, -4, 7)
    r = X.magnetic_moment(E, T, target="Xe", mu=1e-10, form_factor="none") / X.sm(E, T, target="Xe", form_factor="none")
    # at T << M T/(2E^2) ~ 1: ratio ~ 1/T
    np.testing.assert_allclose(r[:3] * T[:3] / (r[0] * T[0]), 1.0, rtol=2e-3)
    # exactly: ratio = const (1/T - 1/E) / (1 - M T/(2E^2) - T/E)
    M = XE.mass
    shape = (1 / T - 1 / E) / (1 - M * T / (2 * E * E) - T / E)
    np.testing.assert_allclose(r / shape, r[0] / shape[0], rtol=1e-10)
    # form factors cancel in the ratio up to the proton/neutron split (same F here)
    r_ff = X.magnetic_moment(E, T, target="Xe", mu=1e-10) / X.sm(E, T, target="Xe")
    np.testing.assert_allclose(r_ff, r, rtol=1e-9)


def test_magnetic_moment_window_and_zero_T():
    E = 10.0
    M = XE.mass
    assert X.magnetic_moment(E, tmax(E, M) * 1.001, target="Xe", mu=1e-10) == 0.0
    assert X.magnetic_moment(E, 0.0, target="Xe", mu=1e-10) == 0.0
    assert X.magnetic_moment(E, 1e-3, target="Xe", mu=0.0) == 0.0


@pytest.mark.parametrize("tgt", ["Xe", "Ar", "Ge"])
def test_dipole_portal_m4_to_zero(tgt):
    M = nuclear.nucleus(tgt).mass
    E = np.array([3.0, 10.0, 50.0])[:, None]
    T = np.array([0.05, 0.3, 0.9])[None, :] * tmax(E, M)
    a = X.magnetic_moment(E, T, target=tgt, mu=1e-10)
    b = X.magnetic_moment(E, T, target=tgt, mu=1e-10, m4=1e-4)
    np.testing.assert_allclose(b, a, rtol=1e-4)
    a0 = X.magnetic_moment(E, T, target=tgt, mu=1e-10, spin0=True)
    b0 = X.magnetic_moment(E, T, target=tgt, mu=1e-10, m4=1e-4, spin0=True)
    np.testing.assert_allclose(b0, a0, rtol=1e-4)
    # spin 0 at m4 = 0: bracket 1/T - 1/E + T/(4E^2), a tiny (T/E)^2 difference
    assert np.all(a0 >= a)
    np.testing.assert_allclose(a0 / a, 1 + (T / (4 * E * E)) / (1 / T - 1 / E), rtol=1e-10)


def test_dipole_portal_exact_window():
    """Zero outside [T_min(m4), T_max(m4)] of kinematics.recoil_window; positive inside; paper 004
    eq. 8 is the approximate version of the upper bound."""
    E, m4 = 12.0, 5.0
    M = XE.mass
    tmin, tmx = kinematics.recoil_window(E, M, m4)
    assert 0 < tmin < tmx
    T = np.linspace(tmin, tmx, 2001)[1:-1]
    v = X.magnetic_moment(E, T, target="Xe", mu=1e-10, m4=m4)
    assert np.all(v > 0)
    assert X.magnetic_moment(E, 0.99 * tmin, target="Xe", mu=1e-10, m4=m4) == 0
    assert X.magnetic_moment(E, 1.01 * tmx, target="Xe", mu=1e-10, m4=m4) == 0
    # paper 004 eq. 8 (m4^2 <~ 2 M T (sqrt(2/(M T)) E - 1)) holds inside the window
    assert np.all(m4**2 <= 2 * M * T * (np.sqrt(2 / (M * T)) * E - 1) * 1.01)
    # closed kinematics: m4 above sqrt(s) - M
    assert X.magnetic_moment(E, T, target="Xe", mu=1e-10, m4=E + 1.0).max() == 0
    # heavier m4 suppresses
    lo = X.magnetic_moment(E, 1e-3, target="Xe", mu=1e-10, m4=1.0)
    assert lo < X.magnetic_moment(E, 1e-3, target="Xe", mu=1e-10)


@given(E=st.floats(0.5, 100.0), m4=st.floats(0.0, 50.0), x=st.floats(0.0, 1.0))
@settings(max_examples=300, deadline=None)
def test_dipole_portal_nonnegative(E, m4, x):
    M = nuclear.nucleus("Ar").mass
    tmin, tmx = kinematics.recoil_window(E, M, m4)
    T = tmin + x * (tmx - tmin)
    for spin0 in (False, True):
        v = X.magnetic_moment(E, T, target="Ar", mu=1e-9, m4=m4, spin0=spin0)
        assert np.isfinite(v) and v >= 0


# Dirac matrices (Dirac representation) for a first-principles check of eq. 17/18 of paper 003
def _gammas():
    i2, z2 = np.eye(2), np.zeros((2, 2))
    pauli = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
             np.array([[1, 0], [0, -1]], complex)]
    g = [np.block([[i2, z2], [z2, -i2]]).astype(complex)] + [np.block([[z2, s], [-s, z2]]) for s in pauli]
    return g


def _dsigma_dirac(M, E, m4, T, spin0):
    """|M|^2 of nu(k) X(p) -> N4(k') X(p') through a transition magnetic moment and one photon,
    summed over final spins, for one incoming helicity (half the unpolarised lepton trace),
    averaged over the nucleus spin; d sigma/dT = |M|^2/(32 pi M E^2) in units of alpha mu^2 Z^2."""
    g = _gammas()
    eta = np.diag([1.0, -1, -1, -1])
    sl = lambda p: sum(eta[m, m] * p[m] * g[m] for m in range(4))  # noqa: E731
    sig = [[0.5j * (g[m] @ g[n] - g[n] @ g[m]) for n in range(4)] for m in range(4)]
    k = np.array([E, 0, 0, E])
    p = np.array([M, 0, 0, 0.0])
    Q = math.sqrt((M + T) ** 2 - M**2)
    c = (E**2 + Q**2 - (E - T) ** 2 + m4**2) / (2 * E * Q)
    q = np.array([T, Q * math.sqrt(1 - c * c), 0, Q * c])
    pp, kp = p + q, k - q
    ql = eta @ q
    gam = [sum(sig[m][n] * ql[n] for n in range(4)) for m in range(4)]
    one = np.eye(4)
    L = 0.5 * np.array([[np.trace((sl(kp) + m4 * one) @ gam[m] @ sl(k) @ gam[a]) for a in range(4)] for m in range(4)])
    if spin0:
        H = np.outer(p + pp, p + pp)
    else:
        H = 0.5 * np.array([[np.trace((sl(pp) + M * one) @ g[m] @ (sl(p) + M * one) @ g[a]) for a in range(4)]
                            for m in range(4)])
    q2 = q @ eta @ q
    amp2 = np.real(np.einsum("ma,mn,ab,nb->", L, eta, eta, H)) / q2**2 * 4 * math.pi  # e^2 = 4 pi alpha
    return amp2 / (32 * math.pi * M * E**2)


@pytest.mark.parametrize("M,E,m4,T", [(10.0, 3.0, 1.0, 0.5), (10.0, 3.0, 0.0, 0.5), (50.0, 7.0, 2.5, 1.2),
                                      (5.0, 20.0, 3.0, 4.0)])
def test_dipole_portal_from_dirac_traces(M, E, m4, T):
    """Paper 003 eq. 17 is the exact spin-1/2 result, and eq. 17 - eq. 18 the spin-0 result
    (checked on toy kinematics with a light 'nucleus' so all terms matter); F = 1, Z = 1."""
    mu = 1.0 / C.mu_B  # 1 MeV^-1 in mu_B units -> prefactor alpha * 1 * Z^2
    for spin0 in (False, True):
        ours = X.magnetic_moment(E, T, 1, 0, mu=mu, m4=m4, form_factor="none", mass=M, spin0=spin0)
        ref = C.alpha * _dsigma_dirac(M, E, m4, T, spin0) * C.HBARC2_MEV2_CM2
        assert ours == pytest.approx(ref, rel=1e-9, abs=0)


# ---------------------------------------------------------------------------- millicharge
def test_millicharge_q_to_zero():
    E, T = 10.0, np.logspace(-5, -3, 4)
    assert np.all(X.millicharge(E, T, target="Xe", q=0.0) == 0)
    np.testing.assert_allclose(X.sm_with_millicharge(E, T, target="Xe", q=0.0), X.sm(E, T, target="Xe"), rtol=1e-14)
    # linear (interference) regime for small q
    a = X.millicharge(E, T, target="Xe", q=1e-14)
    b = X.millicharge(E, T, target="Xe", q=2e-14)
    np.testing.assert_allclose(b / a, 2.0, rtol=1e-3)
    # transition: quadratic, positive
    t1 = X.millicharge(E, T, target="Xe", q=1e-12, transition=True)
    t2 = X.millicharge(E, T, target="Xe", q=-2e-12, transition=True)
    assert np.all(t1 > 0)
    np.testing.assert_allclose(t2 / t1, 4.0, rtol=1e-12)


def test_millicharge_formula_and_sign():
    """g_V^p -> g_V^p - Q^EC with Q^EC = 2 sqrt2 pi alpha q/(G_F q^2), q^2 = -2 M T (paper 004 eq.
    5-6). Positive charge: destructive (Q_V < 0); negative: constructive."""
    E, T, qn = 10.0, 1e-4, 1e-11
    M = XE.mass
    qec = 2 * math.sqrt(2) * math.pi * C.alpha / (C.G_F * (-2 * M * T)) * qn
    gp = 0.5 - 2 * 0.23857
    kin = 1 - M * T / (2 * E * E) - T / E
    full = C.G_F**2 * M / math.pi * ((gp - qec) * 54 - 0.5 * XE.N) ** 2 * kin * C.HBARC2_MEV2_CM2
    assert X.sm_with_millicharge(E, T, target="Xe", q=qn, form_factor="none") == pytest.approx(full, rel=1e-10, abs=0)
    assert X.millicharge(E, T, target="Xe", q=qn, form_factor="none") == pytest.approx(
        full - X.sm(E, T, target="Xe", form_factor="none"), rel=1e-8, abs=0)
    assert X.millicharge(E, T, target="Xe", q=qn) < 0 < X.millicharge(E, T, target="Xe", q=-qn)
    # transition term = 2 pi alpha^2 q^2 Z^2/(M T^2) kin (G_F drops out)
    tr = 2 * math.pi * C.alpha**2 * qn**2 * 54**2 / (M * T * T) * kin * C.HBARC2_MEV2_CM2
    assert X.millicharge(E, T, target="Xe", q=qn, form_factor="none", transition=True) == pytest.approx(tr, rel=1e-10, abs=0)
    # full cross section never negative (charge large enough to cancel Q_V)
    big = X.sm_with_millicharge(E, np.logspace(-6, -3, 50), target="Xe", q=1e-8)
    assert np.all(big >= 0)


def test_millicharge_window_and_flavour():
    E = 10.0
    tm = tmax(E, XE.mass)
    assert X.millicharge(E, 1.01 * tm, target="Xe", q=1e-10) == 0
    assert X.millicharge(E, 0.0, target="Xe", q=1e-10) == 0
    for f in ("e", "mu", "tau", "nu_mu"):
        assert X.millicharge(E, 1e-4, target="Xe", q=1e-12, flavour=f) == X.millicharge(E, 1e-4, target="Xe", q=1e-12)


def test_charge_radius_shift():
    """<r^2> enters as g_V^p -> g_V^p - sqrt2 pi alpha <r^2>/(3 G_F); it equals the millicharge shift
    with q_nu -> -q^2 <r^2>/6 = 2 M T <r^2>/6 ... i.e. Q^EC(q=...) matches."""
    E, T, r2 = 10.0, 1e-4, 1e-31  # cm^2
    M = XE.mass
    dg = math.sqrt(2) * math.pi * C.alpha / (3 * C.G_F) * C.cm2_to_natural(r2)
    gp = 0.5 - 2 * 0.23857
    kin = 1 - M * T / (2 * E * E) - T / E
    ref = C.G_F**2 * M / math.pi * ((gp - dg) * 54 - 0.5 * XE.N) ** 2 * kin * C.HBARC2_MEV2_CM2
    assert X.sm(E, T, target="Xe", form_factor="none", charge_radius=r2) == pytest.approx(ref, rel=1e-12, abs=0)
    # equivalent millicharge: Q^EC(q_eq) = dg  ->  q_eq = -2 M T <r^2>/6 (natural units)
    q_eq = -2 * M * T * C.cm2_to_natural(r2) / 6
    assert X.sm_with_millicharge(E, T, target="Xe", q=q_eq, form_factor="none") == pytest.approx(ref, rel=1e-10, abs=0)


@given(E=st.floats(0.0, 100.0), x=st.floats(0.0, 1.2), lq=st.floats(-16, -6), sign=st.sampled_from([-1, 1]))
@settings(max_examples=300, deadline=None)
def test_millicharge_property_finite(E, x, lq, sign):
    M = XE.mass
    T = x * tmax(E, M)
    q = sign * 10.0**lq
    full = X.sm_with_millicharge(E, T, target="Xe", q=q)
    tr = X.millicharge(E, T, target="Xe", q=q, transition=True)
    assert np.isfinite(full) and full >= 0
    assert np.isfinite(tr) and tr >= 0
    if x > 1 + 1e-9:
        assert full == 0 and tr == 0


def test_untabulated_nucleus_and_isotope():
    """Z not tabulated (Pb): mass (Z+N) m_u - Z m_e and Lewin-Smith Helm radius; a single
    isotope (131Xe) uses the element's mass per nucleon."""
    v = X.sm(10.0, 1e-4, 82, 126)
    assert np.isfinite(v) and v > 0
    assert X.sm(10.0, 1e-4, 54, 77, form_factor="none") < X.sm(10.0, 1e-4, target="Xe", form_factor="none")
    with pytest.raises(NuemError):
        X.sm(10.0, 1e-4, target="H")  # Helm undefined for R < sqrt(3) s
    assert X.sm(10.0, 1e-4, target="H", form_factor="none") > 0
