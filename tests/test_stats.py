"""Tests of nuemcore.stats: pulls, Poisson likelihood, limits, thresholds, profiles, scans."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.stats import poisson

from nuemcore import stats
from nuemcore.errors import NuemError

RNG = np.random.default_rng(12345)


def _numeric_gauss(D, C, sig, ps, base=None):
    P = C.sum(axis=0) if base is None else base
    act = [k for k, s in enumerate(ps) if s > 0]

    def f(a):
        pred = P + sum(a[i] * C[k] for i, k in enumerate(act))
        pen = sum((a[i] / ps[k]) ** 2 for i, k in enumerate(act) if np.isfinite(ps[k]))
        return np.sum(((D - pred) / sig) ** 2) + pen
    res = minimize(f, np.zeros(len(act)), method="BFGS", options={"gtol": 1e-10})
    return res.fun


def test_chi2_pulls_analytic_equals_numeric():
    n = 12
    C = np.stack([50 * np.exp(-np.arange(n) / 4.0), 10 + np.arange(n) * 0.5, np.full(n, 3.0)])
    D = RNG.poisson(C.sum(axis=0) * 1.1).astype(float)
    sig = np.sqrt(np.maximum(D, 1))
    ps = [0.1, 0.05, np.inf]
    chi, a = stats.chi2_linear_pulls(D, C, sig, ps, return_pulls=True)
    assert chi == pytest.approx(_numeric_gauss(D, C, sig, ps), rel=1e-7)
    # fixed pull (sigma 0) equals leaving the component out of the fit
    chi_fix = stats.chi2_linear_pulls(D, C, sig, [0.1, 0.0, np.inf])
    assert chi_fix == pytest.approx(_numeric_gauss(D, C, sig, [0.1, 0.0, np.inf]), rel=1e-7)
    assert chi_fix >= chi - 1e-9


def test_chi2_pulls_single_component_closed_form():
    # one pull: chi2 = sum r^2 w - (sum C r w)^2 / (sum C^2 w + 1/s^2)
    D = np.array([10.0, 12.0, 7.0])
    C = np.array([[9.0, 10.0, 8.0]])
    sig = np.array([3.0, 3.5, 2.6])
    s = 0.2
    r, w = D - C[0], 1 / sig**2
    exact = np.sum(r * r * w) - np.sum(C[0] * r * w) ** 2 / (np.sum(C[0] ** 2 * w) + 1 / s**2)
    assert stats.chi2_linear_pulls(D, C, sig, [s]) == pytest.approx(exact, rel=1e-13)


def test_chi2_pulls_batched_and_base():
    C = RNG.uniform(1, 10, size=(7, 3, 5))
    D = RNG.uniform(5, 30, size=5)
    sig = np.sqrt(D)
    base = C.sum(axis=-2) * 1.02
    chi = stats.chi2_linear_pulls(D, C, sig, [0.1, 0.2, 0.3], base=base)
    for i in range(7):
        assert chi[i] == pytest.approx(_numeric_gauss(D, C[i], sig, [0.1, 0.2, 0.3], base=base[i]), rel=1e-7)
    with pytest.raises(NuemError):
        stats.chi2_linear_pulls(D, C, -sig, [0.1, 0.2, 0.3])


def test_poisson_chi2_values():
    assert stats.poisson_chi2([0.0, 0.0], [1.5, 0.5]) == pytest.approx(4.0)
    assert stats.poisson_chi2([3.0], [3.0]) == 0.0
    assert stats.poisson_chi2([2.0], [0.0]) == math.inf
    D, N = np.array([4.0, 9.0]), np.array([5.0, 7.0])
    assert stats.poisson_chi2(D, N) == pytest.approx(2 * np.sum(N - D + D * np.log(D / N)))


def test_poisson_pulls_equal_numeric_minimisation():
    n = 10
    C = np.stack([20 * np.exp(-np.arange(n) / 3.0), np.full(n, 2.0), 0.3 + 0.1 * np.arange(n)])
    D = RNG.poisson(C.sum(axis=0) * np.array([1.3] * 5 + [0.8] * 5)).astype(float)
    ps = [0.12, 0.5, 1.0]
    chi, a = stats.poisson_chi2_pulls(D, C, ps, return_pulls=True)

    def f(x):
        N = C.sum(axis=0) + x @ C
        if np.any(N <= 0):
            return 1e30
        return stats.poisson_chi2(D, N) + np.sum((x / np.array(ps)) ** 2)
    res = minimize(f, np.zeros(3), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000})
    assert chi == pytest.approx(res.fun, rel=1e-7, abs=1e-9)
    np.testing.assert_allclose(a, res.x, atol=1e-4)
    # batched evaluation equals one-by-one
    Cb = np.stack([C, 1.5 * C])
    chib = stats.poisson_chi2_pulls(D, Cb, ps)
    assert chib[0] == pytest.approx(chi, rel=1e-10)
    assert chib[1] == pytest.approx(stats.poisson_chi2_pulls(D, 1.5 * C, ps), rel=1e-10)


def test_poisson_limits_known_values():
    assert stats.poisson_upper_limit(0) == pytest.approx(-math.log(0.1), rel=1e-12)  # 2.303
    assert stats.poisson_upper_limit(0) == pytest.approx(2.303, abs=5e-4)
    # classical n = 1, 2, 3 (PDG table 40.3 upper limits at 90 %): 3.890, 5.322, 6.681
    np.testing.assert_allclose(stats.poisson_upper_limit([1, 2, 3]), [3.890, 5.322, 6.681], atol=1e-3)
    # definition: P(k <= n; s + b) = 1 - CL
    s = stats.poisson_upper_limit(4, b=1.7, cl=0.95)
    assert poisson.cdf(4, s + 1.7) == pytest.approx(0.05, rel=1e-10)
    assert stats.poisson_upper_limit(0, b=5.0) == 0.0
    # Feldman-Cousins, PRD 57 3873 Table IV (90 %): n=0,b=0 -> 2.44; n=3,b=0 -> 7.42
    assert stats.poisson_upper_limit(0, method="fc") == pytest.approx(2.44, abs=0.006)
    assert stats.poisson_upper_limit(3, method="fc") == pytest.approx(7.42, abs=0.006)
    # FC limits shrink as the background grows at n = 0 (but stay > 0, unlike classical)
    assert 0 < stats.poisson_upper_limit(0, b=3.0, method="fc") < 2.44
    with pytest.raises(NuemError):
        stats.poisson_upper_limit(-1)
    with pytest.raises(NuemError):
        stats.poisson_upper_limit(1.5)


def test_thresholds():
    assert stats.delta_chi2_threshold(0.9, 1) == pytest.approx(2.7055, abs=1e-4)
    assert stats.delta_chi2_threshold(0.9, 2) == pytest.approx(4.6052, abs=1e-4)
    assert stats.delta_chi2_threshold(0.95, 1) == pytest.approx(3.8415, abs=1e-4)
    assert stats.delta_chi2_threshold(0.95, 2) == pytest.approx(5.9915, abs=1e-4)
    for k in (1, 2, 3):
        assert stats.delta_chi2_threshold(f"{k}sigma", 1) == pytest.approx(k * k, rel=1e-9)
    assert stats.delta_chi2_threshold("1sigma", 2) == pytest.approx(2.2958, abs=1e-4)
    with pytest.raises(NuemError):
        stats.delta_chi2_threshold(1.2)


def test_profile_interval_parabola():
    x = np.linspace(-5, 5, 1001)
    c = (x - 1.0) ** 2 / 0.5**2 + 7.0
    best, lo, hi = stats.profile_interval(x, c, cl="1sigma")
    assert best == pytest.approx(1.0, abs=1e-9)
    assert lo == pytest.approx(0.5, abs=1e-4) and hi == pytest.approx(1.5, abs=1e-4)
    xs, dirs = stats.crossings(x, c - 7.0, 1.0)
    np.testing.assert_allclose(xs, [0.5, 1.5], atol=1e-4)
    assert list(dirs) == [-1, 1]


def test_boundary_along_columns_recovers_injected_curve():
    x = np.geomspace(1, 1000, 30)
    y = np.geomspace(1e-10, 1e-5, 400)
    true = 1e-8 * (x / 10.0) ** 0.5
    z = (y[None, :] / true[:, None]) ** 2 * 2.706  # crosses 2.706 at y = true
    got = stats.boundary_along_columns(x, y, z, 2.706, log_y=True)
    np.testing.assert_allclose(got, true, rtol=2e-3)
    z2 = z.copy()
    z2[0] = 0.0
    assert np.isnan(stats.boundary_along_columns(x, y, z2, 2.706)[0])


def test_exclusion_counting_recovers_injected_limit():
    m4 = np.geomspace(0.01, 10, 20)
    S = np.outer(np.exp(-m4), [1e14, 2e14, 3e14])  # counts at mu = 1 mu_B, three bins
    mu = stats.exclusion_curve(m4, S, np.zeros(3), np.zeros(3), test="counting")
    np.testing.assert_allclose(mu**2 * S.sum(axis=1), 2.302585, rtol=1e-6)
    mu2 = stats.exclusion_curve(m4, S, np.zeros(3), np.zeros(3), test="counting", n_up=5.32)
    np.testing.assert_allclose(mu2**2 * S.sum(axis=1), 5.32, rtol=1e-12)
    S0 = S.copy()
    S0[3] = 0
    assert np.isinf(stats.exclusion_curve(m4, S0, np.zeros(3), np.zeros(3), test="counting")[3])


def test_exclusion_chi2_matches_analytic_quadratic():
    # no pulls, data = background: Delta chi2(x) = x^2 sum S^2/sigma^2 -> x = sqrt(2.706 / a)
    m4 = np.array([0.1, 1.0, 5.0])
    S = np.array([[5.0, 3.0, 1.0], [2.0, 2.0, 2.0], [0.1, 0.5, 4.0]]) * 1e16
    B = np.array([100.0, 50.0, 20.0])
    sig = np.sqrt(B)
    mu = stats.exclusion_curve(m4, S, B, B, test="chi2", sigma_data=sig)
    a = np.sum(S**2 / sig**2, axis=1)
    np.testing.assert_allclose(mu, (2.7055434 / a) ** 0.25, rtol=1e-6)
    # with a signal pull the limit is weaker, with pulls on nothing the same
    mu_p = stats.exclusion_curve(m4, S, B, B, test="chi2", sigma_data=sig, pull_sigmas=[0.5, 0.0])
    assert np.all(mu_p >= mu * (1 - 1e-9))


def test_exclusion_poisson_vs_direct_scan():
    m4 = np.array([0.5, 2.0])
    S = np.array([[3.0, 1.0, 0.2], [0.5, 0.5, 2.0]])
    B = np.array([[4.0, 3.0, 2.0]])
    D = np.array([5.0, 2.0, 2.0])
    mu = stats.exclusion_curve(m4, S, B, D, test="poisson", power=1, pull_sigmas=[0.1, 0.3])
    for i in range(2):
        xs = np.linspace(0, 20, 4001)
        comps = np.stack([xs[:, None] * S[i][None, :], np.broadcast_to(B[0], (xs.size, 3))], axis=1)
        c = stats.poisson_chi2_pulls(D, comps, [0.1, 0.3])
        d = c - c.min()
        ib = np.argmin(c)
        j = ib + np.argmax(d[ib:] > 2.7055434)
        x_cross = xs[j - 1] + (2.7055434 - d[j - 1]) / (d[j] - d[j - 1]) * (xs[j] - xs[j - 1])
        assert mu[i] == pytest.approx(x_cross, rel=1e-4)


@settings(max_examples=25, deadline=None)
@given(s=st.floats(1e-3, 1e3), b=st.floats(0.0, 50.0), n=st.integers(0, 40))
def test_classical_limit_property(s, b, n):
    up = stats.poisson_upper_limit(n, b)
    if up > 0:
        assert poisson.cdf(n, up + b) == pytest.approx(0.1, rel=1e-8)
    assert up >= 0


def test_upper_crossing_interpolates_and_is_inf_when_never_crossed():
    from nuemcore.stats import upper_crossing
    x = np.linspace(0.0, 10.0, 101)
    assert upper_crossing(x, (x - 2.0) ** 2, 2.705543454095404) == pytest.approx(
        2.0 + np.sqrt(2.705543454095404), rel=1e-3, abs=0)
    assert upper_crossing(x, 1e-3 * x, 2.71) == np.inf
