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
    assert cl["pp normalisation A of the beta shape"].ratio == pytest.approx(1.0, abs=0.01)
    lo, hi = toolkit.chromium51_geometry_range()
    assert lo < 1.1e13 < hi
