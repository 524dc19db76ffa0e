import numpy as np
import pytest

from nuemcore.errors import NuemError
from nuemcore.flux import reactor


def test_coefficients_and_energy_per_fission():
    assert reactor.coefficients("U235")[0] == pytest.approx(4.367)
    assert reactor.coefficients("U238")[0] == pytest.approx(0.4833)  # Mueller for 238U in H-M
    assert reactor.coefficients("U235", "mueller2011")[0] == pytest.approx(3.217)
    assert reactor.energy_per_fission("Pu239") == pytest.approx(209.99)
    assert reactor.energy_per_fission("U235", "ma2013") == pytest.approx(202.36)
    with pytest.raises(NuemError):
        reactor.coefficients("Th232")
    with pytest.raises(NuemError):
        reactor.coefficients("U235", "kopeikin")


def test_spectrum_values_and_range():
    # Huber U235 at 2 MeV: exp(sum a_k 2^k)
    a = reactor.coefficients("U235")
    assert reactor.isotope_spectrum(2.0, "U235") == pytest.approx(np.exp(sum(a[k] * 2.0 ** k for k in range(6))))
    assert reactor.isotope_spectrum([1.0, 10.5], "U235").tolist() == [0.0, 0.0]
    s = reactor.isotope_spectrum(np.linspace(2, 8, 50), "Pu239")
    assert np.all(np.diff(s) < 0)
    with pytest.raises(NuemError):
        reactor.isotope_spectrum(1.0, "U235", low_energy="extrapolate", e_min=0.2)


def test_nubar_per_fission():
    E = np.linspace(0, 10, 20001)
    above = reactor.spectrum_per_fission(E, low_energy="extrapolate")
    n_above = np.trapezoid(np.where(E >= 1.8, above, 0), E)
    assert 1.4 < n_above < 2.0  # ~1.5-1.9 nubar/fission above the IBD threshold
    full = reactor.spectrum_per_fission(E, low_energy="vogel_engel_unverified")
    assert 5.5 < np.trapezoid(full, E) < 6.5  # ~6 nubar per fission in total
    # continuity at 2 MeV with the matched table
    assert full[np.searchsorted(E, 1.9995)] == pytest.approx(full[np.searchsorted(E, 2.0)], rel=2e-3)


def test_texono_flux_magnitude():
    f = reactor.reactor_flux(2900.0, 2800.0, low_energy="vogel_engel_unverified")
    assert f.species == ["nubar_e"]
    assert 3e12 < f.total() < 1e13  # TEXONO quotes 6.4e12 (paper 003 sec. 3.3)
    z = reactor.reactor_flux(2900.0, 2800.0)
    assert z.energy[0] == 2.0 and z.total() < 0.4 * f.total()
    n = reactor.reactor_flux(2900.0, 2800.0, low_energy="vogel_engel_unverified", total_flux=6.4e12)
    assert n.total() == pytest.approx(6.4e12)


def test_inverse_square_and_fission_rate():
    f1 = reactor.reactor_flux(1000.0, 1e3)
    f2 = reactor.reactor_flux(1000.0, 2e3)
    assert f1.total() == pytest.approx(4 * f2.total())
    assert reactor.fission_rate(1.0) == pytest.approx(1e6 / (1.602176634e-13 * reactor.mean_energy_per_fission()))
    assert 3e16 < reactor.fission_rate(1.0) < 3.2e16
    with pytest.raises(NuemError):
        reactor.reactor_flux(1000.0, -1.0)
    with pytest.raises(NuemError):
        reactor.reactor_flux(1000.0, 1.0, low_energy="kopeikin")
