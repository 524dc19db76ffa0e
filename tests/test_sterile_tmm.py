"""Tests of nuemcore.analyses.sterile_tmm (paper 003 formalism, lambda basis, widget)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as hst

from nuemcore import oscillation as osc
from nuemcore.analyses import sterile_tmm as st
from nuemcore.errors import NuemError


def test_lambda_matrix_antisymmetric():
    lam = st.lambda_matrix({"12": 1.0, "14": 2.0, "34": 0.5}, {"14": 0.3})
    assert np.allclose(lam, -lam.T)
    assert lam[0, 3] == pytest.approx(2.0 * np.exp(0.3j))
    with pytest.raises(NuemError):
        st.lambda_matrix({"41": 1.0})


@settings(max_examples=30, deadline=None)
@given(t12=hst.floats(0.1, 1.4), t13=hst.floats(0.0, 1.0), t14=hst.floats(0.0, 1.0))
def test_eq7_single_lambda14(t12, t13, t14):
    """mu_e^2 for lambda_14 alone = c12^2 c13^2 c14^2 + s14^2 (eq. 7, Table I)."""
    U = st.mixing(theta12=t12, theta13=t13, theta14=t14)
    lam = st.lambda_matrix({"14": 1.0})
    expect = math.cos(t12) ** 2 * math.cos(t13) ** 2 * math.cos(t14) ** 2 + math.sin(t14) ** 2
    assert st.mu_eff_sq(lam, U, "e") == pytest.approx(expect, rel=1e-12, abs=0)


def test_tables_agree_up_to_lambda13_sign():
    """Default ordering R34 R24 R14 R23 R13 R12: all 42 entries after lambda_13 -> -lambda_13,
    and without the flip exactly the 8 lambda_13 cross terms differ."""
    m = st.match_tables(osc.DEFAULT_ORDER_3P1, lambda13_sign=-1.0)
    assert all(v < 1e-9 for a in m for v in m[a].values())
    m0 = st.match_tables(osc.DEFAULT_ORDER_3P1)
    bad = sorted((a, k) for a in m0 for k, v in m0[a].items() if v > 1e-9)
    assert len(bad) == 8
    assert all("13" in k.split(",") and "," in k for _, k in bad)


def test_wrong_ordering_fails():
    """The test can fail: the PDG-like ordering R12 R13 R23 ... does not reproduce Table II."""
    m = st.match_tables(("12", "13", "23", "14", "24", "34"), lambda13_sign=-1.0)
    assert sum(v > 1e-9 for v in m["mu"].values()) > 3


def test_coefficients_are_quadratic_form():
    """mu^2 = sum of the table terms for a random lambda (term-by-term reconstruction)."""
    rng = np.random.default_rng(1)
    mods = dict(zip(st.PAIRS, rng.uniform(0.1, 1.0, 6)))
    z = dict(zip(st.PAIRS, rng.uniform(0, 2 * np.pi, 6)))
    U = st.mixing(theta14=0.2, theta24=0.3, theta34=0.1, delta=1.0, delta14=0.5)
    for a in ("e", "mu"):
        c = st.coefficient_table(U, a, z)
        total = sum(c[p] * mods[p] ** 2 for p in st.PAIRS)
        total += sum(c[k] * mods[k[:2]] * mods[k[3:]] for k in c if "," in k)
        assert total == pytest.approx(st.mu_eff_sq(st.lambda_matrix(mods, z), U, a), rel=1e-12)


def test_small_mixing_limits():
    assert np.allclose(st.eq9(), st.small_mixing_coefficients("e"), rtol=1e-12, atol=0)
    for d in (0.0, 1.0, osc.DELTA_CP):
        assert np.allclose(st.eq10(d), st.small_mixing_coefficients("mu", delta=d), rtol=1e-10, atol=0)


def test_phases_and_solar():
    ps = st.phase_scan(np.linspace(0, 2 * np.pi, 9))
    assert np.ptp(ps["solar"]) < 1e-12          # eq. 5 is incoherent
    assert ps["e"].max() / ps["e"].min() > 10    # phases matter at short baseline
    assert np.all(ps["e"] >= 0) and np.all(ps["mu"] >= 0)


def test_widget_update_scaling():
    r1 = st.widget_update(lam14=1e-11)
    r2 = st.widget_update(lam14=2e-11)
    assert r2["mu_e"] == pytest.approx(2 * r1["mu_e"], rel=1e-12, abs=0)
    assert r2["mu_mu"] == pytest.approx(2 * r1["mu_mu"], rel=1e-12, abs=0)
    assert r1["mu_e"] == pytest.approx(1e-11 * math.sqrt(st.eq9()[0]), rel=1e-9, abs=0)
    assert set(r1["ratio"]) == set(r1["limits"])


def test_interference_couplings_vanish_without_mixing():
    c = st.interference_couplings(0.0)
    assert c["c_V"] == 0.0 and c["c_A"] == 0.0
    c = st.interference_couplings(0.3)
    # weak nu_e -> nu_4 amplitude U*_e4 (1 + g_{V,A}): the ratio of the nu_e couplings of the core
    from nuemcore.xsec.electron import couplings
    gV, gA = couplings("e", 0.2312)
    assert c["c_V"] > 0 and c["c_A"] / c["c_V"] == pytest.approx(gA / gV, rel=1e-12)
    lit = st.interference_couplings(0.3, footnote5_literal=True)
    assert lit["c_A"] == pytest.approx(3 * c["c_A"], rel=1e-12) and lit["c_V"] == c["c_V"]


def test_interference_ratio_forms():
    # the printed eq. 20 is the O(m4) truncation: same ratio at small m4, different at 0.3 MeV
    assert st.interference_ratio(m4=0.01) == pytest.approx(st.interference_ratio(m4=0.01, form="printed"),
                                                             rel=0.01)
    ex, pr, lit = (st.interference_ratio(form=f) for f in st.INTERFERENCE_FORMS)
    assert abs(ex - pr) > 0.1 and lit > 1.0
    # interference ~ lambda, dipole ~ lambda^2
    assert st.interference_ratio(lam=2e-11) == pytest.approx(ex / 2, rel=1e-10)
    with pytest.raises(NuemError):
        st.interference_ratio(form="bogus")


def test_mass_reach_formulae():
    from nuemcore import constants as C
    from nuemcore.kinematics import recoil_max
    for E in (0.752, 10.0):
        m = st.max_m4_electron(E)
        assert recoil_max(E, C.m_e, 0.99 * m) > 0
        assert recoil_max(E, C.m_e, 1.01 * m) == 0


def test_upper_limit_helper():
    """Gaussian toy: chi2 = (x - 0)^2 / s^2 with x = mu^2 gives mu = sqrt(1.645 s)."""
    s = 1e-20
    lim = st._upper_limit(lambda x: (x / s) ** 2, np.ones(1), x_max=1e-19, n=4000)
    assert lim == pytest.approx(math.sqrt(math.sqrt(st.LEVEL_1DOF) * s), rel=2e-3, abs=0)


# ------------------------------------------------------------------ 51Cr mass reach, claims (issue 13.14)
def test_cr_kinematic_reach_8eV():
    from nuemcore.kinematics import recoil_max
    from nuemcore import nuclear

    ge = st.cr_kinematic_reach("Ge")["Ge"]
    assert 0.69 < ge < 0.70                                   # germanium cannot reach 0.75 MeV
    M = nuclear.nucleus("Ge").mass
    assert float(recoil_max(0.752, M, ge)) == pytest.approx(8e-6, rel=1e-6, abs=0)
    for m, sym in (("Si", "Si"), ("Al2O3", "O"), ("Al2O3", "Al"), ("CaWO4", "Ca")):
        assert 0.7515 < st.cr_kinematic_reach(m)[sym] < 0.752
    assert st.cr_kinematic_reach("CaWO4")["W"] == 0.0         # 2 E^2/M_W < 8 eV: no recoil above threshold
    assert st.max_m4_electron(0.752) == pytest.approx(0.5037, abs=1e-4)


def test_sterile_claims_status_anchor_headline():
    cl = {c.key: c for c in st.claims()}
    assert all(c.status for c in cl.values())
    assert all(c.anchor.startswith("sterile-tmm-") for c in cl.values())
    assert 3 <= sum(c.headline for c in cl.values()) <= 6
    for c in cl.values():
        if c.status == "reproduced":
            o, p = np.atleast_1d(c.ours), np.atleast_1d(c.paper)
            assert np.all(np.abs(o / p - 1) <= st.TOLERANCE), c.key
    r = cl["51Cr CEvNS mass reach (kinematic end, 8 eV threshold, best target)"]
    assert r.status == "reproduced" and "Ge (Ge) 0.69" in r.note
    lxe = cl["51Cr-LXe C mass reach (kinematic end)"]
    assert lxe.status == "explained" and lxe.ours < 0.51 and lxe.evidence


# ------------------------------------------------------------------ explorer (issue 10)
def test_explorer_registered_and_small():
    from nuemcore import explorer as X

    ex = X.registry()["sterile_tmm"]
    assert ex is st.EXPLORERS["sterile_tmm"]
    assert [c.name for c in ex.static_controls] == ["lam14_log10", "phi_pi"]
    assert all(10 <= len(c.values) <= 30 for c in ex.static_controls)
    # every live-only control's default is what explorer_values assumes
    for c in ex.controls:
        if not c.static:
            assert c.default == st.EXPLORER_LIVE_DEFAULTS[c.name]
            assert c.default in c.live
    assert len(X.static(ex).html()) < 1_000_000        # embedded JSON under 1 MB


def test_explorer_values_equal_widget_update_and_curves():
    out = st.explorer_values(lam14_log10=-10.5, phi_pi=0.25)
    lam = 10 ** -10.5
    r = st.widget_update(lam14=lam, lam24=lam, zeta24=0.25 * math.pi)
    curves = st.limit_curves_effective()
    for k, f in st.EXPLORER_EXPERIMENTS.items():
        g, y = out["traces"][k]
        g0, lim = curves[k]
        assert np.array_equal(g, g0)
        ok = np.isfinite(lim)
        mu = r["mu_e"] if f == "e" else r["mu_mu"]
        assert np.allclose(y[ok], mu / lim[ok], rtol=1e-12, atol=0)
        assert np.all(y[~ok] == 0.0)                   # N cannot be produced: a gap on the plot
    ro = list(out["readouts"].values())
    assert ro[:3] == pytest.approx([r["mu_e"], r["mu_mu"], r["mu_solar"]], rel=1e-12, abs=0)
    assert ro[3] == sum(v >= 1 for v in r["ratio"].values())
    assert "1e-10.5" in out["title"] and "0.25π" in out["title"]


def test_explorer_phase_hides_nu_e_but_not_the_sun():
    """|lambda_14| = |lambda_24| = lambda, no active-sterile mixing: at zeta_24 - zeta_14 = pi only
    column j = 4 of eq. 4 survives, mu_e = lambda |U_e1 - U_e2|; the solar moment (eq. 5,
    incoherent) does not move."""
    a = st.explorer_values(phi_pi=0.0)["readouts"]
    b = st.explorer_values(phi_pi=1.0)["readouts"]
    U = st.mixing(delta=osc.DELTA_CP)
    lam = 1e-11
    mu_e_pi = lam * abs(U[0, 0] - U[0, 1])
    assert b["μ_νe [μB]"] == pytest.approx(mu_e_pi, rel=1e-9, abs=0)
    assert b["μ_νe [μB]"] < 0.25 * a["μ_νe [μB]"]
    assert b["solar moment, eq. 5 [μB]"] == pytest.approx(a["solar moment, eq. 5 [μB]"], rel=1e-12,
                                                          abs=0)


def test_explorer_bad_input_names_argument():
    with pytest.raises(NuemError, match="phi_pi"):
        st.explorer_values(phi_pi=3.0)
    with pytest.raises(NuemError, match="lam24_rel"):
        st.explorer_values(lam24_rel=-1.0)


# ------------------------------------------------------------------ exercises (issue 12)
def test_exercise_reach_against_root_finding_and_closed_form():
    """stmm-ex-reach: the threshold reach equals the root of recoil_max(E, M, m4) = T_th
    (cr_kinematic_reach, brentq on the exact window); below T* it is the production threshold."""
    from nuemcore import nuclear
    from nuemcore.kinematics import m4_max

    r = st.exercise_1(thresholds_eV=(8.0, 30.0), targets=("Si", "Ge", "W"))
    for th in (8.0, 30.0):
        for sym, mat in (("Si", "Si"), ("Ge", "Ge")):
            ref = st.cr_kinematic_reach(mat, threshold=th * 1e-6)[sym]
            assert r[sym][th] == pytest.approx(ref, rel=1e-6, abs=1e-9)
    assert r["W"][8.0] == 0.0 and r["Ge"][30.0] == 0.0
    # T* maximises m4_max(E, T): the production threshold sqrt(M^2 + 2 M E) - M
    for sym in ("Si", "Ge", "W"):
        M = nuclear.nucleus(sym).mass
        t = st.optimal_recoil(0.752, M)
        top = st.max_m4_nucleus(0.752, M)
        assert float(m4_max(0.752, t, M)) == pytest.approx(top, rel=1e-9, abs=0)
        assert float(m4_max(0.752, 0.9 * t, M)) < top and float(m4_max(0.752, 1.1 * t, M)) < top
        assert r[sym]["T*_eV"] == pytest.approx(1e6 * 0.752**2 / (2 * M), rel=0.01, abs=0)
    assert r["Si"][8.0] == pytest.approx(st.max_m4_nucleus(0.752, nuclear.nucleus("Si").mass),
                                         rel=1e-12, abs=0)
    with pytest.raises(NuemError):
        st.optimal_recoil(-1.0, 1.0)


def test_exercise_mueff_three_ways():
    """stmm-ex-mueff: matrix, our eq. 6 coefficients and the printed Tables I-II agree (no
    lambda_13); the printed table differs once lambda_13 interferes."""
    r = st.exercise_2()
    for a in ("e", "mu"):
        assert r[f"mu_{a}_table"] == pytest.approx(r[f"mu_{a}"], rel=1e-12, abs=0)
        assert r[f"mu_{a}_paper_table"] == pytest.approx(r[f"mu_{a}"], rel=1e-9, abs=0)
    # hand value for nu_e: theta14 = 0.1, column j = 4 and column j = 1, 2 via U_e4
    U = st.mixing(theta14=st.EX2_THETA14, delta=osc.DELTA_CP)
    lam = st.lambda_matrix(st.EX2_MODULI, st.EX2_PHASES)
    by_hand = sum(abs(sum(np.conj(U[0, i]) * lam[i, j] for i in range(4))) ** 2 for j in range(4))
    assert r["mu_e"] == pytest.approx(math.sqrt(by_hand), rel=1e-12, abs=0)
    bad = st.exercise_2(moduli={"13": 1e-11, "14": 2e-11}, phases={})
    assert abs(bad["mu_e_paper_table"] / bad["mu_e"] - 1) > 1e-3
    assert r["ratio"]["51Cr-LXe C"] > 1 > r["ratio"]["TEXONO"]


def test_exercise_threshold_limits():
    """stmm-ex-threshold: at 1 keV all bins are kept, so the limit is the chapter's; raising the
    threshold loses signal faster than SM and weakens the limit."""
    rows = st.exercise_3()
    assert rows[0]["limit"] == pytest.approx(st.cr_lxe_limit("C", st.WIDGET_M4), rel=1e-12, abs=0)
    lims = [r["limit"] for r in rows]
    sob = [r["s_over_b"] for r in rows]
    assert all(a < b for a, b in zip(lims, lims[1:]))
    assert all(a > b for a, b in zip(sob, sob[1:]))
    sig = rows[0]["signal"] / rows[3]["signal"]
    sm = rows[0]["sm"] / rows[3]["sm"]
    assert sig > 4 and sm < 1.3
    with pytest.raises(NuemError):
        st.exercise_3(thresholds_keV=(700.0,))
