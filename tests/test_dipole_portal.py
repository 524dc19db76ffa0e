"""The dipole-portal aggregator (nuemcore.analyses.dipole_portal): every chapter's curve for a
transition moment nu_alpha -> N, labelled; no physics of its own, so the tests check the
bookkeeping: shapes, positivity, ordering, labels, flavours, and that the numbers are the
chapters' own."""
from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nuemcore.analyses import dipole_portal as dp  # noqa: E402
from nuemcore.errors import NuemError, UnknownFlavourError  # noqa: E402

FLAVOURS = ("e", "mu", "tau")


def _get(b, prefix):
    """The one curve of ``b`` whose label starts with ``prefix`` (labels end with their CL rule)."""
    hits = [v for k, v in b.items() if k.startswith(prefix)]
    assert len(hits) == 1, (prefix, list(b))
    return hits[0]


@pytest.fixture(scope="module", params=FLAVOURS)
def flavour_bounds(request):
    return request.param, dp.bounds(request.param)


def test_curves_positive_ascending_and_shaped(flavour_bounds):
    fl, b = flavour_bounds
    assert b, fl
    for label, (m4, mu, kind) in b.items():
        assert kind in dp.KINDS, label
        assert m4.ndim == 1 and m4.size >= 3, label
        assert np.all(np.isfinite(m4)) and np.all(m4 > 0), label
        assert np.all(np.diff(m4) > 0), label
        assert np.all(np.isfinite(mu)) and np.all(mu > 0), label
        if kind == "allowed region":
            assert mu.shape == (2, m4.size), label
        else:
            assert mu.shape in ((m4.size,), (2, m4.size)), label
        if mu.ndim == 2:
            assert np.all(mu[0] <= mu[1]), label
        assert not m4.flags.writeable and not mu.flags.writeable


def test_labels_present_and_tagged(flavour_bounds):
    fl, b = flavour_bounds
    chap = dp.chapter_of(fl)
    prov = dp.provenance(fl)
    assert set(b) == set(chap) == set(prov)
    for label in b:
        # every label names its chapter and its status
        assert f"[{dp.CHAPTER_LABEL[chap[label]]};" in label
        assert any(s in label for s in ("data", "projection", "allowed region")), label
        assert chap[label] + "." in prov[label]           # the function called
    present = set(chap.values())
    assert {"sterile_tmm", "solar_cevns", "fpf"} <= present
    assert ("dune" in present) == (fl != "tau")
    assert ("dark_moments" in present) == (fl == "e")


def test_expected_curves_per_flavour():
    mu_labels = " ".join(dp.bounds("mu"))
    for name in ("COHERENT CsI", "COHERENT LAr", "CENNS-750", "XENON1T excess", "CE$\\nu$NS",
                 "LZ", "DUNE ND on-axis", "DUNE ND PRISM", "FLArE-100"):
        assert name in mu_labels
    e_labels = " ".join(dp.bounds("e"))
    for name in ("TEXONO", "51Cr", "XENONnT ER, pp", "DUNE ND on-axis"):
        assert name in e_labels
    assert "COHERENT" not in " ".join(dp.bounds("tau"))


def test_kinds_as_documented():
    b = dp.bounds("mu")
    kinds = {lab.split(" [")[0]: v[2] for lab, v in b.items()}
    assert kinds["COHERENT CsI"] == "current"
    assert kinds["CENNS-750"] == "projected"
    assert kinds["XENON1T excess"] == "allowed region"
    assert kinds["DUNE ND on-axis"] == "projected"
    assert kinds["FLArE-10"] == "projected"


def test_numbers_are_the_chapters_own():
    from nuemcore.analyses import dark_moments, solar_cevns, sterile_tmm

    b = dp.bounds("mu")
    g, y = sterile_tmm.limit_curves_effective()["COHERENT CsI"]
    m4, mu, _ = _get(b, "COHERENT CsI [sterile TMM; data;")
    ok = np.isfinite(y)
    np.testing.assert_array_equal(m4, g[ok])
    np.testing.assert_array_equal(mu, y[ok])
    lim = solar_cevns.dipole_limits_cevns(level=solar_cevns.DCHI2_90_1DOF)["mu"]
    m4, mu, _ = next(v for k, v in b.items() if "CE$\\nu$NS" in k)
    ok = (solar_cevns.M4_GRID > 0) & np.isfinite(lim)
    np.testing.assert_array_equal(mu, lim[ok])
    m, y = dark_moments.sterile_limit_curve("mu_nuN", rule=False)
    m4, mu, _ = _get(dp.bounds("e"), "XENONnT ER, pp [dark moments; data;")
    assert mu[0] == y[0] and m4[0] == m[0]
    # the paper convention returns the chapters' reproductions of each paper's rule
    m, y = dark_moments.sterile_limit_curve("mu_nuN")
    m4, mu, _ = _get(dp.bounds("e", "paper"), "XENONnT ER, pp [dark moments; data;")
    assert mu[0] == y[0] and m4[0] == m[0]
    lim = solar_cevns.dipole_limits_cevns()["mu"]
    m4, mu, _ = next(v for k, v in dp.bounds("mu", "paper").items() if "CE$\\nu$NS" in k)
    ok = (solar_cevns.M4_GRID > 0) & np.isfinite(lim)
    np.testing.assert_array_equal(mu, lim[ok])


def test_common_convention_labels_and_factors():
    from nuemcore.analyses import dark_moments

    for fl in FLAVOURS:
        for conv in dp.CONVENTIONS:
            for label in dp.bounds(fl, conv):
                assert label.count(";") == 2, label          # name [chapter; status; rule]
        # the paper's rules survive only in the paper convention
        common = " ".join(dp.bounds(fl))
        assert "5.32" not in common and "4.61" not in common.replace(
            "XENON1T excess [sterile TMM; allowed region; 2 dof $\\Delta\\chi^2$=4.61]", "")
    # dark moments: Poisson with the observed count instead of N <= 5.32
    a = dark_moments.active_limits()
    _, y_c, _ = _get(dp.bounds("e"), "XENONnT ER, pp")
    _, y_p, _ = _get(dp.bounds("e", "paper"), "XENONnT ER, pp")
    np.testing.assert_allclose(y_c / y_p, np.sqrt(a["s_up_counting"] / 5.32), rtol=1e-3, atol=0)
    assert 2.4 < y_c[0] / y_p[0] < 2.7
    # solar: 1 dof (2.71) is stronger than 2 dof (4.61) everywhere
    _, y_c, _ = _get(dp.bounds("mu"), "XENONnT $^8$B")
    _, y_p, _ = _get(dp.bounds("mu", "paper"), "XENONnT $^8$B")
    assert np.all(y_c < y_p)
    # the 1-dof curves (sterile TMM, DUNE) are the same in both conventions
    np.testing.assert_array_equal(_get(dp.bounds("mu"), "DUNE ND on-axis")[1],
                                  _get(dp.bounds("mu", "paper"), "DUNE ND on-axis")[1])
    # the envelope at 0.1 MeV for nu_e: the N <= 5.32 curve wins only under the paper rules
    assert "5.32" in dp.envelope("e", 0.1, convention="paper")[1][0]
    assert "dark moments" not in dp.envelope("e", 0.1)[1][0]
    with pytest.raises(NuemError, match="convention"):
        dp.bounds("e", "pdg")


def test_dune_low_mass_limit_tends_to_diagonal_bound():
    from nuemcore.analyses import dune

    m4, mu, _ = _get(dp.bounds("mu"), "DUNE ND on-axis [DUNE; projection;")
    assert mu[0] == pytest.approx(dune.bound("mm", "mu", "on-axis"), rel=0.02)


def test_fpf_band_closes_and_lower_edge_is_plateau():
    from nuemcore.analyses import fpf

    m4, mu, kind = _get(dp.bounds("mu", "paper"), "FLArE-100 [FPF; projection;")
    assert mu.shape[0] == 2
    assert mu[0][0] == pytest.approx(fpf.plateau("FLArE100", "mu"), rel=0.05)
    # common convention: Feldman-Cousins at the median count of this book's background
    # (2.07 events -> n = 2), the toy-calibrated limit for a few-event count
    from nuemcore import stats
    b = fpf.background("FLArE100", "strong")
    s_lim = stats.poisson_upper_limit(2, b, 0.9, method="fc")
    assert s_lim > fpf.signal_limit(b) * 1.05       # the classical limit over-covers: > 5 % apart
    m4, mu, kind = _get(dp.bounds("mu"), "FLArE-100 [FPF; projection;")
    assert mu[0][0] == pytest.approx(fpf.plateau("FLArE100", "mu", s_lim=s_lim), rel=0.05)
    # the band narrows towards its kinematic end
    assert mu[1][-1] / mu[0][-1] < mu[1][0] / mu[0][0]


@pytest.mark.parametrize("bad", ["sterile", "", "nu_x", None])
def test_flavour_errors(bad):
    with pytest.raises(UnknownFlavourError):
        dp.bounds(bad)
    with pytest.raises(NuemError):
        dp.provenance(bad)


def test_flavour_aliases():
    assert dp.bounds("nu_mu").keys() == dp.bounds("mu").keys()


def test_envelope_and_stronger_ranges():
    m = np.array([1e-2, 1.0, 100.0, 1e4])
    best, who = dp.envelope("mu", m, kinds=("current", "projected"))
    assert np.all(best[:3] > 0) and np.isinf(best[3]) and who[3] == ""
    # the envelope is never above any single curve it includes
    for label, (g, mu, kind) in dp.bounds("mu").items():
        if kind == "allowed region" or not g[0] <= 1.0 <= g[-1]:
            continue
        y = mu[0] if mu.ndim == 2 else mu
        at1 = np.exp(np.interp(0.0, np.log(g), np.log(y)))
        assert best[1] <= at1 * (1 + 1e-12), label
    # nothing but solar and FPF reaches nu_tau above the solar 8B kinematic end
    r = dp.stronger_ranges("tau", "fpf", ("current", "projected"))
    assert r and r[0][0] < 20.0 and r[-1][1] > 100.0
    # an enormous factor leaves only the masses no other current bound reaches at all (for nu_mu:
    # above COHERENT's and the solar bounds' kinematic ends, tens of MeV)
    r = dp.stronger_ranges("mu", "fpf", factor=1e30)
    assert len(r) == 1 and r[0][0] > 14.0
    assert dp.stronger_ranges("mu", "fpf", factor=1.0)[0][0] < r[0][0]


def test_plot_bounds_include_exclude():
    fig, ax = plt.subplots()
    drawn = dp.plot_bounds(ax, "mu", include=("dune", "fpf"))
    assert drawn and all(("DUNE" in d) or ("FPF" in d) for d in drawn)
    ax.cla()
    drawn = dp.plot_bounds(ax, "e", exclude=("fpf",), styles={"TEXONO [sterile TMM; data, Asimov "
                                                               "reconstr.; $\\Delta\\chi^2$=2.71]":
                                                               {"color": "k"}})
    assert not any("FPF" in d for d in drawn)
    assert {ln.get_label() for ln in ax.get_lines()} <= set(drawn)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    plt.close(fig)
    with pytest.raises(UnknownFlavourError):
        dp.plot_bounds(plt.gca(), "x")
    plt.close("all")
