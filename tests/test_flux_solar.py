import numpy as np
import pytest

from nuemcore import data
from nuemcore.errors import DataFileError
from nuemcore.flux import solar


def test_b16_gs98_totals():
    t = solar.model_totals("B16-GS98")
    assert t["pp"] == pytest.approx(5.98e10)
    assert t["8B"] == pytest.approx(5.46e6)
    assert t["hep"] == pytest.approx(7.98e3)
    assert t["7Be"] == pytest.approx(4.93e9)
    assert t["pep"] == pytest.approx(1.44e8)
    assert t["15O"] == pytest.approx(2.05e8)
    assert solar.total_flux("8B", "B16-AGSS09met") == pytest.approx(4.50e6)
    assert solar.total_flux("8B", "BS05-OP") == pytest.approx(5.691e6)
    assert solar.total_flux("pp", "BS05-AGS-OP") == pytest.approx(6.058e10)


@pytest.mark.parametrize("name", ["pp", "hep", "13N", "15O", "17F", "7Be_ground", "7Be_excited",
                                  "winter2006", "bls1996", "bls1996+3sigma", "bls1996-3sigma"])
def test_raw_shapes_have_unit_area(name):
    assert solar.raw_shape_area(name) == pytest.approx(1.0, abs=2e-3)


def test_ortiz_area_and_endpoints():
    assert solar.raw_shape_area("ortiz2000") == pytest.approx(0.996, abs=2e-3)
    E, y = solar.shape("15O")
    assert E[y > 0].max() == pytest.approx(1.732, abs=0.01)  # 15O, not 13N (header mistake)
    E, y = solar.shape("13N")
    assert E[y > 0].max() == pytest.approx(1.199, abs=0.01)
    E, y = solar.shape("pp")
    assert E[y > 0].max() < 0.4235 and y[0] == 0 and E[0] == 0


@pytest.mark.parametrize("b8", solar.B8_SHAPES)
def test_normalised_shapes_and_8b_total(b8):
    f = solar.solar_flux(["8B"], b8_shape=b8)
    assert f.total() == pytest.approx(5.46e6, rel=1e-9)
    assert 6.0 < f.mean_energy("nu_e") < 7.5


def test_full_flux_totals_and_lines():
    f = solar.solar_flux()
    assert f.total() == pytest.approx(sum(solar.model_totals().values()), rel=1e-9)
    lines = dict(f.line_list("nu_e"))
    assert lines[1.442] == pytest.approx(1.44e8)
    assert lines[0.8618] == pytest.approx(0.897 * 4.93e9)
    assert lines[0.3843] == pytest.approx(0.103 * 4.93e9)
    pp = solar.solar_flux("pp")
    assert pp.total() == pytest.approx(5.98e10, rel=1e-9)


def test_be7_shapes_option_and_override():
    f = solar.solar_flux(["7Be"], be7="shapes")
    assert not f.lines and f.total() == pytest.approx(4.93e9, rel=1e-9)
    assert f.mean_energy("nu_e") == pytest.approx(0.897 * 0.8618 + 0.103 * 0.3843, abs=2e-3)
    g = solar.solar_flux(["8B"], model="B16-AGSS09met", totals={"8B": 5.46e6})
    assert g.total() == pytest.approx(5.46e6)


def test_unknown_names():
    with pytest.raises(solar.UnknownComponentError):
        solar.solar_flux(["9Li"])
    with pytest.raises(solar.UnknownComponentError):
        solar.solar_flux(model="SSM-XYZ")
    with pytest.raises(solar.UnknownComponentError):
        solar.solar_flux(["8B"], b8_shape="napolitano")
    with pytest.raises(solar.UnknownComponentError):
        solar.shape("pep")


def test_pp_beta_shape_matches_bahcall_table():
    E, y = solar.shape("pp")
    b = solar.pp_beta_shape(E)
    sel = (E > 0.03) & (E < 0.38)
    assert np.max(np.abs(b[sel] / y[sel] - 1)) < 0.03
    x = np.linspace(0, 0.42, 4001)
    assert np.trapezoid(solar.pp_beta_shape(x), x) == pytest.approx(1.0, rel=1e-5)
    assert solar.pp_beta_shape([0.0, 0.421, -1.0]).tolist() == [0.0, 0.0, 0.0]


def test_pp_normalisation_A_of_002():
    assert solar.pp_normalisation_A() == pytest.approx(2.97e-36, rel=0.005, abs=0)
    # A scales linearly with the flux
    assert solar.pp_normalisation_A(2 * 5.98e10) == pytest.approx(2 * solar.pp_normalisation_A(), rel=1e-6, abs=0)


def test_pp_massive_neutrino():
    m = 0.05
    x = np.linspace(0, 0.5, 20001)
    k = solar.pp_beta_shape(x, m_nu=m)
    # area = phase-space fraction (< 1), unit_area=True restores area 1 with the same shape
    assert np.trapezoid(k, x) == pytest.approx(solar.pp_phase_space_fraction(m), rel=1e-4, abs=0)
    assert np.trapezoid(k, x) < 0.97
    u = solar.pp_beta_shape(x, m_nu=m, unit_area=True)
    assert np.trapezoid(u, x) == pytest.approx(1.0, rel=1e-4, abs=0)
    np.testing.assert_allclose(k, u * solar.pp_phase_space_fraction(m), rtol=1e-12, atol=0)
    assert k[x < m].max() == 0 and k[x > 0.420].max() == 0
    s = solar.pp_beta_shape(x, m_nu=m, prescription="shift002")
    assert s[x > 0.420 + m].max() == 0 and s[(x > 0.42) & (x < 0.46)].max() > 0


@pytest.mark.parametrize("m, frac", [(0.0, 1.0), (0.1, 0.86), (0.2, 0.53), (0.3, 0.19),
                                     (0.4, 0.006)])
def test_pp_phase_space_fraction(m, frac):
    """Emitting a massive state from pp is suppressed: 1 at m = 0, 0.86/0.53/0.19/0.006 at
    100/200/300/400 keV (two digits), and pp_beta_shape integrates to it."""
    f = solar.pp_phase_space_fraction(m)
    assert f == pytest.approx(frac, abs=0.005 if m < 0.4 else 0.0005)
    x = np.linspace(0, 0.42, 200001)
    assert np.trapezoid(solar.pp_beta_shape(x, m_nu=m), x) == pytest.approx(f, rel=1e-4, abs=1e-7)


def test_pp_phase_space_fraction_edges():
    assert solar.pp_phase_space_fraction(0.42) == 0.0
    assert solar.pp_phase_space_fraction(0.5) == 0.0
    assert np.all(solar.pp_beta_shape(np.linspace(0, 0.6, 50), m_nu=0.45) == 0)
    with pytest.raises(solar.NuemError):
        solar.pp_beta_shape(0.1, m_nu=0.45, unit_area=True)
    # monotone in the mass
    fr = [solar.pp_phase_space_fraction(m) for m in np.linspace(0, 0.419, 30)]
    assert np.all(np.diff(fr) < 0)


def test_oscillated_solar_flux_conserves_total():
    f = solar.solar_flux(oscillate=True)
    u = solar.solar_flux()
    assert set(f.species) == {"nu_e", "nu_mu", "nu_tau"}
    assert f.total() == pytest.approx(u.total(), rel=1e-9)
    assert 0.5 < f.total("nu_e") / u.total() < 0.56


def test_missing_data_raises(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    data.path.cache_clear()
    solar._raw_shape.cache_clear()
    solar._shape.cache_clear()
    try:
        with pytest.raises(DataFileError):
            solar.shape("hep")
    finally:
        monkeypatch.delenv(data.ENV_VAR)
        data.path.cache_clear()
        solar._raw_shape.cache_clear()
        solar._shape.cache_clear()
    assert solar.shape("hep")[0].size > 10
