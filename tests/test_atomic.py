"""Tests for nuemcore.atomic (Geant4 shell binding energies, stepping approximation)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuemcore import atomic as A
from nuemcore.errors import NegativeEnergyError, UnknownTargetError

Z = {"Ar": 18, "Ge": 32, "I": 53, "Xe": 54, "Cs": 55}


def test_elements_and_occupancies():
    assert set(A.elements()) == set(Z)
    for el, z in Z.items():
        sh = A.shells(el)
        assert sh.Z == z and sh.occupancy.sum() == z
        assert np.all(sh.binding > 0) and np.all(sh.binding < 0.04)  # MeV; K shells < 40 keV


def test_xenon_values_in_mev():
    sh = A.shells("xenon")
    assert sh.labels[0] == "K"
    assert sh.binding[0] == pytest.approx(34.561e-3, rel=0.01)  # X-ray Data Booklet K edge
    assert min(sh.binding) == pytest.approx(12.1e-6, rel=0.02)  # 5p


def test_n_effective_limits():
    for el, z in Z.items():
        sh = A.shells(el)
        kshell = sh.binding.max()
        outer = sh.binding.min()
        assert A.n_effective(kshell * 1.0001, el) == z
        assert A.n_effective(1.0, el) == z
        assert A.n_effective(outer * 0.999, el) == 0
        assert A.n_effective(0.0, el) == 0
        # Geant4 '<=': a shell counts exactly at T = B_i
        assert A.n_effective(kshell, el) == z
        assert A.n_effective(np.nextafter(kshell, 0), el) == z - 2


def test_xenon_count_at_1keV():
    # 1 keV: M1 (1.149 keV) and M2 (1.002 keV) closed -> 54 - 2 (K) - 8 (L) - 4 = 40
    assert A.n_effective(1e-3, "Xe") == 40


@settings(max_examples=50, deadline=None)
@given(t1=st.floats(0, 0.1), t2=st.floats(0, 0.1), el=st.sampled_from(sorted(Z)))
def test_monotone_and_normalised(t1, t2, el):
    lo, hi = sorted((t1, t2))
    assert A.n_effective(lo, el) <= A.n_effective(hi, el)
    s = A.stepping(hi, el)
    assert 0.0 <= s <= 1.0


def test_per_atom_vs_stepping_normalisations():
    T = np.array([1e-6, 5e-4, 2e-3, 0.05])
    free = np.array([1.0, 2.0, 3.0, 4.0]) * 1e-45
    pa = A.per_atom(free, T, "Ge")
    assert np.allclose(pa, A.n_effective(T, "Ge") * free, rtol=1e-14, atol=0)
    assert np.allclose(pa, 32 * A.stepping(T, "Ge") * free, rtol=1e-14, atol=0)
    assert np.allclose(A.per_atom(lambda t: 2e-45 + 0 * t, T, "Ge"), A.n_effective(T, "Ge") * 2e-45,
                       rtol=1e-14, atol=0)
    assert np.allclose(A.stepped(free, T, "Ge"), pa, rtol=0, atol=0)
    assert A.per_atom(1.0, 0.05, "Ar") == 18.0


def test_errors():
    with pytest.raises(UnknownTargetError):
        A.shells("Unobtainium")
    with pytest.raises(UnknownTargetError):
        A.n_effective(1e-3, "Pb")
    with pytest.raises(NegativeEnergyError):
        A.n_effective(-1e-3, "Xe")
