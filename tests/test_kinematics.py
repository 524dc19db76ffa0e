"""Two-body kinematics (nuemcore.kinematics): exact recoil window, its m4 -> 0 limit, and the
minimum neutrino energy of paper 000 eq. (9) = paper 003 eq. (22) as the inverse of T_max."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nuemcore import kinematics as kin
from nuemcore.constants import m_e
from nuemcore.errors import NegativeEnergyError

M_XE = 131.293 * 931.494  # MeV, roughly a xenon nucleus (any mass works for these identities)
TARGETS = [m_e, 938.272, M_XE]

energies = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False, allow_infinity=False)
recoils = st.floats(min_value=1e-6, max_value=1e3, allow_nan=False, allow_infinity=False)
targets = st.sampled_from(TARGETS)


def elastic_tmax(E, M):
    return 2.0 * E * E / (M + 2.0 * E)


@pytest.mark.parametrize("M", TARGETS)
def test_elastic_window_is_closed_form(M):
    E = np.geomspace(1e-3, 1e4, 41)
    t_min, t_max = kin.recoil_window(E, M)
    np.testing.assert_array_equal(t_min, 0.0)
    np.testing.assert_allclose(t_max, elastic_tmax(E, M), rtol=1e-14)


@pytest.mark.parametrize("M", TARGETS)
def test_massive_window_tends_to_elastic_as_m4_to_zero(M):
    """The exact window with a tiny m4 reproduces the m4 = 0 closed form."""
    E = np.geomspace(0.1, 1e3, 17)
    for m4 in (1e-3, 1e-5):
        t_min, t_max = kin.recoil_window(E, M, m4)
        np.testing.assert_allclose(t_max, elastic_tmax(E, M), rtol=10 * m4 / E.min() + 1e-6)
        assert np.all(t_min >= 0) and np.all(t_min < 1e-3 * t_max)


@given(E=energies, M=targets)
def test_elastic_tmax_inverts_emin(E, M):
    """E_min(T_max(E)) = E for m4 = 0."""
    T = kin.recoil_max(E, M)
    assert kin.neutrino_energy_min(T, M) == pytest.approx(E, rel=1e-9)


@given(T=recoils, M=targets)
def test_elastic_emin_inverts_tmax(T, M):
    """T_max(E_min(T)) = T for m4 = 0."""
    E = kin.neutrino_energy_min(T, M)
    assert kin.recoil_max(E, M) == pytest.approx(T, rel=1e-9, abs=0)


@given(T=recoils, M=targets, m4_frac=st.floats(min_value=1e-3, max_value=0.9))
def test_massive_emin_puts_T_on_the_window_edge(T, M, m4_frac):
    """For m4 > 0, at E = E_min(T) the recoil T is an end of the window (T_min or T_max), and
    slightly above E_min the window contains T; slightly below, it does not."""
    # choose m4 below the largest mass that a recoil T can accommodate, m4^2 < 2 M T (1 + ...)
    m4 = m4_frac * math.sqrt(2.0 * M * T)
    E = kin.neutrino_energy_min(T, M, m4)
    t_min, t_max = kin.recoil_window(E, M, m4)
    # T = [(E + M) E*_X +- E p*] / sqrt(s) - M loses ~1e-16 M to cancellation: absolute term
    assert min(abs(t_min - T), abs(t_max - T)) <= 1e-7 * T + 1e-14 * M
    lo, hi = kin.recoil_window(E * (1 + 1e-4), M, m4)
    assert lo <= T * (1 + 1e-9) and T <= hi * (1 + 1e-9)
    lo, hi = kin.recoil_window(E * (1 - 1e-4), M, m4)
    assert not (lo < T * (1 - 1e-7) and T * (1 + 1e-7) < hi)


@given(M=targets, m4=st.floats(min_value=1e-3, max_value=100.0))
def test_zero_when_kinematically_closed(M, m4):
    """Below threshold (sqrt(s) <= M + m4, i.e. E <= m4 + m4^2 / 2M) the window is (0, 0)."""
    E_thr = m4 + m4 * m4 / (2.0 * M)
    for E in (0.0, 0.5 * E_thr, E_thr * (1 - 1e-9)):
        assert kin.recoil_window(E, M, m4) == (0.0, 0.0)
        assert kin.recoil_max(E, M, m4) == 0.0
    assert kin.recoil_max(1.01 * E_thr, M, m4) > 0.0


def test_zero_energy_and_zero_recoil():
    assert kin.recoil_window(0.0, m_e) == (0.0, 0.0)
    assert kin.neutrino_energy_min(0.0, m_e) == 0.0
    assert kin.neutrino_energy_min(0.0, m_e, 0.1) == math.inf


def test_arrays_broadcast_and_never_nan():
    E = np.geomspace(1e-4, 1e4, 50)[:, None]
    m4 = np.array([0.0, 0.01, 1.0, 100.0])[None, :]
    t_min, t_max = kin.recoil_window(E, m_e, m4)
    assert t_min.shape == t_max.shape == (50, 4)
    assert np.all(np.isfinite(t_min)) and np.all(np.isfinite(t_max))
    assert np.all(t_min <= t_max) and np.all(t_min >= 0)


@pytest.mark.parametrize("call", [
    lambda: kin.recoil_max(-1.0, m_e),
    lambda: kin.recoil_max(1.0, -m_e),
    lambda: kin.recoil_max(1.0, m_e, -0.1),
    lambda: kin.recoil_window(np.array([1.0, -2.0]), m_e),
    lambda: kin.neutrino_energy_min(-1e-3, m_e),
    lambda: kin.neutrino_energy_min(1.0, m_e, -1.0),
    lambda: kin.recoil_max(float("nan"), m_e),
])
def test_negative_or_nan_input_raises(call):
    with pytest.raises(NegativeEnergyError):
        call()


@given(T=recoils, M=targets, m4_frac=st.floats(min_value=1e-3, max_value=0.9))
def test_m4_max_inverts_emin_in_m4(T, M, m4_frac):
    """m4_max(E_min(T, m4), T) = m4 (the inverse of neutrino_energy_min in m4), and the recoil T
    sits on the window edge for m4_max: slightly heavier closes it."""
    m4 = m4_frac * math.sqrt(2.0 * M * T)
    E = kin.neutrino_energy_min(T, M, m4)
    assert kin.m4_max(E, T, M) == pytest.approx(m4, rel=1e-6)
    lo, hi = kin.recoil_window(E, M, 1.001 * m4)
    assert not (lo < T < hi)


def test_m4_max_limits_and_paper_004_eq8():
    """0 below the elastic threshold and at T = 0; closed form 2E|q| - 2ET - 2MT; 004 eq. (8)
    agrees to O(E/M) for CEvNS on xenon (E = 10 MeV, T = 1 keV)."""
    T = 1e-3
    assert kin.m4_max(0.9999 * kin.neutrino_energy_min(T, M_XE), T, M_XE) == 0.0
    assert kin.m4_max(10.0, 0.0, M_XE) == 0.0
    E = 10.0
    q = math.sqrt(T * T + 2 * M_XE * T)
    exact = math.sqrt(2 * E * q - 2 * E * T - 2 * M_XE * T)
    assert kin.m4_max(E, T, M_XE) == pytest.approx(exact, rel=1e-9)
    eq8 = math.sqrt(2 * M_XE * T * (math.sqrt(2 / (M_XE * T)) * E - 1))
    assert kin.m4_max(E, T, M_XE) == pytest.approx(eq8, rel=10 * E / M_XE)
    out = kin.m4_max(np.array([[1.0], [10.0]]), np.array([0.0, 1e-3, 1.0]), M_XE)
    assert out.shape == (2, 3) and np.all(np.isfinite(out)) and np.all(out >= 0)
    with pytest.raises(NegativeEnergyError):
        kin.m4_max(-1.0, T, M_XE)
