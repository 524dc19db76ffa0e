"""Tests of nuemcore.detector: response matrices (counts conservation, smearing, threshold)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import norm, poisson

from nuemcore.detector import Detector, Response, hat_overlap, hat_weights, response_matrix
from nuemcore.errors import NuemError

T = np.linspace(0.001, 0.05, 301)  # MeV


def spec(t):
    return np.exp(-t / 0.01) + 0.3


def test_counts_conserved_no_resolution():
    R = response_matrix(T, [0.0, 0.02, 0.1], outside="zero")
    y = spec(T)
    np.testing.assert_allclose(R.sum(axis=0), hat_weights(T), rtol=1e-13)
    np.testing.assert_allclose((R @ y).sum(), np.trapezoid(y, T), rtol=1e-13)
    # bin split exactly at 0.02 MeV: piecewise-linear integral
    np.testing.assert_allclose(R, hat_overlap(T, [0.0, 0.02, 0.1]), atol=1e-15)


def test_counts_conserved_gaussian_wide_bins():
    sigma = lambda E: 0.1 * np.sqrt(E * 0.01)
    R = response_matrix(T, [-1.0, 0.02, 1.0], resolution=sigma)
    np.testing.assert_allclose(R.sum(axis=0), hat_weights(T), rtol=1e-12)


def test_gaussian_preserves_mean_and_width():
    # a narrow true spectrum around 0.025 MeV smeared with sigma = 2 keV: mean kept, variance added
    t = np.linspace(0.02, 0.03, 201)
    y = np.ones_like(t)
    bins = np.linspace(0.0, 0.06, 1201)
    s0 = 0.002
    R = response_matrix(t, bins, resolution=lambda E: np.full_like(E, s0))
    n = R @ y
    c = 0.5 * (bins[1:] + bins[:-1])
    mean = (n * c).sum() / n.sum()
    var = (n * (c - mean) ** 2).sum() / n.sum()
    assert mean == pytest.approx(0.025, rel=1e-6)
    # true variance (0.01)^2/12 + s0^2 + bin width^2/12 from the centre approximation
    assert var == pytest.approx(0.01**2 / 12 + s0**2 + (bins[1] - bins[0]) ** 2 / 12, rel=1e-3)


def test_gaussian_bin_probability_is_erf_exact():
    t = np.array([0.010, 0.0101])
    sig = lambda E: 0.05 * E + 0.0001
    bins = np.array([0.0085, 0.0095, 0.0105, 0.0125])
    R = response_matrix(t, bins, resolution=sig, n_gauss=8)
    # for a constant spectrum y = 1: integral over the true cell of P(bin | t)
    for i in range(3):
        f = lambda x: norm.cdf(bins[i + 1], x, sig(x)) - norm.cdf(bins[i], x, sig(x))
        assert R[i].sum() == pytest.approx(quad(f, t[0], t[1], epsabs=0, epsrel=1e-12)[0], rel=1e-10, abs=0)


def test_threshold_and_efficiency_true():
    thr = 0.012
    R = response_matrix(T, [0.0, 0.02, 0.05], threshold=thr)
    y = spec(T)
    m = (T >= thr) & (T <= 0.02)
    fine = np.linspace(thr, 0.02, 20001)
    expected = np.trapezoid(np.interp(fine, T, y), fine)
    assert (R @ y)[0] == pytest.approx(expected, rel=1e-7)
    assert m.any()
    # efficiency 0.5 on true energy halves everything
    R2 = response_matrix(T, [0.0, 0.02, 0.05], threshold=thr, efficiency=lambda t: 0.5 + 0 * t)
    np.testing.assert_allclose(R2, 0.5 * R, rtol=1e-14, atol=1e-300)
    # threshold above everything -> zero
    assert np.all(response_matrix(T, [0.0, 0.02, 0.05], threshold=0.06) == 0)


def test_quenching_maps_edges():
    q = lambda t: 0.2 * t**1.1  # visible energy [MeV]
    bins = np.array([0.0, 0.002, 0.004, 0.02])
    R = response_matrix(T, bins, quenching=q, outside="zero")
    y = spec(T)
    # true-energy preimages of the observed edges
    pre = (bins / 0.2) ** (1 / 1.1)
    exact = []
    for a, b in zip(pre[:-1], pre[1:]):
        a, b = max(a, T[0]), min(b, T[-1])
        fine = np.linspace(a, b, 40001)
        exact.append(np.trapezoid(np.interp(fine, T, y), fine) if b > a else 0.0)
    np.testing.assert_allclose(R @ y, exact, rtol=1e-7)


def test_efficiency_on_observed_with_gaussian():
    s = 0.003
    sig = lambda E: np.full_like(E, s)
    eff = lambda E: np.asarray(E) / 0.03  # linear: the piecewise-linear treatment is exact
    bins = np.array([0.0, 0.01, 0.03])
    t = np.linspace(0.01, 0.04, 101)
    R = response_matrix(t, bins, resolution=sig, efficiency=eff, efficiency_on="observed", n_obs_sub=4)

    def inner(m, a, b):  # int_a^b E/0.03 N(E; m, s) dE, analytic
        return (s**2 * (norm.pdf(a, m, s) - norm.pdf(b, m, s)) + m * (norm.cdf(b, m, s) - norm.cdf(a, m, s))) / 0.03
    for i in range(2):
        expected = quad(inner, t[0], t[-1], args=(bins[i], bins[i + 1]), epsabs=0, epsrel=1e-12)[0]
        assert R[i].sum() == pytest.approx(expected, rel=1e-9, abs=0)
    # a curved efficiency converges with the number of sub-points
    eff2 = lambda E: np.clip(np.asarray(E) / 0.03, 0, 1) ** 2
    r64 = response_matrix(t, bins, resolution=sig, efficiency=eff2, efficiency_on="observed", n_obs_sub=64)
    r512 = response_matrix(t, bins, resolution=sig, efficiency=eff2, efficiency_on="observed", n_obs_sub=512)
    np.testing.assert_allclose(r64.sum(axis=1), r512.sum(axis=1), rtol=1e-4)


def test_poisson_pe_smearing():
    t = np.linspace(1e-3, 2e-2, 200)  # MeV
    q = lambda x: 400.0 * x  # mean PE
    bins = np.arange(0, 12, 2.0)
    R = response_matrix(t, bins, quenching=q, resolution="poisson")
    # column sums = P(n < 10 | mean) * hat weights
    p_in = np.array([poisson.cdf(9, 400.0 * x) for x in t])
    np.testing.assert_allclose(R.sum(axis=0) / hat_weights(t), p_in, rtol=5e-3)


def test_detector_caches_response_and_counts():
    calls = []

    def eff(x):
        calls.append(1)
        return np.ones_like(x)
    d = Detector(name="toy", targets={"e": 1e28}, exposure=86400.0, bins=[0.0, 0.02, 0.05],
                 efficiency=eff, citation="toy")
    r1 = d.response(T)
    r2 = d.response(T.copy())
    assert r1 is r2 and isinstance(r1, Response) and len(calls) == 1
    c = d.counts(spec(T), T)
    np.testing.assert_allclose(c.sum(), 1e28 * 86400.0 * np.trapezoid(spec(T), T), rtol=1e-12)
    with pytest.raises(NuemError):
        Detector(name="bad", targets={"e": -1}, exposure=1.0, bins=[0, 1])
    with pytest.raises(NuemError):
        Detector(name="bad", targets={"e": 1}, exposure=1.0, bins=[1, 0])
    with pytest.raises(NuemError):
        d2 = Detector(name="two", targets={"e": 1, "Xe": 2}, exposure=1.0, bins=[0, 1])
        d2.n_targets()


@settings(max_examples=30, deadline=None)
@given(s=st.floats(1e-4, 5e-3), thr=st.floats(0.0, 0.03), edge=st.floats(0.005, 0.045))
def test_response_nonnegative_and_bounded(s, thr, edge):
    R = response_matrix(T, [0.0, edge, 0.05], resolution=lambda E: np.full_like(E, s), threshold=thr)
    assert np.all(R >= 0)
    assert np.all(R.sum(axis=0) <= hat_weights(T) * (1 + 1e-12))
