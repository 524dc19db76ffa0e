import numpy as np
import pytest

from nuemcore.errors import NuemError
from nuemcore.flux import chromium51 as cr


def test_lines_and_branchings():
    assert sum(b for _, b in cr.CR51_LINES) == pytest.approx(1.0, abs=1e-4)
    f = cr.chromium51_flux(5.0, 25.0)
    lines = dict(f.line_list("nu_e"))
    assert set(lines) == {0.747, 0.752, 0.427, 0.432}
    assert f.total() == pytest.approx(5e6 * 3.7e10 / (4 * np.pi * 25.0 ** 2))
    assert lines[0.747] / f.total() == pytest.approx(0.8163)


def test_mean_activity():
    assert cr.mean_activity_factor(2 * cr.HALF_LIFE_DAYS) == pytest.approx(0.75 / (2 * np.log(2)))
    assert cr.mean_activity_factor(1e-6) == pytest.approx(1.0, abs=1e-6)


def test_cylinder_average():
    # far away: point-like
    g = cr.cylinder_mean_inverse_square(1e5, 10.0, 10.0)
    assert g == pytest.approx(1 / (4 * np.pi * 1e10), rel=1e-6, abs=0)
    # thin disk on axis: <1/(4 pi r^2)> = ln(1 + R^2/d^2) / (4 pi R^2)
    R, d = 10.0, 5.0
    g = cr.cylinder_mean_inverse_square(d, R, 1e-4, n=96)
    assert g == pytest.approx(np.log(1 + R ** 2 / d ** 2) / (4 * np.pi * R ** 2), rel=1e-4)
    # thin rod beside the source (side geometry, tiny radius): <1/(4 pi r^2)> = atan(h/2d)/(2 pi d h)
    h = 20.0
    g = cr.cylinder_mean_inverse_square(d, 1e-4, h, geometry="side", n=96)
    assert g == pytest.approx(np.arctan(h / (2 * d)) / (2 * np.pi * d * h), rel=1e-4)
    r = (2000 / np.pi) ** (1 / 3)
    # 003 sec. 3.4: 5 MCi, 2000 cm^3 at 25 cm, 2 half-lives -> about 1.1e13 cm^-2 s^-1
    f = cr.chromium51_mean_flux_cylinder(5.0, 25.0, r, r).total() * cr.mean_activity_factor(55.4)
    assert 0.7e13 < f < 1.5e13
    with pytest.raises(NuemError):
        cr.cylinder_mean_inverse_square(2.0, 5.0, 10.0)  # source inside
    with pytest.raises(NuemError):
        cr.cylinder_mean_inverse_square(20.0, 5.0, 10.0, geometry="top")
