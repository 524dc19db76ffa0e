import numpy as np
import pytest

from nuemcore.errors import NuemError
from nuemcore.flux import dune_nd


def test_fhc_totals_match_provenance():
    f = dune_nd.dune_nd_flux("FHC")
    assert f.unit == "cm^-2 MeV^-1 POT^-1" and f.is_histogram
    t = {k: v * 1e4 for k, v in f.totals().items()}  # per m^2 per POT
    assert t["nu_mu"] == pytest.approx(1.049e-3, rel=1e-3)
    assert t["nu_e"] == pytest.approx(1.087e-5, rel=1e-3)
    assert t["nubar_mu"] == pytest.approx(7.775e-5, rel=1e-3)
    assert "nu_tau" not in f.spectra


def test_rhc_and_bins():
    f = dune_nd.dune_nd_flux("RHC")
    assert f.total("nubar_mu") * 1e4 == pytest.approx(9.442e-4, rel=1e-3)
    assert f.bin_edges[0] == pytest.approx(0.0) and f.bin_edges[-1] == pytest.approx(125250.0)
    assert np.allclose(np.diff(f.bin_edges), 250.0)
    # peak of FHC nu_mu in the 2.125 GeV bin, 3.64e-4 /m^2/GeV/POT
    g = dune_nd.dune_nd_flux("FHC")
    i = np.argmax(g.spectrum("nu_mu"))
    assert g.energy[i] == pytest.approx(2125.0)
    assert g.spectrum("nu_mu")[i] * 1e7 == pytest.approx(3.64e-4, rel=1e-2)
    assert 2400 < np.sum((g.weights() * g.spectrum("nu_mu") * g.energy)[g.energy < 20000]) / \
        np.sum((g.weights() * g.spectrum("nu_mu"))[g.energy < 20000]) < 2700


def test_bad_mode():
    with pytest.raises(NuemError):
        dune_nd.dune_nd_flux("FD")
