"""Loader of the XENONnT 8B CEvNS release (and the third-party LZ / PandaX-4T ER tables)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nuemcore.data import path as data_path
from nuemcore.errors import NuemError
from nuemcore.experiments import lz_er, pandax4t_er
from nuemcore.experiments import xenonnt_b8 as XB


@pytest.mark.parametrize("sr,n", [("sr0", 9), ("sr1", 28), ("sr2", 25)])
def test_event_counts_and_binning(sr, n):
    r = XB.load(sr)
    assert r.events.shape == (n, 4)
    assert r.data.shape == (3, 3, 3, 3) and r.data.sum() == n
    assert all(e.size == 4 for e in r.edges)
    assert r.edges[0][0] == 90.0 and r.edges[0][-1] == 500.0
    assert r.mono.shape == (XB.MONO_ENERGIES_KEV.size, 3, 3, 3, 3)


def test_sr01_totals_match_release_numbers():
    b = {k: 0.0 for k in ("ac", "er", "neutron")}
    sig = 0.0
    for sr in ("sr0", "sr1"):
        r = XB.load(sr)
        for k, v in r.background_counts().items():
            b[k] += v.sum()
        sig += r.b8.sum() * r.exposure
    assert b["ac"] == pytest.approx(25.25, abs=0.01)
    assert b["er"] == pytest.approx(0.68, abs=0.01)
    assert b["neutron"] == pytest.approx(0.58, abs=0.01)
    assert sum(b.values()) == pytest.approx(26.5, abs=0.05)
    assert sig == pytest.approx(11.9, abs=0.05)
    assert XB.load("sr2").b8 is None


@pytest.mark.parametrize("E,vals", [(1.0, (0.0073, 0.0068, 0.0052)), (2.5, (0.107, 0.099, 0.102)),
                                    (3.5, (0.152, 0.141, 0.162)), (5.0, (0.121, 0.111, 0.164))])
def test_summed_mono_efficiency(E, vals):
    i = int(np.argmin(abs(XB.MONO_ENERGIES_KEV - E)))
    for sr, v in zip(XB.SCIENCE_RUNS, vals):
        assert XB.load(sr).efficiency()[i] == pytest.approx(v, rel=0.03)


def test_third_party_efficiency_is_exposure_weighted_mono_sum():
    t = np.loadtxt(data_path("xenonnt_b8_cevns/derived_snudd_xnt_efficiency.csv"), delimiter=",",
                   skiprows=1)
    w = np.array([XB.EXPOSURE_T_YR[s] for s in XB.SCIENCE_RUNS])
    eff = sum(wi * XB.load(s).efficiency() for wi, s in zip(w, XB.SCIENCE_RUNS)) / w.sum()
    ours = np.interp(t[:, 0], XB.MONO_ENERGIES_KEV, eff)
    sel = (t[:, 0] >= 0.5) & (t[:, 0] <= 5.0)
    assert np.allclose(ours[sel], t[sel, 1], rtol=1e-3, atol=1e-6)


def test_charge_yield_values():
    q = XB.charge_yield([0.5, 1.0, 2.0, 3.0, 5.0])
    assert np.allclose(q, [4.75, 6.18, 6.42, 6.31, 6.00], atol=0.01)
    assert XB.charge_yield(0.1) == 0.0
    assert np.all(XB.charge_yield(1.0, "lower") < XB.charge_yield(1.0) )
    assert np.all(XB.charge_yield(1.0) < XB.charge_yield(1.0, "upper"))
    with pytest.raises(NuemError):
        XB.charge_yield(1.0, "middle")


@settings(max_examples=40, deadline=None)
@given(st.floats(0.35, 9.5))
def test_pe_mapping_inverts(E):
    assert XB.energy_for_pe(XB.n_pe(E)) == pytest.approx(E, rel=1e-3)


def test_pe_threshold_energy():
    # 90 PE with g2 = 16.9 and the median Qy: about 0.88 keV_NR
    assert XB.energy_for_pe(90.0) == pytest.approx(0.88, abs=0.02)


def test_bad_run():
    with pytest.raises(NuemError):
        XB.load("sr3")


def test_third_party_er_tables():
    lz = lz_er.load("WS2022")
    assert lz.observed.sum() == 471
    assert lz.background.sum() == pytest.approx(463.4, abs=1.0)
    assert "third-party" in lz.label
    assert 0 < lz.efficiency(5.0) <= 1
    with pytest.raises(NuemError):
        lz_er.load("WS2030")
    px = pandax4t_er.load()
    assert px.observed.sum() == pytest.approx(1430, abs=5)
    assert "third-party" in px.label
    E, eff = pandax4t_er.b8_nr_efficiency()
    assert E.min() > 0.6 and np.all(eff >= 0)


@pytest.mark.parametrize("sr", ["sr0", "sr1", "sr2"])
def test_yield_variants(sr):
    """All 49 (tly, tqy) variants load; the nominal node is the nominal template; +-1 sigma in
    either yield moves the summed efficiency at 2.5 keV_NR by 3-40 % (YIELD_VARIANTS.md: ~15 %)."""
    M = XB.mono_variants(sr)
    N = XB.neutron_variants(sr)
    assert M.shape == (7, 7, XB.MONO_ENERGIES_KEV.size, 3, 3, 3, 3) and N.shape == (7, 7, 3, 3, 3, 3)
    r = XB.load(sr)
    assert np.array_equal(M[3, 3], r.mono) and np.array_equal(N[3, 3], r.neutron)
    i = int(np.argmin(abs(XB.MONO_ENERGIES_KEV - 2.5)))
    e = M[:, :, i].reshape(7, 7, -1).sum(axis=-1)
    for rel in (e[2, 3] / e[3, 3], e[4, 3] / e[3, 3], e[3, 2] / e[3, 3], e[3, 4] / e[3, 3]):
        assert 0.03 < abs(rel - 1) < 0.4
    assert e[4, 3] > e[3, 3] > e[2, 3]           # more light yield, more efficiency
    assert np.all(M >= 0) and np.all(N >= 0)


def test_yield_variant_bad_input():
    with pytest.raises(NuemError, match="tly"):
        XB.mono_template("sr0", 1.0, tly=0.5)
    with pytest.raises(NuemError, match="tqy"):
        XB.neutron_template("sr0", tqy=4.0)
    with pytest.raises(NuemError, match="E_keV"):
        XB.mono_template("sr0", 0.45)
