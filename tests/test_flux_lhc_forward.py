import numpy as np
import pytest

from nuemcore.errors import NuemError, UnknownTargetError
from nuemcore.flux import lhc_forward as lhc

TOTALS = {  # PROVENANCE.md, sums over bins
    "FASERnu2": {"nu_e": 6.56e12, "nubar_e": 8.9e12, "nu_mu": 6.35e13, "nubar_mu": 4.66e13, "nu_tau": 2.15e11},
    "FLArE10": {"nu_e": 1.73e13, "nu_mu": 1.73e14, "nubar_mu": 1.35e14},
    "FLArE100": {"nu_e": 3.09e13, "nu_mu": 3.08e14, "nubar_tau": 1.83e12},
}
CC = {"FASERnu2": {"nu_mu": 3.15e5, "nubar_tau": 607}, "FLArE10": {"nu_mu": 1.67e5},
      "FLArE100": {"nu_mu": 1.06e6, "nu_e": 1.66e5}}


@pytest.mark.parametrize("det", list(TOTALS))
def test_counts_sum(det):
    c = lhc.lhc_forward_counts(det)
    assert c.edges.size == 29 and c.kind == "crossing"
    for k, v in TOTALS[det].items():
        assert c.total(k) == pytest.approx(v, rel=6e-3)
    cc = lhc.lhc_cc_interactions(det)
    for k, v in CC[det].items():
        assert cc.total(k) == pytest.approx(v, rel=6e-3)


def test_flux_density_roundtrip():
    c = lhc.lhc_forward_counts("FLArE10")
    f = c.flux()
    assert f.is_histogram and f.unit == "cm^-2 MeV^-1 per 3000 fb^-1"
    assert f.total("nu_mu") * c.area_cm2 == pytest.approx(c.total("nu_mu"), rel=1e-12)
    assert np.allclose(f.bin_edges, c.edges)
    assert c.edges[0] == pytest.approx(10e3) and c.edges[-1] == pytest.approx(6351.41637e3)
    f150 = lhc.lhc_forward_flux("FLArE10", luminosity_fb=150.0)
    assert f150.total("nu_e") == pytest.approx(f.total("nu_e") * 150 / 3000)
    with pytest.raises(NuemError):
        lhc.lhc_cc_interactions("FLArE10").flux()


def test_counts_read_only_and_aliases():
    c = lhc.lhc_forward_counts("faserv2")
    assert c.detector == "FASERnu2"
    with pytest.raises(ValueError):
        c.counts["nu_mu"][0] = 0.0
    with pytest.raises(UnknownTargetError):
        lhc.lhc_forward_counts("SND@LHC")
