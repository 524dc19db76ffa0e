"""The toolkit chapter's compositions: explorer curves, the solar ER example, claims."""
import numpy as np
import pytest

from nuemcore.analyses import toolkit


@pytest.mark.parametrize("target", ["electron", "Xe"])
@pytest.mark.parametrize("prop", list(toolkit.PROPERTIES))
def test_explorer_curves_finite_and_bsm_adds(target, prop):
    T, sm, bsm = toolkit.widget_update(target, prop, -10.0 if prop != "charge radius" else -32.0,
                                       10.0, 1.0)
    assert np.all(np.isfinite(sm)) and np.all(np.isfinite(bsm))
    assert np.all(sm >= 0) and np.all(bsm >= 0)
    if prop in ("magnetic moment", "dipole portal"):
        # incoherent photon terms only add
        assert np.all(bsm >= sm) and np.any(bsm > sm)


def test_unknown_property_raises():
    with pytest.raises(ValueError, match="unknown property"):
        toolkit.widget_update("electron", "electric dipole")


def test_solar_er_response_conserves_counts_in_the_bulk():
    er = toolkit.xenon_solar_er(mu=1e-11)
    # a Gaussian of sigma < 1 keV moves few events across the 1-30 keV window on a flat spectrum
    assert er["obs_sm"].sum() == pytest.approx(er["true_sm_bins"].sum(), rel=0.03)
    # the magnetic moment rises towards low energy, the SM does not
    assert er["obs_mm"][0] > 2 * er["obs_mm"][-1]
    assert er["obs_sm"][0] < 1.2 * er["obs_sm"][-1]


def test_claims_are_live_and_close():
    cl = {c.key: c for c in toolkit.claims()}
    assert cl["pp flux: beta-shape constant A"].ratio == pytest.approx(1.0, abs=0.01)
    lo, hi = toolkit.chromium51_geometry_range()
    assert lo < 1.1e13 < hi


# --- gallery -----------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["electron", "Xe"])
def test_gallery_curves_are_the_library_values(target):
    """Each gallery curve is SM + the property at its benchmark value, straight from the library."""
    from nuemcore import constants as C
    from nuemcore.xsec import electron as xe

    T, sm, curves = toolkit.gallery_curves(target, 10.0)
    assert set(curves) == set(toolkit.PROPERTIES)
    if target == "electron":
        assert np.allclose(sm, xe.sm(10.0, T, "e"), rtol=1e-12, atol=0)
        mm = xe.magnetic_moment(10.0, T, toolkit.BENCH["mu"])
        assert np.allclose(curves["magnetic moment"], sm + mm, rtol=1e-12, atol=0)
        assert T[-1] == pytest.approx(2 * 100.0 / (C.m_e + 20.0), rel=1e-12, abs=0)
    # the charge radius changes the SM by a few per cent (hidden on a log scale: the figure's
    # lower panels show the relative change); every other property changes it by far more
    ok = sm > 0   # the nuclear SM vanishes at the last point (T = T_max)
    assert ok.sum() >= len(T) - 1
    cr = curves["charge radius"][ok] / sm[ok] - 1
    assert 0.01 < np.min(cr) and np.max(cr) < 0.1
    assert np.max(np.abs(curves["magnetic moment"][ok] / sm[ok] - 1)) > 10


# --- exercises ---------------------------------------------------------------------------------
def test_exercise_1_tmax_is_the_closed_form():
    """T_max = 2E^2/(M + 2E) for a massless neutrino; keV on xenon, MeV on an electron."""
    from nuemcore import nuclear

    got = toolkit.exercise_1(10.0, ("electron", "Xe", "Ar"))
    for target, row in got.items():
        M = row["mass"]
        assert row["T_max"] == pytest.approx(2 * 100.0 / (M + 20.0), rel=1e-12, abs=0)
    assert got["Xe"]["mass"] == nuclear.nucleus("Xe").mass
    # the numbers the solution prints
    assert f"{got['electron']['T_max']:.3g}" == "9.75"
    assert f"{got['Xe']['T_max'] * 1e3:.3g}" == "1.64"
    # heavy target: T_max ~ 2E^2/M to O(E/M)
    assert got["Xe"]["T_max"] == pytest.approx(200.0 / got["Xe"]["mass"], rel=2e-4)


def test_exercise_1_rejects_bad_energy():
    from nuemcore.errors import NuemError

    with pytest.raises(NuemError, match="E_nu=-1"):
        toolkit.exercise_1(-1.0)


def test_exercise_2_magnetic_moment_integral_is_the_logarithm():
    """sigma_mu(T > T_th) = pi alpha^2 mu^2/m_e^2 [ln(T_max/T_th) - (T_max - T_th)/E] (cm^2)."""
    from nuemcore import constants as C

    E, mu = 0.862, 1e-11
    rows = toolkit.exercise_2(E, mu, (1.0, 10.0, 100.0))
    t_max = 2 * E * E / (C.m_e + 2 * E)
    for r in rows:
        closed = (np.pi * C.alpha**2 * mu**2 / C.m_e**2
                  * (np.log(t_max / r["T_th"]) - (t_max - r["T_th"]) / E))
        assert r["sigma_mu"] == pytest.approx(C.to_cm2(closed), rel=1e-9, abs=0)
    # lowering the threshold 100x raises the magnetic-moment share: it grows like ln(1/T_th)
    # while the SM part (flat in T) hardly changes
    ratios = [r["ratio"] for r in rows]
    assert ratios[0] > 3 * ratios[2]
    assert rows[0]["sigma_sm"] < 1.25 * rows[2]["sigma_sm"]


def test_exercise_2_sm_integral_against_quad():
    from scipy.integrate import quad

    from nuemcore.xsec import electron as xe

    E = 0.862
    r = toolkit.exercise_2(E, 1e-11, (10.0,))[0]
    t_max = 2 * E * E / (0.51099895069 + 2 * E)
    ref, _ = quad(lambda T: xe.sm(E, T, "e"), r["T_th"], t_max, epsrel=1e-12)
    assert r["sigma_sm"] == pytest.approx(ref, rel=1e-9, abs=0)


def test_exercise_2_rejects_threshold_above_tmax():
    from nuemcore.errors import NuemError

    with pytest.raises(NuemError, match="thresholds_keV entry 900"):
        toolkit.exercise_2(0.862, 1e-11, (900.0,))


def test_exercise_3_dipole_portal_tends_to_magnetic_moment():
    """The m4 terms of paper 000 eq. 5, divided by 1/T - 1/E, give the relative difference; it
    falls like m4^2 and the lower window edge like m4^4."""
    from nuemcore import constants as C

    E, T = 10.0, 1.0
    me = C.m_e
    rows = toolkit.exercise_3(E, T, (0.1, 0.01, 0.001))
    for r in rows:
        m4 = r["m4"]
        extra = (m4**2 * (T - 2 * E - me) / (4 * E**2 * T * me)
                 + m4**4 * (T - me) / (8 * E**2 * T**2 * me**2))
        assert r["rel"] == pytest.approx(extra / (1 / T - 1 / E), rel=1e-6, abs=0)
    assert rows[0]["rel"] / rows[1]["rel"] == pytest.approx(100.0, rel=1e-3)
    assert rows[1]["t_min"] / rows[2]["t_min"] == pytest.approx(1e4, rel=1e-3)
    # the printed leading coefficient rel/m4^2 = (T - 2E - m_e) / (4 E m_e (E - T))
    lead = (T - 2 * E - me) / (4 * E * me * (E - T))
    assert rows[2]["rel"] / 0.001**2 == pytest.approx(lead, rel=1e-5, abs=0)


def test_exercise_3_rejects_recoil_outside_window():
    from nuemcore.errors import NuemError

    with pytest.raises(NuemError, match="T=20"):
        toolkit.exercise_3(10.0, 20.0)
