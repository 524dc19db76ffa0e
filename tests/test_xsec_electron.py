"""Physics and interface tests for nuemcore.xsec.electron (per free electron, cm^2/MeV)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuemcore import constants as C
from nuemcore import kinematics as K
from nuemcore.errors import NegativeEnergyError, NuemError, UnknownFlavourError
from nuemcore.xsec import electron as X

ME = C.m_e
PREF = X.SM_PREFACTOR_CM2


def _close(a, b, rtol=1e-7):
    """np.allclose without the absolute tolerance (our values are ~1e-45 cm^2/MeV)."""
    return np.allclose(a, b, rtol=rtol, atol=0.0)


def tmax(E):
    return 2 * E * E / (ME + 2 * E)


# ------------------------------------------------------------------------------------------------
# independent exact |M|^2 with explicit Dirac matrices (photon exchange), for the closed forms
# ------------------------------------------------------------------------------------------------
_I2, _Z2 = np.eye(2), np.zeros((2, 2))
_S = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]),
      np.array([[1, 0], [0, -1]], complex)]
_G = [np.block([[_I2, _Z2], [_Z2, -_I2]]).astype(complex)] + [np.block([[_Z2, s], [-s, _Z2]]) for s in _S]
_G5 = 1j * _G[0] @ _G[1] @ _G[2] @ _G[3]
_ETA = np.diag([1.0, -1, -1, -1])
_ID = np.eye(4)


def _sl(p):
    return sum(_ETA[m, m] * p[m] * _G[m] for m in range(4))


def _exact(E, m1, m2, T, kind):
    """alpha-stripped dsigma/dT (natural units) for X(E,m1) e -> Y(m2) e, coupling^2 = 4 pi."""
    p = math.sqrt(E * E - m1 * m1)
    k = math.sqrt(T * T + 2 * ME * T)
    c = (2 * T * (E + ME) - (m1 * m1 - m2 * m2)) / (2 * p * k)
    c = min(1.0, max(-1.0, c))
    s = math.sqrt(1 - c * c)
    p1 = np.array([E, 0, 0, p])
    k1 = np.array([ME, 0, 0, 0])
    k2 = np.array([ME + T, k * s, 0, k * c])
    p2 = p1 + k1 - k2
    q = p1 - p2
    q2 = q @ _ETA @ q
    if kind == "mag":
        gam = [sum(0.5j * (_G[m] @ _G[n] - _G[n] @ _G[m]) * _ETA[n, n] * q[n] for n in range(4))
               for m in range(4)]
        prop = 1 / q2**2
    else:  # anapole contact e a gamma^mu gamma5 (x) gamma_mu
        gam = [_G[m] @ _G5 for m in range(4)]
        prop = 1.0
    bar = [_G[0] @ g.conj().T @ _G[0] for g in gam]
    S1, S2 = _sl(p1) + m1 * _ID, _sl(p2) + m2 * _ID
    E1, E2 = _sl(k1) + ME * _ID, _sl(k2) + ME * _ID
    N = np.array([[np.trace(S2 @ gam[m] @ S1 @ bar[r]) for r in range(4)] for m in range(4)])
    L = np.array([[np.trace(E2 @ _G[m] @ E1 @ _G[r]) for r in range(4)] for m in range(4)])
    m2sum = np.einsum("mr,mr->", N, _ETA @ L @ _ETA).real * prop
    return 4 * math.pi * 0.25 * m2sum / (32 * math.pi * ME * p * p)


def _inner_points(E, m1, m2, n=4):
    lo, hi = X.recoil_window_massive(E, m1, m2)
    return np.linspace(lo, hi, n + 2)[1:-1]


@pytest.mark.parametrize("E,m1,m2", [(1.0, 0.0, 0.0), (3.0, 0.0, 0.3), (20.0, 0.0, 2.0),
                                     (1.0, 0.3, 0.3), (10.0, 2.0, 2.0), (1.0, 0.3, 0.0),
                                     (10.0, 2.0, 0.0)])
def test_dipole_closed_forms_equal_exact_traces(E, m1, m2):
    mu = 1e-9
    for T in _inner_points(E, m1, m2):
        ex = C.to_cm2(C.alpha * (mu * C.mu_B) ** 2 * _exact(E, m1, m2, T, "mag"))
        if m1 == 0:
            ours = X.magnetic_moment(E, T, mu, m4=m2)
        elif m1 == m2:
            ours = X.sterile_magnetic_moment(E, T, mu, m1)
        else:
            ours = X.transition_magnetic_moment_down(E, T, mu, m1)
        assert ours == pytest.approx(ex, rel=1e-9, abs=0)


@pytest.mark.parametrize("E,m1,m2", [(1.0, 0.0, 0.0), (3.0, 0.0, 0.3), (1.0, 0.3, 0.3),
                                     (10.0, 2.0, 2.0), (10.0, 2.0, 0.0)])
def test_anapole_closed_forms_equal_exact_traces(E, m1, m2):
    a = 1e-32
    # the anapole vertex is e a (q^2 gamma^mu - q^mu qslash) gamma5 (docstring of X.anapole_terms,
    # same convention as test_anapole_consistent_with_charge_radius_and_002_eq17): the contact
    # coupling is e * (e a), so |M|^2 carries alpha * (e a)^2 = 4 pi alpha^2 a^2. (This test used
    # alpha a^2 and passed only through approx's 1e-12 absolute tolerance: ratio was 4 pi alpha.)
    ea = math.sqrt(4 * math.pi * C.alpha) * C.cm2_to_natural(a)
    for T in _inner_points(E, m1, m2):
        ex = C.to_cm2(C.alpha * ea * ea * _exact(E, m1, m2, T, "ana"))
        if m1 == 0 and m2 == 0:
            ours = X.anapole(E, T, a, interference=False)
        elif m1 == 0:
            ours = X.transition_anapole(E, T, a, m2)
        elif m1 == m2:
            ours = X.sterile_anapole(E, T, a, m1)
        else:
            ours = X.transition_anapole_down(E, T, a, m1)
        assert ours == pytest.approx(ex, rel=1e-9, abs=0)


def test_paper_002_eq23_24_as_printed_are_not_down_scattering():
    # 002 eqs. 23-24 repeat eqs. 19-20; exact N e -> nu e differs at finite m_N
    E, m, mu = 1.0, 0.3, 1e-10
    T = np.mean(X.recoil_window_massive(E, m, 0.0))
    printed = X.magnetic_moment(E, T, mu, m4=m)  # eq. 20 form evaluated at the same point
    assert X.transition_magnetic_moment_down(E, T, mu, m) / printed > 1.2


# ------------------------------------------------------------------------------------------------
# Standard Model
# ------------------------------------------------------------------------------------------------
def test_sm_formula_value_numu():
    E, T, s = 2.0, 0.5, 0.23857
    gV, gA = -0.5 + 2 * s, -0.5
    y = T / E
    ref = PREF * ((gV + gA) ** 2 + (gV - gA) ** 2 * (1 - y) ** 2 - (gV**2 - gA**2) * ME * T / E**2)
    assert X.sm(E, T, "mu") == pytest.approx(ref, rel=1e-12, abs=0)
    assert 1e-46 < X.sm(E, T, "mu") < 1e-44  # units: ~1e-45 cm^2/MeV at MeV energies


def test_sm_nue_has_cc_couplings():
    assert X.couplings("e", 0.25) == (1.0, 0.5)
    assert X.couplings("tau", 0.25) == (0.0, -0.5)


def test_antineutrino_is_ga_flip():
    E, T = 5.0, np.linspace(0.0, tmax(5.0), 7)
    gV, gA = X.couplings("mu")
    y = T / E
    ref = PREF * ((gV - gA) ** 2 + (gV + gA) ** 2 * (1 - y) ** 2 - (gV**2 - gA**2) * ME * T / E**2)
    assert _close(X.sm(E, T, "mu", antineutrino=True), ref, rtol=1e-12)
    assert not _close(X.sm(E, T, "mu", antineutrino=True), X.sm(E, T, "mu"))


def test_nu_nubar_coincide_when_gV_zero():
    E, T = 3.0, np.linspace(0, tmax(3.0), 9)
    assert _close(X.sm(E, T, "mu", sin2w=0.25), X.sm(E, T, "mu", True, sin2w=0.25), rtol=1e-13)


def test_sm_endpoint_nonzero_and_zero_beyond():
    for E in (1.0, 100.0, 1e5):
        tm = tmax(E)
        assert X.sm(E, tm, "mu") > 0
        assert X.sm(E, tm * (1 + 1e-9), "mu") == 0.0
    # E >> m_e: at T_max, y -> 1 and the value tends to pref (gV +- gA)^2
    gV, gA = X.couplings("mu")
    E = 1e6
    assert X.sm(E, tmax(E), "mu") == pytest.approx(PREF * (gV + gA) ** 2, rel=1e-5, abs=0)
    assert X.sm(E, tmax(E), "mu", True) == pytest.approx(PREF * (gV - gA) ** 2, rel=1e-5, abs=0)


def test_high_energy_totals():
    # tree level sigma/E in 1e-42 cm^2/GeV; Formaggio-Zeller RMP 84 (2012) 1307 (with radiative
    # corrections): 1.58, 1.31, 9.49, 3.98 -> agree to < 5%
    E = 1e4
    lit = {("mu", False): 1.58, ("mu", True): 1.31, ("e", False): 9.49, ("e", True): 3.98}
    for (f, anti), ref in lit.items():
        gV, gA = X.couplings(f)
        if anti:
            gA = -gA
        analytic = PREF * ((gV + gA) ** 2 + (gV - gA) ** 2 / 3) * 1e3 / 1e-42
        num = X.total(E, lambda e, t: X.sm(e, t, f, anti)) / (E / 1e3) / 1e-42
        assert num == pytest.approx(analytic, rel=2e-3)  # m_e/E corrections only
        assert num == pytest.approx(ref, rel=0.05)


@settings(max_examples=60, deadline=None)
@given(E=st.floats(1e-3, 1e5), u=st.floats(0, 1), s=st.floats(0, 1, exclude_min=True, exclude_max=True),
       f=st.sampled_from(["e", "mu", "tau"]), anti=st.booleans(),
       r2=st.floats(-1e-31, 1e-31))
def test_sm_positive_finite(E, u, s, f, anti, r2):
    v = X.sm(E, u * tmax(E), f, anti, sin2w=s, charge_radius=r2)
    assert np.isfinite(v) and v >= 0


def test_charge_radius_conventions():
    E, T, r2 = 2.0, 0.3, 1e-32
    d001 = math.sqrt(2) * math.pi * C.alpha / (3 * C.G_F) * C.cm2_to_natural(r2)
    # "001": g_V shift d ; equivalent to sin2w shift d/2 for every flavour
    assert X.sm(E, T, "mu", charge_radius=r2) == pytest.approx(
        X.sm(E, T, "mu", sin2w=C.SIN2W_DEFAULT + d001 / 2), rel=1e-12, abs=0)
    # "alt" (001 footnote 3): sin2w -> sin2w + sqrt2 pi alpha r2 / (3 G_F)
    assert X.sm(E, T, "e", charge_radius=r2, charge_radius_convention="alt") == pytest.approx(
        X.sm(E, T, "e", sin2w=C.SIN2W_DEFAULT + d001), rel=1e-12, abs=0)
    # 001 eq. 4.16 literally, with m_W^2 s_W^2 = sqrt2 pi alpha / (2 G_F) (tree level)
    mw2sw2 = math.sqrt(2) * math.pi * C.alpha / (2 * C.G_F)
    assert X.charge_radius_shift(r2) == pytest.approx(2 / 3 * mw2sw2 * C.cm2_to_natural(r2))
    # antineutrino: same g_V shift (neutrino's radius), then g_A -> -g_A
    assert X.sm(E, T, "mu", True, charge_radius=r2) == pytest.approx(
        X.sm(E, T, "mu", True, sin2w=C.SIN2W_DEFAULT + d001 / 2), rel=1e-12, abs=0)
    with pytest.raises(NuemError):
        X.sm(E, T, "mu", charge_radius=r2, charge_radius_convention="bogus")


# ------------------------------------------------------------------------------------------------
# magnetic moment and dipole portal
# ------------------------------------------------------------------------------------------------
def test_mm_formula_and_one_over_T():
    E, mu = 3.0, 1e-10
    T = np.array([1e-4, 1e-3, 1e-2])
    ref = C.to_cm2(math.pi * C.alpha**2 / ME**2) * mu**2 * (1 / T - 1 / E)
    assert _close(X.magnetic_moment(E, T, mu), ref, rtol=1e-12)
    v = X.magnetic_moment(1e3, np.array([1e-4, 1e-3]), mu)
    assert v[0] / v[1] == pytest.approx(10.0, rel=1e-5)
    assert X.magnetic_moment(E, 0.0, mu) == 0.0
    assert X.magnetic_moment(E, tmax(E) * 1.0001, mu) == 0.0
    # endpoint T_max (m4 = 0): alpha mu^2 m_e / (2 E^2) > 0, finite
    end = C.to_cm2(math.pi * C.alpha**2 / ME**2) * mu**2 * ME / (2 * E * E)
    assert X.magnetic_moment(E, tmax(E), mu) == pytest.approx(end, rel=1e-9, abs=0)


def test_mm_equals_sm_at_few_keV_for_1e_11():
    # reactor nubar_e: mu = 1e-11 mu_B gives MM ~ SM at T of a few keV (e.g. Giunti & Studenikin,
    # RMP 87 (2015) 531, Sec. VII: sensitivity to 1e-11 mu_B needs T ~ keV)
    T = np.geomspace(1e-4, 0.1, 2000)
    E = 2.0
    r = X.magnetic_moment(E, T, 1e-11) / X.sm(E, T, "e", antineutrino=True)
    t_eq = T[np.argmin(abs(np.log(r)))]
    assert 1e-3 < t_eq < 5e-3


def test_dipole_m4_to_zero_limit():
    E = np.array([1.0, 10.0, 1e3])
    T = 0.3 * tmax(E)
    base = X.magnetic_moment(E, T, 1e-9)
    for m4 in (1e-3, 1e-4):
        assert _close(X.magnetic_moment(E, T, 1e-9, m4=m4), base, rtol=1e-4)
    assert _close(X.sterile_magnetic_moment(E, T, 1e-9, 1e-5), base, rtol=1e-6)
    assert _close(X.transition_magnetic_moment_down(E, T, 1e-9, 1e-5), base, rtol=1e-6)


def test_dipole_window_edges_and_outside():
    E, m4, mu = 10.0, 1.5, 1e-9
    lo, hi = X.recoil_window_massive(E, 0.0, m4)
    assert lo > 0
    for T in (lo, hi):
        v = X.magnetic_moment(E, T, mu, m4)
        assert np.isfinite(v) and v >= 0
    assert X.magnetic_moment(E, lo * 0.999, mu, m4) == 0.0
    assert X.magnetic_moment(E, hi * 1.001, mu, m4) == 0.0
    # closed below threshold sqrt(s) < m_e + m4
    assert X.magnetic_moment(1.0, 0.1, mu, 5.0) == 0.0


def test_window_matches_kinematics_module():
    for E, m4 in [(1.0, 0.3), (1e3, 10.0), (1.0, 0.0)]:
        ours = X.recoil_window_massive(E, 0.0, m4)
        theirs = K.recoil_window(E, ME, m4)
        assert ours == pytest.approx(theirs, rel=1e-9, abs=0)
    # equal masses: T_min = 0, T_max = 2 m_e p^2 / s
    E, m = 2.0, 0.7
    lo, hi = X.recoil_window_massive(E, m, m)
    assert lo == 0.0
    assert hi == pytest.approx(2 * ME * (E * E - m * m) / (m * m + ME * ME + 2 * ME * E))


@settings(max_examples=80, deadline=None)
@given(E=st.floats(0.01, 1e6), frac=st.floats(0, 0.999), u=st.floats(0, 1))
def test_dipole_positive_inside_window(E, frac, u):
    s = ME * ME + 2 * ME * E
    m4 = frac * (math.sqrt(s) - ME)
    lo, hi = X.recoil_window_massive(E, 0.0, m4)
    T = lo + u * (hi - lo)
    v = X.magnetic_moment(E, T, 1e-9, m4)
    assert np.isfinite(v) and v >= 0


def test_dipole_broadcasting_and_no_nan():
    E = np.geomspace(0.1, 1e4, 5)[:, None]
    T = np.geomspace(1e-6, 1e4, 7)[None, :]
    v = X.magnetic_moment(E, T, 1e-9, m4=np.array([0.0, 0.05, 0.5, 3, 30, 300, 3000])[None, :])
    assert v.shape == (5, 7) and np.all(np.isfinite(v)) and np.all(v >= 0)


# ------------------------------------------------------------------------------------------------
# millicharge
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("f,anti", [("e", False), ("e", True), ("mu", False), ("mu", True)])
def test_millicharge_equals_shifted_gV(f, anti):
    E, q = 10.0, 3e-9
    T = np.geomspace(1e-3, tmax(E), 11)
    inter, quad = X.millicharge_terms(E, T, q, f, anti)
    gV, gA = X.couplings(f)
    k = math.sqrt(2) * math.pi * C.alpha * q / (C.G_F * ME * T)
    ga = -gA if anti else gA
    y = T / E

    def br(gv):
        return PREF * ((gv + ga) ** 2 + (gv - ga) ** 2 * (1 - y) ** 2 - (gv**2 - ga**2) * ME * T / E**2)
    full = br(gV + k)
    assert _close(X.sm(E, T, f, anti) + inter + quad, full, rtol=1e-9)
    assert _close(X.sm(E, T, f, anti) + X.millicharge(E, T, q, f, anti), full, rtol=1e-9)


def test_millicharge_quadratic_is_pure_photon_exchange():
    E, q = 5.0, 1e-8
    T = np.geomspace(1e-4, tmax(E), 9)
    ref = C.to_cm2(2 * math.pi * C.alpha**2 * q**2 / (ME * T**2)) * (
        1 - T / E + T**2 / (2 * E**2) - ME * T / (2 * E**2))
    assert _close(X.millicharge_terms(E, T, q, "mu")[1], ref, rtol=1e-12)
    # flavour- and nu/nubar-independent, even in q
    assert _close(X.millicharge_terms(E, T, -q, "e", True)[1], ref, rtol=1e-12)


def test_millicharge_interference_odd_and_sign():
    E, T, q = 10.0, 0.1, 1e-9
    i1 = X.millicharge_terms(E, T, q, "e")[0]
    i2 = X.millicharge_terms(E, T, -q, "e")[0]
    assert i1 == pytest.approx(-i2, rel=1e-6, abs=0) and i1 > 0  # g_V(nu_e) > 0, 001 sign convention
    assert X.millicharge_terms(E, T, q, "mu")[0] < 0  # g_V(nu_mu) < 0


# ------------------------------------------------------------------------------------------------
# anapole
# ------------------------------------------------------------------------------------------------
def test_anapole_consistent_with_charge_radius_and_002_eq17():
    E, a = 1.0, 3e-32
    T = np.linspace(0, tmax(E), 9)
    for f, anti in [("e", False), ("mu", True)]:
        tot = X.sm(E, T, f, anti) + X.anapole(E, T, a, f, anti)
        assert _close(tot, X.sm(E, T, f, anti, charge_radius=6 * a), rtol=1e-10)
    an = C.cm2_to_natural(a)
    eq17 = C.to_cm2(C.alpha * (C.e_charge * an) ** 2 * ME * (T**2 + 2 * E**2 - 2 * T * E - T * ME) / E**2)
    assert _close(X.anapole(E, T, a, interference=False), eq17, rtol=1e-12)
    assert _close(X.transition_anapole(E, T[1:-1], a, 1e-5), eq17[1:-1], rtol=1e-6)
    assert _close(X.sterile_anapole(E, T[1:-1], a, 1e-5), eq17[1:-1], rtol=1e-6)


# ------------------------------------------------------------------------------------------------
# E_e theta^2 and totals
# ------------------------------------------------------------------------------------------------
def test_Etheta2_normalisation():
    E = 2000.0
    x = np.linspace(0, 2 * ME, 200001)
    d = X.d_sigma_d_Etheta2("mu", E, x)
    integral_x = np.trapezoid(d, x)
    integral_T = X.total(E, lambda e, t: X.sm(e, t, "mu"))
    assert integral_x == pytest.approx(integral_T, rel=1e-3, abs=0)
    # generic callable (SM + magnetic moment) and outside range
    f = lambda e, t: X.sm(e, t, "mu") + X.magnetic_moment(e, t, 1e-9)  # noqa: E731
    xx = np.array([0.5 * ME, ME])
    assert _close(X.d_sigma_d_Etheta2(f, E, xx),
                       E / (2 * ME) * f(E, E * (1 - xx / (2 * ME))), rtol=1e-12)
    assert X.d_sigma_d_Etheta2("mu", E, 2.1 * ME) == 0.0
    assert X.d_sigma_d_Etheta2("mu", E, -0.1) == 0.0


def test_total_log_grid_magnetic_moment():
    E, mu, Tlo = 1.0, 1e-10, 1e-3
    num = X.total(E, lambda e, t: X.magnetic_moment(e, t, mu), T_min=Tlo)
    th = tmax(E)
    ref = C.to_cm2(math.pi * C.alpha**2 / ME**2) * mu**2 * (math.log(th / Tlo) - (th - Tlo) / E)
    assert num == pytest.approx(ref, rel=1e-8, abs=0)


# ------------------------------------------------------------------------------------------------
# weak-magnetic interference
# ------------------------------------------------------------------------------------------------
def test_weak_magnetic_interference_scaling():
    E, T, m4 = 1.0, 0.2, 0.1
    v = X.weak_magnetic_interference(E, T, 1e-10, m4, c_V=0.1, c_A=0.0, exact=False)  # printed form
    ref = C.to_cm2(C.alpha * C.G_F * m4 / (math.sqrt(2) * E * ME) * 1e-10 * (ME - T) / E * 0.1)
    assert v == pytest.approx(ref, rel=1e-12, abs=0)
    assert X.weak_magnetic_interference(E, T, 1e-10, 0.0, 0.1, 0.2) == 0.0  # ∝ m4
    assert X.weak_magnetic_interference(E, 0.9, 1e-10, m4, 0.1, 0.2) == 0.0  # outside window


# ------------------------------------------------------------------------------------------------
# input errors
# ------------------------------------------------------------------------------------------------
def test_errors():
    with pytest.raises(UnknownFlavourError):
        X.sm(1.0, 0.1, "sterile")
    with pytest.raises(UnknownFlavourError):
        X.millicharge(1.0, 0.1, 1e-9, "x")
    with pytest.raises(NegativeEnergyError):
        X.sm(-1.0, 0.1, "e")
    with pytest.raises(NegativeEnergyError):
        X.magnetic_moment(1.0, -0.1, 1e-9)
    with pytest.raises(NegativeEnergyError):
        X.magnetic_moment(1.0, 0.1, 1e-9, m4=-1)
    with pytest.raises(NegativeEnergyError):
        X.sterile_anapole(1.0, 0.1, 1e-32, -0.3)
    with pytest.raises(NegativeEnergyError):
        X.sm(np.nan, 0.1, "e")


def test_scalar_in_scalar_out_and_zero_energy():
    assert isinstance(X.sm(1.0, 0.1, "e"), float)
    assert X.sm(0.0, 0.0, "e") == 0.0
    assert X.magnetic_moment(0.0, 0.0, 1e-9) == 0.0
    assert X.sterile_magnetic_moment(0.5, 0.01, 1e-9, 1.0) == 0.0  # E_N < m_N: closed


# ------------------------------------------------------------------------------------------------
# weak x dipole interference (003 eq. 20), derived: spin-summed traces with explicit Dirac matrices
# ------------------------------------------------------------------------------------------------
_PL = (_ID - _G5) / 2


def _bar(g):
    return _G[0] @ g.conj().T @ _G[0]


def _wmi_kin(E, m4, T):
    k = math.sqrt(T * T + 2 * ME * T)
    c = min(1.0, max(-1.0, (2 * T * (E + ME) + m4 * m4) / (2 * E * k)))
    s = math.sqrt(1 - c * c)
    p1, k1 = np.array([E, 0, 0, E]), np.array([ME, 0, 0, 0])
    k2 = np.array([ME + T, k * s, 0, k * c])
    return p1, p1 + k1 - k2, k1, k2


def _wmi_dsigma(E, m4, T, cV, cA, anti=False, mu=0.0, r2=0.0, parts="Wg"):
    """dsigma/dT [cm^2/MeV] for nu_L (or nubar_R) e -> N(m4) e from explicit traces.

    M_W = -(G_F/sqrt2) [N g^mu (1-g5) nu][e g_mu (cV - cA g5) e];
    M_g = J_nu . J_e / q^2 with J_e = e [e g e] (L = -eQ psi A, Q_e = -1) and
    J_nu = i mu e/(2 m_e) [N sigma^{b a} q_a nu] (L = -mu/2 N sigma F nu)  or, for a charge radius,
    J_nu = -e (q^2 r2 / 6) [N g^b nu]. Electron spin averaged, neutrino 100 % polarised.
    """
    p1, p2, k1, k2 = _wmi_kin(E, m4, T)
    q = p1 - p2
    q2 = q @ _ETA @ q
    e = math.sqrt(4 * math.pi * C.alpha)
    terms = []
    if "W" in parts:
        terms.append((-C.G_F / math.sqrt(2), [_G[m] @ (_ID - _G5) for m in range(4)],
                      [_G[m] @ (cV * _ID - cA * _G5) for m in range(4)]))
    if "g" in parts and mu:
        sig = [sum(0.5j * (_G[b] @ _G[a] - _G[a] @ _G[b]) * _ETA[a, a] * q[a] for a in range(4))
               for b in range(4)]
        terms.append((1j * mu * C.mu_B * e / q2, sig, list(_G)))  # mu_B = e/(2 m_e)
    if "g" in parts and r2:
        terms.append((-e * e * (q2 * C.cm2_to_natural(r2) / 6) / q2, list(_G), list(_G)))
    S1 = _PL @ _sl(p1)
    S2 = _sl(p2) + (-m4 if anti else m4) * _ID
    E1, E2 = _sl(k1) + ME * _ID, _sl(k2) + ME * _ID
    tot = 0.0
    for ca, Na, La in terms:
        for cb, Nb, Lb in terms:
            if anti:   # sum [vbar1 G_a v2][vbar1 G_b v2]^*
                N = np.array([[np.trace(Na[m] @ S2 @ _bar(Nb[r]) @ S1) for r in range(4)] for m in range(4)])
            else:
                N = np.array([[np.trace(S2 @ Na[m] @ S1 @ _bar(Nb[r])) for r in range(4)] for m in range(4)])
            L = np.array([[np.trace(E2 @ La[m] @ E1 @ _bar(Lb[r])) for r in range(4)] for m in range(4)])
            tot += ca * np.conj(cb) * np.einsum("mr,mr->", N, _ETA @ L @ _ETA)
    return C.to_cm2(0.5 * tot.real / (32 * math.pi * ME * E * E))


def test_wmi_trace_machinery_reproduces_sm_and_dipole():
    # |M_W|^2 (m4 -> 0) = sm for nu and nubar; |M_g|^2 = magnetic_moment (any m4)
    E, T = 2.0, 0.5
    gV, gA = X.couplings("e")
    for anti in (False, True):
        assert _wmi_dsigma(E, 1e-9, T, gV, gA, anti, parts="W") == pytest.approx(
            X.sm(E, T, "e", anti), rel=1e-9, abs=0)
        lo, hi = X.recoil_window_massive(3.0, 0.0, 0.5)
        Tm = 0.5 * (lo + hi)
        assert _wmi_dsigma(3.0, 0.5, Tm, 0, 0, anti, mu=1e-10, parts="g") == pytest.approx(
            X.magnetic_moment(3.0, Tm, 1e-10, 0.5), rel=1e-9, abs=0)


@pytest.mark.parametrize("anti", [False, True])
@pytest.mark.parametrize("f", ["e", "mu"])
def test_wmi_relative_sign_fixed_by_charge_radius(f, anti):
    # the same amplitude assembly with a charge form factor reproduces sm(charge_radius=...) exactly:
    # the relative sign of weak and photon amplitudes is the one of the core's "001" convention
    E, T, r2 = 2.0, 0.4, 3e-32
    gV, gA = X.couplings(f)
    ours = _wmi_dsigma(E, 1e-9, T, gV, gA, anti, r2=r2)
    assert ours == pytest.approx(X.sm(E, T, f, anti, charge_radius=r2), rel=1e-8, abs=0)
    assert ours != pytest.approx(X.sm(E, T, f, anti, charge_radius=-r2), rel=1e-3, abs=0)


@pytest.mark.parametrize("anti", [False, True])
@pytest.mark.parametrize("E,m4", [(0.75, 0.1), (0.75, 0.4), (3.0, 1.0), (10.0, 0.01), (0.427, 0.3)])
def test_wmi_equals_exact_traces(E, m4, anti):
    mu = 1e-10
    for T in _inner_points(E, 0.0, m4):
        for cV, cA in [(1.0, 0.0), (0.0, 1.0), (0.96, 0.5), (-0.3, 0.7)]:
            full = _wmi_dsigma(E, m4, T, cV, cA, anti, mu=mu)
            inter = (full - _wmi_dsigma(E, m4, T, cV, cA, anti, parts="W")
                     - _wmi_dsigma(E, m4, T, cV, cA, anti, mu=mu, parts="g"))
            ours = X.weak_magnetic_interference(E, T, mu, m4, cV, cA, antineutrino=anti)
            assert ours == pytest.approx(inter, rel=1e-7, abs=1e-10 * abs(full))
            # |M_W + M_g|^2 >= 0 with the closed forms (Cauchy-Schwarz on the interference)
            assert abs(ours) <= 2 * math.sqrt(_wmi_dsigma(E, m4, T, cV, cA, anti, parts="W")
                                             * X.magnetic_moment(E, T, mu, m4)) * (1 + 1e-9)


def test_wmi_printed_eq20_is_the_order_m4_truncation():
    E, mu, cV, cA = 0.75, 1e-10, 0.96, 0.5
    pre = lambda m4: C.to_cm2(C.alpha * C.G_F * m4 / (math.sqrt(2) * E * ME)) * mu  # noqa: E731
    for m4 in (0.1, 0.4):
        T = _inner_points(E, 0.0, m4)
        printed = pre(m4) * ((ME - T) / E * cV + (2 - T / E) * cA)   # 003 eq. 20 (nubar_e)
        assert _close(X.weak_magnetic_interference(E, T, mu, m4, cV, cA, True, exact=False), printed,
                      rtol=1e-12)
        exact = X.weak_magnetic_interference(E, T, mu, m4, cV, cA, True)
        corr = pre(m4) * (cV * (ME - T) / E * m4**2 / (2 * ME * T) - cA * m4**2 / (2 * ME * E))
        assert _close(exact, printed + corr, rtol=1e-10)
    # the dropped terms are O(1) at 003's masses: x2.6 on the vector term at m4 = 0.4 MeV, T = 0.1 MeV
    r = X.weak_magnetic_interference(E, 0.1, mu, 0.4, 1, 0) / X.weak_magnetic_interference(
        E, 0.1, mu, 0.4, 1, 0, exact=False)
    assert r == pytest.approx(1 + 0.16 / (2 * ME * 0.1), rel=1e-12, abs=0) and r > 2.5
    # ... and negligible at small m4 (Grimus-Stockinger regime)
    T = _inner_points(E, 0.0, 1e-4)
    assert _close(X.weak_magnetic_interference(E, T, mu, 1e-4, cV, cA, True),
                  X.weak_magnetic_interference(E, T, mu, 1e-4, cV, cA, True, exact=False), rtol=1e-6)


def test_wmi_neutrino_antineutrino_differ_by_axial_sign_only():
    E, m4, mu = 0.75, 0.3, 1e-10
    T = _inner_points(E, 0.0, m4, 7)
    v = lambda cv, ca, a: X.weak_magnetic_interference(E, T, mu, m4, cv, ca, antineutrino=a)  # noqa: E731
    assert _close(v(1, 0, False), v(1, 0, True), rtol=1e-14)
    assert _close(v(0, 1, False), -v(0, 1, True), rtol=1e-14)
    # axial bracket > 0 on the window: for neutrinos c_A mu > 0 interferes destructively
    assert np.all(v(0, 1, False) < 0)
    # vector term changes sign at T = m_e
    E2 = 5.0
    assert X.weak_magnetic_interference(E2, 0.3, mu, m4, 1, 0) > 0
    assert X.weak_magnetic_interference(E2, 0.7, mu, m4, 1, 0) < 0


def test_wmi_vanishes_for_massless_final_state():
    E, mu, cV, cA = 1.0, 1e-10, 0.96, 0.5
    T = np.linspace(0.05, 0.7, 6) * tmax(E)
    assert np.all(X.weak_magnetic_interference(E, T, mu, 0.0, cV, cA) == 0.0)
    # pointwise: linear in m4 at fixed T (helicity flip), limit = the printed form's slope
    v1 = X.weak_magnetic_interference(E, T, mu, 1e-4, cV, cA)
    v2 = X.weak_magnetic_interference(E, T, mu, 2e-4, cV, cA)
    assert _close(v2 / v1, 2.0, rtol=1e-6)
    # integrated over the whole window it vanishes linearly too (the m4^3/T term gives m4^3 ln m4)
    tot = [abs(X.total(E, lambda e, t, m=m: X.weak_magnetic_interference(e, t, mu, m, cV, cA), m4=m))
           for m in (1e-2, 1e-3, 1e-4)]
    assert tot[1] / tot[0] == pytest.approx(0.1, rel=0.02) and tot[2] / tot[1] == pytest.approx(0.1, rel=0.02)
    # and the trace computation agrees that only the m4 piece of (pslash_N + m4) interferes
    Tm = 0.3 * tmax(E)
    full = _wmi_dsigma(E, 1e-9, Tm, cV, cA, mu=mu)
    parts = _wmi_dsigma(E, 1e-9, Tm, cV, cA, parts="W") + _wmi_dsigma(E, 1e-9, Tm, cV, cA, mu=mu, parts="g")
    assert abs(full - parts) < 1e-6 * full


@pytest.mark.parametrize("E,m1,m2", [(1.0, 0.0, 0.0), (3.0, 0.0, 0.3), (1.0, 0.3, 0.3), (10.0, 2.0, 0.0)])
def test_dipole_closed_forms_equal_exact_traces_strict(E, m1, m2):
    # as test_dipole_closed_forms_equal_exact_traces, with abs=0 (pytest.approx's default
    # abs=1e-12 makes any comparison of ~1e-45 cm^2/MeV values pass)
    mu = 1e-9
    for T in _inner_points(E, m1, m2):
        ex = C.to_cm2(C.alpha * (mu * C.mu_B) ** 2 * _exact(E, m1, m2, T, "mag"))
        ours = X.magnetic_moment(E, T, mu, m4=m2) if m1 == 0 else (
            X.sterile_magnetic_moment(E, T, mu, m1) if m1 == m2 else X.transition_magnetic_moment_down(E, T, mu, m1))
        assert ours == pytest.approx(ex, rel=1e-9, abs=0)
