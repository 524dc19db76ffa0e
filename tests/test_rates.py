"""Tests of nuemcore.rates against analytic integrals of toy fluxes and cross sections."""
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nuemcore import kinematics as K
from nuemcore import rates
from nuemcore.detector import hat_overlap, response_matrix
from nuemcore.errors import NuemError

M_E = 0.51099895


def box_flux(E1, E2, phi0, n=40, species=("nu_e",), lines=None):
    E = np.linspace(E1, E2, n)
    return SimpleNamespace(energy=E, spectra={s: np.full(n, phi0) for s in species}, lines=lines or {})


def const_xsec(c, M, m4=0.0):
    """c [cm^2/MeV] inside the kinematic window, 0 outside."""
    def xs(species, E, T):
        E, T = np.broadcast_arrays(np.asarray(E, float), np.asarray(T, float))
        tmin, tmax = K.recoil_window(E, M, m4)
        return np.where((T <= tmax) & (T >= tmin), c, 0.0)
    return xs


@pytest.mark.parametrize("m4", [0.0, 0.3])
def test_box_flux_constant_xsec(m4):
    E1, E2, phi0, c = 1.0, 8.0, 2.5e6, 3e-45
    M = M_E
    T = np.geomspace(1e-3, 7.0, 200)
    fl = box_flux(E1, E2, phi0, n=17)
    got = rates.RateEngine(fl, T, M, m4=m4).spectrum(const_xsec(c, M, m4))
    emin = K.neutrino_energy_min(T, M, m4)
    # the window condition T >= T_min(E) is automatic above E_min for m4>0? check with kinematics
    Egrid = np.linspace(E1, E2, 200001)
    tmin, tmax = K.recoil_window(Egrid[:, None], M, m4)
    # analytic for m4 = 0: phi0 c (E2 - max(E1, E_min))
    if m4 == 0.0:
        exact = phi0 * c * np.clip(E2 - np.maximum(E1, emin), 0, None)
        np.testing.assert_allclose(got, exact, rtol=1e-12, atol=1e-300)
    else:
        # T window open for E in [E_min(T), E2] (T_min(E) <= T for E >= E_min): same formula
        exact = phi0 * c * np.clip(E2 - np.maximum(E1, emin), 0, None)
        inside = (T[None, :] <= tmax) & (T[None, :] >= tmin)
        brute = phi0 * c * inside.sum(axis=0) * (Egrid[1] - Egrid[0])
        np.testing.assert_allclose(brute, exact, rtol=2e-3, atol=phi0 * c * 1e-4)
        np.testing.assert_allclose(got, exact, rtol=1e-10, atol=1e-300)


def test_partial_cell_discontinuity_is_exact_for_linear_integrand():
    # flux linear in E, xsec = E (cm^2/MeV units arbitrary): integrand quadratic -> Gauss exact
    E = np.array([0.5, 3.0, 10.0])
    fl = SimpleNamespace(energy=E, spectra={"nu_e": 2.0 * E}, lines={})
    M = 20.0
    T = np.linspace(0.01, 5.0, 77)
    xs = lambda s, Ev, Tv: np.broadcast_to(Ev * 1.0, np.broadcast_shapes(np.shape(Ev), np.shape(Tv)))
    got = rates.RateEngine(fl, T, M, n_gauss=2).spectrum(xs)
    lo = np.clip(K.neutrino_energy_min(T, M), E[0], E[-1])
    exact = 2.0 / 3.0 * (E[-1] ** 3 - lo**3)
    np.testing.assert_allclose(got, exact, rtol=1e-13)


def test_lines_exact_and_threshold():
    M = 1e4
    lines = {"nu_e": [(0.862, 5e9), (0.384, 5e8)]}
    fl = SimpleNamespace(energy=None, spectra={}, lines=lines)
    T = np.geomspace(1e-6, 2e-4, 50)
    xs = lambda s, E, Tv: np.full(np.broadcast_shapes(np.shape(E), np.shape(Tv)), 1e-40) * np.asarray(E) ** 2
    got = rates.recoil_spectrum(fl, xs, T, M)
    emin = K.neutrino_energy_min(T, M)
    exact = sum(phi * 1e-40 * E**2 * (E >= emin) for E, phi in lines["nu_e"])
    np.testing.assert_allclose(got, exact, rtol=1e-14)
    assert np.any(exact == 0) and np.any(exact > 0)


def test_components_stack_and_flavour_blind():
    fl = box_flux(1.0, 5.0, 1.0, species=("nu_e", "nu_mu", "nubar_e"), lines={"nu_mu": [(2.0, 3.0)]})
    T = np.geomspace(0.01, 4.0, 30)
    a, b = const_xsec(1.0, M_E), const_xsec(2.0, M_E)
    stack = lambda s, E, Tv: np.stack([a(s, E, Tv), b(s, E, Tv)])
    eng = rates.RateEngine(fl, T, M_E)
    both = eng.spectrum(stack)
    assert both.shape == (2, T.size)
    np.testing.assert_allclose(both[1], 2 * both[0], rtol=1e-14)
    np.testing.assert_allclose(eng.spectrum(a, flavour_blind=True), both[0], rtol=1e-13)
    by = eng.spectrum_by_species(a)
    assert set(by) == {"nu_e", "nu_mu", "nubar_e"}
    np.testing.assert_allclose(sum(by.values()), both[0], rtol=1e-14)
    only = rates.recoil_spectrum(fl, a, T, M_E, species=["nu_mu"])
    np.testing.assert_allclose(only, by["nu_mu"], rtol=1e-14)
    with pytest.raises(NuemError):
        rates.RateEngine(fl, T, M_E, species=["nu_tau"])


def test_loglog_power_law():
    E = np.geomspace(1.0, 100.0, 30)
    fl = SimpleNamespace(energy=E, spectra={"nu_mu": E**-2.0}, lines={})
    T = np.array([1e-3])
    one = lambda s, Ev, Tv: np.ones(np.broadcast_shapes(np.shape(Ev), np.shape(Tv)))
    got = rates.RateEngine(fl, T, 1e5, interpolation="loglog").spectrum(one)
    lo = max(1.0, K.neutrino_energy_min(1e-3, 1e5))
    np.testing.assert_allclose(got, 1 / lo - 1 / 100.0, rtol=1e-10)


def test_zero_above_endpoint_and_no_nan():
    fl = box_flux(1.0, 2.0, 1.0)
    T = np.array([0.5, 1.7, 5.0])  # E_min(5 MeV) > 2 MeV
    got = rates.recoil_spectrum(fl, const_xsec(1.0, M_E), T, M_E)
    assert got[-1] == 0.0 and np.all(np.isfinite(got))


def test_bad_flux_grid():
    fl = SimpleNamespace(energy=np.array([1.0, 0.5]), spectra={"nu_e": np.ones(2)}, lines={})
    with pytest.raises(NuemError):
        rates.RateEngine(fl, [0.1], M_E)
    with pytest.raises(NuemError):
        rates.RateEngine(box_flux(1, 2, 1), [0.1], M_E, interpolation="cubic")


def test_binned_counts_total():
    fl = box_flux(1.0, 8.0, 1e6)
    c = 1e-44
    T = np.linspace(0.0, 7.0, 2001)[1:]
    dRdT = rates.recoil_spectrum(fl, const_xsec(c, M_E), T, M_E)
    R = response_matrix(T, [T[0], T[-1]])
    n = rates.binned_counts(dRdT, T, R, n_targets=1e30, exposure=3.15e7)
    # same as 1e30 * 3.15e7 * integral (piecewise linear)
    np.testing.assert_allclose(n[0], 1e30 * 3.15e7 * np.trapezoid(dRdT, T), rtol=1e-12)
    np.testing.assert_allclose(rates.integrate_spectrum(dRdT, T), np.trapezoid(dRdT, T), rtol=1e-12)
    with pytest.raises(NuemError):
        rates.binned_counts(dRdT[:-1], T, R, 1, 1)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.0, 1e3), b=st.floats(0.0, 1e3), E1=st.floats(0.2, 5.0), width=st.floats(0.1, 20.0),
       m4=st.sampled_from([0.0, 0.05, 0.4]))
def test_linearity_in_flux_and_additivity_in_species(a, b, E1, width, m4):
    E = np.linspace(E1, E1 + width, 11)
    f1 = np.exp(-E)
    f2 = E**0.5
    T = np.geomspace(1e-3, E1 + width, 25)
    xs = lambda s, Ev, Tv: (1.0 + (s == "nu_mu")) * np.where(
        np.asarray(Tv) <= K.recoil_max(Ev, M_E, m4), 1.0 / np.maximum(np.asarray(Ev), 1e-9), 0.0)
    mk = lambda sp: SimpleNamespace(energy=E, spectra=sp, lines={})
    r1 = rates.RateEngine(mk({"nu_e": f1}), T, M_E, m4=m4).spectrum(xs)
    r2 = rates.RateEngine(mk({"nu_e": f2}), T, M_E, m4=m4).spectrum(xs)
    r12 = rates.RateEngine(mk({"nu_e": a * f1 + b * f2}), T, M_E, m4=m4).spectrum(xs)
    np.testing.assert_allclose(r12, a * r1 + b * r2, rtol=1e-10, atol=1e-300)
    rmu = rates.RateEngine(mk({"nu_mu": f2}), T, M_E, m4=m4).spectrum(xs)
    both = rates.RateEngine(mk({"nu_e": f1, "nu_mu": f2}), T, M_E, m4=m4).spectrum(xs)
    np.testing.assert_allclose(both, r1 + rmu, rtol=1e-12, atol=1e-300)
    assert np.all(both >= 0)


def test_hat_overlap_integrates_linear_exactly():
    T = np.array([0.0, 1.0, 2.5, 4.0])
    y = 3 * T + 1
    bins = np.array([0.3, 1.7, 3.9])
    H = hat_overlap(T, bins)
    exact = [(1.5 * b**2 + b) - (1.5 * a**2 + a) for a, b in zip(bins[:-1], bins[1:])]
    np.testing.assert_allclose(H @ y, exact, rtol=1e-14)


def test_histogram_flux_and_real_flux_container():
    from nuemcore.flux.base import Flux
    edges = np.array([1.0, 2.0, 4.0, 8.0])
    vals = np.array([3.0, 1.0, 0.5])
    fl = Flux(energy=0.5 * (edges[1:] + edges[:-1]), spectra={"nu_mu": vals}, bin_edges=edges,
              unit="cm^-2 MeV^-1 POT^-1", lines={"nu_e": [(30.0, 2.0)]})
    M = 1e5
    T = np.array([1e-4, 1e-3, 1e-2])
    one = lambda s, E, Tv: np.ones(np.broadcast_shapes(np.shape(E), np.shape(Tv)))
    got = rates.RateEngine(fl, T, M).spectrum(one)
    emin = K.neutrino_energy_min(T, M)
    lo = np.clip(emin[:, None], edges[:-1], edges[1:])
    exact = ((edges[1:] - lo) * vals).sum(axis=1) + 2.0
    np.testing.assert_allclose(got, exact, rtol=1e-13)
    # line-only Flux with an empty grid
    fl2 = Flux(energy=np.array([]), lines={"nu_e": [(30.0, 2.0)]})
    np.testing.assert_allclose(rates.recoil_spectrum(fl2, one, T, M), 2.0)


def test_gauss_bin_grid_integrates_polynomials():
    bins = np.array([0.1, 0.5, 2.0, 3.0])
    for log in (False, True):
        T, W = rates.gauss_bin_grid(bins, n_per_bin=8 if log else 4, log=log)
        assert np.all(np.diff(T) > 0)
        got = W @ (T**3 - 2 * T)
        exact = [(b**4 / 4 - b**2) - (a**4 / 4 - a**2) for a, b in zip(bins[:-1], bins[1:])]
        np.testing.assert_allclose(got, exact, rtol=1e-12 if not log else 1e-9)


# ---------------------------------------------------------------------------------------------
# integration with the real flux and cross-section modules
# ---------------------------------------------------------------------------------------------
def _brute(flux, xsec, T, M, m4=0.0, n=200001):
    """Trapezoid on a very fine E grid starting at E_min(T), Richardson-extrapolated in the step
    (the cross section may vanish in floating point right at E_min, an O(h) error): independent
    of the engine."""
    return 2 * _brute1(flux, xsec, T, M, m4, 2 * n - 1) - _brute1(flux, xsec, T, M, m4, n)


def _brute1(flux, xsec, T, M, m4, n):
    out = []
    for t in T:
        lo = max(K.neutrino_energy_min(t, M, m4), flux.energy[0])
        if lo >= flux.energy[-1]:
            out.append(0.0)
            continue
        E = np.linspace(lo, flux.energy[-1], n)
        val = sum(flux(s, E) * xsec(s, E, np.full_like(E, t)) for s in flux.spectra)
        out.append(np.trapezoid(val, E))
    return np.array(out)


@pytest.mark.parametrize("m4", [0.0, 5.0])
def test_solar_b8_cevns_xenon_against_fine_trapezoid(m4):
    from nuemcore.flux import solar
    from nuemcore.nuclear import nucleus
    from nuemcore.xsec import nucleus as xn

    flux = solar.solar_component_flux("8B")
    M = nucleus("Xe").mass
    T = np.array([0.3e-3, 1.0e-3, 2.0e-3, 3.0e-3])
    if m4 == 0.0:
        xs = lambda s, E, Tv: xn.sm(E, Tv, target="Xe")
    else:
        xs = lambda s, E, Tv: xn.magnetic_moment(E, Tv, target="Xe", mu=1e-10, m4=m4)
    got = rates.recoil_spectrum(flux, xs, T, M, m4=m4)
    ref = _brute(flux, xs, T, M, m4)
    assert np.all(ref[:3] > 0)
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-8 * ref.max())


def test_solar_be7_lines_on_electrons_exact():
    from nuemcore.flux import solar
    from nuemcore.xsec import electron as xe

    flux = solar.solar_component_flux("7Be")
    T = np.geomspace(1e-3, 0.7, 40)
    xs = lambda s, E, Tv: xe.sm(E, Tv, "e")
    got = rates.recoil_spectrum(flux, xs, T, M_E)
    exact = sum(phi * xe.sm(E, T, "e") for E, phi in flux.lines["nu_e"])
    np.testing.assert_allclose(got, exact, rtol=1e-13, atol=0)
    assert got[-1] == 0.0  # above the Compton edge of the 862 keV line


def test_reactor_electron_rate_and_components():
    from nuemcore.flux import reactor
    from nuemcore.xsec import electron as xe

    flux = reactor.reactor_flux(3000.0, 2000.0)
    T = np.array([0.01, 0.3, 1.0, 3.0])
    stack = lambda s, E, Tv: np.stack([xe.sm(E, Tv, "e", antineutrino=True), xe.magnetic_moment(E, Tv, 1.0)])
    sm_part, mm_unit = rates.recoil_spectrum(flux, stack, T, M_E)
    ref_sm = _brute(flux, lambda s, E, Tv: xe.sm(E, Tv, "e", antineutrino=True), T, M_E)
    np.testing.assert_allclose(sm_part, ref_sm, rtol=1e-6)
    # the magnetic-moment rate scales as mu^2: any mu from the unit component
    mu = 3e-11
    direct = rates.recoil_spectrum(flux, lambda s, E, Tv: xe.magnetic_moment(E, Tv, mu), T, M_E)
    np.testing.assert_allclose(mu**2 * mm_unit, direct, rtol=1e-12)


def test_recoil_breakpoints_and_panels():
    from nuemcore.flux import solar
    flux = solar.solar_component_flux("7Be")
    bp = rates.recoil_breakpoints(flux, M_E)
    np.testing.assert_allclose(bp, sorted(K.recoil_max(E, M_E) for E, _ in flux.lines["nu_e"]), rtol=1e-14)
    # a step at the Compton edge inside a bin is integrated exactly with the panels
    T, W = rates.gauss_bin_grid([0.1, 0.5, 0.7], n_per_bin=2, breakpoints=bp)
    y = (T < bp[1]).astype(float)
    np.testing.assert_allclose(W @ y, [0.4, bp[1] - 0.5], rtol=1e-13)


@pytest.mark.parametrize("m4", [0.0, 0.3])
def test_spectrum_by_species_flavour_blind_evaluates_once(m4):
    fl = box_flux(1.0, 5.0, 1.0, species=("nu_e", "nu_mu", "nubar_e"),
                  lines={"nu_mu": [(2.0, 3.0), (4.5, 1.0)], "nu_e": [(1.5, 2.0)]})
    fl.spectra["nu_mu"] = fl.spectra["nu_mu"] * np.linspace(1.0, 3.0, fl.energy.size)
    T = np.geomspace(0.01, 4.0, 30)
    base = const_xsec(1.0, M_E, m4)
    calls = []

    def xs(s, E, Tv):
        calls.append(s)
        v = base(s, E, Tv) * np.asarray(E) ** 2
        return np.stack([v, -0.5 * v])          # leading axis is kept
    eng = rates.RateEngine(fl, T, M_E, m4=m4)
    ref = eng.spectrum_by_species(xs)
    n_ref = len(calls)
    calls.clear()
    got = eng.spectrum_by_species(xs, flavour_blind=True)
    assert set(got) == set(ref) == {"nu_e", "nu_mu", "nubar_e"}
    for k in ref:
        assert got[k].shape == (2, T.size)
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-13, atol=0)
    assert len(calls) <= 3 < n_ref                 # nodes + partial cells + all lines, once
    np.testing.assert_allclose(sum(got.values()), eng.spectrum(xs, flavour_blind=True), rtol=1e-13)
    # a species with neither spectrum nor line inside the engine gives zeros
    eng2 = rates.RateEngine(SimpleNamespace(energy=None, spectra={}, lines={"nu_e": [(0.01, 1.0)], "nu_mu": []}),
                            T, M_E, m4=m4)
    z = eng2.spectrum_by_species(base, flavour_blind=True)
    assert all(np.all(v == 0) for v in z.values())
