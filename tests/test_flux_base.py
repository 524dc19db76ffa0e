import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nuemcore.errors import NuemError
from nuemcore.flux.base import Flux, UnknownSpeciesError, species_key


def tri_flux(scale=1.0):
    E = np.linspace(0.0, 2.0, 201)
    y = scale * np.where(E < 1, E, 2 - E)  # area = scale
    return Flux(energy=E, spectra={"nu_e": y}, lines={"nu_e": [(0.5, 3.0 * scale)]}, label="tri")


def test_total_includes_lines_and_trapezoid():
    f = tri_flux()
    assert f.total("nu_e") == pytest.approx(4.0, rel=1e-12)
    assert f.total("nu_e", lines=False) == pytest.approx(1.0, rel=1e-12)
    assert f.total() == pytest.approx(4.0)
    assert f.species == ["nu_e"]
    assert f.line_unit == "cm^-2 s^-1"


def test_arrays_are_read_only_and_copied():
    E = np.linspace(0, 1, 5)
    y = np.ones(5)
    f = Flux(energy=E, spectra={"nu_e": y})
    y[0] = 100
    assert f.spectrum("nu_e")[0] == 1.0
    with pytest.raises(ValueError):
        f.energy[0] = 3.0


def test_species_validation_and_aliases():
    assert species_key("nuebar") == "nubar_e"
    with pytest.raises(UnknownSpeciesError):
        Flux(energy=[0, 1], spectra={"nu_x": [0, 1]})
    with pytest.raises(UnknownSpeciesError):
        tri_flux().spectrum("electron")


def test_bad_grid():
    with pytest.raises(NuemError):
        Flux(energy=[0, 2, 1], spectra={"nu_e": [0, 1, 0]})
    with pytest.raises(NuemError):
        Flux(energy=[0, 1], bin_edges=[0, 1])


def test_with_probabilities_lines_exact():
    f = tri_flux()
    g = f.with_probabilities({"nu_e": {"nu_e": lambda E: 1 - 0.2 * E}, "nu_mu": {"nu_e": lambda E: 0.2 * E}})
    assert g.line_list("nu_e") == ((0.5, pytest.approx(3.0 * 0.9)),)
    assert g.line_list("nu_mu")[0][1] == pytest.approx(3.0 * 0.1)
    # unitarity: total conserved
    assert g.total() == pytest.approx(f.total())
    with pytest.raises(NuemError):
        f.with_probabilities({"nu_mu": {"nu_e": np.ones_like(f.energy)}})  # array P with lines


def test_scaled_add_regrid():
    f = tri_flux()
    assert (2 * f).total() == pytest.approx(8.0)
    h = Flux(energy=np.linspace(0.5, 3.0, 11), spectra={"nu_mu": np.ones(11)}, lines={"nu_e": [(1.0, 1.0)]})
    s = f + h
    assert s.total("nu_e") == pytest.approx(5.0)
    assert s.total("nu_mu") == pytest.approx(2.5)
    r = f.regrid(np.linspace(0, 2, 2001))
    assert r.total("nu_e") == pytest.approx(4.0, rel=1e-9)
    assert r.line_list("nu_e") == f.line_list("nu_e")
    with pytest.raises(NuemError):
        f + f.scaled(1.0, unit="cm^-2 MeV^-1 POT^-1")


def test_histogram_flux():
    edges = np.array([0.0, 1.0, 3.0])
    f = Flux(energy=[0.5, 2.0], spectra={"nu_mu": [2.0, 1.0]}, bin_edges=edges, unit="cm^-2 MeV^-1 POT^-1")
    assert f.total("nu_mu") == pytest.approx(4.0)
    assert f("nu_mu", [0.2, 1.5, 3.5]).tolist() == [2.0, 1.0, 0.0]
    assert f.line_unit == "cm^-2 POT^-1"


def test_call_zero_outside_and_mean_energy():
    f = tri_flux()
    assert f("nu_e", [-1.0, 3.0]).tolist() == [0.0, 0.0]
    assert f.mean_energy("nu_e") == pytest.approx((1.0 * 1 + 3 * 0.5) / 4)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(1e-3, 1e3))
def test_probabilities_conserve_total(p, scale):
    f = tri_flux(scale)
    g = f.with_probabilities({"nu_e": {"nu_e": p}, "nu_tau": {"nu_e": 1 - p}})
    assert g.total() == pytest.approx(f.total(), rel=1e-12, abs=0)
