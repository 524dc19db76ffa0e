"""Computed exercise solutions checked against the library (issue 12).

Pattern (README "Writing a chapter"): the code of a computed solution calls one function, and a
test here or in tests/test_<chapter>.py checks that function's answer by another route (a closed
form, a limit, the inverse kinematics).  This file holds the worked example of book/teaching.md
(exercise ``teaching-ex-emin``); chapter exercises go in their chapter's test file.
"""
from __future__ import annotations

import math

import pytest

from nuemcore.constants import m_e
from nuemcore.kinematics import neutrino_energy_min, recoil_max

T_KEV = 1e-3  # MeV, the exercise's recoil


def test_emin_massless_is_the_collinear_closed_form():
    """Part 1: E_min = (T + sqrt(T^2 + 2 m_e T)) / 2 for m4 = 0 (paper 000 eq. 9)."""
    for T in (1e-4, T_KEV, 0.1, 5.0):
        closed = 0.5 * (T + math.sqrt(T * T + 2 * m_e * T))
        assert neutrino_energy_min(T, m_e) == pytest.approx(closed, rel=1e-12, abs=0)


def test_emin_is_the_inverse_of_tmax():
    """A neutrino of energy E_min(T) gives at most exactly T: the derivation's premise."""
    for T in (1e-4, T_KEV, 0.1, 5.0):
        assert recoil_max(neutrino_energy_min(T, m_e), m_e) == pytest.approx(T, rel=1e-10, abs=0)


def test_emin_answers_printed_in_the_teaching_page():
    """Part 2: the three numbers the solution prints (to 3 significant figures)."""
    got = [float(f"{neutrino_energy_min(T_KEV, m_e, m4=m4):.3g}") for m4 in (0.0, 0.1, 1.0)]
    assert got == [0.0165, 0.178, 16.2]


def test_emin_massive_factor():
    """Part 3: the heavy state multiplies E_min by 1 + m4^2 / (2 m_e T)."""
    m4 = 1.0
    ratio = neutrino_energy_min(T_KEV, m_e, m4=m4) / neutrino_energy_min(T_KEV, m_e)
    assert ratio == pytest.approx(1 + m4**2 / (2 * m_e * T_KEV), rel=1e-12, abs=0)
    assert ratio > 900
