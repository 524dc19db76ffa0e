"""Tests of nuemcore.form_factors (Helm paper 003 eq. 13, Klein-Nystrand paper 004 eq. 3)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from nuemcore import form_factors as FF
from nuemcore import nuclear
from nuemcore.errors import NegativeEnergyError, NuemError

TARGETS = ["O", "Na", "Si", "Ar", "Ge", "I", "Xe", "Cs", "W"]


@pytest.mark.parametrize("sym", TARGETS)
def test_normalised_and_bounded(sym):
    n = nuclear.nucleus(sym)
    q = np.linspace(0, 600, 3001)
    for F in (FF.helm(q, n.r_charge), FF.klein_nystrand(q, A=n.A), FF.symmetric_fermi(q, n.r_charge)):
        assert F[0] == 1.0
        assert np.all(np.abs(F) <= 1.0 + 1e-12)
        assert np.all(np.isfinite(F))
        assert np.all(np.diff(F[q < 100]) < 0)  # decreasing before the first zero


@given(q=st.floats(0, 2000), r=st.floats(1.7, 7.0))
@settings(max_examples=200, deadline=None)
def test_bounded_property(q, r):
    assert abs(FF.helm(q, r)) <= 1.0 + 1e-12
    assert abs(FF.klein_nystrand(q, R_A=r)) <= 1.0 + 1e-12
    if r > 2.6:
        assert abs(FF.symmetric_fermi(q, r)) <= 1.0 + 1e-12


@pytest.mark.parametrize("sym", ["Ar", "Ge", "Xe", "W"])
def test_low_q_rms_radius(sym):
    """F = 1 - q^2 <r^2>/6 + ...: the Helm and Fermi curvatures give the input rms radius; KN gives
    sqrt(3/5 R_A^2 + 6 a_k^2)."""
    n = nuclear.nucleus(sym)
    q = 0.5  # MeV, q r ~ 0.01
    qf = q / FF.HBARC_MEV_FM
    for F, r in ((FF.helm(q, n.r_charge), n.r_charge), (FF.symmetric_fermi(q, n.r_charge), n.r_charge),
                 (FF.klein_nystrand(q, A=n.A), FF.klein_nystrand_rms(A=n.A))):
        assert np.sqrt(6 * (1 - F)) / qf == pytest.approx(r, rel=1e-4)


@pytest.mark.parametrize("sym,zero", [("Xe", 151.8), ("Ar", 225.0), ("Ge", 182.5), ("W", 133.8)])
def test_helm_first_zero(sym, zero):
    """First zero of the Helm form factor at q R_0 = 4.4934 (zero of j_1), R_0 from paper 003."""
    n = nuclear.nucleus(sym)
    R0 = FF.helm_R0(n.r_charge)
    z = brentq(lambda q: FF.helm(q, n.r_charge), 0.8 * zero, 1.2 * zero)
    assert z == pytest.approx(4.493409 * FF.HBARC_MEV_FM / R0, rel=1e-6)
    assert z == pytest.approx(zero, abs=0.2)
    # Xe: R_0 = 5.84 fm; Lewin-Smith Helm for A = 131 has R_0 ~ 5.6 fm (nearby)
    zk = brentq(lambda q: FF.klein_nystrand(q, A=n.A), 0.6 * zero, 1.2 * zero)
    assert zk == pytest.approx(4.493409 * FF.HBARC_MEV_FM / (1.23 * n.A ** (1 / 3)), rel=1e-6)


def test_helm_vs_kn_low_q_xe():
    """Helm (charge radius 4.79 fm) and KN agree within a few per cent at 8B momentum transfers."""
    xe = nuclear.nucleus("Xe")
    q = np.linspace(0, 30, 61)  # 8B neutrinos (E < 16 MeV) on Xe: |q| < 2E ~ 32 MeV
    h, k = FF.helm(q, xe.r_charge), FF.klein_nystrand(q, A=xe.A)
    rel = np.abs(h**2 - k**2) / h**2
    assert np.max(rel) < 0.04
    assert np.max(rel[q <= 10]) < 0.005
    assert np.all(k <= h)  # KN has the larger rms radius (5.14 fm vs 4.79 fm)


def test_known_values():
    # Helm with R0 = sqrt(5/3 (R^2 - 3 s^2)): direct formula check at q = 100 MeV
    R, s, q = 4.7859, 0.9, 100.0
    R0 = np.sqrt(5 / 3 * (R * R - 3 * s * s))
    x = q * R0 / FF.HBARC_MEV_FM
    j1 = np.sin(x) / x**2 - np.cos(x) / x
    ref = 3 * j1 / x * np.exp(-((q * s / FF.HBARC_MEV_FM) ** 2) / 2)
    assert FF.helm(q, R) == pytest.approx(ref, rel=1e-12)
    RA = 1.23 * 131.0 ** (1 / 3)
    x = q * RA / FF.HBARC_MEV_FM
    ref = 3 * (np.sin(x) / x**2 - np.cos(x) / x) / x / (1 + (q * 0.7 / FF.HBARC_MEV_FM) ** 2)
    assert FF.klein_nystrand(q, A=131.0) == pytest.approx(ref, rel=1e-12)
    # series/closed-form junction is smooth
    qj = 0.05 * FF.HBARC_MEV_FM / FF.helm_R0(4.7859)
    v = FF.helm(np.array([qj * (1 - 1e-12), qj * (1 + 1e-12)]), 4.7859)
    assert abs(v[0] - v[1]) < 1e-11


def test_helm_from_A_lewin_smith():
    assert FF.lewin_smith_rms(131) == pytest.approx(4.8, abs=0.15)
    assert FF.helm(30.0, A=131) == pytest.approx(FF.helm(30.0, FF.lewin_smith_rms(131)))


def test_vectorised_shapes():
    q = np.linspace(0, 100, 12).reshape(3, 4)
    assert FF.helm(q, 4.8).shape == (3, 4)
    assert isinstance(FF.helm(1.0, 4.8), float)


def test_resolve():
    assert FF.resolve("none", 54, 77)(np.array([1.0, 50.0])).tolist() == [1.0, 1.0]
    assert FF.resolve("helm", 54, 77.388)(30.0) == FF.helm(30.0, 4.7859)
    assert FF.resolve("KN", 54, 77)(30.0) == FF.klein_nystrand(30.0, A=131)
    f = lambda q: 0.5 + 0 * q  # noqa: E731
    assert FF.resolve(f, 54, 77) is f
    with pytest.raises(NuemError):
        FF.resolve("gaussian", 54, 77)


def test_errors():
    with pytest.raises(NegativeEnergyError):
        FF.helm(-1.0, 4.8)
    with pytest.raises(NegativeEnergyError):
        FF.klein_nystrand(np.nan, A=131)
    with pytest.raises(NuemError):
        FF.helm(1.0, 1.0)  # rms radius below sqrt(3) s
    with pytest.raises(NuemError):
        FF.helm(1.0)
    with pytest.raises(NuemError):
        FF.klein_nystrand(1.0)
