"""Tests of the XENONnT ER 2022 loader and response (numbers from the release's PROVENANCE)."""
import numpy as np
import pytest

from nuemcore.experiments import xenonnt_er as X


def test_release_contents():
    d = X.load()
    assert d.n_events == 433 and d.observed() == 433
    assert d.events.min() == pytest.approx(1.70, abs=0.01)
    assert d.events.max() == pytest.approx(29.98, abs=0.01)
    _, obs, b = d.binned()
    assert obs[:5].tolist() == [4, 11, 14, 12, 11] and obs.sum() == 433
    assert d.b0_counts() == pytest.approx(426.5, abs=0.2)
    assert b.sum() == pytest.approx(d.b0_counts(), rel=1e-6)
    assert d.b0(2.5) == pytest.approx(10.9, abs=0.05)
    np.testing.assert_allclose(d.efficiency([1.0, 2.0, 5.0]), [0.074, 0.70, 0.80], atol=0.01)
    assert d.exposure == 1.16
    assert X.FIDUCIAL_MASS_T * X.LIVETIME_DAYS / 365.25 == pytest.approx(1.16, abs=0.01)


def test_resolution_model():
    assert X.resolution_sigma(1.0) == pytest.approx(0.3137)
    assert X.resolution_sigma(100.0) == pytest.approx(3.47)


def test_response_conserves_a_flat_spectrum_without_efficiency():
    # a flat true spectrum far from the grid edges is unchanged by Gaussian smearing
    E = np.linspace(5.0, 25.0, 21)
    out = X.expected_spectrum(lambda T: np.ones_like(T), E_rec_keV=E, efficiency=False)
    np.testing.assert_allclose(out, 1.0, rtol=1e-3)


def test_expected_counts_flat_with_efficiency():
    d = X.load()
    c = X.expected_counts(lambda T: np.ones_like(T), efficiency=True)
    E = np.linspace(1.0, 30.0, 5801)
    direct = np.trapezoid(d.efficiency(E), E) * d.exposure
    # smearing moves events across the 1 keV edge where the efficiency is steep: few % at most
    assert c.sum() == pytest.approx(direct, rel=0.05)
    assert c.shape == (29,)


def test_expected_counts_line_and_stacking():
    T = X.T_TRUE_KEV
    spec = np.exp(-0.5 * ((T - 15.0) / 0.05) ** 2) / (0.05 * np.sqrt(2 * np.pi))  # ~ a line at 15 keV
    c = X.expected_counts(spec, edges_keV=np.array([1.0, 30.0]), efficiency=False, exposure=1.0)
    assert c[0] == pytest.approx(1.0, rel=1e-3)
    stacked = X.expected_counts(np.stack([spec, 2 * spec]), edges_keV=np.array([1.0, 30.0]),
                                efficiency=False, exposure=1.0)
    assert stacked.shape == (2, 1) and stacked[1, 0] == pytest.approx(2 * c[0])


def test_wrong_grid_length_raises():
    with pytest.raises(ValueError):
        X.expected_counts(np.ones(10))
