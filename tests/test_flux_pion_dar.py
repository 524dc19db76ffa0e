import numpy as np
import pytest

from nuemcore import constants as C
from nuemcore.errors import NuemError
from nuemcore.flux import pion_dar


def test_prompt_line_energy():
    assert pion_dar.E_NU_MU_PROMPT == pytest.approx(29.79, abs=0.01)
    f = pion_dar.pion_dar_flux(1.0, 0.08, 1930.0)
    (E, phi), = f.line_list("nu_mu")
    assert E == pion_dar.E_NU_MU_PROMPT
    assert phi == pytest.approx(0.08 / (4 * np.pi * 1930.0 ** 2), rel=1e-6, abs=0)


def test_michel_shapes():
    mmu = C.m_mu
    assert pion_dar.michel_nu_e([0.0, mmu / 2]).tolist() == [0.0, 0.0]  # both endpoints vanish
    assert pion_dar.michel_nubar_mu(mmu / 2) == pytest.approx(64 / mmu / 4 * 0.25)  # finite at endpoint
    assert pion_dar.michel_nubar_mu(mmu / 2 + 1e-6) == 0.0
    x = np.linspace(0, mmu / 2, 100001)
    assert np.trapezoid(pion_dar.michel_nu_e(x), x) == pytest.approx(1.0, rel=1e-8)
    assert np.trapezoid(pion_dar.michel_nubar_mu(x), x) == pytest.approx(1.0, rel=1e-8)
    # nu_e peaks at m_mu/3
    assert x[np.argmax(pion_dar.michel_nu_e(x))] == pytest.approx(mmu / 3, abs=1e-3)


def test_flux_totals_equal_per_flavour():
    f = pion_dar.pion_dar_flux(1.0, 0.08, 1930.0)
    t = f.totals()
    ref = 0.08 / (4 * np.pi * 1930.0 ** 2)
    for k in ("nu_e", "nu_mu", "nubar_mu"):
        assert t[k] == pytest.approx(ref, rel=1e-6, abs=0)
    assert f.mean_energy("nu_e") == pytest.approx(0.3 * C.m_mu, rel=1e-5)
    with pytest.raises(NuemError):
        pion_dar.pion_dar_flux(1.0, 0.08, 0.0)
