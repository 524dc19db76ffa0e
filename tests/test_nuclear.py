"""Tests of nuemcore.nuclear: tabulated nuclei and compound target counts."""
import math

import pytest

from nuemcore import constants as C
from nuemcore import nuclear
from nuemcore.errors import UnknownTargetError

REQUIRED = ["Ar", "Ge", "Xe", "Cs", "I", "Na", "Si", "O", "Al", "Ca", "W", "C", "F", "H"]


@pytest.mark.parametrize("sym", REQUIRED)
def test_tabulated_and_consistent(sym):
    n = nuclear.nucleus(sym)
    assert n.symbol == sym
    assert n.N == pytest.approx(n.A - n.Z)
    assert sum(n.abundances.values()) == pytest.approx(1.0)
    # mean mass number close to the atomic weight (mass defect < 0.1 %)
    assert abs(n.A - n.atomic_weight) / n.A < (1e-2 if sym == "H" else 1.5e-3)
    # nuclear mass = atomic mass - Z m_e
    assert n.mass == pytest.approx(n.atomic_weight * C.amu - n.Z * C.m_e, rel=1e-12)
    # charge radius ~ 1.2 A^(1/3) fm within 30 % (not for hydrogen)
    if sym != "H":
        assert 0.7 < n.r_charge / (1.2 * n.A ** (1 / 3)) < 1.1
    with pytest.raises(Exception):
        n.Z = 3  # frozen


def test_known_numbers():
    xe = nuclear.nucleus("Xe")
    assert xe.Z == 54 and xe.A == pytest.approx(131.39, abs=0.01)
    assert xe.mass == pytest.approx(122271, rel=1e-4)
    assert xe.r_charge == pytest.approx(4.7859)
    cs = nuclear.nucleus("Cs")
    assert (cs.Z, cs.N) == (55, pytest.approx(78.0))
    ar = nuclear.nucleus("LAr")
    assert ar.Z == 18 and ar.N == pytest.approx(21.98, abs=0.01)
    assert nuclear.by_Z(32).symbol == "Ge"


def test_aliases_and_case():
    assert nuclear.nucleus("xe") is nuclear.nucleus("Xe")
    assert nuclear.nucleus("xenon") is nuclear.nucleus("Xe")
    assert nuclear.nucleus("cesium") is nuclear.nucleus("Cs")


@pytest.mark.parametrize("bad", ["Xx", "Pb", "", "unobtainium"])
def test_unknown_target(bad):
    with pytest.raises(UnknownTargetError):
        nuclear.nucleus(bad)


def test_unknown_Z():
    with pytest.raises(UnknownTargetError):
        nuclear.by_Z(82)


def test_default_mass():
    xe = nuclear.nucleus("Xe")
    assert nuclear.default_mass(54, xe.N) == pytest.approx(xe.mass, rel=1e-12)
    # single isotope 131Xe: M = 130.905084 u - 54 m_e (AME2020) to 1e-4
    assert nuclear.default_mass(54, 77) == pytest.approx(130.905084 * C.amu - 54 * C.m_e, rel=1e-4)
    # untabulated Z: (Z+N) amu - Z m_e
    assert nuclear.default_mass(82, 126) == pytest.approx(208 * C.amu - 82 * C.m_e)


def test_compound_counts():
    csi = nuclear.compound("CsI")
    molar = 132.90545196 + 126.90447
    assert csi.molar_mass == pytest.approx(molar)
    n = C.N_A * 1000 / molar
    assert csi.nuclei_per_kg["Cs"] == pytest.approx(n) and csi.nuclei_per_kg["I"] == pytest.approx(n)
    assert n == pytest.approx(2.318e24, rel=1e-3)
    al2o3 = nuclear.compound("Al2O3")
    assert al2o3.atoms == {"Al": 2, "O": 3}
    assert al2o3.nuclei_per_kg["O"] / al2o3.nuclei_per_kg["Al"] == pytest.approx(1.5)
    cawo4 = nuclear.compound("CaWO4")
    assert dict(cawo4.atoms) == {"Ca": 1, "W": 1, "O": 4}
    assert sum(cawo4.mass_fraction(s) for s in cawo4.atoms) == pytest.approx(1.0)
    assert nuclear.compound("LAr").nuclei_per_kg["Ar"] == pytest.approx(C.N_A * 1000 / 39.948)
    assert nuclear.nuclei_per_kg("NaI(Tl)", "Na") == pytest.approx(C.N_A * 1000 / 149.894, rel=1e-4)
    assert nuclear.compound({"Ge": 1}).nuclei_per_kg["Ge"] == pytest.approx(8.292e24, rel=1e-3)
    # mass closure: sum of n_X * m_atom_X = 1 kg
    for f in ["CsI", "Al2O3", "CaWO4", "NaI", "Si", "Ge", "Xe"]:
        c = nuclear.compound(f)
        kg = sum(v * nuclear.nucleus(s).atomic_weight / C.N_A / 1000 for s, v in c.nuclei_per_kg.items())
        assert kg == pytest.approx(1.0)


@pytest.mark.parametrize("bad", ["PbWO4", "CsI2x", "xyz", "Cs-I"])
def test_compound_errors(bad):
    with pytest.raises(UnknownTargetError):
        nuclear.compound(bad)
