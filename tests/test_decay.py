"""Tests of nuemcore.decay: N -> nu gamma width, decay length, decay probabilities."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuemcore import constants as C
from nuemcore import decay
from nuemcore.errors import NegativeEnergyError, NuemError


def test_width_paper000_convention():
    m4, mu = 100.0, 1e-8
    mu_nat = mu * C.mu_B
    assert decay.width_nu_gamma(m4, mu) == pytest.approx(mu_nat**2 * m4**3 / (16 * math.pi), rel=1e-14, abs=0)


def test_width_majorana_is_paper002_eq26():
    m4, mu = 0.5, 3e-9
    mu_nat = mu * C.mu_B
    # paper 002 eq. (26) at m_nu = 0: mu^2 m^3 / (8 pi)
    assert decay.width_nu_gamma(m4, mu, majorana=True) == pytest.approx(mu_nat**2 * m4**3 / (8 * math.pi), rel=1e-14, abs=0)
    assert decay.width_nu_gamma(m4, mu, majorana=True) == pytest.approx(2 * decay.width_nu_gamma(m4, mu), rel=1e-14, abs=0)


def test_width_daughter_mass_phase_space():
    m4, mnu, mu = 1.0, 0.5, 1e-9
    full = decay.width_nu_gamma(m4, mu, majorana=True, m_nu=mnu)
    mu_nat = mu * C.mu_B
    assert full == pytest.approx((m4**2 - mnu**2) ** 3 / (8 * math.pi * m4**3) * mu_nat**2, rel=1e-14, abs=0)
    assert decay.width_nu_gamma(0.4, mu, m_nu=0.5) == 0.0


def test_decay_length_paper000_eq6():
    E, m4, mu = 1e5, 100.0, 1e-7  # 100 GeV N of 100 MeV (paper 000 Fig. 3 benchmark energy)
    mu_nat = mu * C.mu_B
    expected = 16 * math.pi * math.sqrt(E**2 - m4**2) / (mu_nat**2 * m4**4) * C.HBARC_MEV_CM
    assert decay.decay_length(E, m4, mu) == pytest.approx(expected, rel=1e-12)
    assert decay.decay_length(E, m4, mu, majorana=True) == pytest.approx(expected / 2, rel=1e-12)


def test_decay_length_is_beta_gamma_c_tau():
    E, m4, mu = 300.0, 120.0, 2e-7
    tau = decay.lifetime(m4, mu)
    c = C.HBARC_MEV_CM / C.HBAR_MEV_S  # cm/s
    bg = math.sqrt(E**2 - m4**2) / m4
    assert decay.decay_length(E, m4, mu) == pytest.approx(bg * c * tau, rel=1e-12)


def test_limits_and_errors():
    assert decay.decay_length(10.0, 1.0, 0.0) == math.inf
    assert decay.decay_length(1.0, 1.0, 1e-6) == 0.0
    assert decay.probability_decay_beyond(100.0, 10.0, 1.0, 0.0) == 1.0
    assert decay.probability_decay_between(0.0, 100.0, 10.0, 1.0, 0.0) == 0.0
    with pytest.raises(NuemError):
        decay.decay_length(0.5, 1.0, 1e-8)
    with pytest.raises(NegativeEnergyError):
        decay.width_nu_gamma(-1.0, 1e-8)
    # one rule for negative moments in nuemcore: the sign is accepted, only mu^2 enters
    assert decay.decay_length(10.0, 1.0, -1e-8) == decay.decay_length(10.0, 1.0, 1e-8)
    with pytest.raises(NegativeEnergyError, match="mu"):
        decay.decay_length(10.0, 1.0, float("nan"))
    with pytest.raises(NuemError):
        decay.probability_decay_between(10.0, 5.0, 10.0, 1.0, 1e-8)


def test_vectorised():
    E = np.array([[200.0], [1000.0]])
    m4 = np.array([50.0, 100.0, 150.0])
    l = decay.decay_length(E, m4, 1e-6)
    assert l.shape == (2, 3)
    assert np.all(np.diff(l, axis=0) > 0)  # longer at higher energy
    assert np.all(np.diff(l, axis=1) < 0)  # shorter at higher mass


@settings(max_examples=60, deadline=None)
@given(L1=st.floats(0, 1e4), dL=st.floats(0, 1e4), dL2=st.floats(0, 1e4),
       E=st.floats(1.0, 1e5), frac=st.floats(1e-3, 1.0), mu=st.floats(1e-10, 1e-5))
def test_probabilities_consistent(L1, dL, dL2, E, frac, mu):
    m4 = frac * E
    L2, L3 = L1 + dL, L1 + dL + dL2
    p12 = decay.probability_decay_between(L1, L2, E, m4, mu)
    p23 = decay.probability_decay_between(L2, L3, E, m4, mu)
    p13 = decay.probability_decay_between(L1, L3, E, m4, mu)
    for p in (p12, p23, p13):
        assert 0.0 <= p <= 1.0
    assert p12 + p23 == pytest.approx(p13, abs=1e-12)
    before = decay.probability_decay_before(L1, E, m4, mu)
    beyond = decay.probability_decay_beyond(L1, E, m4, mu)
    assert before + beyond == pytest.approx(1.0, abs=1e-12)
    assert decay.probability_decay_between(0.0, math.inf, E, m4, mu) == pytest.approx(1.0, abs=1e-15)
