"""Toy Monte Carlo coverage (nuemcore.coverage, issue 16)."""
import math

import numpy as np
import pytest

from nuemcore import coverage as cv
from nuemcore.errors import NuemError


# ------------------------------------------------------------------ textbook: FC Table IV
# Feldman & Cousins, PRD 57, 3873 (1998), Table IV (90 % CL upper ends, Poisson, known b)
FC_TABLE_IV = {(0, 0.0): 2.44, (0, 0.5): 1.94, (0, 1.0): 1.61, (0, 1.5): 1.33, (0, 2.0): 1.26,
               (0, 2.5): 1.18, (0, 3.0): 1.08, (1, 1.0): 3.36, (3, 0.0): 7.42}


@pytest.mark.parametrize("nb", [(0, 0.0), (0, 1.0), (0, 2.5), (1, 1.0), (3, 0.0)])
def test_fc_plain_construction_matches_table_iv(nb):
    assert cv.fc_upper_limit(*nb) == pytest.approx(FC_TABLE_IV[nb], abs=0.006)


@pytest.mark.parametrize("b, plain, published", [(2.0, 1.08, 1.26), (3.0, 0.95, 1.08)])
def test_fc_n0_b2_b3_differ_plain_and_match_monotone(b, plain, published):
    # the plain construction is a saw-tooth in b and falls below the table at b = 2, 3 ...
    assert cv.fc_upper_limit(0, b) == pytest.approx(plain, abs=0.006)
    # ... the table is its supremum over b' >= b (non-increasing in b)
    assert cv.fc_upper_limit(0, b, monotone=True) == pytest.approx(published, abs=0.006)


def test_fc_bad_input():
    with pytest.raises(NuemError, match="n=-1"):
        cv.fc_upper_limit(-1, 1.0)


# ------------------------------------------------------------------ protocols match the chapters
def test_fpf_rule_is_the_chapter_limit():
    from nuemcore.analyses import fpf
    p = cv.analysis("fpf.flare100_counting")
    assert p.rule_limit() == pytest.approx(fpf.paper_signal_limit("FLArE100"), rel=1e-12)
    assert p.rule_limit() == pytest.approx(2.890, abs=5e-4)


def test_dune_protocol_reproduces_the_chapter_bound():
    from nuemcore.analyses import dune
    p = cv.analysis("dune.mm_mu_on-axis")
    assert p.to_moment(p.rule_limit()) == pytest.approx(dune.bound("mm", "mu", "on-axis"), rel=2e-3)


def test_dark_moments_protocol_matches_binned_nll():
    from nuemcore.analyses import dark_moments as dm
    p = cv.analysis("dark_moments.binned_mu")
    for th in (0.5, 1.0, 2.0):
        x2 = th * p.moment_unit**2
        d_ours = float(p.chi2(p.observed, np.array(th)) - p.chi2(p.observed, np.array(0.0)))
        d_chap = 2.0 * (dm.binned_nll(x2, "mu") - dm.binned_nll(0.0, "mu"))
        assert d_ours == pytest.approx(d_chap, rel=1e-6)


def test_dark_moments_window_counts():
    from nuemcore.analyses import dark_moments as dm
    from nuemcore.experiments import xenonnt_er as X
    p = cv.analysis("dark_moments.window_rule")
    assert p.C[0, 0] == X.load().b0_counts() and p.observed[0] == X.load().observed()
    assert p.rule_limit() * p.D[0, 0] == pytest.approx(5.32, rel=1e-12)
    assert p.to_moment(p.rule_limit()) == pytest.approx(dm.active_limits()["mu_rule"], rel=1e-9)


def test_sterile_protocol_matches_eq27_and_limit():
    from nuemcore.analyses import sterile_tmm as st
    from nuemcore.experiments import chromium51 as cr
    p = cv.analysis("sterile_tmm.cr51_ge")
    sm = p.C[0]
    for th in (0.01, 0.03):
        ours = float(p.chi2(p.observed, np.array(th)))
        chap = float(cr.chi2_eq27(sm, sm + th * p.D[0]))
        assert ours == pytest.approx(chap, rel=1e-9)
    assert p.to_moment(p.rule_limit()) == pytest.approx(st.cr_cevns_limit("Ge", 1e-3), rel=1e-2)


def test_solar_protocol_matches_eq15_and_limit():
    from nuemcore.analyses import solar_cevns as sc
    p = cv.analysis("solar_cevns.mu_e_paper")
    L = sc.likelihood("paper")
    for mu in (1e-9, 2e-9):
        th = (mu / p.moment_unit) ** 2
        ours = float(p.chi2(p.observed, np.array(th)))
        chap = float(L.chi2(sc.signal_counts("mu", mu, "e", "paper")))
        assert ours == pytest.approx(chap, rel=1e-6)
    assert p.to_moment(p.rule_limit()) == pytest.approx(sc.upper_limit("mu", "e", "paper"), rel=0.02)


# ------------------------------------------------------------------ toys
@pytest.mark.parametrize("name", ["dark_moments.binned_mu", "solar_cevns.mu_e_paper",
                                  "dune.mm_mu_on-axis"])
def test_mean_of_toys_is_the_asimov_expectation(name):
    p = cv.analysis(name)
    th = p.rule_limit()
    n = 4000
    draws = [p.throw(th, np.random.default_rng(np.random.SeedSequence(7, spawn_key=(0, i))))
             for i in range(n)]
    data = np.array([d for d, _ in draws])
    a0 = np.array([a for _, a in draws])
    mu = p.expected(th)
    var = mu if p.sampling == "poisson" else np.broadcast_to(p.var, mu.shape)
    z = (data.mean(axis=0) - mu) / np.sqrt(var / n)
    assert np.all(np.abs(z) < 4.5), z
    # the global observables average to the mean of N(0, s) truncated to > -1 (0 for s <= 20 %)
    from scipy import stats
    s = np.where(p.sigmas > 0, p.sigmas, 1.0)
    expect = np.where(p.sigmas > 0, stats.truncnorm.mean(-1.0 / s, np.inf, scale=s), 0.0)
    sd = np.where(p.sigmas > 0, stats.truncnorm.std(-1.0 / s, np.inf, scale=s), 1.0)
    assert np.all(np.abs(a0.mean(axis=0) - expect) < 4.5 * sd / math.sqrt(n))


def test_toy_streams_do_not_depend_on_chunking():
    name, top = "dark_moments.binned_mu", 3.0
    q_all, _ = cv.toy_q(name, 11, 2, 1.0, 0, 40, top)
    q_a, _ = cv.toy_q(name, 11, 2, 1.0, 0, 17, top)
    q_b, _ = cv.toy_q(name, 11, 2, 1.0, 17, 40, top)
    np.testing.assert_allclose(np.concatenate([q_a, q_b]), q_all, rtol=1e-9, atol=1e-9)
    q_other, _ = cv.toy_q(name, 12, 2, 1.0, 0, 40, top)
    assert not np.allclose(q_other, q_all)


def test_gaussian_boundary_coverage_is_chernoff():
    # theta_true = 0 on the boundary: q = 0 for half of the toys, so Delta chi2 = 2.71 covers
    # 0.5 + 0.5 x 0.9 = 0.95, and the calibrated threshold is chi2_1 at 80 %: 1.642
    r = cv.run("dune.mm_mu_on-axis", 2000, 5, thetas=np.array([0.0, 9.2]))
    assert r["coverage_rule"][0] == pytest.approx(0.95, abs=0.02)
    assert r["threshold"][0] == pytest.approx(1.642, abs=0.25)
    # away from the boundary (1.6 sigma) Wilks holds: about 0.90
    assert r["coverage_rule"][1] == pytest.approx(0.90, abs=0.03)


def test_classical_rule_overcovers_and_fixed_rule_is_data_independent():
    r = cv.run("fpf.flare100_counting", 400, 2)
    assert all(c >= 0.86 for c in r["coverage_rule"])       # Neyman, discrete: >= 0.9 up to noise
    assert r["limit_fc_exact"] == pytest.approx(3.36, abs=0.006)   # FC Table IV, n = b = 1
    w = cv.run("dark_moments.window_rule", 40, 2)
    lim = w["limit_asymptotic"]
    cov = dict(zip(w["thetas"], w["coverage_rule"]))
    assert cov[lim] == 1.0 and all(c == 0.0 for t, c in cov.items() if t > lim)


def test_run_is_reproducible_and_executors_agree():
    from concurrent.futures import ProcessPoolExecutor
    a = cv.run("fpf.flare100_counting", 160, 9)
    b = cv.run("fpf.flare100_counting", 160, 9)
    assert a == b
    with ProcessPoolExecutor(max_workers=2) as ex:
        c = cv.run("fpf.flare100_counting", 160, 9, executor=ex)
    assert c == a


def test_dask_localcluster_matches_serial():
    distributed = pytest.importorskip("distributed")
    serial = cv.run("dark_moments.binned_mu", 160, 4)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    try:
        with distributed.Client(cluster) as client:
            d = cv.run("dark_moments.binned_mu", 160, 4, executor=client.get_executor())
    finally:
        cluster.close()
    assert d == serial


def test_calibration_factor():
    r = {"analysis": "dune.mm_mu_on-axis", "limit_asymptotic": 10.0, "limit_neyman": 10.8}
    assert cv.calibration_factor(r) == 1.0                   # sqrt(1.08) = 1.039: within 5 %
    r["limit_neyman"] = 8.0
    assert cv.calibration_factor(r) == pytest.approx(math.sqrt(0.8), rel=1e-12)
    r2 = {"analysis": "fpf.flare100_counting", "limit_asymptotic": 2.0, "limit_neyman": 2.2}
    assert cv.calibration_factor(r2) == pytest.approx(1.1, rel=1e-12)
    r2["limit_fc_exact"] = 3.0                                # the exact FC limit wins
    assert cv.calibration_factor(r2) == pytest.approx(1.5, rel=1e-12)
    del r2["limit_fc_exact"]
    r2["limit_neyman"] = None
    assert cv.calibration_factor(r2) is None


def test_bad_input():
    with pytest.raises(NuemError, match="analysis='nope'"):
        cv.analysis("nope")
    with pytest.raises(NuemError, match="n_toys=5"):
        cv.run("fpf.flare100_counting", 5)
    with pytest.raises(NuemError, match="thetas must be >= 0"):
        cv.run("fpf.flare100_counting", 20, thetas=[-1.0])


def test_cli_list_and_json(capsys):
    import json
    from nuemcore.coverage.__main__ import main
    assert main(["--list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    chapters = {ln.split(".", 1)[0] for ln in lines}
    assert {"fpf", "dune", "dark_moments", "sterile_tmm", "solar_cevns"} <= chapters
    assert main(["--analysis", "fpf.flare10_counting", "--toys", "40", "--seed", "1",
                 "--executor", "serial", "--json", "--no-progress"]) == 0
    out = json.loads(capsys.readouterr().out)
    for k in ("analysis", "cl", "n_toys", "true_value", "coverage_asymptotic", "coverage_neyman",
              "limit_asymptotic", "limit_neyman", "executor", "workers", "seconds"):
        assert k in out
    assert out["limit_asymptotic"] == pytest.approx(-math.log(0.1), rel=1e-12)


def test_dipole_portal_factors_keys_and_values():
    f = cv.dipole_portal_factors(n_toys=200, seed=3)
    assert set(f) == set(cv.DIPOLE_PORTAL)
    # FPF: exact FC over classical, independent of the toys
    assert f["fpf:FLArE100"] == pytest.approx(cv.fc_upper_limit(1, 1.0) / 2.889720, rel=1e-5)
    # the fixed 5.32 rule is far stronger than a calibrated count of the same window
    assert f["dark_moments"] > 2.0
