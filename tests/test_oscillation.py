import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nuemcore import oscillation as osc
from nuemcore.errors import NuemError, NegativeEnergyError, UnknownFlavourError
from nuemcore.flux import solar


def test_constants():
    assert osc.PEE_002 == 0.553 and osc.PEE_CONSTANT_002 == 0.553
    assert osc.pee_002_eq14() == pytest.approx(0.553, abs=5e-4)
    assert osc.pee_vacuum_averaged() == pytest.approx(0.550, abs=1e-3)


def test_pee_low_energy_limit():
    low = (1 - osc.SIN2_THETA13) ** 2 * (1 - 0.5 * 4 * 0.307 * 0.693) + osc.SIN2_THETA13 ** 2
    for comp in ["pp", "7Be", "8B"]:
        assert osc.solar_pee(1e-4, comp) == pytest.approx(low, abs=1e-4)


def test_pee_high_energy_8b():
    p = osc.solar_pee(np.array([8.0, 10.0, 14.0]), "8B")
    assert np.all((p > 0.28) & (p < 0.36))
    assert np.all(np.diff(p) < 0)  # decreasing with energy
    # asymptote: c13^4 s12^2 + s13^4
    assert osc.solar_pee(1e4, "8B") == pytest.approx((1 - 0.022) ** 2 * 0.307 + 0.022 ** 2, abs=2e-3)


def test_pee_component_and_models():
    E = 5.0
    # 8B produced deeper (higher n_e) than pp -> lower P_ee
    assert osc.solar_pee(E, "8B") < osc.solar_pee(E, "pp")
    for m in ["B16-AGSS09met", "BS05-OP", "BS05-AGS-OP"]:
        assert osc.solar_pee(E, "8B", model=m) == pytest.approx(osc.solar_pee(E, "8B"), abs=0.01)
    assert osc.solar_pee(E, radius=0.0) < osc.solar_pee(E, radius=0.3)
    with pytest.raises(NegativeEnergyError):
        osc.solar_pee(-1.0)
    with pytest.raises(NuemError):
        osc.solar_pee(1.0, "9Li")


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 30.0), st.floats(0.0, 0.5))
def test_flavour_fractions_unitary(E, th14):
    fr = osc.solar_flavour_fractions(np.array([E]), "8B", theta14=th14)
    tot = sum(v for v in fr.values())
    assert tot[0] == pytest.approx(1.0, abs=1e-12)
    assert all(np.all((v >= 0) & (v <= 1)) for v in fr.values())
    assert np.allclose(fr["nu_mu"], fr["nu_tau"])


def test_sterile_appearance_002():
    th = 0.1
    s, c = np.sin(th) ** 2, np.cos(th) ** 2
    s12, s13 = osc.SIN2_THETA12, osc.SIN2_THETA13
    p2 = (1 - s12) ** 2 + s12 ** 2
    expected = s * c * (1 - s13) ** 2 * p2 + s * c * s13 ** 2 + s * c  # corrected eq. (15)
    assert osc.sterile_appearance_solar(th) == pytest.approx(expected, rel=1e-12, abs=0)
    # equals sum_i |U_ei|^2 |U_si|^2 of the 3+1 matrix (averaged vacuum oscillation)
    U = osc.mixing_matrix_3p1(theta14=th)
    assert osc.sterile_appearance_solar(th) == pytest.approx(np.sum(np.abs(U[0]) ** 2 * np.abs(U[3]) ** 2))
    assert osc.sterile_appearance_solar(0.0) == 0.0
    pm = osc.sterile_appearance_solar(th, E=np.array([0.3, 10.0]), matter=True, component="8B")
    assert pm[0] > pm[1]


def test_mixing_matrix_unitary_and_rows():
    U = osc.mixing_matrix_3p1(theta14=0.1, theta24=0.05, theta34=0.2, delta13=1.0, delta14=0.3,
                              delta24=2.0, majorana_phases=[0.1, 0.2, 0.3])
    assert np.allclose(U @ U.conj().T, np.eye(4))
    t12, t13, t14 = osc.THETA12, osc.THETA13, 0.1
    e_row = np.abs(U[0]) ** 2
    assert e_row[0] == pytest.approx(np.cos(t12) ** 2 * np.cos(t13) ** 2 * np.cos(t14) ** 2)
    assert e_row[3] == pytest.approx(np.sin(t14) ** 2)
    # 3+1 with zero sterile angles reduces to the PMNS matrix
    U0 = osc.mixing_matrix_3p1(delta13=osc.DELTA_CP)
    assert np.allclose(U0[:3, :3], osc.pmns())
    # a different ordering gives a different matrix
    U2 = osc.mixing_matrix_3p1(theta14=0.1, theta24=0.05, theta34=0.2,
                               order=("12", "13", "23", "14", "24", "34"))
    assert not np.allclose(np.abs(U2), np.abs(osc.mixing_matrix_3p1(theta14=0.1, theta24=0.05, theta34=0.2)))
    with pytest.raises(NuemError):
        osc.mixing_matrix_3p1(order=("12", "13"))


def test_vacuum_probability():
    E = np.array([1.0, 3.0, 10.0])
    tot = sum(osc.vacuum_probability("mu", b, 1300e5, E * 1e3) for b in ["e", "mu", "tau"])
    assert np.allclose(tot, 1.0)
    assert np.allclose(osc.vacuum_probability("e", "e", 0.0, E), 1.0)
    # two-flavour check with a 2x2 matrix: P = sin^2 2th sin^2(1.267 dm2 L/E) (L km, E GeV)
    th, dm2, L, Ev = 0.3, 2.5e-3, 295.0, 0.6
    U = np.array([[np.cos(th), np.sin(th)], [-np.sin(th), np.cos(th)]])
    p = osc.vacuum_probability("e", "mu", L * 1e5, Ev * 1e3, U=U, dm2_eV2=[dm2])
    assert p == pytest.approx(np.sin(2 * th) ** 2 * np.sin(1.26693 * dm2 * L / Ev) ** 2, rel=1e-4)
    with pytest.raises(UnknownFlavourError):
        osc.vacuum_probability("x", "e", 1.0, 1.0)
    with pytest.raises(NuemError):
        osc.vacuum_probability("e", "s", 1.0, 1.0)


def test_effective_moments_003():
    U = osc.mixing_matrix_3p1(theta14=0.05)
    c12, s12 = np.cos(osc.THETA12) ** 2, np.sin(osc.THETA12) ** 2
    c13, s13 = np.cos(osc.THETA13) ** 2, np.sin(osc.THETA13) ** 2
    c14, s14 = np.cos(0.05) ** 2, np.sin(0.05) ** 2
    # paper 003 eq. (7): one lambda_i4 at a time (no cross terms)
    eq7 = {1: c12 * c13 * c14 + s14, 2: s12 * c13 * c14 + s14, 3: s13 * c14 + s14}
    for i, coeff in eq7.items():
        lam = np.zeros((4, 4))
        lam[i - 1, 3] = 2.0
        lam = lam - lam.T
        assert osc.effective_moment_sq(lam, U, "e") == pytest.approx(4.0 * coeff, rel=1e-9)
    lam = np.zeros((4, 4))
    lam[0, 3], lam[1, 3], lam[2, 3] = 1.0, 2.0, 3.0
    lam = lam - lam.T
    P = osc.solar_mass_state_probabilities(np.array([0.3]), "pp", theta14=0.05)
    assert sum(p[0] for p in P) == pytest.approx(1.0)
    sol = osc.effective_moment_sq_solar(lam, P)
    assert sol[0] == pytest.approx(P[0][0] * 1 + P[1][0] * 4 + P[2][0] * 9 + P[3][0] * 14)


def test_oscillate_solar_lines_exact():
    f = solar.solar_flux(["7Be"])
    g = osc.oscillate_solar(f, component="7Be")
    (E1, p1), (E2, p2) = sorted(g.line_list("nu_e"))
    assert p2 == pytest.approx(0.897 * 4.93e9 * osc.solar_pee(0.8618, "7Be"))
    assert g.total() == pytest.approx(f.total())
    with pytest.raises(NuemError):
        osc.oscillate_solar(g)


def test_solar_flux_oscillate_options():
    f = solar.solar_flux(["pp", "8B"], oscillate=True, theta14=0.1)
    assert "nu_s" in f.species
    u = solar.solar_flux(["pp", "8B"])
    assert f.total() == pytest.approx(u.total(), rel=1e-9)
    with pytest.raises(NuemError):
        solar.solar_flux(["pp"], theta14=0.1)


def test_effective_moment_baseline_limit():
    lam = np.zeros((4, 4))
    lam[0, 3], lam[1, 3] = 1.0, 0.5
    lam = lam - lam.T
    U = osc.mixing_matrix_3p1(theta14=0.1)
    m2 = [0.0, 7.53e-5, 2.5e-3, 1.0]
    short = osc.effective_moment_sq(lam, U, "e", L_cm=1e-6, E=1.0, m2_eV2=m2)
    assert short == pytest.approx(osc.effective_moment_sq(lam, U, "e"), rel=1e-9)


def test_large_array_table_matches_direct():
    E = np.geomspace(0.05, 50.0, 5000)
    big = osc.solar_pee(E, "7Be")
    direct = np.concatenate([osc.solar_pee(E[i:i + 1000], "7Be") for i in range(0, E.size, 1000)])
    assert np.max(np.abs(big - direct)) < 1e-6
    E2 = np.concatenate([[0.0, 2e4], E])
    p2 = osc.solar_pee(E2, "7Be")
    assert np.all(np.isfinite(p2)) and p2[0] == pytest.approx(osc.solar_pee(0.0, "7Be"))
