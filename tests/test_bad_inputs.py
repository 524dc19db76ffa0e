"""Bad and edge inputs at the public API (issue 14): every case must raise the named
``NuemError`` subclass with a message that names the argument, its value and the allowed range
(or unit).  The cases live in tests/bad_input_cases.py so that they can be replayed against an
older nuemcore for the before/after table.  Further below: edge inputs that must now give the
right answer instead of an error or nonsense."""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import bad_input_cases  # noqa: E402

from nuemcore import decay, errors  # noqa: E402
from nuemcore.flux.solar import solar_flux  # noqa: E402
from nuemcore.rates import RateEngine  # noqa: E402
from nuemcore.xsec import electron as X  # noqa: E402
from nuemcore.xsec import nucleus as N  # noqa: E402

CASES = bad_input_cases.cases()


def test_enough_cases():
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("cid,thunk,etype,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input(cid, thunk, etype, words):
    cls = getattr(errors, etype)
    assert issubclass(cls, errors.NuemError)
    with pytest.raises(cls) as info:
        thunk()
    msg = str(info.value)
    missing = [w for w in words if w.lower() not in msg.lower()]
    assert not missing, f"{cid}: message {msg!r} lacks {missing}"


# ---------------------------------------------------------------------------------------------
# edge inputs that are accepted and must give the right answer
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("component", ["7Be", "pep"])
def test_line_only_oscillated_solar_flux(component):
    """Issue 13 item 15: RateEngine on a line-only oscillated flux (used to raise 'flux.energy
    must be ... >= 2 points').  The oscillated rate equals the sum over flavours of the lines."""
    T = np.linspace(0.01, 0.3, 7)
    f_osc = solar_flux([component], oscillate=True)
    eng = RateEngine(f_osc, T, 0.51099895)
    xs = lambda s, E, T: X.sm(E, T, {"nu_e": "e", "nu_mu": "mu", "nu_tau": "tau"}[s])
    got = eng.spectrum(xs)
    want = sum(phi * X.sm(E, T, {"nu_e": "e", "nu_mu": "mu", "nu_tau": "tau"}[s])
               for s, lst in f_osc.lines.items() for E, phi in lst)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert np.all(got > 0)


def test_signed_moments_one_rule():
    """One rule in nuemcore: a negative magnetic moment is accepted and only mu^2 enters."""
    E, T = 10.0, 1e-3
    assert N.magnetic_moment(E, T, target="Xe", mu=-3e-11) == N.magnetic_moment(E, T, target="Xe", mu=3e-11)
    assert X.magnetic_moment(E, T, -3e-11) == X.magnetic_moment(E, T, 3e-11)
    assert decay.width_nu_gamma(5.0, -1e-8) == decay.width_nu_gamma(5.0, 1e-8)
    assert N.magnetic_moment(E, T, target="Xe", mu=3e-11) > 0


def test_nucleus_charge_radius_array():
    """Used to crash with 'truth value of an array is ambiguous'."""
    r2 = np.array([0.0, 1e-32, -1e-32])
    v = N.sm(10.0, 1e-3, target="Xe", charge_radius=r2)
    for i, r in enumerate(r2):
        assert v[i] == pytest.approx(N.sm(10.0, 1e-3, target="Xe", charge_radius=float(r)), rel=1e-14, abs=0)
    assert v[1] != v[0]


def test_decay_between_to_infinity_allowed():
    p = decay.probability_decay_between(0.0, np.inf, 10.0, 1.0, 1e-6)
    assert p == pytest.approx(1.0, rel=1e-12, abs=0)


def test_recoil_in_kev_warns():
    """T = 5 'keV' passed as 5 MeV to CEvNS on Xe with 10 MeV neutrinos: every recoil is > 1000
    x T_max, so a UnitSlipWarning names the unit (the value, 0, is kinematically right)."""
    with pytest.warns(errors.UnitSlipWarning, match="MeV"):
        v = N.sm(10.0, np.array([5.0, 10.0]), target="Xe")
    assert np.all(v == 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        N.sm(10.0, np.array([1e-3, 5.0]), target="Xe")  # some recoils inside: no warning


def test_outside_zero_option():
    """The explicit option asks for zero outside the grid."""
    from nuemcore import detector, rates
    T = np.linspace(0.0, 2.0, 21)
    y = np.ones_like(T)
    assert rates.integrate_spectrum(y, T, 0.0, 10.0, outside="zero") == pytest.approx(2.0, rel=1e-14, abs=0)
    R = detector.response_matrix(T, [0.0, 1.0, 10.0], outside="zero")
    np.testing.assert_allclose(R @ y, [1.0, 1.0], rtol=1e-13, atol=0)


def test_percent_efficiency_message_names_fraction():
    from nuemcore import detector
    with pytest.raises(errors.OutOfRangeError, match="fraction"):
        detector.response_matrix(np.linspace(1e-3, 0.1, 20), [0.0, 0.1], efficiency=lambda t: 90.0 + 0 * t)
