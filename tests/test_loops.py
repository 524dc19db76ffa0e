"""Tests of nuemcore.loops (paper 002 eq. 7-12): closed forms vs our Feynman-parameter integrals,
limits, signs, dimensions and units."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nuemcore import constants as C, loops
from nuemcore.errors import NegativeEnergyError

ETAS = np.array([1e-3, 0.02, 0.3, 0.9, 1.5, 4.0, 30.0, 700.0])


@pytest.mark.parametrize("closed, feyn", [
    (loops.F_anapole_scalar, loops.feynman_anapole_scalar),
    (loops.F_mag1_scalar, loops.feynman_mag1_scalar),
    (loops.F_mag2_scalar, loops.feynman_mag2_scalar),
])
def test_closed_forms_equal_feynman_integrals(closed, feyn):
    np.testing.assert_allclose(closed(ETAS), feyn(ETAS), rtol=1e-7)


@pytest.mark.parametrize("f, value", [
    (loops.F_anapole_scalar, -0.5), (loops.F_mag1_scalar, 1 / 3), (loops.F_mag2_scalar, -0.5),
    (loops.F_anapole_vector, 3.5), (loops.F_mag1_vector, -5 / 3), (loops.F_mag2_vector, 0.5),
])
def test_finite_and_continuous_at_eta_one(f, value):
    assert f(1.0) == pytest.approx(value, rel=1e-12)
    # the series branch and the closed form join smoothly on both sides of the switch
    for x in (1.0019, 1.0021, 0.9979, 0.9981, 1.01, 0.99):
        assert np.isfinite(f(x))
    assert f(1.0019) == pytest.approx(f(1.0021), abs=5e-4)
    assert f(0.9981) == pytest.approx(f(0.9979), abs=5e-4)
    assert f(1.01) == pytest.approx(value, abs=0.05)


def test_anapole_small_and_large_eta():
    e = 1e-8
    assert loops.F_anapole_scalar(e) == pytest.approx(2 * math.log(e) + 3, rel=1e-6)
    E = 1e8
    assert loops.F_anapole_scalar(E) == pytest.approx((math.log(E) - 3) / E, rel=1e-6, abs=0)
    assert loops.F_anapole_scalar(E) > 0 > loops.F_anapole_scalar(2.0)
    assert loops.F_anapole_scalar(loops.ANAPOLE_ZERO_ETA) == pytest.approx(0.0, abs=1e-10)
    assert 8 < loops.ANAPOLE_ZERO_ETA < 9


def test_magnetic_flip_function_decouples():
    assert abs(loops.F_mag2_scalar(1e-12)) < 1e-4
    assert abs(loops.F_mag2_scalar(1e12)) < 1e-5
    assert abs(loops.F_mag2_vector(1e-12)) < 1e-5
    assert abs(loops.F_mag2_vector(1e12)) < 1e-4


def test_magnetic_moment_vanishes_without_helicity_flip():
    # pure c_L coupling, massless neutrino: no magnetic moment (why eq. 8 must carry m_nu)
    assert loops.magnetic_scalar(10.0, 5.0, 1.0, 0.0, 1e-8) == 0.0
    assert loops.magnetic_scalar(10.0, 5.0, 1.0, 0.0, 1e-8, m_nu=1e-7) != 0.0
    assert loops.magnetic_vector(10.0, 5.0, 1.0, 0.0, 1.0, 0.0, 1e-8) == 0.0


def test_anapole_chirality_and_linearity_in_eps():
    assert loops.anapole_scalar(10.0, 5.0, 0.7, 0.7, 1e-8) == 0.0
    a1 = loops.anapole_scalar(10.0, 5.0, 1.0, 0.0, 1e-8)
    assert loops.anapole_scalar(10.0, 5.0, 0.0, 1.0, 1e-8) == pytest.approx(-a1, rel=1e-6, abs=0)
    assert loops.anapole_scalar(10.0, 5.0, 1.0, 0.0, 3e-8) == pytest.approx(3 * a1, rel=1e-6, abs=0)
    assert loops.anapole_scalar(10.0, 5.0, 1.0, 0.0, 1e-8, dirac=True) == pytest.approx(0.5 * a1, rel=1e-6, abs=0)
    assert loops.anapole_scalar(10.0, 5.0, 1.0, 0.0, 1e-8, convention="xsec") == pytest.approx(
        a1 / C.e_charge, rel=1e-6, abs=0)


def test_units_against_hand_calculation():
    # degenerate masses m = 1 MeV, c = 1, eps = 1e-7: a = e eps/(96 pi^2 m^2) * (-1/2)
    e = C.e_charge
    a_nat = e * 1e-7 / (96 * math.pi**2) * (-0.5)
    assert loops.anapole_scalar(1.0, 1.0, 1.0, 0.0, 1e-7) == pytest.approx(a_nat * C.HBARC2_MEV2_CM2, rel=1e-6, abs=0)
    # mu = e eps/(32 pi^2 m) * 2 * (-1/2) in MeV^-1 -> mu_B = e/(2 m_e)
    mu_nat = e * 1e-7 / (32 * math.pi**2) * 2 * (-0.5)
    assert loops.magnetic_scalar(1.0, 1.0, 1.0, 1.0, 1e-7) == pytest.approx(mu_nat / C.mu_B, rel=1e-6, abs=0)
    assert abs(loops.magnetic_scalar(1.0, 1.0, 1.0, 1.0, 1e-7)) == pytest.approx(
        1e-7 * C.m_e / (16 * math.pi**2), rel=1e-9, abs=0)


@settings(max_examples=40, deadline=None)
@given(st.floats(1.0, 1000.0), st.floats(1.0, 1000.0), st.floats(1e-9, 1e-7))
def test_moments_finite_and_bounded_over_table1(m_med, m_chi, eps):
    for v in (loops.anapole_scalar(m_med, m_chi, 1.0, 0.0, eps),
              loops.anapole_vector(m_med, m_chi, 1.0, 0.0, 1.0, 0.0, eps),
              loops.magnetic_scalar(m_med, m_chi, 1.0, 1.0, eps),
              loops.magnetic_vector(m_med, m_chi, 1.0, 1.0, 1.0, 1.0, eps)):
        assert np.isfinite(v)
    assert abs(loops.magnetic_scalar(m_med, m_chi, 1.0, 1.0, eps)) < 1e-9
    assert abs(loops.anapole_scalar(m_med, m_chi, 1.0, 0.0, eps)) < 1e-31


def test_bad_eta_raises():
    with pytest.raises(NegativeEnergyError):
        loops.F_anapole_scalar(0.0)
    with pytest.raises(NegativeEnergyError):
        loops.F_mag2_scalar(-1.0)
    with pytest.raises(ValueError):
        loops.anapole_scalar(1.0, 1.0, 1.0, 0.0, 1e-8, convention="nope")
    with pytest.raises(ValueError):
        loops.band("nope")


def test_band_ordering():
    lo, hi, v = loops.band("magnetic_scalar", n=500)
    assert 0 < lo < hi and v.size > 400
    lo2, hi2, _ = loops.band("magnetic_scalar", n=500, eps=(1e-9, 1e-8))
    assert hi2 < hi
