"""Tests of the paper-003 experiment modules: XENON1T, COHERENT, TEXONO (reconstruction), 51Cr."""
import math

import numpy as np
import pytest

from nuemcore.experiments import chromium51 as cr
from nuemcore.experiments import coherent as co
from nuemcore.experiments import texono as tx
from nuemcore.experiments import xenon1t as x1t
from nuemcore.errors import NuemError


# ----------------------------------------------------------------------------- XENON1T
def test_xenon1t_data():
    d = x1t.load()
    assert d.counts.size == 29 and d.counts.sum() == 1261
    assert d.exposure_t_yr == pytest.approx(0.6473, rel=1e-3)
    assert d.counts[:6].sum() == 285                 # 1-7 keV
    assert np.allclose(d.sigma, np.sqrt(d.counts), rtol=1e-6)
    assert 1150 < d.b0.sum() < 1350


def test_xenon1t_response_bounds():
    R = x1t.response()
    T = np.asarray(x1t.true_grid())
    flat = R @ np.ones(T.size)                       # flat spectrum 1/MeV -> <= bin width x eff
    assert np.all(flat <= 1e-3 * (1 + 1e-6))
    assert flat[10] == pytest.approx(1e-3 * x1t.efficiency(11.5), rel=0.02)
    assert x1t.sigma_keV(4.0) == pytest.approx(0.310 * 2 + 0.0037 * 4)


def test_xenon1t_signal_physics():
    u0 = x1t.unit_counts(0.001)
    assert u0["nu_e"].sum() > u0["nu_mu"].sum() > 0        # more nu_e than nu_mu at Earth
    assert u0["nu_mu"].sum() == pytest.approx(u0["nu_tau"].sum(), rel=1e-9)
    tot_flav = sum(u0[k].sum() for k in ("nu_e", "nu_mu", "nu_tau"))
    tot_mass = sum(u0[k].sum() for k in ("m1", "m2", "m3"))
    assert tot_mass == pytest.approx(tot_flav, rel=1e-3)   # unitarity of P_ei
    assert x1t.unit_counts(5.0)["nu_e"].sum() == 0.0        # beyond the 8B/hep kinematic reach
    c = x1t.chi2(np.array([np.zeros(29), (4e-11) ** 2 * u0["nu_mu"]]))
    assert c[1] < c[0]                                       # the excess prefers a signal


# ----------------------------------------------------------------------------- COHERENT
def test_csi_data_and_background():
    d = co.load_csi2017()
    assert d.observed.size == 12 and d.observed.sum() == 142
    assert d.steady_state.sum() == 405
    assert 10 < d.prompt_neutrons.sum() < 15
    assert co.csi_acceptance(4.9) == 0.0
    assert co.csi_acceptance(5.5) == pytest.approx(0.5 * 0.6655 / (1 + math.exp(-0.4942 * (5.5 - 10.8507))))
    T = np.linspace(1e-3, 0.06, 100)
    assert np.all(np.diff(co.csi_mean_PE(T)) > 0)


def test_lar_inputs():
    d = co.load_lar2020()
    assert np.allclose(d.pbrn + d.lbrn, d.brn_bestfit, rtol=0.02, atol=0.3)
    sm = sum(co.sm_counts("lar").values()).sum()
    assert sm == pytest.approx(co.LAR_PREDICTED_CEVNS, rel=0.05)   # COHERENT predicted 128
    assert co.lar_quenched_keVee(0.1) == pytest.approx(100 * (0.246 + 0.078))


def test_coherent_dipole_kinematics():
    u = co.mm_unit_counts("lar", 60.0)
    assert all(v.sum() == 0 for v in u.values())            # m4 above m_mu/2
    u = co.mm_unit_counts("lar", 35.0)
    assert u["nu_mu"].sum() == 0 and u["nu_e"].sum() > 0     # prompt 29.8 MeV line closed
    sm = sum(co.sm_counts("csi").values())
    assert co.chi2_csi(sm + 1e-16 * co.mm_unit_counts("csi", 0.01)["nu_mu"]) > co.chi2_csi(sm) + 10
    with pytest.raises(NuemError):
        co.setup("nai")


def test_shared_xsec_matches_rate_engine():
    # the CEvNS unit spectra use the core's one-evaluation path (flavour_blind=True)
    from nuemcore.rates import RateEngine
    from nuemcore.xsec import nucleus as xn
    s = co.setup("lar")
    eng = RateEngine(s.flux, s.T, 37202.0, species=s.species)
    xs = lambda sp, E, T: xn.sm(E, T, 18, 22, mass=37202.0)
    a = eng.spectrum_by_species(xs, flavour_blind=True)
    b = eng.spectrum_by_species(xs)
    for k in s.species:
        assert np.allclose(a[k], b[k], rtol=1e-12, atol=0)


# ----------------------------------------------------------------------------- TEXONO
def test_texono_reconstruction_calibration():
    k, lim1 = tx.calibration()
    assert lim1 == pytest.approx(2.2e-10, rel=0.05)
    assert 0.8 < k < 1.3
    assert tx.limit(1e-6, k) == pytest.approx(2.2e-10, rel=1e-3, abs=0)
    assert tx.limit(3.0, k) == np.inf                       # nubar e -> N e closed


def test_texono_limit_independent_of_flux_normalisation():
    sm, u = tx.sm_rate(), tx.mm_unit_rate(1e-6)
    N, sig = tx.asimov_data()
    x = np.array([0.0, 1e-20, 4e-20])
    c1 = tx.chi2(sm[None, :] + x[:, None] * u[None, :])
    # scaling the flux scales data, prediction and (relative) errors together
    w = 3.0
    P = w * (sm[None, :] + x[:, None] * u[None, :])
    Nw, sw = w * N, w * sig
    r = Nw - P
    A = np.sum(P * P / sw ** 2, axis=-1) + 1 / tx.SIGMA_SYS ** 2
    a = np.sum(P * r / sw ** 2, axis=-1) / A
    c2 = np.sum((r - a[:, None] * P) ** 2 / sw ** 2, axis=-1) + a * a / tx.SIGMA_SYS ** 2
    assert np.allclose(c1, c2, rtol=1e-10, atol=0)


# ----------------------------------------------------------------------------- 51Cr
def test_cr51_masses_and_flux():
    for m, kg in cr.PAPER_MASS_KG.items():
        assert cr.mass_kg(m) == pytest.approx(kg, rel=0.005)
    assert cr.flux_estimate() == pytest.approx(1.27e13, rel=0.01)
    assert cr.lxe_mass_t() == pytest.approx(6.1, rel=0.01)
    with pytest.raises(NuemError):
        cr.mass_kg("NaI")


def test_cr51_kinematic_edges():
    assert cr.cevns_mm_unit_counts("Ge", 0.76).sum() == 0.0
    assert cr.cevns_mm_unit_counts("Ge", 0.3).sum() > 0.0
    assert cr.lxe_mm_unit_counts("A", 0.51).sum() == 0.0
    assert cr.lxe_mm_unit_counts("A", 0.45).sum() > 0.0


def test_cr51_chi2_eq27():
    sm = cr.lxe_sm_counts("C")
    assert cr.chi2_eq27(sm, sm) == pytest.approx(0.0, abs=1e-12)
    # a pure normalisation change is absorbed by the 20 % pull: a = -1/6, chi2 -> (1/6 / 0.2)^2
    big = 1e9 * sm
    assert cr.chi2_eq27(big, 1.2 * big) == pytest.approx((1 / 6 / 0.2) ** 2, rel=1e-4)
    assert cr.lxe_sm_counts("C").sum() == pytest.approx(2 * cr.lxe_sm_counts("B").sum(), rel=1e-12)
